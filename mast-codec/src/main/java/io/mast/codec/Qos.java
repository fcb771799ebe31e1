package io.mast.codec;

/** Quality of service levels. */
public enum Qos {
    AT_MOST_ONCE,
    AT_LEAST_ONCE,
    EXACTLY_ONCE;

    private static final Qos[] VALUES = values();

    /** The level on the wire: 0, 1 or 2. */
    public int level() {
        return ordinal();
    }

    /** The QoS for a wire level, or {@code null} for anything but 0, 1 or 2. */
    public static Qos ofLevel(int level) {
        return level >= 0 && level < VALUES.length ? VALUES[level] : null;
    }

    /** The lower of two levels, as used to downgrade a message to a subscription's maximum. */
    public static Qos min(Qos a, Qos b) {
        return a.ordinal() <= b.ordinal() ? a : b;
    }

    /** The higher of two levels. */
    public static Qos max(Qos a, Qos b) {
        return a.ordinal() >= b.ordinal() ? a : b;
    }
}
