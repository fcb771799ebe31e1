package io.mast.it;

import static io.mast.it.PluginTesting.pluginMetric;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishResult;
import io.mast.kafka.KafkaBridgePlugin;
import io.mast.testkit.MastBrokerExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The Kafka bridge against a real Kafka (one broker for the class, {@link KafkaServer}): every QoS 1 message arrives
 * as published (count, order per key, headers), also across a Kafka restart within the buffer; the publisher's
 * PUBACK waits for Kafka with {@code ack_after_kafka}; what is buffered survives a broker restart with
 * {@code spool_dir}; a Kafka that is away costs other clients nothing and what does not fit is counted.
 */
class KafkaBridgeIT {

    private static final Duration WAIT = Duration.ofSeconds(60);

    /** Started before the brokers below, whose bridges need its address. */
    private static final KafkaServer kafka = KafkaServer.startForClass(3,
            "mqtt.sensors", "mqtt.restart", "mqtt.acked", "mqtt.spooled", "mqtt.small");
    private static final Path spool = KafkaServer.tempDir("mast-kafka-spool-");

    @AfterAll
    static void stopKafka() throws Exception {
        kafka.close();
        KafkaServer.delete(spool);
    }

    /** Kafka runs again after a test that stopped it. */
    @AfterEach
    void kafkaRuns() throws Exception {
        kafka.ensureRunning();
    }

    private static Map<String, Object> bridge(String filters, String kafkaTopic, Map<String, Object> more) {
        Map<String, Object> o = new HashMap<>(Map.of(
                "bootstrap_servers", kafka.bootstrap(),
                "routes", List.of(Map.of("filters", List.of(filters.split(",")), "topic", kafkaTopic,
                        "key", "${clientid}")),
                "linger", "5ms"));
        o.putAll(more);
        return o;
    }

    @RegisterExtension
    static final MastBrokerExtension broker = MastBrokerExtension.create()
            .plugin(KafkaBridgePlugin.class, bridge("sensors/#,restart/#", "mqtt.${topic_level.1}",
                    Map.of()));

    @RegisterExtension
    static final MastBrokerExtension acking = MastBrokerExtension.create()
            .plugin(KafkaBridgePlugin.class, bridge("acked/#", "mqtt.acked",
                    Map.of("ack_after_kafka", true, "ack_timeout", "60s", "decision_timeout", "90s")));

    @RegisterExtension
    static final MastBrokerExtension spooling = MastBrokerExtension.create()
            .plugin(KafkaBridgePlugin.class, bridge("spooled/#", "mqtt.spooled",
                    Map.of("spool_dir", spool.toString(), "shutdown_timeout", "500ms")));

    @RegisterExtension
    static final MastBrokerExtension small = MastBrokerExtension.create()
            .plugin(KafkaBridgePlugin.class, bridge("small/#", "mqtt.small",
                    Map.of("buffer_size", 20, "shutdown_timeout", "200ms")));

