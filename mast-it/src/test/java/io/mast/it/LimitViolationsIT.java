package io.mast.it;

import static io.mast.it.RawProtocol.TIMEOUT;
import static io.mast.it.RawProtocol.assertClosedWithoutAnswer;
import static io.mast.it.RawProtocol.assertDisconnected;
import static io.mast.it.RawProtocol.assertRefused;
import static io.mast.it.RawProtocol.bytes;
import static io.mast.it.RawProtocol.cat;
import static io.mast.it.RawProtocol.connectV311;
import static io.mast.it.RawProtocol.connectV5;
import static io.mast.it.RawProtocol.packet;
import static io.mast.it.RawProtocol.props;
import static io.mast.it.RawProtocol.u16;
import static io.mast.it.RawProtocol.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import io.mast.broker.config.LimitsConfig;
import io.mast.broker.client.ConnectionInfo;
import io.mast.broker.message.BrokerMessage;
import io.mast.broker.policy.LoopbackPolicy;
import io.mast.broker.policy.Policy;
import io.mast.codec.MqttProperties;
import io.mast.codec.MqttVersion;
import io.mast.codec.Qos;
import io.mast.codec.ReasonCode;
import io.mast.codec.packet.ConnAck;
import io.mast.codec.packet.Connect;
import io.mast.codec.packet.PubAck;
import io.mast.codec.packet.PubRec;
import io.mast.testkit.MastBrokerExtension;
import io.mast.testkit.RawMqttClient;
import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Violations of the broker's configured limits: Maximum Packet Size, Receive Maximum, Topic Alias Maximum (0: aliases
 * off) and the time allowed to send CONNECT.
 */
class LimitViolationsIT {

    private static final int MAX_PACKET_SIZE = 256;
    private static final int RECEIVE_MAXIMUM = 2;
    private static final Duration CONNECT_TIMEOUT = Duration.ofMillis(500);
    /** Messages to topics under this prefix are authorized only after this delay, so their PUBACK is held back. */
    private static final String SLOW_PREFIX = "slow/";
    private static final long SLOW_MILLIS = 1500;

    @RegisterExtension
    static final MastBrokerExtension broker = MastBrokerExtension
            .withConfig(c -> c.withLimits(new LimitsConfig(null, MAX_PACKET_SIZE, null, RECEIVE_MAXIMUM, null, null, 0,
                    CONNECT_TIMEOUT, null)))
            .policy(new SlowTopicPolicy());

    private static final byte[] NO_PROPS = props();

    @AfterEach
    void brokerStillServesOtherClients() throws IOException {
        RawProtocol.assertStillServing(broker.port());
    }

    /** Connects an MQTT 5.0 client and returns the CONNACK, which must accept it. */
    private static ConnAck connect(RawMqttClient c) throws IOException {
        c.send(new Connect(MqttVersion.MQTT_5, true, 60, RawProtocol.unique("limits"), null, null, null,
                MqttProperties.EMPTY));
        ConnAck ack = c.expect(ConnAck.class, TIMEOUT);
        assertThat(ack.reasonCode()).isEqualTo(ReasonCode.SUCCESS);
        return ack;
    }

    /** A QoS 0 or 1 PUBLISH to the topic whose encoding is exactly {@code size} bytes long (MQTT 5.0, no properties). */
    private static byte[] publishOfSize(int size, String topic, Qos qos) {
        byte[] head = qos == Qos.AT_MOST_ONCE ? cat(utf8(topic), NO_PROPS) : cat(utf8(topic), u16(1), NO_PROPS);
        int remaining = size - 1 - 2; // fixed header byte and a two-byte Remaining Length (128..16383)
        byte[] p = packet(qos == Qos.AT_MOST_ONCE ? 0x30 : 0x32, head, new byte[remaining - head.length]);
        assertThat(p).hasSize(size);
        return p;
    }

    // ---- Maximum Packet Size ----

    /** MQTT-3.2.2-15 / 3.2.2.3.6: a packet above the Maximum Packet Size told in CONNACK: DISCONNECT 0x95. */
    @Test
    void publishAboveMaximumPacketSizeIsDisconnectedWith0x95() throws IOException {
        try (RawMqttClient c = RawMqttClient.connect(broker.port(), MqttVersion.MQTT_5)) {
            ConnAck ack = connect(c);
            assertThat(ack.properties().maximumPacketSize()).isEqualTo((long) MAX_PACKET_SIZE);

            // Exactly the limit is accepted ...
            c.send(publishOfSize(MAX_PACKET_SIZE, "big/t", Qos.AT_LEAST_ONCE));
            PubAck accepted = c.expect(PubAck.class, TIMEOUT);
            assertThat(accepted.reasonCode().isError()).as("PUBACK of a packet at the limit: " + accepted).isFalse();

            // ... one byte more is not.
            c.send(publishOfSize(MAX_PACKET_SIZE + 1, "big/t", Qos.AT_LEAST_ONCE));
            assertDisconnected(c, ReasonCode.PACKET_TOO_LARGE);
        }
    }

