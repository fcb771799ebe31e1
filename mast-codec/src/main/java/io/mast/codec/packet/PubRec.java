package io.mast.codec.packet;

import io.mast.codec.MqttProperties;
import io.mast.codec.PacketType;
import io.mast.codec.ReasonCode;
import java.util.Objects;

/**
 * PUBREC: the first acknowledgement of a QoS 2 PUBLISH.
 *
 * @param packetId   the packet identifier being acknowledged
 * @param reasonCode the outcome ({@link ReasonCode#SUCCESS} for MQTT 3.1.1)
 * @param properties MQTT 5.0 properties
 */
public record PubRec(int packetId, ReasonCode reasonCode, MqttProperties properties) implements PublishAcknowledgement {

    public PubRec {
        Objects.requireNonNull(reasonCode, "reasonCode");
        Objects.requireNonNull(properties, "properties");
    }

    /** A successful acknowledgement without properties. */
    public PubRec(int packetId) {
        this(packetId, ReasonCode.SUCCESS, MqttProperties.EMPTY);
    }

    @Override
    public PacketType type() {
        return PacketType.PUBREC;
    }
}
