package io.mast.codec.packet;

import io.mast.codec.PacketType;

/** An MQTT control packet. Every implementation is an immutable record. */
public sealed interface MqttPacket
        permits Connect, ConnAck, Publish, PublishAcknowledgement, Subscribe, SubAck, Unsubscribe, UnsubAck,
        PingReq, PingResp, Disconnect, Auth {

    /** The packet's type. */
    PacketType type();
}
