package io.mast.codec.packet;

import io.mast.codec.MqttProperties;
import io.mast.codec.PacketType;
import io.mast.codec.ReasonCode;
import java.util.List;
import java.util.Objects;

/**
 * UNSUBACK. MQTT 3.1.1 carries no reason codes: the list is empty there.
 *
 * @param packetId    the packet identifier of the UNSUBSCRIBE
 * @param reasonCodes one per filter (MQTT 5.0 only)
 * @param properties  MQTT 5.0 properties
 */
public record UnsubAck(int packetId, List<ReasonCode> reasonCodes, MqttProperties properties) implements MqttPacket {

    public UnsubAck {
        reasonCodes = List.copyOf(reasonCodes);
        Objects.requireNonNull(properties, "properties");
    }

    @Override
    public PacketType type() {
        return PacketType.UNSUBACK;
    }
}
