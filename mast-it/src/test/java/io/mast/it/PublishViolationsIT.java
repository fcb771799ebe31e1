package io.mast.it;

import static io.mast.it.RawProtocol.TIMEOUT;
import static io.mast.it.RawProtocol.assertClosedWithoutAnswer;
import static io.mast.it.RawProtocol.assertDisconnected;
import static io.mast.it.RawProtocol.bytes;
import static io.mast.it.RawProtocol.connected;
import static io.mast.it.RawProtocol.hex;
import static io.mast.it.RawProtocol.lengthPrefixed;
import static io.mast.it.RawProtocol.packet;
import static io.mast.it.RawProtocol.props;
import static io.mast.it.RawProtocol.u16;
import static io.mast.it.RawProtocol.utf8;
import static io.mast.it.RawProtocol.vbi;
import static org.assertj.core.api.Assertions.assertThat;

import io.mast.codec.MqttProperties;
import io.mast.codec.MqttVersion;
import io.mast.codec.Qos;
import io.mast.codec.ReasonCode;
import io.mast.codec.packet.ConnAck;
import io.mast.codec.packet.Connect;
import io.mast.codec.packet.PingReq;
import io.mast.codec.packet.PingResp;
import io.mast.codec.packet.PubAck;
import io.mast.codec.packet.SubAck;
import io.mast.codec.packet.Subscribe;
import io.mast.codec.packet.Subscription;
import io.mast.testkit.MastBrokerExtension;
import io.mast.testkit.RawMqttClient;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * PUBLISH from a connected client that breaks the protocol: MQTT 5.0 clients get a DISCONNECT with the reason code the
 * specification names, then the connection closes; MQTT 3.1.1 clients are disconnected without an answer. The
 * broker's Topic Alias Maximum is its default, 10.
 */
class PublishViolationsIT {

    @RegisterExtension
    static final MastBrokerExtension broker = MastBrokerExtension.create();

    private static final byte[] NO_PROPS = props();
    private static final byte[] PAYLOAD = bytes('h', 'i');

    @AfterEach
    void brokerStillServesOtherClients() throws IOException {
        RawProtocol.assertStillServing(broker.port());
    }

    private RawMqttClient v5() throws IOException {
        return connected(broker.port(), MqttVersion.MQTT_5);
    }

    private RawMqttClient v311() throws IOException {
        return connected(broker.port(), MqttVersion.MQTT_3_1_1);
    }

    // ---- Fixed header ----

    /** MQTT-3.3.1-4: both QoS bits set is a Malformed Packet: DISCONNECT 0x81. */
    @Test
    void qos3IsMalformed() throws IOException {
        try (RawMqttClient c = v5()) {
            c.send(packet(0x36, utf8("a/b"), u16(1), NO_PROPS, PAYLOAD));
            assertDisconnected(c, ReasonCode.MALFORMED_PACKET);
        }
    }

    /** 3.1.1 MQTT-3.3.1-4: QoS 3 closes the connection. */
    @Test
    void qos3OnMqtt311ClosesTheConnection() throws IOException {
        try (RawMqttClient c = v311()) {
            c.send(packet(0x36, utf8("a/b"), u16(1), PAYLOAD));
            assertClosedWithoutAnswer(c);
        }
    }

    /** MQTT-3.3.1-2: DUP must be 0 on QoS 0; Mast treats the bad fixed header as malformed: DISCONNECT 0x81. */
    @Test
    void dupOnQos0IsMalformed() throws IOException {
        try (RawMqttClient c = v5()) {
            c.send(packet(0x38, utf8("a/b"), NO_PROPS, PAYLOAD));
            assertDisconnected(c, ReasonCode.MALFORMED_PACKET);
        }
    }

    // ---- Topic name ----

    /** MQTT-3.3.2-2: a topic name with a wildcard: DISCONNECT 0x90 (Topic Name invalid). */
    @ParameterizedTest(name = "topic {0}")
    @ValueSource(strings = {"a/+", "a/#", "#", "+", "a+b"})
    void wildcardInTopicNameIsTopicNameInvalid(String topic) throws IOException {
        try (RawMqttClient c = v5()) {
            c.send(packet(0x30, utf8(topic), NO_PROPS, PAYLOAD));
            assertDisconnected(c, ReasonCode.TOPIC_NAME_INVALID);
        }
    }

