package io.mast.codec;

/**
 * Topic name and topic filter rules (MQTT 3.1.1 section 4.7, 5.0 section 4.7 and 4.8.2), shared by the
 * decoder, the broker and the client.
 */
public final class Topics {

    /** The prefix of a shared subscription's filter. */
    public static final String SHARE_PREFIX = "$share/";

    private Topics() {
    }

    /** A shared subscription {@code $share/group/filter} split into its group and filter. */
    public record SharedFilter(String group, String filter) {
    }

    /** True for a valid topic name of a PUBLISH: not empty and without wildcards. */
    public static boolean isValidTopicName(String topic) {
        if (topic.isEmpty()) {
            return false;
        }
        for (int i = 0; i < topic.length(); i++) {
            char c = topic.charAt(i);
            if (c == '+' || c == '#') {
                return false;
            }
        }
        return true;
    }

    /**
     * True for a valid topic filter: not empty, {@code #} only as the whole last level, {@code +} only as a
     * whole level, and for a shared subscription a group name without {@code / + #} followed by a valid filter.
     */
    public static boolean isValidTopicFilter(String filter) {
        if (filter.startsWith(SHARE_PREFIX)) {
            return parseShared(filter) != null;
        }
        return isValidPlainFilter(filter);
    }

    private static boolean isValidPlainFilter(String filter) {
        int n = filter.length();
        if (n == 0) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            char c = filter.charAt(i);
            if (c == '+' || c == '#') {
                boolean startsLevel = i == 0 || filter.charAt(i - 1) == '/';
                boolean endsLevel = i == n - 1 || filter.charAt(i + 1) == '/';
                if (!startsLevel || !endsLevel || (c == '#' && i != n - 1)) {
                    return false;
                }
            }
        }
        return true;
    }

    /** True when the filter is a shared subscription, valid or not. */
    public static boolean isShared(String filter) {
        return filter.startsWith(SHARE_PREFIX);
    }

    /** Splits a valid {@code $share/group/filter}, or returns {@code null} when it is not one. */
    public static SharedFilter parseShared(String filter) {
        if (!filter.startsWith(SHARE_PREFIX)) {
            return null;
        }
        int groupStart = SHARE_PREFIX.length();
        int slash = filter.indexOf('/', groupStart);
        if (slash <= groupStart) {
            return null;
        }
        String group = filter.substring(groupStart, slash);
        if (group.indexOf('+') >= 0 || group.indexOf('#') >= 0) {
            return null;
        }
        String inner = filter.substring(slash + 1);
        return isValidPlainFilter(inner) ? new SharedFilter(group, inner) : null;
    }

    /** True when the filter contains a wildcard level. */
    public static boolean hasWildcard(String filter) {
        return filter.indexOf('+') >= 0 || filter.indexOf('#') >= 0;
    }

    /**
     * True when a topic name matches a (non-shared) filter. Topics starting with {@code $} are not matched by
     * a filter starting with a wildcard (MQTT-4.7.2-1).
     */
    public static boolean matches(String filter, String topic) {
        if (topic.startsWith("$") && (filter.startsWith("+") || filter.startsWith("#"))) {
            return false;
        }
        int fn = filter.length();
        int tn = topic.length();
        int f = 0;
        int t = 0;
        while (true) {
            int fEnd = filter.indexOf('/', f);
            if (fEnd < 0) {
                fEnd = fn;
            }
            int fLen = fEnd - f;
            if (fLen == 1 && filter.charAt(f) == '#') {
                return true; // matches the parent level too: "a/#" matches "a"
            }
            if (t > tn) {
                return false; // the topic has fewer levels than the filter
            }
            int tEnd = topic.indexOf('/', t);
            if (tEnd < 0) {
                tEnd = tn;
            }
            boolean plus = fLen == 1 && filter.charAt(f) == '+';
            if (!plus && (fLen != tEnd - t || !topic.regionMatches(t, filter, f, fLen))) {
                return false;
            }
            f = fEnd + 1;
            t = tEnd + 1;
            if (f > fn) {
                return t > tn; // the filter is used up: the topic must be too
            }
        }
    }
}
