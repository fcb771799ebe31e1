package io.mast.codec.packet;

import io.mast.codec.MqttProperties;
import io.mast.codec.ReasonCode;

/** The four packets of the QoS 1 and 2 flows share one shape: a packet identifier, a reason code, properties. */
public sealed interface PublishAcknowledgement extends MqttPacket permits PubAck, PubRec, PubRel, PubComp {

    /** The packet identifier being acknowledged. */
    int packetId();

    /** The outcome. */
    ReasonCode reasonCode();

    /** MQTT 5.0 properties. */
    MqttProperties properties();
}
