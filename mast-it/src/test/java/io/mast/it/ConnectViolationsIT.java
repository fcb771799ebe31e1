package io.mast.it;

import static io.mast.it.RawProtocol.TIMEOUT;
import static io.mast.it.RawProtocol.assertClosed;
import static io.mast.it.RawProtocol.assertClosedWithoutAnswer;
import static io.mast.it.RawProtocol.assertDisconnected;
import static io.mast.it.RawProtocol.assertRefused;
import static io.mast.it.RawProtocol.bytes;
import static io.mast.it.RawProtocol.cat;
import static io.mast.it.RawProtocol.connectV311;
import static io.mast.it.RawProtocol.connectV5;
import static io.mast.it.RawProtocol.connected;
import static io.mast.it.RawProtocol.hex;
import static io.mast.it.RawProtocol.lengthPrefixed;
import static io.mast.it.RawProtocol.packet;
import static io.mast.it.RawProtocol.props;
import static io.mast.it.RawProtocol.u16;
import static io.mast.it.RawProtocol.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.mast.codec.MqttProperties;
import io.mast.codec.MqttVersion;
import io.mast.codec.ReasonCode;
import io.mast.codec.packet.ConnAck;
import io.mast.codec.packet.Connect;
import io.mast.testkit.MastBrokerExtension;
import io.mast.testkit.RawMqttClient;
import java.io.IOException;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * CONNECT that breaks the protocol, sent before the connection is accepted. MQTT 5.0 clients are refused with a CONNACK
 * carrying the reason (specification section 3.2.2.2), then the connection closes; MQTT 3.1.1 clients are disconnected
 * without an answer (MQTT-3.1.4-1) except for the two cases with a return code (unacceptable protocol level,
 * identifier rejected).
 */
class ConnectViolationsIT {

    @RegisterExtension
    static final MastBrokerExtension broker = MastBrokerExtension.create();

    private static final byte[] NO_PROPS = props();

    @AfterEach
    void brokerStillServesOtherClients() throws IOException {
        RawProtocol.assertStillServing(broker.port());
    }

    private RawMqttClient client(MqttVersion answersAs) throws IOException {
        return RawMqttClient.connect(broker.port(), answersAs);
    }

    // ---- Order of packets ----

    /** MQTT-3.1.0-1: the first packet must be CONNECT; no version is known yet, so the socket just closes. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
            "c0 00",                                  // PINGREQ
            "30 06 00 01 61 68 69 21",                // PUBLISH QoS 0 to "a"
            "82 06 00 01 00 01 61 00",                // SUBSCRIBE to "a"
            "e0 00",                                  // DISCONNECT
    })
    void firstPacketOtherThanConnectIsClosedWithoutAnswer(String first) throws IOException {
        try (RawMqttClient c = client(MqttVersion.MQTT_5)) {
            c.sendHex(first);
            assertClosedWithoutAnswer(c);
        }
    }

    /** MQTT-3.1.0-2: a second CONNECT is a Protocol Error: DISCONNECT 0x82 on MQTT 5.0. */
    @Test
    void secondConnectOnMqtt5IsAProtocolError() throws IOException {
        try (RawMqttClient c = connected(broker.port(), MqttVersion.MQTT_5)) {
            c.send(new Connect(MqttVersion.MQTT_5, true, 60, "again", null, null, null, MqttProperties.EMPTY));
            assertDisconnected(c, ReasonCode.PROTOCOL_ERROR);
        }
    }

    /** MQTT-3.1.0-2 (3.1.1): a second CONNECT closes the connection. */
    @Test
    void secondConnectOnMqtt311ClosesTheConnection() throws IOException {
        try (RawMqttClient c = connected(broker.port(), MqttVersion.MQTT_3_1_1)) {
            c.send(new Connect(MqttVersion.MQTT_3_1_1, true, 60, "again", null, null, null, MqttProperties.EMPTY));
            assertClosedWithoutAnswer(c);
        }
    }

    /**
     * MQTT-1.5.5-1: a CONNECT whose Remaining Length takes more bytes than needed is malformed; its version is not read
     * from a packet that cannot be framed, so the socket just closes.
     */
    @ParameterizedTest(name = "level {0}")
    @ValueSource(ints = {4, 5})
    void connectWithRemainingLengthInMoreBytesThanNeededIsClosedWithoutAnswer(int level) throws IOException {
        byte[] body = cat(utf8("MQTT"), bytes(level, 0x02), u16(60), level == 5 ? NO_PROPS : bytes(), utf8("long"));
        try (RawMqttClient c = client(level == 5 ? MqttVersion.MQTT_5 : MqttVersion.MQTT_3_1_1)) {
            c.send(cat(bytes(0x10, body.length | 0x80, 0x00), body));
            assertClosedWithoutAnswer(c);
        }
    }

