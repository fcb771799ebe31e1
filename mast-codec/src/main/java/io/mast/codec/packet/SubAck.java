package io.mast.codec.packet;

import io.mast.codec.MqttProperties;
import io.mast.codec.PacketType;
import io.mast.codec.ReasonCode;
import java.util.List;
import java.util.Objects;

/**
 * SUBACK: one reason code per topic filter of the SUBSCRIBE, in order.
 *
 * @param packetId    the packet identifier of the SUBSCRIBE
 * @param reasonCodes granted QoS or failure per filter
 * @param properties  MQTT 5.0 properties
 */
public record SubAck(int packetId, List<ReasonCode> reasonCodes, MqttProperties properties) implements MqttPacket {

    public SubAck {
        reasonCodes = List.copyOf(reasonCodes);
        Objects.requireNonNull(properties, "properties");
    }

    @Override
    public PacketType type() {
        return PacketType.SUBACK;
    }
}
