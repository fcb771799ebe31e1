package io.mast.it;

import static io.mast.it.RawProtocol.TIMEOUT;
import static io.mast.it.RawProtocol.assertClosedWithoutAnswer;
import static io.mast.it.RawProtocol.assertDisconnected;
import static io.mast.it.RawProtocol.bytes;
import static io.mast.it.RawProtocol.connected;
import static io.mast.it.RawProtocol.packet;
import static io.mast.it.RawProtocol.props;
import static io.mast.it.RawProtocol.utf8;
import static org.awaitility.Awaitility.await;

import io.mast.codec.MqttVersion;
import io.mast.codec.ReasonCode;
import io.mast.testkit.MastBrokerExtension;
import io.mast.testkit.RawMqttClient;
import java.io.IOException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Broken framing after CONNECT: fixed-header flags, remaining length, packet types a client may not send, AUTH and
 * DISCONNECT misuse, and a packet cut short by the client closing.
 */
class FramingViolationsIT {

    @RegisterExtension
    static final MastBrokerExtension broker = MastBrokerExtension.create();

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

    /**
     * MQTT-2.1.3-1: reserved fixed-header flags must carry the listed values (SUBSCRIBE, UNSUBSCRIBE and PUBREL 0010,
     * PINGREQ and the others 0000); other flags make the packet malformed: DISCONNECT 0x81.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
            "80 08 00 01 00 00 03 61 2f 62 01",       // SUBSCRIBE with flags 0000
            "83 08 00 01 00 00 03 61 2f 62 01",       // SUBSCRIBE with flags 0011
            "a0 07 00 01 00 00 03 61 2f 62",          // UNSUBSCRIBE with flags 0000
            "60 02 00 01",                            // PUBREL with flags 0000
            "c1 00",                                  // PINGREQ with flags 0001
            "c8 00",                                  // PINGREQ with flags 1000
            "e2 00",                                  // DISCONNECT with flags 0010
            "42 02 00 01",                            // PUBACK with flags 0010
    })
    void reservedFixedHeaderFlagsAreMalformed(String hex) throws IOException {
        try (RawMqttClient c = v5()) {
            c.sendHex(hex);
            assertDisconnected(c, ReasonCode.MALFORMED_PACKET);
        }
    }

    /** 3.1.1 MQTT-2.2.2-2: invalid fixed-header flags close the connection. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
            "80 06 00 01 00 01 61 01",                // SUBSCRIBE with flags 0000
            "a0 05 00 01 00 01 61",                   // UNSUBSCRIBE with flags 0000
            "60 02 00 01",                            // PUBREL with flags 0000
            "c1 00",                                  // PINGREQ with flags 0001
    })
    void reservedFixedHeaderFlagsOnMqtt311CloseTheConnection(String hex) throws IOException {
        try (RawMqttClient c = v311()) {
            c.sendHex(hex);
            assertClosedWithoutAnswer(c);
        }
    }

    /** 1.5.5: a Remaining Length encoded in five bytes is malformed: DISCONNECT 0x81. */
    @Test
    void fiveByteRemainingLengthIsMalformed() throws IOException {
        try (RawMqttClient c = v5()) {
            c.sendHex("30 ff ff ff ff 7f");
            assertDisconnected(c, ReasonCode.MALFORMED_PACKET);
        }
    }

    /** 3.1.1 2.2.3: a five-byte Remaining Length closes the connection. */
    @Test
    void fiveByteRemainingLengthOnMqtt311ClosesTheConnection() throws IOException {
        try (RawMqttClient c = v311()) {
            c.sendHex("30 80 80 80 80 01");
            assertClosedWithoutAnswer(c);
        }
    }

    /**
     * MQTT-1.5.5-1: a Remaining Length must use the fewest bytes: a PINGREQ whose length 0 takes two bytes, or a
     * PUBLISH whose length takes four bytes where one would do, is malformed: DISCONNECT 0x81 (and no PINGRESP).
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
            "c0 80 00",                               // PINGREQ, length 0 in two bytes
            "30 87 80 80 00 00 03 61 2f 62 00 21",    // PUBLISH QoS 0 to "a/b", length 7 in four bytes
    })
    void remainingLengthInMoreBytesThanNeededIsMalformed(String hex) throws IOException {
        try (RawMqttClient c = v5()) {
            c.sendHex(hex);
            assertDisconnected(c, ReasonCode.MALFORMED_PACKET);
        }
    }

    /**
     * 3.1.1 2.2.3 and Table 2.4: a Remaining Length of up to 127 takes one byte, and each size has its own range; a
     * longer form breaks the protocol, and 4.8 closes the connection.
     */
    @Test
    void remainingLengthInMoreBytesThanNeededOnMqtt311ClosesTheConnection() throws IOException {
        try (RawMqttClient c = v311()) {
            c.sendHex("c0 80 00");
            assertClosedWithoutAnswer(c);
        }
    }