    /** 3.1.1 MQTT-3.3.2-2: a wildcard in the topic name closes the connection. */
    @Test
    void wildcardInTopicNameOnMqtt311ClosesTheConnection() throws IOException {
        try (RawMqttClient c = v311()) {
            c.send(packet(0x30, utf8("a/#"), PAYLOAD));
            assertClosedWithoutAnswer(c);
        }
    }

    /** MQTT-1.5.4-1: a topic name that is not well-formed UTF-8: DISCONNECT 0x81. */
    @ParameterizedTest(name = "bytes {0}")
    @ValueSource(strings = {"61 2f c3 28", "61 2f ed b0 80", "61 00 62"})
    void topicNameThatIsNotUtf8IsMalformed(String topic) throws IOException {
        try (RawMqttClient c = v5()) {
            c.send(packet(0x30, lengthPrefixed(hex(topic)), NO_PROPS, PAYLOAD));
            assertDisconnected(c, ReasonCode.MALFORMED_PACKET);
        }
    }

    /** 3.1.1 MQTT-1.5.3-2: U+0000 in a topic name closes the connection. */
    @Test
    void nulInTopicNameOnMqtt311ClosesTheConnection() throws IOException {
        try (RawMqttClient c = v311()) {
            c.send(packet(0x30, lengthPrefixed(hex("61 00 62")), PAYLOAD));
            assertClosedWithoutAnswer(c);
        }
    }

    /** 3.3.2.1: an empty topic name without a Topic Alias is a Protocol Error: DISCONNECT 0x82. */
    @Test
    void emptyTopicNameWithoutAliasIsAProtocolError() throws IOException {
        try (RawMqttClient c = v5()) {
            c.send(packet(0x30, utf8(""), NO_PROPS, PAYLOAD));
            assertDisconnected(c, ReasonCode.PROTOCOL_ERROR);
        }
    }

    /** 3.1.1 MQTT-4.7.3-1: topic names are at least one character long: the connection is closed. */
    @Test
    void emptyTopicNameOnMqtt311ClosesTheConnection() throws IOException {
        try (RawMqttClient c = v311()) {
            c.send(packet(0x30, utf8(""), PAYLOAD));
            assertClosedWithoutAnswer(c);
        }
    }

    // ---- Packet identifier ----

    /** MQTT-2.2.1-3: a QoS 1 PUBLISH needs a non-zero packet identifier; 0 is a Protocol Error: DISCONNECT 0x82. */
    @Test
    void packetIdentifierZeroIsAProtocolError() throws IOException {
        try (RawMqttClient c = v5()) {
            c.send(packet(0x32, utf8("a/b"), u16(0), NO_PROPS, PAYLOAD));
            assertDisconnected(c, ReasonCode.PROTOCOL_ERROR);
        }
    }

    /** 3.1.1 MQTT-2.3.1-1: packet identifier 0 on QoS 2 closes the connection. */
    @Test
    void packetIdentifierZeroOnMqtt311ClosesTheConnection() throws IOException {
        try (RawMqttClient c = v311()) {
            c.send(packet(0x34, utf8("a/b"), u16(0), PAYLOAD));
            assertClosedWithoutAnswer(c);
        }
    }

    // ---- Topic aliases ----

    /** MQTT-3.3.2-8: a Topic Alias of 0: DISCONNECT 0x94 (Topic Alias invalid). */
    @Test
    void topicAliasZeroIsInvalid() throws IOException {
        try (RawMqttClient c = v5()) {
            c.send(packet(0x30, utf8("a/b"), props(bytes(0x23, 0, 0)), PAYLOAD));
            assertDisconnected(c, ReasonCode.TOPIC_ALIAS_INVALID);
        }
    }

    /** MQTT-3.3.2-9: a Topic Alias above the Topic Alias Maximum of the CONNACK: DISCONNECT 0x94. */
    @Test
    void topicAliasAboveTheMaximumIsInvalid() throws IOException {
        try (RawMqttClient c = RawMqttClient.connect(broker.port(), MqttVersion.MQTT_5)) {
            c.send(new Connect(MqttVersion.MQTT_5, true, 60, "alias-max", null, null, null, MqttProperties.EMPTY));
            ConnAck ack = c.expect(ConnAck.class, TIMEOUT);
            assertThat(ack.reasonCode()).isEqualTo(ReasonCode.SUCCESS);
            int max = ack.properties().topicAliasMaximum();
            assertThat(max).isEqualTo(10);
            c.send(packet(0x30, utf8("a/b"), props(bytes(0x23, 0, max + 1)), PAYLOAD));
            assertDisconnected(c, ReasonCode.TOPIC_ALIAS_INVALID);
        }
    }

