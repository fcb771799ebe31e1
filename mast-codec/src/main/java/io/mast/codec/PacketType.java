package io.mast.codec;

/**
 * MQTT control packet types with the fixed-header flags each one must carry.
 * PUBLISH is the only type whose flags carry data (DUP, QoS, RETAIN).
 */
public enum PacketType {
    CONNECT(1, 0b0000),
    CONNACK(2, 0b0000),
    PUBLISH(3, -1),
    PUBACK(4, 0b0000),
    PUBREC(5, 0b0000),
    PUBREL(6, 0b0010),
    PUBCOMP(7, 0b0000),
    SUBSCRIBE(8, 0b0010),
    SUBACK(9, 0b0000),
    UNSUBSCRIBE(10, 0b0010),
    UNSUBACK(11, 0b0000),
    PINGREQ(12, 0b0000),
    PINGRESP(13, 0b0000),
    DISCONNECT(14, 0b0000),
    /** MQTT 5.0 only. */
    AUTH(15, 0b0000);

    private static final PacketType[] BY_VALUE = new PacketType[16];

    static {
        for (PacketType t : values()) {
            BY_VALUE[t.value] = t;
        }
    }

    private final int value;
    private final int requiredFlags;

    PacketType(int value, int requiredFlags) {
        this.value = value;
        this.requiredFlags = requiredFlags;
    }

    /** The 4-bit packet type value of the fixed header. */
    public int value() {
        return value;
    }

    /** The fixed-header flags this type must carry, or -1 for PUBLISH whose flags are data. */
    public int requiredFlags() {
        return requiredFlags;
    }

    /** The type for a 4-bit value, or {@code null} for the reserved value 0. */
    public static PacketType of(int value) {
        return value > 0 && value < 16 ? BY_VALUE[value] : null;
    }
}
