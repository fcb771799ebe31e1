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
import static org.assertj.core.api.Assertions.assertThat;

import io.mast.codec.MqttProperties;
import io.mast.codec.MqttVersion;
import io.mast.codec.Qos;
import io.mast.codec.ReasonCode;
import io.mast.codec.packet.PingReq;
import io.mast.codec.packet.PingResp;
import io.mast.codec.packet.Publish;
import io.mast.codec.packet.SubAck;
import io.mast.codec.packet.Subscribe;
import io.mast.codec.packet.Subscription;
import io.mast.testkit.MastBrokerExtension;
import io.mast.testkit.RawMqttClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * SUBSCRIBE and UNSUBSCRIBE that break the protocol, and invalid topic filters, which are not a protocol violation
 * but are refused one by one in the SUBACK.
 */
class SubscribeViolationsIT {

    @RegisterExtension
    static final MastBrokerExtension broker = MastBrokerExtension.create();

    private static final byte[] NO_PROPS = props();

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

    /** MQTT-3.8.3-2: a SUBSCRIBE without any topic filter is a Protocol Error: DISCONNECT 0x82. */
    @Test
    void subscribeWithoutFiltersIsAProtocolError() throws IOException {
        try (RawMqttClient c = v5()) {
            c.send(packet(0x82, u16(1), NO_PROPS));
            assertDisconnected(c, ReasonCode.PROTOCOL_ERROR);
        }
    }

    /** 3.1.1 MQTT-3.8.3-3: a SUBSCRIBE without a topic filter closes the connection. */
    @Test
    void subscribeWithoutFiltersOnMqtt311ClosesTheConnection() throws IOException {
        try (RawMqttClient c = v311()) {
            c.send(packet(0x82, u16(1)));
            assertClosedWithoutAnswer(c);
        }
    }

    /** MQTT-3.10.3-2: an UNSUBSCRIBE without any topic filter is a Protocol Error: DISCONNECT 0x82. */
    @Test
    void unsubscribeWithoutFiltersIsAProtocolError() throws IOException {
        try (RawMqttClient c = v5()) {
            c.send(packet(0xA2, u16(1), NO_PROPS));
            assertDisconnected(c, ReasonCode.PROTOCOL_ERROR);
        }
    }

    /** MQTT-2.2.1-3: SUBSCRIBE with packet identifier 0 is a Protocol Error: DISCONNECT 0x82. */
    @Test
    void subscribePacketIdentifierZeroIsAProtocolError() throws IOException {
        try (RawMqttClient c = v5()) {
            c.send(packet(0x82, u16(0), NO_PROPS, utf8("a/b"), bytes(0x01)));
            assertDisconnected(c, ReasonCode.PROTOCOL_ERROR);
        }
    }

    /** MQTT-3.8.3-5: reserved bits 6 and 7 of the Subscription Options set: DISCONNECT 0x81. */
    @ParameterizedTest(name = "options 0x{0}")
    @ValueSource(strings = {"41", "81", "C0"})
    void reservedSubscriptionOptionBitsAreMalformed(String options) throws IOException {
        try (RawMqttClient c = v5()) {
            c.send(packet(0x82, u16(1), NO_PROPS, utf8("a/b"), bytes(Integer.parseInt(options, 16))));
            assertDisconnected(c, ReasonCode.MALFORMED_PACKET);
        }
    }

    /** 3.1.1 MQTT-3.8.3-4: the upper six bits of the requested QoS byte must be 0, else the connection closes. */
    @Test
    void reservedRequestedQosBitsOnMqtt311CloseTheConnection() throws IOException {
        try (RawMqttClient c = v311()) {
            c.send(packet(0x82, u16(1), utf8("a/b"), bytes(0x05)));
            assertClosedWithoutAnswer(c);
        }
    }

    /** 3.8.3.1: a Maximum QoS of 3 is a Protocol Error: DISCONNECT 0x82. */
    @Test
    void maximumQos3IsAProtocolError() throws IOException {
        try (RawMqttClient c = v5()) {
            c.send(packet(0x82, u16(1), NO_PROPS, utf8("a/b"), bytes(0x03)));
            assertDisconnected(c, ReasonCode.PROTOCOL_ERROR);
        }
    }

    /** 3.1.1 MQTT-3.8.3-4: a requested QoS of 3 closes the connection. */
    @Test
    void requestedQos3OnMqtt311ClosesTheConnection() throws IOException {
        try (RawMqttClient c = v311()) {
            c.send(packet(0x82, u16(1), utf8("a/b"), bytes(0x03)));
            assertClosedWithoutAnswer(c);
        }
    }

    /** 3.8.3.1: a Retain Handling of 3 is a Protocol Error: DISCONNECT 0x82. */
    @Test
    void retainHandling3IsAProtocolError() throws IOException {
        try (RawMqttClient c = v5()) {
            c.send(packet(0x82, u16(1), NO_PROPS, utf8("a/b"), bytes(0x31)));
            assertDisconnected(c, ReasonCode.PROTOCOL_ERROR);
        }
    }

