package io.mast.codec.decoder;

import static io.mast.codec.decoder.MalformedPacketException.malformed;
import static io.mast.codec.decoder.MalformedPacketException.protocolError;

import io.mast.codec.MqttProperties;
import io.mast.codec.MqttVersion;
import io.mast.codec.PacketType;
import io.mast.codec.ReasonCode;
import io.mast.codec.packet.PubAck;
import io.mast.codec.packet.PubComp;
import io.mast.codec.packet.PubRec;
import io.mast.codec.packet.PubRel;
import io.mast.codec.packet.PublishAcknowledgement;

/**
 * Decodes PUBACK, PUBREC, PUBREL and PUBCOMP, which share one layout (5.0 sections 3.4 to 3.7): a packet
 * identifier, then on 5.0 an optional reason code (absent = success) and optional properties.
 */
public final class PublishAcknowledgementDecoder {

    private PublishAcknowledgementDecoder() {
    }

    public static PublishAcknowledgement decode(MqttReader in, PacketType type, MqttVersion version)
            throws MalformedPacketException {
        int packetId = in.readUnsignedShort("packet identifier");
        if (packetId == 0) {
            throw protocolError(type + " with packet identifier 0");
        }
        ReasonCode reason = ReasonCode.SUCCESS;
        MqttProperties properties = MqttProperties.EMPTY;
        if (version.isV5()) {
            if (in.remaining() > 0) {
                int code = in.readUnsignedByte("reason code");
                reason = ReasonCode.of(code, type);
                if (reason == null) {
                    throw malformed(String.format("0x%02X is not a %s reason code", code, type));
                }
            }
            if (in.remaining() > 0) {
                properties = in.readProperties(type);
            }
        }
        if (in.remaining() != 0) {
            throw malformed(in.remaining() + " bytes after the end of " + type);
        }
        return switch (type) {
            case PUBACK -> new PubAck(packetId, reason, properties);
            case PUBREC -> new PubRec(packetId, reason, properties);
            case PUBREL -> new PubRel(packetId, reason, properties);
            case PUBCOMP -> new PubComp(packetId, reason, properties);
            default -> throw new IllegalArgumentException(type + " is not a publish acknowledgement");
        };
    }
}
