package io.mast.codec.packet;

import io.mast.codec.MqttProperties;
import io.mast.codec.PacketType;
import io.mast.codec.ReasonCode;
import java.util.Objects;

/**
 * AUTH (MQTT 5.0 only): a step of enhanced authentication.
 *
 * @param reasonCode {@link ReasonCode#SUCCESS}, {@link ReasonCode#CONTINUE_AUTHENTICATION} or
 *                   {@link ReasonCode#RE_AUTHENTICATE}
 * @param properties the authentication method and data, reason string, user properties
 */
public record Auth(ReasonCode reasonCode, MqttProperties properties) implements MqttPacket {

    public Auth {
        Objects.requireNonNull(reasonCode, "reasonCode");
        Objects.requireNonNull(properties, "properties");
    }

    @Override
    public PacketType type() {
        return PacketType.AUTH;
    }
}
