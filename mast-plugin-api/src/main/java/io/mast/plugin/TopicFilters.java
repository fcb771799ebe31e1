package io.mast.plugin;

/**
 * MQTT topic filter rules for plugins (MQTT 5.0 section 4.7): matching a topic against a filter, and whether one
 * filter covers another (for authorizing a SUBSCRIBE whose filter has wildcards).
 */
public final class TopicFilters {

    private TopicFilters() {
    }

    /**
     * True when a topic name matches a filter. {@code #} matches the parent level too ({@code a/#} matches {@code a});
     * a filter starting with a wildcard does not match topics starting with {@code $}.
     */
    public static boolean matches(String filter, String topic) {
        if (topic.startsWith("$") && (filter.startsWith("+") || filter.startsWith("#"))) {
            return false;
        }
        // Level by level, without allocating: topic plugins call this for every message.
        int fn = filter.length();
        int tn = topic.length();
        int fi = 0;
        int ti = 0;
        while (true) {
            int fe = filter.indexOf('/', fi);
            if (fe < 0) {
                fe = fn;
            }
            boolean single = fe - fi == 1;
            if (single && filter.charAt(fi) == '#') {
                return true; // this level and every one below, the parent included
            }
            if (ti > tn) {
                return false; // the topic has no more levels
            }
            int te = topic.indexOf('/', ti);
            if (te < 0) {
                te = tn;
            }
            if (!(single && filter.charAt(fi) == '+')
                    && !(fe - fi == te - ti && filter.regionMatches(fi, topic, ti, fe - fi))) {
                return false;
            }
            if (fe == fn) {
                return te == tn;
            }
            fi = fe + 1;
            ti = te + 1; // past the end (tn + 1) when the topic ended here
        }
    }

    /**
     * True when every topic that {@code filter} matches is also matched by {@code pattern}: a client allowed
     * {@code pattern} may subscribe to {@code filter}. {@code sensors/#} covers {@code sensors/+/temp} and
     * {@code sensors/#}; {@code sensors/+} does not cover {@code sensors/#}.
     */
    public static boolean covers(String pattern, String filter) {
        if (filter.startsWith("$") && (pattern.startsWith("+") || pattern.startsWith("#"))) {
            return false;
        }
        String[] p = pattern.split("/", -1);
        String[] f = filter.split("/", -1);
        for (int i = 0; i < p.length; i++) {
            if (p[i].equals("#")) {
                return true;
            }
            if (i >= f.length) {
                return false;
            }
            if (f[i].equals("#")) {
                return false; // the filter reaches deeper than the pattern allows
            }
            if (p[i].equals("+")) {
                continue;
            }
            if (f[i].equals("+") || !p[i].equals(f[i])) {
                return false;
            }
        }
        return p.length == f.length;
    }

    /**
     * True for a valid topic filter (MQTT 5.0 section 4.7.1): not empty, {@code #} only as the whole last level,
     * {@code +} only as a whole level.
     */
    public static boolean isTopicFilter(String filter) {
        if (filter == null || filter.isEmpty()) {
            return false;
        }
        String[] levels = filter.split("/", -1);
        for (int i = 0; i < levels.length; i++) {
            String l = levels[i];
            if (l.contains("#") && (!l.equals("#") || i != levels.length - 1)) {
                return false;
            }
            if (l.contains("+") && !l.equals("+")) {
                return false;
            }
        }
        return true;
    }

    /** True for a topic name a client may publish to: not empty, no wildcards. */
    public static boolean isTopicName(String topic) {
        return !topic.isEmpty() && topic.indexOf('+') < 0 && topic.indexOf('#') < 0;
    }
}
