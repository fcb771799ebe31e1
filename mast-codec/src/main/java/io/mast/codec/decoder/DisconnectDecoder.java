package io.mast.codec.decoder;

import static io.mast.codec.decoder.MalformedPacketException.malformed;

import io.mast.codec.MqttProperties;
import io.mast.codec.MqttVersion;
import io.mast.codec.PacketType;
import io.mast.codec.ReasonCode;
import io.mast.codec.packet.Disconnect;

/** Decodes DISCONNECT (3.1.1 section 3.14, 5.0 section 3.14): on 5.0 an optional reason code and properties. */
public final class DisconnectDecoder {

    private DisconnectDecoder() {
    }

    public static Disconnect decode(MqttReader in, MqttVersion version) throws MalformedPacketException {
        if (!version.isV5() || in.remaining() == 0) {
            if (in.remaining() != 0) {
                throw malformed(in.remaining() + " bytes in a 3.1.1 DISCONNECT");
            }
            return Disconnect.NORMAL;
        }
        int code = in.readUnsignedByte("reason code");
        ReasonCode reason = ReasonCode.of(code, PacketType.DISCONNECT);
        if (reason == null) {
            throw malformed(String.format("0x%02X is not a DISCONNECT reason code", code));
        }
        MqttProperties properties = in.remaining() > 0 ? in.readProperties(PacketType.DISCONNECT) : MqttProperties.EMPTY;
        if (in.remaining() != 0) {
            throw malformed(in.remaining() + " bytes after the end of DISCONNECT");
        }
        return new Disconnect(reason, properties);
    }
}