    // ---- Protocol name and level ----

    /** MQTT-3.1.2-1: an unknown protocol name; the broker may close without CONNACK and does. */
    @Test
    void unknownProtocolNameIsClosedWithoutAnswer() throws IOException {
        try (RawMqttClient c = client(MqttVersion.MQTT_5)) {
            c.send(packet(0x10, utf8("MQTX"), bytes(5, 0x02), u16(60), NO_PROPS, utf8("c")));
            assertClosedWithoutAnswer(c);
        }
    }

    /**
     * 3.1.1 MQTT-3.1.2-2 and 5.0 MQTT-3.1.2-2: an unsupported protocol level is answered with a CONNACK in the 3.1.1
     * layout, which every version can read: 20 02 00 01, return code 1 (unacceptable protocol version, Mast's 0x84
     * Unsupported Protocol Version). The 3.1.1 decoder rejects any other layout (such as one with properties).
     */
    @ParameterizedTest(name = "{0} level {1}")
    @CsvSource({"MQTT, 6", "MQTT, 3", "MQTT, 0", "MQTT, 255", "MQIsdp, 4", "MQIsdp, 5"})
    void unsupportedProtocolLevelGetsReturnCode1In311Format(String name, int level) throws IOException {
        try (RawMqttClient c = client(MqttVersion.MQTT_3_1_1)) {
            c.send(packet(0x10, utf8(name), bytes(level, 0x02), u16(60), utf8("c")));
            Object answer = c.read(TIMEOUT);
            assertThat(answer).isEqualTo(new ConnAck(false, ReasonCode.UNSUPPORTED_PROTOCOL_VERSION, MqttProperties.EMPTY));
            assertThat(ReasonCode.UNSUPPORTED_PROTOCOL_VERSION.v3ConnAckCode()).isEqualTo(1);
            assertClosed(c);
        }
    }

    // ---- Connect flags ----

    /** MQTT-3.1.2-3: the reserved flag must be 0, else the packet is malformed: CONNACK 0x81. */
    @Test
    void reservedConnectFlagOnMqtt5IsMalformed() throws IOException {
        try (RawMqttClient c = client(MqttVersion.MQTT_5)) {
            c.send(connectV5(0x03, NO_PROPS, utf8("c")));
            assertRefused(c, ReasonCode.MALFORMED_PACKET);
        }
    }

    /** 3.1.1 MQTT-3.1.2-3: the reserved flag set: the connection is closed without CONNACK. */
    @Test
    void reservedConnectFlagOnMqtt311ClosesTheConnection() throws IOException {
        try (RawMqttClient c = client(MqttVersion.MQTT_3_1_1)) {
            c.send(connectV311(0x03, utf8("c")));
            assertClosedWithoutAnswer(c);
        }
    }

    /** MQTT-3.1.2-12: a Will QoS of 3 is a Malformed Packet: CONNACK 0x81. */
    @Test
    void willQos3IsMalformed() throws IOException {
        try (RawMqttClient c = client(MqttVersion.MQTT_5)) {
            c.send(connectV5(0x1E, NO_PROPS, utf8("c"), NO_PROPS, utf8("will/t"), utf8("bye")));
            assertRefused(c, ReasonCode.MALFORMED_PACKET);
        }
    }

    /** 3.1.1 MQTT-3.1.2-14: Will QoS 3 closes the connection. */
    @Test
    void willQos3OnMqtt311ClosesTheConnection() throws IOException {
        try (RawMqttClient c = client(MqttVersion.MQTT_3_1_1)) {
            c.send(connectV311(0x1E, utf8("c"), utf8("will/t"), utf8("bye")));
            assertClosedWithoutAnswer(c);
        }
    }

    /** MQTT-3.1.2-11 and MQTT-3.1.2-13: Will QoS or Will Retain without the Will Flag: CONNACK 0x81. */
    @ParameterizedTest(name = "flags 0x{0}")
    @ValueSource(strings = {"0A", "12", "22"})
    void willOptionsWithoutWillFlagAreMalformed(String flags) throws IOException {
        try (RawMqttClient c = client(MqttVersion.MQTT_5)) {
            c.send(connectV5(Integer.parseInt(flags, 16), NO_PROPS, utf8("c")));
            assertRefused(c, ReasonCode.MALFORMED_PACKET);
        }
    }

    /** 3.1.1 MQTT-3.1.2-22: the Password Flag without the User Name Flag closes the connection. */
    @Test
    void passwordWithoutUserNameOnMqtt311ClosesTheConnection() throws IOException {
        try (RawMqttClient c = client(MqttVersion.MQTT_3_1_1)) {
            c.send(connectV311(0x42, utf8("c"), utf8("secret")));
            assertClosedWithoutAnswer(c);
        }
    }

    // ---- Strings ----

