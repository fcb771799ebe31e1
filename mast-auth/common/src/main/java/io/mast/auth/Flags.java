package io.mast.auth;

import java.util.Locale;

/** Yes-or-no values as services and databases write them ({@code is_superuser}). */
public final class Flags {

    private Flags() {
    }

    /** True for {@code true}, a non-zero number, and the texts true, t, 1, yes, y, on (any case). */
    public static boolean truthy(Object v) {
        if (v instanceof Boolean b) {
            return b;
        }
        if (v instanceof Number n) {
            return n.doubleValue() != 0;
        }
        return v != null && switch (v.toString().trim().toLowerCase(Locale.ROOT)) {
            case "true", "t", "1", "yes", "y", "on" -> true;
            default -> false;
        };
    }
}
