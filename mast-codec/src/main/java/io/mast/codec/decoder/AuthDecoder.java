package io.mast.codec.decoder;

import static io.mast.codec.decoder.MalformedPacketException.malformed;
import static io.mast.codec.decoder.MalformedPacketException.protocolError;

import io.mast.codec.MqttProperties;
import io.mast.codec.PacketType;
import io.mast.codec.ReasonCode;
import io.mast.codec.packet.Auth;

/** Decodes AUTH (5.0 section 3.15). */
public final class AuthDecoder {

    private AuthDecoder() {
    }

    public static Auth decode(MqttReader in) throws MalformedPacketException {
        if (in.remaining() == 0) {
            return new Auth(ReasonCode.SUCCESS, MqttProperties.EMPTY);
        }
        int code = in.readUnsignedByte("reason code");
        ReasonCode reason = ReasonCode.of(code, PacketType.AUTH);
        if (reason == null) {
            throw malformed(String.format("0x%02X is not an AUTH reason code", code));
        }
        MqttProperties properties = in.remaining() > 0 ? in.readProperties(PacketType.AUTH) : MqttProperties.EMPTY;
        if (in.remaining() != 0) {
            throw malformed(in.remaining() + " bytes after the end of AUTH");
        }
        if (properties.authenticationMethod() == null) {
            throw protocolError("AUTH without an authentication method");
        }
        return new Auth(reason, properties);
    }
}
