package io.mast.broker.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.function.UnaryOperator;

/**
 * A plugin as the config declares it: its class and its options, with where they were written for error messages.
 *
 * @param className the fully qualified class name
 * @param options   the options mapping (an empty or null node means all defaults)
 * @param keyPrefix the key path of the options in the config file: {@code plugins.<class>}, or a section of its own
 *                  such as {@code exhook}
 * @param locate    from a key path ({@code <keyPrefix>.<option>}) to {@code file:line}, for error messages
 */
public record PluginDeclaration(String className, JsonNode options, String keyPrefix, UnaryOperator<String> locate) {

    /** A plugin declared under {@code plugins:}. */
    public PluginDeclaration(String className, JsonNode options, UnaryOperator<String> locate) {
        this(className, options, "plugins." + className, locate);
    }

    /** The key path of an option of this plugin. */
    public String keyOf(String option) {
        return keyPrefix + (option == null || option.isEmpty() ? "" : "." + option);
    }

    /** Where an option (or, for {@code null}, the plugin itself) was written. */
    public String where(String option) {
        String w = locate.apply(keyOf(option));
        return w == null ? locate.apply(keyOf(null)) : w;
    }
}
