package io.mast.codec;

/**
 * What the decoder emits instead of a packet when the input breaks the protocol. After a failure the decoder
 * discards all further input: the connection must be closed, after sending the answer the reason calls for
 * (a CONNACK before the connection is established, a DISCONNECT on MQTT 5.0 afterwards).
 *
 * @param reasonCode the MQTT 5.0 reason: {@link ReasonCode#MALFORMED_PACKET}, {@link ReasonCode#PROTOCOL_ERROR},
 *                   {@link ReasonCode#PACKET_TOO_LARGE}, {@link ReasonCode#UNSUPPORTED_PROTOCOL_VERSION}, ...
 * @param message    what was wrong, for logs
 * @param packetType the type of the offending packet, or {@code null} when the fixed header was unreadable
 * @param version    the protocol version in use, or {@code null} when no valid CONNECT was seen
 */
public record DecodeFailure(ReasonCode reasonCode, String message, PacketType packetType, MqttVersion version) {

    @Override
    public String toString() {
        return reasonCode.describe() + (packetType == null ? "" : " in " + packetType) + ": " + message;
    }
}
