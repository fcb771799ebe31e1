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
 *
 * <p>On an event method of {@link BrokerPlugin} (on the method itself; the class annotation does not change events),
 * it asks the runtime to call that event on the thread that raises it instead of queuing it: the plugin then sees the
 * event in the broker's own order relative to its decisions for the same client. Only for methods that hand the
 * event on without waiting (the ExHook bridge queues a gRPC call); a slow one slows the client.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface NonBlocking {
}
