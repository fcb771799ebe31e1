package io.mast.plugin;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The decision timeout a plugin gets when its config does not set {@code decision_timeout} (whose default is 5s), as
 * a duration such as {@code 30s} or {@code 1h}. For plugins that bound their own calls and apply their own failure
 * handling, such as the ExHook bridge asking several hook servers in turn, each within its {@code request_timeout}.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface DecisionTimeout {
    String value();
}
