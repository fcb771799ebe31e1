package io.mast.codec.packet;

import io.mast.codec.PacketType;

/** PINGRESP. */
public record PingResp() implements MqttPacket {

    /** The only instance needed. */
    public static final PingResp INSTANCE = new PingResp();

    @Override
    public PacketType type() {
        return PacketType.PINGRESP;
    }
}
