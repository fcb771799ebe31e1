package io.mast.codec.decoder;

import io.mast.codec.ReasonCode;

/**
 * Thrown by the packet decoders on bad input and caught by {@link io.mast.codec.MqttDecoder}, which turns it into
 * a {@link io.mast.codec.DecodeFailure}; it never reaches Netty. It carries no stack trace: it is an outcome, not a bug.
 */
public final class MalformedPacketException extends Exception {

    private final ReasonCode reasonCode;

    public MalformedPacketException(ReasonCode reasonCode, String message) {
        super(message, null, false, false);
        this.reasonCode = reasonCode;
    }

    /** A Malformed Packet (0x81). */
    public static MalformedPacketException malformed(String message) {
        return new MalformedPacketException(ReasonCode.MALFORMED_PACKET, message);
    }

    /** A Protocol Error (0x82). */
    public static MalformedPacketException protocolError(String message) {
        return new MalformedPacketException(ReasonCode.PROTOCOL_ERROR, message);
    }

    /** The reason code the peer is told. */
    public ReasonCode reasonCode() {
        return reasonCode;
    }
}
