package io.mast.codec;

import static io.mast.codec.PacketType.AUTH;
import static io.mast.codec.PacketType.CONNACK;
import static io.mast.codec.PacketType.CONNECT;
import static io.mast.codec.PacketType.DISCONNECT;
import static io.mast.codec.PacketType.PUBACK;
import static io.mast.codec.PacketType.PUBCOMP;
import static io.mast.codec.PacketType.PUBLISH;
import static io.mast.codec.PacketType.PUBREC;
import static io.mast.codec.PacketType.PUBREL;
import static io.mast.codec.PacketType.SUBACK;
import static io.mast.codec.PacketType.SUBSCRIBE;
import static io.mast.codec.PacketType.UNSUBACK;
import static io.mast.codec.PacketType.UNSUBSCRIBE;

/**
 * MQTT 5.0 property identifiers (specification section 2.2.2.2) with their data type and where they may
 * appear. Where a property appears is a bit mask over packet type values; bit 0, unused by packet types,
 * stands for the Will Properties of CONNECT.
 */
public enum PropertyId {
    PAYLOAD_FORMAT_INDICATOR(0x01, Type.BYTE, true, PUBLISH),
    MESSAGE_EXPIRY_INTERVAL(0x02, Type.FOUR_BYTE, true, PUBLISH),
    CONTENT_TYPE(0x03, Type.UTF8, true, PUBLISH),
    RESPONSE_TOPIC(0x08, Type.UTF8, true, PUBLISH),
    CORRELATION_DATA(0x09, Type.BINARY, true, PUBLISH),
    SUBSCRIPTION_IDENTIFIER(0x0B, Type.VARIABLE_BYTE, false, PUBLISH, SUBSCRIBE),
    SESSION_EXPIRY_INTERVAL(0x11, Type.FOUR_BYTE, false, CONNECT, CONNACK, DISCONNECT),
    ASSIGNED_CLIENT_IDENTIFIER(0x12, Type.UTF8, false, CONNACK),
    SERVER_KEEP_ALIVE(0x13, Type.TWO_BYTE, false, CONNACK),
    AUTHENTICATION_METHOD(0x15, Type.UTF8, false, CONNECT, CONNACK, AUTH),
    AUTHENTICATION_DATA(0x16, Type.BINARY, false, CONNECT, CONNACK, AUTH),
    REQUEST_PROBLEM_INFORMATION(0x17, Type.BYTE, false, CONNECT),
    WILL_DELAY_INTERVAL(0x18, Type.FOUR_BYTE, true),
    REQUEST_RESPONSE_INFORMATION(0x19, Type.BYTE, false, CONNECT),
    RESPONSE_INFORMATION(0x1A, Type.UTF8, false, CONNACK),
    SERVER_REFERENCE(0x1C, Type.UTF8, false, CONNACK, DISCONNECT),
    REASON_STRING(0x1F, Type.UTF8, false, CONNACK, PUBACK, PUBREC, PUBREL, PUBCOMP, SUBACK, UNSUBACK, DISCONNECT, AUTH),
    RECEIVE_MAXIMUM(0x21, Type.TWO_BYTE, false, CONNECT, CONNACK),
    TOPIC_ALIAS_MAXIMUM(0x22, Type.TWO_BYTE, false, CONNECT, CONNACK),
    TOPIC_ALIAS(0x23, Type.TWO_BYTE, false, PUBLISH),
    MAXIMUM_QOS(0x24, Type.BYTE, false, CONNACK),
    RETAIN_AVAILABLE(0x25, Type.BYTE, false, CONNACK),
    USER_PROPERTY(0x26, Type.UTF8_PAIR, true, CONNECT, CONNACK, PUBLISH, PUBACK, PUBREC, PUBREL, PUBCOMP,
            SUBSCRIBE, SUBACK, UNSUBSCRIBE, UNSUBACK, DISCONNECT, AUTH),
    MAXIMUM_PACKET_SIZE(0x27, Type.FOUR_BYTE, false, CONNECT, CONNACK),
    WILDCARD_SUBSCRIPTION_AVAILABLE(0x28, Type.BYTE, false, CONNACK),
    SUBSCRIPTION_IDENTIFIER_AVAILABLE(0x29, Type.BYTE, false, CONNACK),
    SHARED_SUBSCRIPTION_AVAILABLE(0x2A, Type.BYTE, false, CONNACK);

    /** The wire data types of properties (specification section 1.5). */
    public enum Type { BYTE, TWO_BYTE, FOUR_BYTE, VARIABLE_BYTE, UTF8, BINARY, UTF8_PAIR }

    /** The mask bit that stands for the Will Properties of CONNECT. */
    public static final int WILL = 1;

    private static final PropertyId[] BY_ID = new PropertyId[0x2B];

    static {
        for (PropertyId p : values()) {
            BY_ID[p.id] = p;
        }
    }

    private final int id;
    private final Type type;
    private final int scopeMask;

    PropertyId(int id, Type type, boolean inWill, PacketType... packets) {
        this.id = id;
        this.type = type;
        int mask = inWill ? WILL : 0;
        for (PacketType p : packets) {
            mask |= 1 << p.value();
        }
        this.scopeMask = mask;
    }

    /** The identifier byte on the wire. */
    public int id() {
        return id;
    }

    /** The data type of the value. */
    public Type type() {
        return type;
    }

    /** True when this property may appear in the scope: a packet type's bit, or {@link #WILL}. */
    public boolean allowedIn(int scopeBit) {
        return (scopeMask & scopeBit) != 0;
    }

    /** The mask bit for a packet type's properties. */
    public static int scopeOf(PacketType type) {
        return 1 << type.value();
    }

    /** The property with this identifier, or {@code null} when no property has it. */
    public static PropertyId of(int id) {
        return id >= 0 && id < BY_ID.length ? BY_ID[id] : null;
    }
}