    /** 2.1.2: packet type 0 is reserved (forbidden): DISCONNECT 0x81. */
    @Test
    void reservedPacketType0IsMalformed() throws IOException {
        try (RawMqttClient c = v5()) {
            c.sendHex("00 00");
            assertDisconnected(c, ReasonCode.MALFORMED_PACKET);
        }
    }

    /** 3.12: PINGREQ has no variable header or payload; a Remaining Length of 1 is malformed: DISCONNECT 0x81. */
    @Test
    void pingreqWithABodyIsMalformed() throws IOException {
        try (RawMqttClient c = v5()) {
            c.sendHex("c0 01 00");
            assertDisconnected(c, ReasonCode.MALFORMED_PACKET);
        }
    }

    /**
     * 2.1.2: CONNACK, SUBACK, UNSUBACK and PINGRESP flow from server to client only; one sent by a client is a
     * Protocol Error: DISCONNECT 0x82.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
            "20 03 00 00 00",                         // CONNACK
            "90 04 00 01 00 00",                      // SUBACK
            "b0 04 00 01 00 00",                      // UNSUBACK
            "d0 00",                                  // PINGRESP
    })
    void serverToClientPacketFromClientIsAProtocolError(String hex) throws IOException {
        try (RawMqttClient c = v5()) {
            c.sendHex(hex);
            assertDisconnected(c, ReasonCode.PROTOCOL_ERROR);
        }
    }

    /** 3.1.1 2.2.1: a CONNACK or SUBACK from a client closes the connection. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"20 02 00 00", "90 03 00 01 00"})
    void serverToClientPacketFromClientOnMqtt311ClosesTheConnection(String hex) throws IOException {
        try (RawMqttClient c = v311()) {
            c.sendHex(hex);
            assertClosedWithoutAnswer(c);
        }
    }

    /** 3.1.1 2.2.1: packet type 15 is reserved before MQTT 5.0: AUTH closes a 3.1.1 connection. */
    @Test
    void authOnMqtt311ClosesTheConnection() throws IOException {
        try (RawMqttClient c = v311()) {
            c.sendHex("f0 00");
            assertClosedWithoutAnswer(c);
        }
    }

    /**
     * MQTT-4.12.0-7: a client that sent no Authentication Method in CONNECT must not send AUTH; one that does commits
     * a Protocol Error: DISCONNECT 0x82.
     */
    @Test
    void authWithoutEnhancedAuthenticationIsAProtocolError() throws IOException {
        try (RawMqttClient c = v5()) {
            c.send(packet(0xF0, bytes(0x18), props(bytes(0x15), utf8("SCRAM-SHA-1"))));
            assertDisconnected(c, ReasonCode.PROTOCOL_ERROR);
        }
    }

    /**
     * MQTT-3.14.2-2 / 3.14.2.2.2: a non-zero Session Expiry Interval in DISCONNECT after CONNECT had 0 is a Protocol
     * Error: the broker answers DISCONNECT 0x82.
     */
    @Test
    void sessionExpiryInDisconnectAfterZeroAtConnectIsAProtocolError() throws IOException {
        try (RawMqttClient c = v5()) {
            c.send(packet(0xE0, bytes(0x00), props(bytes(0x11, 0, 0, 0, 10))));
            assertDisconnected(c, ReasonCode.PROTOCOL_ERROR);
        }
    }

    /** A PUBLISH cut short by the client closing its socket: the broker releases the connection and keeps serving. */
    @Test
    void truncatedPublishFollowedByCloseIsReleased() throws IOException {
        await().atMost(TIMEOUT).until(() -> broker.broker().core().connections().get() == 0);
        try (RawMqttClient c = v5()) {
            // Remaining length 100, only the topic and a few payload bytes follow.
            c.send(RawProtocol.cat(bytes(0x30, 100), utf8("cut/short"), props(), bytes('a', 'b')));
            await().atMost(TIMEOUT).until(() -> broker.broker().core().connections().get() == 1);
            // The half-read packet holds up no one else.
            RawProtocol.assertStillServing(broker.port());
        }
        await().atMost(TIMEOUT).until(() -> broker.broker().core().connections().get() == 0);
    }

    /** A fixed header cut short inside its Remaining Length on 3.1.1, then close: released the same way. */
    @Test
    void truncatedPacketHeaderFollowedByCloseIsReleased() throws IOException {
        await().atMost(TIMEOUT).until(() -> broker.broker().core().connections().get() == 0);
        try (RawMqttClient c = v311()) {
            // A fixed header whose Remaining Length continues in a byte that never comes.
            c.sendHex("32 ff");
            await().atMost(TIMEOUT).until(() -> broker.broker().core().connections().get() == 1);
            RawProtocol.assertStillServing(broker.port());
        }
        await().atMost(TIMEOUT).until(() -> broker.broker().core().connections().get() == 0);
    }

}
