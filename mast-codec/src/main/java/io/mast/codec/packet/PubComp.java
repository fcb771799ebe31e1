package io.mast.codec.packet;

import io.mast.codec.MqttProperties;
import io.mast.codec.PacketType;
import io.mast.codec.ReasonCode;
import java.util.Objects;

/**
 * PUBCOMP: the completion of a QoS 2 exchange, answering PUBREL.
 *
 * @param packetId   the packet identifier being acknowledged
 * @param reasonCode the outcome ({@link ReasonCode#SUCCESS} for MQTT 3.1.1)
 * @param properties MQTT 5.0 properties
 */
public record PubComp(int packetId, ReasonCode reasonCode, MqttProperties properties) implements PublishAcknowledgement {

    public PubComp {
        Objects.requireNonNull(reasonCode, "reasonCode");
        Objects.requireNonNull(properties, "properties");
    }

    /** A successful acknowledgement without properties. */
    public PubComp(int packetId) {
        this(packetId, ReasonCode.SUCCESS, MqttProperties.EMPTY);
    }

    @Override
    public PacketType type() {
        return PacketType.PUBCOMP;
    }
}
