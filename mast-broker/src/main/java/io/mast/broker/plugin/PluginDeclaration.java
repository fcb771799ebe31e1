package io.mast.broker.plugin;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.function.UnaryOperator;

/**
 * A plugin as the config declares it: its class and its options, with where they were written for error messages.
 *
 * @param className the fully qualified class name
 * @param options   the options mapping (an empty or null node means all defaults)
 * @param locate    from a key path ({@code plugins.<class>.<option>}) to {@code file:line}, for error messages
 */
public record PluginDeclaration(String className, JsonNode options, UnaryOperator<String> locate) {

    /** The key path of an option of this plugin. */
    String keyOf(String option) {
        return "plugins." + className + (option == null || option.isEmpty() ? "" : "." + option);
    }

    /** Where an option (or, for {@code null}, the plugin itself) was written. */
    String where(String option) {
        String w = locate.apply(keyOf(option));
        return w == null ? locate.apply(keyOf(null)) : w;
    }
}
