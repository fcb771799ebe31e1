package io.mast.codec.packet;

import io.mast.codec.PacketType;

/** PINGREQ. */
public record PingReq() implements MqttPacket {

    /** The only instance needed. */
    public static final PingReq INSTANCE = new PingReq();

    @Override
    public PacketType type() {
        return PacketType.PINGREQ;
    }
}
