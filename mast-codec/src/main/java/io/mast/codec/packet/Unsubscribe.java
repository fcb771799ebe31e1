package io.mast.codec.packet;

import io.mast.codec.MqttProperties;
import io.mast.codec.PacketType;
import java.util.List;
import java.util.Objects;

/**
 * UNSUBSCRIBE.
 *
 * @param packetId     the packet identifier
 * @param topicFilters the filters to remove, at least one
 * @param properties   MQTT 5.0 properties
 */
public record Unsubscribe(int packetId, List<String> topicFilters, MqttProperties properties) implements MqttPacket {

    public Unsubscribe {
        topicFilters = List.copyOf(topicFilters);
        Objects.requireNonNull(properties, "properties");
    }

    @Override
    public PacketType type() {
        return PacketType.UNSUBSCRIBE;
    }
}
