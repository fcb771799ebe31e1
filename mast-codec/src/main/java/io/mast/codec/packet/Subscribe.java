package io.mast.codec.packet;

import io.mast.codec.MqttProperties;
import io.mast.codec.PacketType;
import java.util.List;
import java.util.Objects;

/**
 * SUBSCRIBE.
 *
 * @param packetId      the packet identifier
 * @param subscriptions the topic filters with their options, at least one
 * @param properties    MQTT 5.0 properties (subscription identifier, user properties)
 */
public record Subscribe(int packetId, List<Subscription> subscriptions, MqttProperties properties) implements MqttPacket {

    public Subscribe {
        subscriptions = List.copyOf(subscriptions);
        Objects.requireNonNull(properties, "properties");
    }

    @Override
    public PacketType type() {
        return PacketType.SUBSCRIBE;
    }
}