    /**
     * MQTT-1.5.4-1 and MQTT-1.5.4-2: a client identifier that is ill-formed UTF-8 (a truncated sequence, an encoded
     * surrogate, an overlong form) or contains U+0000 is a Malformed Packet: CONNACK 0x81.
     */
    @ParameterizedTest(name = "bytes {0}")
    @ValueSource(strings = {"61 c3 28", "61 ed a0 80", "61 c0 80", "61 00 62", "ff", "61 f4 90 80 80"})
    void clientIdentifierThatIsNotUtf8IsMalformed(String id) throws IOException {
        try (RawMqttClient c = client(MqttVersion.MQTT_5)) {
            c.send(connectV5(0x02, NO_PROPS, lengthPrefixed(hex(id))));
            assertRefused(c, ReasonCode.MALFORMED_PACKET);
        }
    }

    /** MQTT-1.5.4-1: an ill-formed user name: CONNACK 0x81. */
    @Test
    void userNameThatIsNotUtf8IsMalformed() throws IOException {
        try (RawMqttClient c = client(MqttVersion.MQTT_5)) {
            c.send(connectV5(0x82, NO_PROPS, utf8("c"), lengthPrefixed(hex("75 c3 28"))));
            assertRefused(c, ReasonCode.MALFORMED_PACKET);
        }
    }

    /** 3.1.1 MQTT-1.5.3-2: U+0000 in the user name closes the connection. */
    @Test
    void userNameWithNulOnMqtt311ClosesTheConnection() throws IOException {
        try (RawMqttClient c = client(MqttVersion.MQTT_3_1_1)) {
            c.send(connectV311(0x82, utf8("c"), lengthPrefixed(hex("75 00"))));
            assertClosedWithoutAnswer(c);
        }
    }

    /** 3.1.1 MQTT-3.1.3-8: a zero-byte client identifier with Clean Session 0: return code 2, then close. */
    @Test
    void emptyClientIdentifierWithoutCleanSessionOnMqtt311IsRejected() throws IOException {
        try (RawMqttClient c = client(MqttVersion.MQTT_3_1_1)) {
            c.send(connectV311(0x00, utf8("")));
            Object answer = c.read(TIMEOUT);
            assertThat(answer).isEqualTo(new ConnAck(false, ReasonCode.CLIENT_IDENTIFIER_NOT_VALID, MqttProperties.EMPTY));
            assertThat(ReasonCode.CLIENT_IDENTIFIER_NOT_VALID.v3ConnAckCode()).isEqualTo(2);
            assertClosed(c);
        }
    }

    // ---- Properties ----

    /** 3.1.2.11.3: a Receive Maximum of 0 is a Protocol Error: CONNACK 0x82. */
    @Test
    void receiveMaximumZeroIsAProtocolError() throws IOException {
        try (RawMqttClient c = client(MqttVersion.MQTT_5)) {
            c.send(connectV5(0x02, props(bytes(0x21, 0x00, 0x00)), utf8("c")));
            assertRefused(c, ReasonCode.PROTOCOL_ERROR);
        }
    }

    /** 3.1.2.11.4: a Maximum Packet Size of 0 is a Protocol Error: CONNACK 0x82. */
    @Test
    void maximumPacketSizeZeroIsAProtocolError() throws IOException {
        try (RawMqttClient c = client(MqttVersion.MQTT_5)) {
            c.send(connectV5(0x02, props(bytes(0x27, 0, 0, 0, 0)), utf8("c")));
            assertRefused(c, ReasonCode.PROTOCOL_ERROR);
        }
    }

    /** 3.1.2.11.2: the Session Expiry Interval more than once is a Protocol Error: CONNACK 0x82. */
    @Test
    void duplicatePropertyIsAProtocolError() throws IOException {
        try (RawMqttClient c = client(MqttVersion.MQTT_5)) {
            c.send(connectV5(0x02, props(bytes(0x11, 0, 0, 0, 10), bytes(0x11, 0, 0, 0, 10)), utf8("c")));
            assertRefused(c, ReasonCode.PROTOCOL_ERROR);
        }
    }

    /** 3.1.2.11.7: a Request Problem Information other than 0 or 1 is a Protocol Error: CONNACK 0x82. */
    @Test
    void requestProblemInformationOf2IsAProtocolError() throws IOException {
        try (RawMqttClient c = client(MqttVersion.MQTT_5)) {
            c.send(connectV5(0x02, props(bytes(0x17, 2)), utf8("c")));
            assertRefused(c, ReasonCode.PROTOCOL_ERROR);
        }
    }