    @Test
    void everyQos1MessageArrivesInOrderPerKeyWithItsHeaders() throws Exception {
        int clients = 3;
        int each = 200;
        long matchedBefore = pluginMetric(broker, KafkaBridgePlugin.class, "matched");
        long sentBefore = pluginMetric(broker, KafkaBridgePlugin.class, "sent");
        List<Mqtt5AsyncClient> publishers = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            publishers.add(client(broker, "sensor-" + c));
        }
        List<CompletableFuture<Mqtt5PublishResult>> acks = new ArrayList<>();
        for (int i = 0; i < each; i++) {
            for (int c = 0; c < clients; c++) {
                acks.add(publishers.get(c).publishWith().topic("sensors/temp/" + c).qos(MqttQos.AT_LEAST_ONCE)
                        .payload(Integer.toString(i).getBytes(StandardCharsets.UTF_8))
                        .contentType("text/plain")
                        .userProperties().add("site", "lab-" + c).applyUserProperties()
                        .send());
            }
        }
        CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);

        List<ConsumerRecord<byte[], byte[]>> records = kafka.read("mqtt.sensors", clients * each, WAIT);
        assertThat(records).hasSize(clients * each);
        assertInOrderPerKey(records, clients, each);
        ConsumerRecord<byte[], byte[]> r = records.stream()
                .filter(x -> key(x).equals("sensor-1")).findFirst().orElseThrow();
        assertThat(header(r, "mqtt.topic")).isEqualTo("sensors/temp/1");
        assertThat(header(r, "mqtt.qos")).isEqualTo("1");
        assertThat(header(r, "mqtt.retain")).isEqualTo("false");
        assertThat(header(r, "mqtt.clientid")).isEqualTo("sensor-1");
        assertThat(header(r, "mqtt.content_type")).isEqualTo("text/plain");
        assertThat(header(r, "site")).isEqualTo("lab-1");
        assertThat(pluginMetric(broker, KafkaBridgePlugin.class, "matched") - matchedBefore)
                .isEqualTo((long) clients * each);
        await().atMost(WAIT).until(() -> pluginMetric(broker, KafkaBridgePlugin.class, "sent") - sentBefore
                == clients * each);
        publishers.forEach(p -> p.disconnect().join());
    }

    @Test
    void messagesPublishedWhileKafkaRestartsArriveInOrder() throws Exception {
        Mqtt5AsyncClient publisher = client(broker, "restarter");
        publish(publisher, "restart/a", 0, 100);
        kafka.stop();
        publish(publisher, "restart/a", 100, 200);   // acknowledged at once: held in the bridge's buffer
        assertThat(pluginMetric(broker, KafkaBridgePlugin.class, "dropped.buffer_full")).isZero();
        kafka.launch();
        publish(publisher, "restart/a", 200, 300);

        List<ConsumerRecord<byte[], byte[]>> records = kafka.read("mqtt.restart", 300, WAIT);
        await().atMost(WAIT).until(() -> pluginMetric(broker, KafkaBridgePlugin.class, "queued") == 0
                && pluginMetric(broker, KafkaBridgePlugin.class, "inflight") == 0);
        records = kafka.readAll("mqtt.restart");
        assertThat(values(records, "restarter")).containsExactlyElementsOf(
                java.util.stream.IntStream.range(0, 300).mapToObj(Integer::toString).toList());
        publisher.disconnect().join();
    }

    @Test
    void withAckAfterKafkaThePubackWaitsForKafka() throws Exception {
        Mqtt5AsyncClient publisher = client(acking, "acked-1");
        publish(publisher, "acked/a", 0, 10);
        assertThat(values(kafka.read("mqtt.acked", 10, WAIT), "acked-1")).hasSize(10);

        kafka.stop();
        CompletableFuture<Mqtt5PublishResult> pending = publisher.publishWith().topic("acked/a")
                .qos(MqttQos.AT_LEAST_ONCE).payload("10".getBytes(StandardCharsets.UTF_8)).send();
        // Kafka is away: the PUBACK is held (the broker keeps the decision pending) ...
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(() -> !pending.isDone());
        kafka.launch();
        // ... and comes once Kafka has the record.
        Mqtt5PublishResult result = pending.get(60, TimeUnit.SECONDS);
        assertThat(result.getError()).isEmpty();
        assertThat(values(kafka.readAll("mqtt.acked"), "acked-1")).contains("10");
        publisher.disconnect().join();
    }

    @Test
    void whatIsBufferedWhenTheBrokerStopsIsSpooledAndSentAfterItsRestart() throws Exception {
        kafka.stop();
        Mqtt5AsyncClient publisher = client(spooling, "spooler");
        publish(publisher, "spooled/x", 0, 50);
        publisher.disconnect().join();
        spooling.restart();   // close() writes the 50 records to spool_dir; the new broker reads them back
        assertThat(Files.exists(spool.resolve("kafka-spool.bin"))).isFalse();
        kafka.launch();
        List<ConsumerRecord<byte[], byte[]>> records = kafka.read("mqtt.spooled", 50, WAIT);
        assertThat(values(records, "spooler")).containsExactlyElementsOf(
                java.util.stream.IntStream.range(0, 50).mapToObj(Integer::toString).toList());
    }

    @Test
    void kafkaAwayNeverSlowsOtherClientsAndWhatDoesNotFitIsCounted() throws Exception {
        kafka.stop();
        Mqtt5AsyncClient publisher = client(small, "flooder");
        publish(publisher, "small/x", 0, 200);   // every PUBACK comes: nobody waits for Kafka
        assertThat(pluginMetric(small, KafkaBridgePlugin.class, "dropped.buffer_full")).isGreaterThanOrEqualTo(180);

        // Another client's messages still flow through the broker as usual.
        MqttClient sub = new MqttClient(small.uri(), "other-sub", new MemoryPersistence());
        MqttClient pub = new MqttClient(small.uri(), "other-pub", new MemoryPersistence());
        MqttConnectOptions o = new MqttConnectOptions();
        o.setConnectionTimeout(10);
        // Paho counts a publish as in flight until its callback thread has run, after the blocking publish returned:
        // on a loaded machine 20 quick publishes could meet "Too many publishes in progress" at its default of 10.
        o.setMaxInflight(100);
        sub.connect(o);
        pub.connect(o);
        List<String> got = new java.util.concurrent.CopyOnWriteArrayList<>();
        sub.subscribe("chat/#", 1, (t, m) -> got.add(new String(m.getPayload(), StandardCharsets.UTF_8)));
        for (int i = 0; i < 20; i++) {
            pub.publish("chat/room", Integer.toString(i).getBytes(StandardCharsets.UTF_8), 1, false);
        }
        await().atMost(WAIT).until(() -> got.size() == 20);
        pub.disconnect();
        sub.disconnect();
        publisher.disconnect().join();
    }

    // ---- helpers ----

    private static Mqtt5AsyncClient client(MastBrokerExtension b, String id) {
        Mqtt5AsyncClient c = Mqtt5Client.builder().identifier(id).serverHost("127.0.0.1").serverPort(b.port())
                .buildAsync();
        c.connect().join();
        return c;
    }

    /** Publishes payloads from..to-1 at QoS 1 and waits for every PUBACK. */
    private static void publish(Mqtt5AsyncClient c, String topic, int from, int to) throws Exception {
        List<CompletableFuture<Mqtt5PublishResult>> acks = new ArrayList<>();
        for (int i = from; i < to; i++) {
            acks.add(c.publishWith().topic(topic).qos(MqttQos.AT_LEAST_ONCE)
                    .payload(Integer.toString(i).getBytes(StandardCharsets.UTF_8)).send());
        }
        for (CompletableFuture<Mqtt5PublishResult> a : acks) {
            assertThat(a.get(30, TimeUnit.SECONDS).getError()).isEmpty();
        }
    }

    private static void assertInOrderPerKey(List<ConsumerRecord<byte[], byte[]>> records, int clients, int each) {
        for (int c = 0; c < clients; c++) {
            assertThat(values(records, "sensor-" + c)).as("sensor-%d", c).containsExactlyElementsOf(
                    java.util.stream.IntStream.range(0, each).mapToObj(Integer::toString).toList());
        }
    }

    private static List<String> values(List<ConsumerRecord<byte[], byte[]>> records, String key) {
        return records.stream().filter(r -> key(r).equals(key)).map(KafkaBridgeIT::value).toList();
    }

    private static String key(ConsumerRecord<byte[], byte[]> r) {
        return r.key() == null ? "" : new String(r.key(), StandardCharsets.UTF_8);
    }

    private static String value(ConsumerRecord<byte[], byte[]> r) {
        return new String(r.value(), StandardCharsets.UTF_8);
    }

    private static String header(ConsumerRecord<byte[], byte[]> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}
