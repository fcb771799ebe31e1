package io.mast.plugin;

/**
 * The MQTT topic rules (MQTT 3.1.1 section 4.7, MQTT 5.0 sections 4.7 and 4.8.2): valid topic names and filters,
 * shared subscriptions, matching a topic against a filter, and whether one filter covers another (for authorizing a
 * SUBSCRIBE whose filter has wildcards). This is Mast's one implementation of them: the broker, the client, the
 * {@code mast} command, the built-in plugins, the ExHook bridge and the hook-server SDK all use it.
 */
public final class TopicFilters {

    /** The prefix of a shared subscription's filter: {@code $share/{group}/{filter}}. */
    public static final String SHARE_PREFIX = "$share/";

    private TopicFilters() {
    }

    /**
     * A shared subscription {@code $share/group/filter} split into its group and the filter its members subscribe to.
     *
     * @param group  the share name: not empty, without {@code / + #}
     * @param filter the topic filter messages are matched against
     */
    public record SharedFilter(String group, String filter) {
    }

    /**
     * True when a topic name matches a (non-shared) filter. {@code #} matches the parent level too ({@code a/#}
     * matches {@code a}); a filter starting with a wildcard does not match topics starting with {@code $}
     * (MQTT-4.7.2-1).
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
     * {@code +} only as a whole level; a shared subscription ({@code $share/...}) needs a group name without
     * {@code / + #} followed by a valid filter (section 4.8.2). False for {@code null}.
     */
    public static boolean isTopicFilter(String filter) {
        if (filter == null) {
            return false;
        }
        if (filter.startsWith(SHARE_PREFIX)) {
            return parseShared(filter) != null;
        }
        return isPlainFilter(filter, 0);
    }

    /** The filter from {@code from} on: not empty, wildcards only as whole levels, {@code #} only last. */
    private static boolean isPlainFilter(String filter, int from) {
        int n = filter.length();
        if (n == from) {
            return false;
        }
        for (int i = from; i < n; i++) {
            char c = filter.charAt(i);
            if (c == '+' || c == '#') {
                boolean startsLevel = i == from || filter.charAt(i - 1) == '/';
                boolean endsLevel = i == n - 1 || filter.charAt(i + 1) == '/';
                if (!startsLevel || !endsLevel || (c == '#' && i != n - 1)) {
                    return false;
                }
            }
        }
        return true;
    }

    /**
     * The filter a SUBSCRIBE really asks for: without the {@code $share/<group>/} of a shared subscription, so that
     * rules about {@code sensors/#} apply to {@code $share/g/sensors/#} too. Other filters are returned as they are.
     */
    public static String unshared(String filter) {
        if (filter.startsWith(SHARE_PREFIX)) {
            int slash = filter.indexOf('/', SHARE_PREFIX.length());
            if (slash > 0) {
                return filter.substring(slash + 1);
            }
        }
        return filter;
    }

    /** True for a topic name a client may publish to: not empty, no wildcards. */
    public static boolean isTopicName(String topic) {
        return !topic.isEmpty() && topic.indexOf('+') < 0 && topic.indexOf('#') < 0;
    }

    /** True when the filter is a shared subscription ({@code $share/...}), valid or not. */
    public static boolean isShared(String filter) {
        return filter.startsWith(SHARE_PREFIX);
    }

    /** Splits a valid {@code $share/group/filter}, or returns {@code null} when the filter is not one. */
    public static SharedFilter parseShared(String filter) {
        if (!filter.startsWith(SHARE_PREFIX)) {
            return null;
        }
        int groupStart = SHARE_PREFIX.length();
        int slash = filter.indexOf('/', groupStart);
        if (slash <= groupStart) {
            return null;
        }
        for (int i = groupStart; i < slash; i++) {
            char c = filter.charAt(i);
            if (c == '+' || c == '#') {
                return null;
            }
        }
        return isPlainFilter(filter, slash + 1)
                ? new SharedFilter(filter.substring(groupStart, slash), filter.substring(slash + 1)) : null;
    }
}
