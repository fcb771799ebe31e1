package io.mast.codec.packet;

import io.mast.codec.MqttProperties;
import io.mast.codec.PacketType;
import io.mast.codec.ReasonCode;
import java.util.Objects;

/**
 * DISCONNECT, from either side in MQTT 5.0, from the client only in 3.1.1.
 *
 * @param reasonCode why ({@link ReasonCode#NORMAL_DISCONNECTION} for 3.1.1)
 * @param properties MQTT 5.0 properties (session expiry, reason string, server reference)
 */
public record Disconnect(ReasonCode reasonCode, MqttProperties properties) implements MqttPacket {

    /** A normal disconnection without properties. */
    public static final Disconnect NORMAL = new Disconnect(ReasonCode.NORMAL_DISCONNECTION, MqttProperties.EMPTY);

    public Disconnect {
        Objects.requireNonNull(reasonCode, "reasonCode");
        Objects.requireNonNull(properties, "properties");
    }

    @Override
    public PacketType type() {
        return PacketType.DISCONNECT;
    }
}
