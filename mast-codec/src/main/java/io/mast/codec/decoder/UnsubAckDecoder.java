package io.mast.codec.decoder;

import static io.mast.codec.decoder.MalformedPacketException.malformed;
import static io.mast.codec.decoder.MalformedPacketException.protocolError;

import io.mast.codec.MqttProperties;
import io.mast.codec.MqttVersion;
import io.mast.codec.PacketType;
import io.mast.codec.ReasonCode;
import io.mast.codec.packet.UnsubAck;
import java.util.ArrayList;
import java.util.List;

/** Decodes UNSUBACK (3.1.1 section 3.11, 5.0 section 3.11). */
public final class UnsubAckDecoder {

    private UnsubAckDecoder() {
    }

    public static UnsubAck decode(MqttReader in, MqttVersion version) throws MalformedPacketException {
        int packetId = in.readUnsignedShort("packet identifier");
        if (packetId == 0) {
            throw protocolError("UNSUBACK with packet identifier 0");
        }
        if (!version.isV5()) {
            if (in.remaining() != 0) {
                throw malformed(in.remaining() + " bytes after the end of UNSUBACK");
            }
            return new UnsubAck(packetId, List.of(), MqttProperties.EMPTY);
        }
        MqttProperties properties = in.readProperties(PacketType.UNSUBACK);
        List<ReasonCode> codes = new ArrayList<>(in.remaining());
        while (in.remaining() > 0) {
            int code = in.readUnsignedByte("reason code");
            ReasonCode reason = ReasonCode.of(code, PacketType.UNSUBACK);
            if (reason == null) {
                throw malformed(String.format("0x%02X is not an UNSUBACK reason code", code));
            }
            codes.add(reason);
        }
        if (codes.isEmpty()) {
            throw protocolError("UNSUBACK without reason codes");
        }
        return new UnsubAck(packetId, codes, properties);
    }
}
