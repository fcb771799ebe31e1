package io.mast.broker.config;

import java.time.Duration;

/**
 * Range checks for config records. A failed check throws {@link IllegalArgumentException} with the key and what is
 * expected; {@link ConfigLoader} adds the file, the line and the full key path.
 */
final class Check {

    private Check() {
    }

    static int range(String key, Integer value, int defaultValue, int min, int max) {
        int v = value == null ? defaultValue : value;
        if (v < min || v > max) {
            throw new IllegalArgumentException(key + ": expected an integer from " + min + " to " + max + ", got " + v);
        }
        return v;
    }

    /** -1 means unlimited. */
    static int limitOrUnlimited(String key, Integer value, int defaultValue) {
        int v = value == null ? defaultValue : value;
        if (v < -1 || v == 0) {
            throw new IllegalArgumentException(key + ": expected a positive integer, or -1 for unlimited, got " + v);
        }
        return v;
    }

    /** A number of bytes of at least {@code min}; 0 means no limit (when {@code min} is 0). */
    static long bytes(String key, Long value, long defaultValue, long min) {
        long v = value == null ? defaultValue : value;
        if (v < min) {
            throw new IllegalArgumentException(key + ": expected a number of bytes of at least " + min + ", got " + v);
        }
        return v;
    }

    static Duration positive(String key, Duration value, Duration defaultValue) {
        Duration v = value == null ? defaultValue : value;
        if (v.isNegative() || v.isZero()) {
            throw new IllegalArgumentException(key + ": expected a positive duration such as 10s, 5m or 2h, got " + v);
        }
        return v;
    }

    static String nonEmpty(String key, String value, String defaultValue) {
        String v = value == null ? defaultValue : value;
        if (v.isBlank()) {
            throw new IllegalArgumentException(key + ": expected a non-empty string");
        }
        return v;
    }
}
