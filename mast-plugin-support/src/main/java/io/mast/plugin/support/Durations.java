package io.mast.plugin.support;

import java.time.Duration;
import java.util.Locale;

/**
 * Durations in config: an integer is seconds; a string is a number with a unit ({@code ms s m h d}), e.g. {@code 30s},
 * {@code 5m}, {@code 2h}; {@code never} (or {@code infinity}) is {@link #NEVER}.
 */
public final class Durations {

    /** A duration that never elapses, as MQTT's session expiry 0xFFFFFFFF. */
    public static final Duration NEVER = Duration.ofSeconds(0xFFFF_FFFFL);

    private Durations() {
    }

    /** Parses a config duration, or throws {@link IllegalArgumentException} saying what is expected. */
    public static Duration parse(String text) {
        String s = text.trim().toLowerCase(Locale.ROOT);
        if (s.equals("never") || s.equals("infinity")) {
            return NEVER;
        }
        int i = 0;
        while (i < s.length() && Character.isDigit(s.charAt(i))) {
            i++;
        }
        if (i == 0) {
            throw invalid(text);
        }
        long n;
        try {
            n = Long.parseLong(s.substring(0, i));
        } catch (NumberFormatException e) {
            throw invalid(text);
        }
        return switch (s.substring(i).trim()) {
            case "" , "s" -> Duration.ofSeconds(n);
            case "ms" -> Duration.ofMillis(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            case "d" -> Duration.ofDays(n);
            default -> throw invalid(text);
        };
    }

    /** True when the duration stands for "never". */
    public static boolean isNever(Duration d) {
        return d.compareTo(NEVER) >= 0;
    }

    /** The duration as MQTT seconds, capped at 0xFFFFFFFF (never). */
    public static long toMqttSeconds(Duration d) {
        return Math.min(d.getSeconds(), 0xFFFF_FFFFL);
    }

    private static IllegalArgumentException invalid(String text) {
        return new IllegalArgumentException("expected a duration such as 30s, 5m, 2h, 1d or never, got \"" + text + "\"");
    }
}
