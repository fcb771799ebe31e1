package io.mast.codec.packet;

import io.mast.codec.MqttProperties;
import io.mast.codec.PacketType;
import io.mast.codec.ReasonCode;
import java.util.Objects;

/**
 * PUBACK: the acknowledgement of a QoS 1 PUBLISH.
 *
 * @param packetId   the packet identifier being acknowledged
 * @param reasonCode the outcome ({@link ReasonCode#SUCCESS} for MQTT 3.1.1)
 * @param properties MQTT 5.0 properties
 */
public record PubAck(int packetId, ReasonCode reasonCode, MqttProperties properties) implements PublishAcknowledgement {

    public PubAck {
        Objects.requireNonNull(reasonCode, "reasonCode");
        Objects.requireNonNull(properties, "properties");
    }

    /** A successful acknowledgement without properties. */
    public PubAck(int packetId) {
        this(packetId, ReasonCode.SUCCESS, MqttProperties.EMPTY);
    }

    @Override
    public PacketType type() {
        return PacketType.PUBACK;
    }
}
