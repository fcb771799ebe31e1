package io.mast.codec.packet;

import io.mast.codec.MqttProperties;
import io.mast.codec.PacketType;
import io.mast.codec.Qos;
import java.util.Arrays;
import java.util.Objects;

/**
 * PUBLISH.
 *
 * @param dup        the DUP flag: a redelivery of a QoS 1 or 2 message
 * @param qos        the quality of service
 * @param retain     the RETAIN flag
 * @param topic      the topic name; empty when a 5.0 topic alias stands for it
 * @param packetId   the packet identifier, 0 for QoS 0
 * @param properties MQTT 5.0 properties
 * @param payload    the application message (read-only)
 */
public record Publish(boolean dup, Qos qos, boolean retain, String topic, int packetId, MqttProperties properties,
                      byte[] payload) implements MqttPacket {

    public Publish {
        Objects.requireNonNull(qos, "qos");
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(properties, "properties");
        Objects.requireNonNull(payload, "payload");
    }

    @Override
    public PacketType type() {
        return PacketType.PUBLISH;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Publish p && dup == p.dup && qos == p.qos && retain == p.retain && topic.equals(p.topic)
                && packetId == p.packetId && properties.equals(p.properties) && Arrays.equals(payload, p.payload);
    }

    @Override
    public int hashCode() {
        return Objects.hash(dup, qos, retain, topic, packetId, properties, Arrays.hashCode(payload));
    }

    @Override
    public String toString() {
        return "Publish[dup=" + dup + ", qos=" + qos + ", retain=" + retain + ", topic=" + topic + ", packetId="
                + packetId + ", properties=" + properties + ", payload=" + payload.length + " bytes]";
    }
}