    /** 3.1.1 has no way to say it: a packet above the broker's limit closes the connection. */
    @Test
    void publishAboveMaximumPacketSizeOnMqtt311ClosesTheConnection() throws IOException {
        try (RawMqttClient c = RawProtocol.connected(broker.port(), MqttVersion.MQTT_3_1_1)) {
            c.send(packet(0x30, utf8("big/t"), new byte[MAX_PACKET_SIZE]));
            assertClosedWithoutAnswer(c);
        }
    }

    /** 3.2.2.2 (0x95 Packet too large): a CONNECT above the limit is refused with CONNACK 0x95. */
    @Test
    void connectAboveMaximumPacketSizeIsRefusedWith0x95() throws IOException {
        try (RawMqttClient c = RawMqttClient.connect(broker.port(), MqttVersion.MQTT_5)) {
            c.send(connectV5(0x02, NO_PROPS, utf8("x".repeat(MAX_PACKET_SIZE))));
            assertRefused(c, ReasonCode.PACKET_TOO_LARGE);
        }
    }

    /** 3.1.1: a CONNECT above the limit closes the connection without CONNACK. */
    @Test
    void connectAboveMaximumPacketSizeOnMqtt311ClosesTheConnection() throws IOException {
        try (RawMqttClient c = RawMqttClient.connect(broker.port(), MqttVersion.MQTT_3_1_1)) {
            c.send(connectV311(0x02, utf8("x".repeat(MAX_PACKET_SIZE))));
            assertClosedWithoutAnswer(c);
        }
    }

    // ---- Receive Maximum ----

    /**
     * 3.3.4 / MQTT-3.3.4-7: more unacknowledged QoS 2 messages (PUBREC sent, PUBREL not yet) than the Receive Maximum
     * told in CONNACK: DISCONNECT 0x93.
     */
    @Test
    void receiveMaximumExceededWithQos2IsDisconnectedWith0x93() throws IOException {
        try (RawMqttClient c = RawMqttClient.connect(broker.port(), MqttVersion.MQTT_5)) {
            ConnAck ack = connect(c);
            assertThat(ack.properties().receiveMaximum()).isEqualTo(RECEIVE_MAXIMUM);
            for (int id = 1; id <= RECEIVE_MAXIMUM; id++) {
                c.send(packet(0x34, utf8("flow/q2"), u16(id), NO_PROPS, bytes('m')));
                assertThat(c.expect(PubRec.class, TIMEOUT).packetId()).isEqualTo(id);
            }
            long closedBefore = broker.broker().metrics().value("connections.closed.receive_maximum_exceeded");
            c.send(packet(0x34, utf8("flow/q2"), u16(RECEIVE_MAXIMUM + 1), NO_PROPS, bytes('m')));
            assertDisconnected(c, ReasonCode.RECEIVE_MAXIMUM_EXCEEDED);
            assertThat(broker.broker().metrics().value("connections.closed.receive_maximum_exceeded") - closedBefore)
                    .as("counted by reason").isEqualTo(1);
        }
    }

    /**
     * A re-send (DUP) of a QoS 2 message not yet released takes no new slot of the Receive Maximum: it is answered
     * with PUBREC again, and the client is not disconnected for it.
     */
    @Test
    void reSendsOfAQos2MessageTakeNoSlotOfTheReceiveMaximum() throws IOException {
        try (RawMqttClient c = RawMqttClient.connect(broker.port(), MqttVersion.MQTT_5)) {
            connect(c);
            c.send(packet(0x34, utf8("flow/dup"), u16(1), NO_PROPS, bytes('m')));
            assertThat(c.expect(PubRec.class, TIMEOUT).packetId()).isEqualTo(1);
            for (int i = 0; i < 2 * RECEIVE_MAXIMUM; i++) {
                c.send(packet(0x3C, utf8("flow/dup"), u16(1), NO_PROPS, bytes('m'))); // DUP set
                assertThat(c.expect(PubRec.class, TIMEOUT).packetId()).as("PUBREC again").isEqualTo(1);
            }
            c.send(packet(0x34, utf8("flow/dup"), u16(2), NO_PROPS, bytes('m')));
            assertThat(c.expect(PubRec.class, TIMEOUT).packetId()).as("still within the Receive Maximum").isEqualTo(2);
            c.send(packet(0x62, u16(1)));
            assertThat(c.expect(io.mast.codec.packet.PubComp.class, TIMEOUT).packetId()).isEqualTo(1);
            c.send(packet(0x62, u16(2)));
            assertThat(c.expect(io.mast.codec.packet.PubComp.class, TIMEOUT).packetId()).isEqualTo(2);
        }
    }

