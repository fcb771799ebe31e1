package io.mast.codec.packet;

import io.mast.codec.MqttProperties;
import io.mast.codec.PacketType;
import io.mast.codec.ReasonCode;
import java.util.Objects;

/**
 * CONNACK. For MQTT 3.1.1 the reason code is mapped to a return code by the encoder.
 *
 * @param sessionPresent whether the server resumed a session
 * @param reasonCode     the outcome
 * @param properties     MQTT 5.0 properties
 */
public record ConnAck(boolean sessionPresent, ReasonCode reasonCode, MqttProperties properties) implements MqttPacket {

    public ConnAck {
        Objects.requireNonNull(reasonCode, "reasonCode");
        Objects.requireNonNull(properties, "properties");
    }

    @Override
    public PacketType type() {
        return PacketType.CONNACK;
    }
}
