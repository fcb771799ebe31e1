package io.mast.plugins;

import java.nio.charset.StandardCharsets;

/** Topic filter checks the built-in plugins share. */
final class Filters {

    private Filters() {
    }

    /** Why a text is not a valid MQTT topic filter, or {@code null} when it is one. */
    static String problem(String filter) {
        if (filter.isEmpty()) {
            return "a topic filter must not be empty";
        }
        if (filter.indexOf('\0') >= 0) {
            return "a topic filter must not contain U+0000";
        }
        if (filter.getBytes(StandardCharsets.UTF_8).length > 65535) {
            return "a topic filter must be at most 65535 bytes";
        }
        String[] levels = filter.split("/", -1);
        for (int i = 0; i < levels.length; i++) {
            String l = levels[i];
            if (l.contains("#") && (!l.equals("#") || i != levels.length - 1)) {
                return "# must be a whole level, and the last: " + filter;
            }
            if (l.contains("+") && !l.equals("+")) {
                return "+ must be a whole level: " + filter;
            }
        }
        return null;
    }
}
