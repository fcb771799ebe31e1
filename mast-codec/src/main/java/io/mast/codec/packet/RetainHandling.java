package io.mast.codec.packet;

/** MQTT 5.0 Retain Handling subscription option: when retained messages are sent for a new subscription. */
public enum RetainHandling {
    /** 0: send retained messages at the time of the subscribe. */
    SEND_ON_SUBSCRIBE,
    /** 1: send them only if the subscription did not already exist. */
    SEND_IF_NEW_SUBSCRIPTION,
    /** 2: do not send them. */
    DO_NOT_SEND;

    private static final RetainHandling[] VALUES = values();

    /** The value on the wire. */
    public int value() {
        return ordinal();
    }

    /** The option for a wire value, or {@code null} for 3 (a protocol error). */
    public static RetainHandling of(int value) {
        return value >= 0 && value < VALUES.length ? VALUES[value] : null;
    }
}