    /** MQTT-3.8.3-4: No Local on a shared subscription is a Protocol Error: DISCONNECT 0x82. */
    @Test
    void noLocalOnSharedSubscriptionIsAProtocolError() throws IOException {
        try (RawMqttClient c = v5()) {
            c.send(packet(0x82, u16(1), NO_PROPS, utf8("$share/g/a/b"), bytes(0x05)));
            assertDisconnected(c, ReasonCode.PROTOCOL_ERROR);
        }
    }

    /** 3.8.2.1.2: a Subscription Identifier of 0 is a Protocol Error: DISCONNECT 0x82. */
    @Test
    void subscriptionIdentifierZeroIsAProtocolError() throws IOException {
        try (RawMqttClient c = v5()) {
            c.send(packet(0x82, u16(1), props(bytes(0x0B, 0x00)), utf8("a/b"), bytes(0x01)));
            assertDisconnected(c, ReasonCode.PROTOCOL_ERROR);
        }
    }

    /** 2.2.2.2: a property not valid for SUBSCRIBE (Topic Alias) is a Malformed Packet: DISCONNECT 0x81. */
    @Test
    void propertyNotAllowedInSubscribeIsMalformed() throws IOException {
        try (RawMqttClient c = v5()) {
            c.send(packet(0x82, u16(1), props(bytes(0x23, 0, 1)), utf8("a/b"), bytes(0x01)));
            assertDisconnected(c, ReasonCode.MALFORMED_PACKET);
        }
    }

    /** MQTT-1.5.4-1: a topic filter that is not well-formed UTF-8: DISCONNECT 0x81. */
    @Test
    void topicFilterThatIsNotUtf8IsMalformed() throws IOException {
        try (RawMqttClient c = v5()) {
            c.send(packet(0x82, u16(1), NO_PROPS, lengthPrefixed(hex("61 2f c3 28")), bytes(0x01)));
            assertDisconnected(c, ReasonCode.MALFORMED_PACKET);
        }
    }

    /**
     * 4.7.1 / 3.9.3: an invalid topic filter is refused on its own in the SUBACK (0x8F Topic Filter invalid) while the
     * valid filter of the same SUBSCRIBE is granted and works; the connection stays open.
     */
    @ParameterizedTest(name = "filter {0}")
    @ValueSource(strings = {"a/#/b", "a+", "a/b#", "", "$share/g", "$share/g+/a", "$share//a"})
    void invalidTopicFilterIsRefusedPerFilterOnMqtt5(String invalid) throws IOException {
        try (RawMqttClient c = v5()) {
            assertInvalidFilterRefusedAndValidGranted(c, invalid, ReasonCode.TOPIC_FILTER_INVALID);
        }
    }

    /** 3.1.1 MQTT-3.9.3-1 / 4.7.1: the same on 3.1.1, where the failure return code is 0x80. */
    @ParameterizedTest(name = "filter {0}")
    @ValueSource(strings = {"a/#/b", "a+"})
    void invalidTopicFilterIsRefusedPerFilterOnMqtt311(String invalid) throws IOException {
        try (RawMqttClient c = v311()) {
            assertInvalidFilterRefusedAndValidGranted(c, invalid, ReasonCode.UNSPECIFIED_ERROR);
        }
    }

    private void assertInvalidFilterRefusedAndValidGranted(RawMqttClient c, String invalid, ReasonCode refusal)
            throws IOException {
        String valid = RawProtocol.unique("valid") + "/+";
        c.send(new Subscribe(3, List.of(new Subscription(invalid, Qos.AT_LEAST_ONCE),
                new Subscription(valid, Qos.AT_LEAST_ONCE)), MqttProperties.EMPTY));
        SubAck ack = c.expect(SubAck.class, TIMEOUT);
        assertThat(ack.packetId()).isEqualTo(3);
        assertThat(ack.reasonCodes()).containsExactly(refusal, ReasonCode.GRANTED_QOS_1);
        assertThat(refusal.v3SubAckCode()).isEqualTo(0x80);

        // The granted filter is in force: a message to a matching topic comes back.
        String topic = valid.replace("+", "x");
        byte[] payload = "granted".getBytes(StandardCharsets.UTF_8);
        c.send(new Publish(false, Qos.AT_MOST_ONCE, false, topic, 0, MqttProperties.EMPTY, payload));
        Publish got = c.expect(Publish.class, TIMEOUT);
        assertThat(got.topic()).isEqualTo(topic);
        assertThat(got.payload()).isEqualTo(payload);

        c.send(PingReq.INSTANCE);
        assertThat(c.read(TIMEOUT)).isEqualTo(PingResp.INSTANCE);
    }
}
