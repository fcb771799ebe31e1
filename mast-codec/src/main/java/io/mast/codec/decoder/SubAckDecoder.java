package io.mast.codec.decoder;

import static io.mast.codec.decoder.MalformedPacketException.malformed;
import static io.mast.codec.decoder.MalformedPacketException.protocolError;

import io.mast.codec.MqttProperties;
import io.mast.codec.MqttVersion;
import io.mast.codec.PacketType;
import io.mast.codec.ReasonCode;
import io.mast.codec.packet.SubAck;
import java.util.ArrayList;
import java.util.List;

/** Decodes SUBACK (3.1.1 section 3.9, 5.0 section 3.9). */
public final class SubAckDecoder {

    private SubAckDecoder() {
    }

    public static SubAck decode(MqttReader in, MqttVersion version) throws MalformedPacketException {
        int packetId = in.readUnsignedShort("packet identifier");
        if (packetId == 0) {
            throw protocolError("SUBACK with packet identifier 0");
        }
        MqttProperties properties = version.isV5() ? in.readProperties(PacketType.SUBACK) : MqttProperties.EMPTY;
        List<ReasonCode> codes = new ArrayList<>(in.remaining());
        while (in.remaining() > 0) {
            int code = in.readUnsignedByte("reason code");
            ReasonCode reason = version.isV5() || code <= 2 || code == 0x80
                    ? ReasonCode.of(code, PacketType.SUBACK)
                    : null;
            if (reason == null) {
                throw malformed(String.format("0x%02X is not a SUBACK reason code", code));
            }
            codes.add(reason);
        }
        if (codes.isEmpty()) {
            throw protocolError("SUBACK without reason codes");
        }
        return new SubAck(packetId, codes, properties);
    }
}
