package io.mast.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import io.mast.examples.exhook.KafkaForwarder;
import io.mast.exhook.ExHookPlugin;
import io.mast.exhook.sdk.HookServer;
import io.mast.testkit.MastBrokerExtension;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * examples/exhook-java's {@link KafkaForwarder}, served in this JVM by the Java SDK behind the broker's ExHook
 * bridge, forwarding to a real Kafka: every message of its filters arrives, in order, keyed by its publisher, and
 * the others do not.
 */
class ExHookJavaKafkaExampleIT {

    private static final KafkaServer kafka = KafkaServer.startForClass(2, "mqtt-messages");
    private static final KafkaForwarder forwarder = new KafkaForwarder(kafka.bootstrap(), "mqtt-messages",
            List.of("sensors/#"), true);
    private static final HookServer hooks = HookServer.serve(forwarder, 0);

    @RegisterExtension
    static final MastBrokerExtension broker = MastBrokerExtension.create()
            .plugin(ExHookPlugin.class, ExHookSdkTesting.exhook(List.of(Map.of(
                    "name", "kafka-forwarder",
                    "url", hooks.url(),
                    "failed_action", "deny"))));

    @AfterAll
    static void stop() throws Exception {
        hooks.close();
        forwarder.close();
        kafka.close();
    }

    @Test
    void messagesOfItsFiltersReachKafkaInOrderPerPublisher() {
        Mqtt5BlockingClient c = Mqtt5Client.builder().identifier("fwd-1").serverHost("127.0.0.1")
                .serverPort(broker.port()).buildBlocking();
        c.connect();
        for (int i = 0; i < 30; i++) {
            c.publishWith().topic("sensors/s1").qos(MqttQos.AT_LEAST_ONCE)
                    .payload(Integer.toString(i).getBytes(StandardCharsets.UTF_8)).send();
        }
        c.publishWith().topic("other/s1").qos(MqttQos.AT_LEAST_ONCE).payload("x".getBytes()).send();
        c.disconnect();

        // --wait-for-kafka: each PUBACK came after Kafka had the record, so all 30 are there now.
        List<ConsumerRecord<byte[], byte[]>> records = kafka.readAll("mqtt-messages");
        assertThat(records).hasSize(30);
        assertThat(records).extracting(r -> new String(r.value(), StandardCharsets.UTF_8))
                .containsExactlyElementsOf(IntStream.range(0, 30).mapToObj(Integer::toString).toList());
        assertThat(records).allSatisfy(r -> {
            assertThat(new String(r.key(), StandardCharsets.UTF_8)).isEqualTo("fwd-1");
            assertThat(new String(r.headers().lastHeader("mqtt.topic").value(), StandardCharsets.UTF_8))
                    .isEqualTo("sensors/s1");
        });
    }
}
