package io.mast.codec;

import static io.mast.codec.PacketType.AUTH;
import static io.mast.codec.PacketType.CONNACK;
import static io.mast.codec.PacketType.DISCONNECT;
import static io.mast.codec.PacketType.PUBACK;
import static io.mast.codec.PacketType.PUBCOMP;
import static io.mast.codec.PacketType.PUBREC;
import static io.mast.codec.PacketType.PUBREL;
import static io.mast.codec.PacketType.SUBACK;
import static io.mast.codec.PacketType.UNSUBACK;

/**
 * MQTT 5.0 reason codes (specification section 2.4), each with the packets it may appear in.
 * Several codes share a value (0x00 is Success, Normal disconnection or Granted QoS 0 depending on the
 * packet); {@link #of(int, PacketType)} resolves a value in its packet's context.
 *
 * <p>MQTT 3.1.1 has return codes only in CONNACK and SUBACK; the encoder maps these constants to them
 * ({@link #v3ConnAckCode()}), so the broker uses one vocabulary for both versions.
 */
public enum ReasonCode {
    SUCCESS(0x00, CONNACK, PUBACK, PUBREC, PUBREL, PUBCOMP, UNSUBACK, AUTH),
    NORMAL_DISCONNECTION(0x00, DISCONNECT),
    GRANTED_QOS_0(0x00, SUBACK),
    GRANTED_QOS_1(0x01, SUBACK),
    GRANTED_QOS_2(0x02, SUBACK),
    DISCONNECT_WITH_WILL_MESSAGE(0x04, DISCONNECT),
    NO_MATCHING_SUBSCRIBERS(0x10, PUBACK, PUBREC),
    NO_SUBSCRIPTION_EXISTED(0x11, UNSUBACK),
    CONTINUE_AUTHENTICATION(0x18, AUTH),
    RE_AUTHENTICATE(0x19, AUTH),
    UNSPECIFIED_ERROR(0x80, CONNACK, PUBACK, PUBREC, SUBACK, UNSUBACK, DISCONNECT),
    MALFORMED_PACKET(0x81, CONNACK, DISCONNECT),
    PROTOCOL_ERROR(0x82, CONNACK, DISCONNECT),
    IMPLEMENTATION_SPECIFIC_ERROR(0x83, CONNACK, PUBACK, PUBREC, SUBACK, UNSUBACK, DISCONNECT),
    UNSUPPORTED_PROTOCOL_VERSION(0x84, CONNACK),
    CLIENT_IDENTIFIER_NOT_VALID(0x85, CONNACK),
    BAD_USER_NAME_OR_PASSWORD(0x86, CONNACK),
    NOT_AUTHORIZED(0x87, CONNACK, PUBACK, PUBREC, SUBACK, UNSUBACK, DISCONNECT),
    SERVER_UNAVAILABLE(0x88, CONNACK),
    SERVER_BUSY(0x89, CONNACK, DISCONNECT),
    BANNED(0x8A, CONNACK),
    SERVER_SHUTTING_DOWN(0x8B, DISCONNECT),
    BAD_AUTHENTICATION_METHOD(0x8C, CONNACK, DISCONNECT),
    KEEP_ALIVE_TIMEOUT(0x8D, DISCONNECT),
    SESSION_TAKEN_OVER(0x8E, DISCONNECT),
    TOPIC_FILTER_INVALID(0x8F, SUBACK, UNSUBACK, DISCONNECT),
    TOPIC_NAME_INVALID(0x90, CONNACK, PUBACK, PUBREC, DISCONNECT),
    PACKET_IDENTIFIER_IN_USE(0x91, PUBACK, PUBREC, SUBACK, UNSUBACK),
    PACKET_IDENTIFIER_NOT_FOUND(0x92, PUBREL, PUBCOMP),
    RECEIVE_MAXIMUM_EXCEEDED(0x93, DISCONNECT),
    TOPIC_ALIAS_INVALID(0x94, DISCONNECT),
    PACKET_TOO_LARGE(0x95, CONNACK, DISCONNECT),
    MESSAGE_RATE_TOO_HIGH(0x96, DISCONNECT),
    QUOTA_EXCEEDED(0x97, CONNACK, PUBACK, PUBREC, SUBACK, DISCONNECT),
    ADMINISTRATIVE_ACTION(0x98, DISCONNECT),
    PAYLOAD_FORMAT_INVALID(0x99, CONNACK, PUBACK, PUBREC, DISCONNECT),
    RETAIN_NOT_SUPPORTED(0x9A, CONNACK, DISCONNECT),
    QOS_NOT_SUPPORTED(0x9B, CONNACK, DISCONNECT),
    USE_ANOTHER_SERVER(0x9C, CONNACK, DISCONNECT),
    SERVER_MOVED(0x9D, CONNACK, DISCONNECT),
    SHARED_SUBSCRIPTIONS_NOT_SUPPORTED(0x9E, SUBACK, DISCONNECT),
    CONNECTION_RATE_EXCEEDED(0x9F, CONNACK, DISCONNECT),
    MAXIMUM_CONNECT_TIME(0xA0, DISCONNECT),
    SUBSCRIPTION_IDENTIFIERS_NOT_SUPPORTED(0xA1, SUBACK, DISCONNECT),
    WILDCARD_SUBSCRIPTIONS_NOT_SUPPORTED(0xA2, SUBACK, DISCONNECT);

