package io.mast.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.mast.broker.MastBroker;
import io.mast.broker.config.BrokerConfig;
import io.mast.broker.config.LimitsConfig;
import io.mast.broker.config.SessionConfig;
import io.mast.broker.config.SlowSubscribersConfig;
import io.mast.broker.config.SlowSubscribersConfig.Overflow;
import io.mast.codec.MqttProperties;
import io.mast.codec.MqttVersion;
import io.mast.codec.Qos;
import io.mast.codec.ReasonCode;
import io.mast.codec.packet.ConnAck;
import io.mast.codec.packet.Connect;
import io.mast.codec.packet.PubAck;
import io.mast.codec.packet.Publish;
import io.mast.codec.packet.SubAck;
import io.mast.codec.packet.Subscribe;
import io.mast.codec.packet.Subscription;
import io.mast.testkit.RawMqttClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/**
 * What gives way when a session's queue is full, under each {@code slow_subscribers.overflow} policy, by messages and by
 * bytes, and when the broker's queues together are full. The queue of a persistent session whose client is offline is
 * filled, then the client comes back and reads what was kept: exactly what the policy says, in order, and every drop
 * counted.
 */
class QueueOverflowIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    /** QoS and payload of each message published, in order. */
    private static final int[][] SEQUENCE = {{1, 1}, {0, 2}, {1, 3}, {0, 4}, {1, 5}, {1, 6}, {0, 7}, {1, 8}, {1, 9}};

    private static MastBroker start(UnaryOperator<BrokerConfig> configure) {
        BrokerConfig c = configure.apply(BrokerConfig.defaults().withSession(new SessionConfig(null, null, true)));
        MastBroker b = MastBroker.builder().config(c).port(0).build();
        b.start().join();
        return b;
    }

    /** Connects a persistent session, subscribes it to {@code filter} at QoS 1 and goes offline. */
    private static void subscribeOffline(MastBroker broker, String clientId, String filter) throws Exception {
        try (RawMqttClient c = session(broker, clientId)) {
            c.send(new Subscribe(1, List.of(new Subscription(filter, Qos.AT_LEAST_ONCE)), MqttProperties.EMPTY));
            c.expect(SubAck.class, TIMEOUT);
        }
        await().atMost(TIMEOUT).until(() -> !broker.core().registry().get(clientId).isOnline());
    }

    private static RawMqttClient session(MastBroker broker, String clientId) throws Exception {
        RawMqttClient c = RawMqttClient.connect(broker.port(), MqttVersion.MQTT_5);
        c.send(new Connect(MqttVersion.MQTT_5, false, 60, clientId, null, null, null,
                MqttProperties.builder().sessionExpiryInterval(3600L).build()));
        c.expect(ConnAck.class, TIMEOUT);
        return c;
    }

    /** Publishes in order; each QoS 1 message is acknowledged before the next goes. */
    private static void publish(RawMqttClient pub, String topic, int[][] messages, int payloadSize) throws Exception {
        int id = 1;
        for (int[] m : messages) {
            byte[] payload = payloadSize == 0 ? Integer.toString(m[1]).getBytes() : padded(m[1], payloadSize);
            Qos qos = Qos.ofLevel(m[0]);
            pub.send(new Publish(false, qos, false, topic, qos == Qos.AT_MOST_ONCE ? 0 : id, MqttProperties.EMPTY,
                    payload));
            if (qos != Qos.AT_MOST_ONCE) {
                assertThat(pub.expect(PubAck.class, TIMEOUT).packetId()).isEqualTo(id++);
            }
        }
    }

    private static byte[] padded(int n, int size) {
        byte[] b = new byte[size];
        byte[] digits = Integer.toString(n).getBytes();
        System.arraycopy(digits, 0, b, 0, digits.length);
        return b;
    }

    /** Reconnects the session and reads what it was kept, by payload number, until nothing more comes. */
    private static List<Integer> drain(MastBroker broker, String clientId) throws Exception {
        List<Integer> got = new ArrayList<>();
        try (RawMqttClient c = session(broker, clientId)) {
            Object p;
            while ((p = c.read(Duration.ofMillis(500))) instanceof Publish m) {
                got.add(Integer.parseInt(new String(m.payload()).trim().replace("\0", "")));
                if (m.qos() != Qos.AT_MOST_ONCE) {
                    c.send(new PubAck(m.packetId()));
                }
            }
        }
        return got;
    }

    private static long metric(MastBroker broker, String name) {
        return broker.metrics().value(name);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"DROP_QOS0_FIRST, '3,5,6,8,9'", "DROP_OLDEST, '5,6,7,8,9'", "DROP_NEW, '1,2,3,4,5'"})
    void theOverflowPolicyChoosesWhatGivesWay(Overflow policy, String kept) throws Exception {
        try (MastBroker broker = start(c -> c.withLimits(LimitsConfig.defaults().withQueues(5, 0))
                .withSlowSubscribers(new SlowSubscribersConfig(policy, null, null)));
             RawMqttClient pub = RawProtocol.connected(broker.port(), MqttVersion.MQTT_5)) {
            subscribeOffline(broker, "offline", "q/#");
            publish(pub, "q/x", SEQUENCE, 0);
            await().atMost(TIMEOUT).until(() -> metric(broker, "messages.dropped.queue_full") == SEQUENCE.length - 5);

            List<Integer> expected = java.util.Arrays.stream(kept.split(",")).map(Integer::valueOf).toList();
            assertThat(drain(broker, "offline")).as("kept, in order").isEqualTo(expected);
            assertThat(metric(broker, "messages.dropped.queue_full")).isEqualTo(SEQUENCE.length - 5);
        }
    }

    @Test
    void aQueueIsBoundedByBytesToo() throws Exception {
        // Each 1,000-byte message counts 1,102 bytes (payload, topic, overhead): three fit in 3,400.
        try (MastBroker broker = start(c -> c.withLimits(LimitsConfig.defaults().withQueues(100, 3_400)));
             RawMqttClient pub = RawProtocol.connected(broker.port(), MqttVersion.MQTT_5)) {
            subscribeOffline(broker, "bytes", "b/#");
            publish(pub, "b/x", new int[][] {{1, 1}, {1, 2}, {1, 3}, {1, 4}, {1, 5}, {1, 6}}, 1000);
            await().atMost(TIMEOUT).until(() -> metric(broker, "messages.dropped.queue_full") == 3);
            assertThat(drain(broker, "bytes")).as("the newest that fit in the bytes allowed").containsExactly(4, 5, 6);
        }
    }

    @Test
    void whenTheBrokersQueuesAreFullMessagesAreDroppedAsOverloadedAndThePublisherIsPausedOnlyOnce() throws Exception {
        LimitsConfig limits = new LimitsConfig(null, null, null, null, 100, null, null, null, null, 0L, 4_000L, null,
                null, null, null);
        try (MastBroker broker = start(c -> c.withLimits(limits));
             RawMqttClient pub = RawProtocol.connected(broker.port(), MqttVersion.MQTT_5)) {
            subscribeOffline(broker, "fills", "full/a");
            subscribeOffline(broker, "starved", "full/b");
            publish(pub, "full/a", new int[][] {{1, 1}, {1, 2}, {1, 3}, {1, 4}}, 1000);
            await().atMost(TIMEOUT).until(() -> broker.core().queueBudget().isFull());

            // Nothing more can be queued: dropped and counted; the publisher is paused once, then goes on.
            publish(pub, "full/b", new int[][] {{1, 1}, {1, 2}, {1, 3}}, 1000);
            await().atMost(TIMEOUT).until(() -> metric(broker, "messages.dropped.overloaded") == 3);
            assertThat(metric(broker, "connections.backpressure_pauses")).as("paused once").isEqualTo(1);
            assertThat(metric(broker, "messages.dropped.queue_full")).isZero();

            assertThat(drain(broker, "fills")).containsExactly(1, 2, 3, 4);
            assertThat(drain(broker, "starved")).isEmpty();
            // The queues drained: messages are queued again.
            publish(pub, "full/b", new int[][] {{1, 7}}, 1000);
            await().atMost(TIMEOUT).until(() -> broker.core().registry().get("starved").queuedCount() == 1);
            assertThat(metric(broker, "messages.dropped.overloaded")).isEqualTo(3);
        }
    }
}
