package io.mast.plugin;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The default of a plugin option, used when the config file leaves the option out. The text is read as the option's
 * type would be read from YAML: {@code @Default("30")} for an int, {@code @Default("true")}, {@code @Default("5s")}
 * for a {@link java.time.Duration}, {@code @Default("[a, b]")} for a list.
 *
 * <p>An option without {@code @Default} is required when it is a primitive; an option of another type may instead
 * be defaulted by the record's compact constructor (it receives {@code null}), and is required when it is still
 * {@code null} afterwards. Use {@link java.util.Optional} for an option that may be absent.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.RECORD_COMPONENT, ElementType.FIELD, ElementType.PARAMETER})
public @interface Default {
    String value();
}
