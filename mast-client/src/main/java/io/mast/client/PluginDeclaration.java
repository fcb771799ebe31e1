package io.mast.client;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A client plugin as declared: its class (or class name), its options, and for error messages where it was written.
 *
 * @param className the fully qualified class name
 * @param type      the class when declared in code, or {@code null} to load {@code className}
 * @param options   the options (empty for the defaults)
 * @param file      the config file name, or {@code null} when declared in code
 * @param lines     the line of the plugin's key and of each option key ({@code ""} for the plugin itself), for files
 */
record PluginDeclaration(String className, Class<?> type, ObjectNode options, String file,
                         java.util.Map<String, Integer> lines) {

    /** The key path of an option of this plugin: {@code plugins.<class>.<option>}. */
    String keyOf(String option) {
        return "plugins." + className + (option == null || option.isEmpty() ? "" : "." + option);
    }

    /** A one-line error naming the file and line (for files), the key and the problem. */
    ClientConfigException error(String option, String problem) {
        String where = "";
        if (file != null) {
            Integer line = option == null ? null : lines.get(option);
            if (line == null) {
                line = lines.get("");
            }
            where = file + (line == null ? "" : ":" + line) + ": ";
        }
        return new ClientConfigException(where + keyOf(option) + ": " + problem);
    }
}