    /**
     * 3.3.4 / MQTT-3.3.4-7: QoS 1 messages pipelined in one write, more than the Receive Maximum, while the broker has
     * not yet acknowledged the first: DISCONNECT 0x93, before any PUBACK. The spec counts messages the server "has not
     * sent a PUBACK" for; with an immediate authorization the broker acknowledges each PUBLISH before it reads the next,
     * so the messages go to a topic whose authorization is held back ({@link SlowTopicPolicy}).
     */
    @Test
    void receiveMaximumExceededWithPipelinedQos1IsDisconnectedWith0x93() throws IOException {
        try (RawMqttClient c = RawMqttClient.connect(broker.port(), MqttVersion.MQTT_5)) {
            connect(c);
            byte[][] publishes = new byte[RECEIVE_MAXIMUM + 1][];
            for (int i = 0; i < publishes.length; i++) {
                publishes[i] = packet(0x32, utf8(SLOW_PREFIX + "q1"), u16(i + 1), NO_PROPS, bytes('m'));
            }
            c.send(cat(publishes));
            assertDisconnected(c, ReasonCode.RECEIVE_MAXIMUM_EXCEEDED);
        }
    }

    /** Within the Receive Maximum, acknowledged messages free their slot: no disconnection (control for the above). */
    @Test
    void acknowledgedQos1MessagesDoNotCountAgainstReceiveMaximum() throws IOException {
        try (RawMqttClient c = RawMqttClient.connect(broker.port(), MqttVersion.MQTT_5)) {
            connect(c);
            for (int id = 1; id <= RECEIVE_MAXIMUM * 3; id++) {
                c.send(packet(0x32, utf8("flow/q1"), u16(id), NO_PROPS, bytes('m')));
                PubAck ack = c.expect(PubAck.class, TIMEOUT);
                assertThat(ack.packetId()).isEqualTo(id);
                assertThat(ack.reasonCode().isError()).isFalse();
            }
        }
    }

    // ---- Topic aliases ----

    /** MQTT-3.3.2-9: no Topic Alias Maximum in CONNACK means 0: any alias is invalid: DISCONNECT 0x94. */
    @Test
    void topicAliasWhenTheBrokerAllowsNoneIsInvalid() throws IOException {
        try (RawMqttClient c = RawMqttClient.connect(broker.port(), MqttVersion.MQTT_5)) {
            ConnAck ack = connect(c);
            assertThat(ack.properties().topicAliasMaximum()).as("Topic Alias Maximum absent = 0").isNull();
            c.send(packet(0x30, utf8("a/b"), props(bytes(0x23, 0, 1)), bytes('m')));
            assertDisconnected(c, ReasonCode.TOPIC_ALIAS_INVALID);
        }
    }

    // ---- Connect timeout ----

    /** A connection that never sends anything is closed once limits.connect_timeout has passed. */
    @Test
    void silentConnectionIsClosedAfterTheConnectTimeout() throws IOException {
        long start = System.nanoTime();
        try (RawMqttClient c = RawMqttClient.connect(broker.port(), MqttVersion.MQTT_5)) {
            assertClosedWithoutAnswer(c);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(CONNECT_TIMEOUT.minusMillis(100));
        }
    }

    /**
     * Slowloris: a CONNECT whose bytes keep trickling in, one every 50 ms, never completes in time; the connection is
     * closed at the connect timeout, without CONNACK, although bytes keep arriving.
     */
    @Test
    void tricklingConnectIsClosedAfterTheConnectTimeout() throws IOException, InterruptedException {
        byte[] whole = connectV5(0x02, NO_PROPS, utf8("slowloris-" + "x".repeat(90)));
        ScheduledExecutorService trickle = Executors.newSingleThreadScheduledExecutor();
        AtomicInteger sent = new AtomicInteger();
        long start = System.nanoTime();
        try (RawMqttClient c = RawMqttClient.connect(broker.port(), MqttVersion.MQTT_5)) {
            trickle.scheduleAtFixedRate(() -> {
                int i = sent.get();
                if (i >= whole.length) {
                    return;
                }
                try {
                    c.send(Arrays.copyOfRange(whole, i, i + 1));
                    sent.incrementAndGet();
                } catch (IOException closed) {
                    throw new IllegalStateException(closed); // ends the schedule
                }
            }, 0, 50, TimeUnit.MILLISECONDS);
            assertClosedWithoutAnswer(c);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(CONNECT_TIMEOUT.minusMillis(100));
            assertThat(sent.get()).as("bytes trickled before the close").isGreaterThan(1).isLessThan(whole.length);
        } finally {
            trickle.shutdownNow();
            assertThat(trickle.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
        }
    }

    /** Allows what the default policy allows, but decides on {@value #SLOW_PREFIX} topics only after a delay. */
    static final class SlowTopicPolicy implements Policy {

        private final Policy delegate = new LoopbackPolicy();

        @Override
        public CompletionStage<AuthResult> authenticate(Connect connect, ConnectionInfo client) {
            return delegate.authenticate(connect, client);
        }

        @Override
        public CompletionStage<PublishVerdict> authorizePublish(ConnectionInfo client, BrokerMessage message) {
            if (message.topic().startsWith(SLOW_PREFIX)) {
                return CompletableFuture.supplyAsync(() -> PublishVerdict.ALLOW,
                        CompletableFuture.delayedExecutor(SLOW_MILLIS, TimeUnit.MILLISECONDS));
            }
            return delegate.authorizePublish(client, message);
        }

        @Override
        public CompletionStage<SubscribeVerdict> authorizeSubscribe(ConnectionInfo client, String filter, Qos requested) {
            return delegate.authorizeSubscribe(client, filter, requested);
        }
    }
}
