package io.mast.codec.decoder;

import static io.mast.codec.decoder.MalformedPacketException.malformed;

import io.mast.codec.MqttProperties;
import io.mast.codec.MqttVersion;
import io.mast.codec.PacketType;
import io.mast.codec.ReasonCode;
import io.mast.codec.packet.ConnAck;

/** Decodes CONNACK (3.1.1 section 3.2, 5.0 section 3.2). */
public final class ConnAckDecoder {

    private ConnAckDecoder() {
    }

    public static ConnAck decode(MqttReader in, MqttVersion version) throws MalformedPacketException {
        int ackFlags = in.readUnsignedByte("acknowledge flags");
        if ((ackFlags & 0xFE) != 0) {
            throw malformed("reserved acknowledge flags are set");
        }
        boolean sessionPresent = (ackFlags & 0x01) != 0;
        int code = in.readUnsignedByte("reason code");
        ReasonCode reason = version.isV5() ? ReasonCode.of(code, PacketType.CONNACK) : ReasonCode.ofV3ConnAckCode(code);
        if (reason == null) {
            throw malformed(String.format("0x%02X is not a CONNACK reason code", code));
        }
        if (sessionPresent && reason.isError()) {
            throw malformed("session present with a refused connection");
        }
        MqttProperties properties = version.isV5() && in.remaining() > 0
                ? in.readProperties(PacketType.CONNACK)
                : MqttProperties.EMPTY;
        if (in.remaining() != 0) {
            throw malformed(in.remaining() + " bytes after the end of CONNACK");
        }
        return new ConnAck(sessionPresent, reason, properties);
    }
}
