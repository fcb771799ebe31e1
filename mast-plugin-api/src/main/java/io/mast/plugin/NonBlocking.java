package io.mast.plugin;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a plugin class (or one decision method) whose plain decision methods never block: the runtime then calls them
 * directly on the network thread instead of on a virtual thread, which saves a thread hand-off per decision. Use it
 * only for pure in-memory work (an ACL held in memory), never for I/O or slow hashing.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface NonBlocking {
}
