package io.mast.exhook.sdk;

/** MQTT topic filter syntax and matching, for {@link Topics}. */
final class TopicMatch {

    private TopicMatch() {
    }

    /** Throws {@link IllegalArgumentException} unless {@code filter} is a valid MQTT topic filter. */
    static void check(String filter) {
        if (filter == null || filter.isEmpty()) {
            throw new IllegalArgumentException("@Topics: empty topic filter");
        }
        String[] levels = filter.split("/", -1);
        for (int i = 0; i < levels.length; i++) {
            String l = levels[i];
            if (l.contains("#") && (!l.equals("#") || i != levels.length - 1)) {
                throw new IllegalArgumentException("@Topics: '#' must be the last level alone, in " + filter);
            }
            if (l.contains("+") && !l.equals("+")) {
                throw new IllegalArgumentException("@Topics: '+' must be a level alone, in " + filter);
            }
        }
    }

    /** Whether {@code topic} matches {@code filter}; topics starting with '$' match no leading wildcard. */
    static boolean matches(String filter, String topic) {
        if (topic.startsWith("$") && (filter.startsWith("+") || filter.startsWith("#"))) {
            return false;
        }
        String[] f = filter.split("/", -1);
        String[] t = topic.split("/", -1);
        for (int i = 0; i < f.length; i++) {
            if (f[i].equals("#")) {
                return true;
            }
            if (i >= t.length) {
                return false;
            }
            if (!f[i].equals("+") && !f[i].equals(t[i])) {
                return false;
            }
        }
        return f.length == t.length;
    }
}