    /** Per packet type value, the codes valid in it indexed by their byte value. */
    private static final ReasonCode[][] BY_PACKET = new ReasonCode[16][256];

    static {
        for (ReasonCode rc : values()) {
            for (int t = 0; t < 16; t++) {
                if ((rc.packetMask & (1 << t)) != 0) {
                    BY_PACKET[t][rc.value] = rc;
                }
            }
        }
    }

    private final int value;
    private final int packetMask;

    ReasonCode(int value, PacketType... packets) {
        this.value = value;
        int mask = 0;
        for (PacketType p : packets) {
            mask |= 1 << p.value();
        }
        this.packetMask = mask;
    }

    /** The byte on the wire. */
    public int value() {
        return value;
    }

    /** True for codes of 0x80 and above, which report a failure. */
    public boolean isError() {
        return value >= 0x80;
    }

    /** True when this code may appear in a packet of the given type. */
    public boolean isValidFor(PacketType type) {
        return (packetMask & (1 << type.value())) != 0;
    }

    /** The reason code with this value in this packet type, or {@code null} when it is not one of that packet's codes. */
    public static ReasonCode of(int value, PacketType type) {
        return value >= 0 && value < 256 ? BY_PACKET[type.value()][value] : null;
    }

    /** The SUBACK code granting a QoS. */
    public static ReasonCode granted(Qos qos) {
        return switch (qos) {
            case AT_MOST_ONCE -> GRANTED_QOS_0;
            case AT_LEAST_ONCE -> GRANTED_QOS_1;
            case EXACTLY_ONCE -> GRANTED_QOS_2;
        };
    }

    /**
     * The MQTT 3.1/3.1.1 CONNACK return code closest to this reason: 0 accepted, 1 unacceptable protocol
     * version, 2 identifier rejected, 3 server unavailable, 4 bad user name or password, 5 not authorized.
     */
    public int v3ConnAckCode() {
        return switch (this) {
            case SUCCESS -> 0;
            case UNSUPPORTED_PROTOCOL_VERSION -> 1;
            case CLIENT_IDENTIFIER_NOT_VALID -> 2;
            case BAD_USER_NAME_OR_PASSWORD, BAD_AUTHENTICATION_METHOD -> 4;
            case NOT_AUTHORIZED, BANNED -> 5;
            default -> 3;
        };
    }

    /** The reason code for an MQTT 3.1/3.1.1 CONNACK return code, or {@code null} for a value above 5. */
    public static ReasonCode ofV3ConnAckCode(int code) {
        return switch (code) {
            case 0 -> SUCCESS;
            case 1 -> UNSUPPORTED_PROTOCOL_VERSION;
            case 2 -> CLIENT_IDENTIFIER_NOT_VALID;
            case 3 -> SERVER_UNAVAILABLE;
            case 4 -> BAD_USER_NAME_OR_PASSWORD;
            case 5 -> NOT_AUTHORIZED;
            default -> null;
        };
    }

    /** The MQTT 3.1.1 SUBACK return code for this reason: the granted QoS, or 0x80 for any failure. */
    public int v3SubAckCode() {
        return isError() ? 0x80 : value;
    }

    /** The reason in its spec wording, for logs: {@code 0x87 Not authorized}. */
    public String describe() {
        String words = name().charAt(0) + name().substring(1).toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
        return String.format("0x%02X %s", value, words);
    }
}