    /** 3.3.2.3.4: an empty topic with an alias the client never set is a Protocol Error: DISCONNECT 0x82. */
    @Test
    void unknownTopicAliasWithEmptyTopicIsAProtocolError() throws IOException {
        try (RawMqttClient c = v5()) {
            c.send(packet(0x30, utf8(""), props(bytes(0x23, 0, 5)), PAYLOAD));
            assertDisconnected(c, ReasonCode.PROTOCOL_ERROR);
        }
    }

    // ---- Properties ----

    /**
     * MQTT-3.3.2-6 / 3.3.2.3.2: a payload marked UTF-8 that is not, at QoS 1: PUBACK 0x99; the message is not
     * delivered and the connection stays open.
     */
    @Test
    void payloadNotMatchingFormatIndicatorAtQos1IsRefusedInPuback() throws IOException {
        try (RawMqttClient c = v5()) {
            c.send(new Subscribe(1, List.of(new Subscription("format/+", Qos.AT_LEAST_ONCE)), MqttProperties.EMPTY));
            assertThat(c.expect(SubAck.class, TIMEOUT).reasonCodes()).containsExactly(ReasonCode.GRANTED_QOS_1);

            c.send(packet(0x32, utf8("format/a"), u16(9), props(bytes(0x01, 0x01)), bytes(0x61, 0xC3, 0x28)));
            PubAck ack = c.expect(PubAck.class, TIMEOUT);
            assertThat(ack.packetId()).isEqualTo(9);
            assertThat(ack.reasonCode()).isEqualTo(ReasonCode.PAYLOAD_FORMAT_INVALID);

            // Still connected, and the refused message was not delivered to the matching subscription.
            c.send(PingReq.INSTANCE);
            assertThat(c.read(TIMEOUT)).isEqualTo(PingResp.INSTANCE);
        }
    }

    /** MQTT-3.3.2-6 / 3.3.2.3.2: the same at QoS 0, which has no acknowledgement: DISCONNECT 0x99. */
    @Test
    void payloadNotMatchingFormatIndicatorAtQos0Disconnects() throws IOException {
        try (RawMqttClient c = v5()) {
            c.send(packet(0x30, utf8("format/a"), props(bytes(0x01, 0x01)), bytes(0xFF, 0xFE)));
            assertDisconnected(c, ReasonCode.PAYLOAD_FORMAT_INVALID);
        }
    }

    /** MQTT-3.3.4-6: a PUBLISH from a client must not carry a Subscription Identifier: DISCONNECT 0x82. */
    @Test
    void subscriptionIdentifierFromClientIsAProtocolError() throws IOException {
        try (RawMqttClient c = v5()) {
            c.send(packet(0x30, utf8("a/b"), props(bytes(0x0B, 0x01)), PAYLOAD));
            assertDisconnected(c, ReasonCode.PROTOCOL_ERROR);
        }
    }

    /** 3.3.2.3.2: the Payload Format Indicator more than once is a Protocol Error: DISCONNECT 0x82. */
    @Test
    void duplicatePropertyIsAProtocolError() throws IOException {
        try (RawMqttClient c = v5()) {
            c.send(packet(0x30, utf8("a/b"), props(bytes(0x01, 0x00), bytes(0x01, 0x00)), PAYLOAD));
            assertDisconnected(c, ReasonCode.PROTOCOL_ERROR);
        }
    }

    /** 2.2.2.2: a property not valid for PUBLISH (Session Expiry Interval) is a Malformed Packet: DISCONNECT 0x81. */
    @Test
    void propertyNotAllowedInPublishIsMalformed() throws IOException {
        try (RawMqttClient c = v5()) {
            c.send(packet(0x30, utf8("a/b"), props(bytes(0x11, 0, 0, 0, 1)), PAYLOAD));
            assertDisconnected(c, ReasonCode.MALFORMED_PACKET);
        }
    }

    /** 2.2.2.1: a Property Length running past the end of the packet: DISCONNECT 0x81. */
    @Test
    void propertyLengthPastTheEndOfThePacketIsMalformed() throws IOException {
        try (RawMqttClient c = v5()) {
            c.send(packet(0x30, utf8("a/b"), vbi(20), bytes(0x01, 0x01)));
            assertDisconnected(c, ReasonCode.MALFORMED_PACKET);
        }
    }
}
