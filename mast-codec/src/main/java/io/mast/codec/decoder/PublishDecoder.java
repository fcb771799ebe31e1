package io.mast.codec.decoder;

import static io.mast.codec.decoder.MalformedPacketException.malformed;
import static io.mast.codec.decoder.MalformedPacketException.protocolError;

import io.mast.codec.MqttProperties;
import io.mast.codec.MqttVersion;
import io.mast.codec.PacketType;
import io.mast.codec.Qos;
import io.mast.codec.ReasonCode;
import io.mast.codec.packet.Publish;

/**
 * Decodes PUBLISH (3.1.1 section 3.3, 5.0 section 3.3). A topic alias is passed through: resolving it needs the
 * connection's alias map, which the receiver owns.
 */
public final class PublishDecoder {

    private PublishDecoder() {
    }

    /**
     * @param flags       the fixed-header flags (DUP, QoS, RETAIN)
     * @param fromClient  true on the server side: a client must not send Subscription Identifiers
     */
    public static Publish decode(MqttReader in, int flags, MqttVersion version, boolean fromClient)
            throws MalformedPacketException {
        boolean dup = (flags & 0x08) != 0;
        Qos qos = Qos.ofLevel((flags >> 1) & 0x03);
        boolean retain = (flags & 0x01) != 0;
        if (qos == null) {
            throw malformed("PUBLISH with QoS 3");
        }
        if (qos == Qos.AT_MOST_ONCE && dup) {
            throw malformed("DUP set on a QoS 0 PUBLISH");
        }
        String topic = in.readUtf8("topic name");
        if (WireTopics.hasWildcard(topic)) {
            throw new MalformedPacketException(version.isV5() ? ReasonCode.TOPIC_NAME_INVALID : ReasonCode.MALFORMED_PACKET,
                    "topic name '" + topic + "' contains a wildcard");
        }
        int packetId = 0;
        if (qos != Qos.AT_MOST_ONCE) {
            packetId = in.readUnsignedShort("packet identifier");
            if (packetId == 0) {
                throw protocolError("QoS " + qos.level() + " PUBLISH with packet identifier 0");
            }
        }
        MqttProperties properties = MqttProperties.EMPTY;
        if (version.isV5()) {
            properties = in.readProperties(PacketType.PUBLISH);
            if (fromClient && !properties.subscriptionIdentifiers().isEmpty()) {
                throw protocolError("a client PUBLISH carries a subscription identifier");
            }
            if (topic.isEmpty() && properties.topicAlias() == null) {
                throw protocolError("empty topic name without a topic alias");
            }
            if (properties.responseTopic() != null && !WireTopics.isTopicName(properties.responseTopic())) {
                throw protocolError("response topic '" + properties.responseTopic() + "' is not a valid topic name");
            }
        } else if (topic.isEmpty()) {
            throw malformed("empty topic name");
        }
        byte[] payload = in.readRemaining();
        return new Publish(dup, qos, retain, topic, packetId, properties, payload);
    }
}