    /** 3.1.2.11.10: Authentication Data without an Authentication Method is a Protocol Error: CONNACK 0x82. */
    @Test
    void authenticationDataWithoutMethodIsAProtocolError() throws IOException {
        try (RawMqttClient c = client(MqttVersion.MQTT_5)) {
            c.send(connectV5(0x02, props(cat(bytes(0x16), lengthPrefixed(bytes(1, 2, 3)))), utf8("c")));
            assertRefused(c, ReasonCode.PROTOCOL_ERROR);
        }
    }

    /** 2.2.2.2: a property not valid for CONNECT (Topic Alias) makes it a Malformed Packet: CONNACK 0x81. */
    @Test
    void propertyNotAllowedInConnectIsMalformed() throws IOException {
        try (RawMqttClient c = client(MqttVersion.MQTT_5)) {
            c.send(connectV5(0x02, props(bytes(0x23, 0, 1)), utf8("c")));
            assertRefused(c, ReasonCode.MALFORMED_PACKET);
        }
    }

    /** 2.2.2.2: a property not valid in the Will Properties (Topic Alias) makes CONNECT malformed: CONNACK 0x81. */
    @Test
    void propertyNotAllowedInWillPropertiesIsMalformed() throws IOException {
        try (RawMqttClient c = client(MqttVersion.MQTT_5)) {
            c.send(connectV5(0x06, NO_PROPS, utf8("c"), props(bytes(0x23, 0, 1)), utf8("will/t"), utf8("bye")));
            assertRefused(c, ReasonCode.MALFORMED_PACKET);
        }
    }

    /** 3.2.2.2 (0x90): a Will Topic with wildcards is not a valid topic name: CONNACK 0x90. */
    @Test
    void willTopicWithWildcardIsRefusedAsTopicNameInvalid() throws IOException {
        try (RawMqttClient c = client(MqttVersion.MQTT_5)) {
            c.send(connectV5(0x06, NO_PROPS, utf8("c"), NO_PROPS, utf8("will/+"), utf8("bye")));
            assertRefused(c, ReasonCode.TOPIC_NAME_INVALID);
        }
    }

    /** MQTT-3.1.3-11 / 3.2.2.2 (0x99): a will payload marked UTF-8 that is not: CONNACK 0x99. */
    @Test
    void willPayloadThatDoesNotMatchItsFormatIndicatorIsRefused() throws IOException {
        try (RawMqttClient c = client(MqttVersion.MQTT_5)) {
            c.send(connectV5(0x06, NO_PROPS, utf8("c"), props(bytes(0x01, 0x01)), utf8("will/t"),
                    lengthPrefixed(bytes(0xFF, 0xFE, 0x00))));
            assertRefused(c, ReasonCode.PAYLOAD_FORMAT_INVALID);
        }
    }

    // ---- Length ----

    /** MQTT-3.1.4-1 / 4.13: bytes left after the last CONNECT field make it malformed: CONNACK 0x81. */
    @Test
    void connectLongerThanItsFieldsIsMalformed() throws IOException {
        try (RawMqttClient c = client(MqttVersion.MQTT_5)) {
            c.send(connectV5(0x02, NO_PROPS, utf8("c"), bytes(0x00, 0x00)));
            assertRefused(c, ReasonCode.MALFORMED_PACKET);
        }
    }

    /** A field whose length runs past the remaining length: the packet is malformed: CONNACK 0x81. */
    @Test
    void fieldRunningPastTheRemainingLengthIsMalformed() throws IOException {
        try (RawMqttClient c = client(MqttVersion.MQTT_5)) {
            c.send(connectV5(0x02, NO_PROPS, u16(10), bytes('a', 'b', 'c')));
            assertRefused(c, ReasonCode.MALFORMED_PACKET);
        }
    }

    /** 1.5.5: a Remaining Length of five bytes is malformed; before CONNECT no version is known: plain close. */
    @Test
    void fiveByteRemainingLengthBeforeConnectIsClosedWithoutAnswer() throws IOException {
        try (RawMqttClient c = client(MqttVersion.MQTT_5)) {
            c.sendHex("10 ff ff ff ff 7f");
            assertClosedWithoutAnswer(c);
        }
    }

    /** A CONNECT cut short by the client closing its socket: the broker drops the connection and keeps serving. */
    @Test
    void truncatedConnectFollowedByCloseIsReleased() throws IOException {
        byte[] whole = connectV5(0x02, NO_PROPS, utf8("truncated"));
        await().atMost(TIMEOUT).until(() -> broker.broker().core().connections().get() == 0);
        try (RawMqttClient c = client(MqttVersion.MQTT_5)) {
            c.send(Arrays.copyOf(whole, whole.length - 4));
            await().atMost(TIMEOUT).until(() -> broker.broker().core().connections().get() == 1);
            // The half-read CONNECT holds up no one else.
            RawProtocol.assertStillServing(broker.port());
        }
        await().atMost(TIMEOUT).until(() -> broker.broker().core().connections().get() == 0);
    }
}
