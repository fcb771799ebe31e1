package io.mast.it;

import static io.mast.it.V311Clients.mosquittoPubLines;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import io.mast.broker.config.LimitsConfig;
import io.mast.codec.MqttProperties;
import io.mast.codec.MqttVersion;
import io.mast.codec.Qos;
import io.mast.codec.packet.ConnAck;
import io.mast.codec.packet.Connect;
import io.mast.codec.packet.Disconnect;
import io.mast.codec.packet.Publish;
import io.mast.plugin.AsyncPublishPlugin;
import io.mast.plugin.BrokerContext;
import io.mast.plugin.BrokerPlugin;
import io.mast.plugin.ClientInfo;
import io.mast.plugin.Message;
import io.mast.plugin.PublishDecision;
import io.mast.testkit.MastBrokerExtension;
import io.mast.testkit.RawMqttClient;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What a client wrote before its DISCONNECT, or before it closed its socket, is read and handled in order before its
 * connection is torn down. Before, the packets still waiting behind a pending decision (or a paused read) when the
 * socket closed were thrown away, uncounted: {@code mosquitto_pub -l} lost the tail of its stream.
 */
class PublisherDisconnectIT {

    /** The decision of the first message on {@code drain/held} waits for the test. */
    static final CompletableFuture<PublishDecision> HELD = new CompletableFuture<>();

    /** Holds the decision of the message {@code 0} on {@code drain/held}; decides every other at once. */
    public static final class HoldFirst extends BrokerPlugin implements AsyncPublishPlugin {
        public HoldFirst(BrokerContext context) {
            super(context);
        }

        @Override
        public CompletionStage<PublishDecision> onPublish(ClientInfo publisher, Message message) {
            if (message.topic().equals("drain/held") && message.payloadAsString().equals("0")) {
                return HELD.thenApply(d -> PublishDecision.proceed(message));
            }
            return CompletableFuture.completedFuture(PublishDecision.proceed(message));
        }
    }

    @RegisterExtension
    static final MastBrokerExtension broker = MastBrokerExtension.withConfig(c -> c.withLimits(
                    new LimitsConfig(10_000, null, null, null, 50_000, null, null, null, null))) // counts sockets
            .plugin(HoldFirst.class);

    @RegisterExtension
    final V5Clients clients = new V5Clients(broker);

    @TempDir
    Path dir;

    @Test
    void messagesWaitingBehindADecisionWhenThePublisherLeavesAreStillRouted() throws Exception {
        int messages = 40; // more than limits.max_pending_decisions (32): the last ones wait in the backlog
        List<String> received = new CopyOnWriteArrayList<>();
        var sub = clients.hive("drain-sub").toAsync();
        sub.connect().get();
        sub.subscribeWith().topicFilter("drain/held").qos(MqttQos.AT_MOST_ONCE)
                .callback(p -> received.add(V5Clients.text(p.getPayloadAsBytes()))).send().get();
        long receivedBefore = clients.metric("messages.received");
        int socketsBefore = broker.broker().core().sockets().get();

        try (RawMqttClient pub = RawMqttClient.connect(broker.port(), MqttVersion.MQTT_5)) {
            pub.send(new Connect(MqttVersion.MQTT_5, true, 60, "drain-pub", null, null, null, MqttProperties.EMPTY));
            pub.expect(ConnAck.class, V5Clients.TIMEOUT);
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            for (int i = 0; i < messages; i++) {
                all.writeBytes(RawMqttClient.encode(new Publish(false, Qos.AT_MOST_ONCE, false, "drain/held", 0,
                        MqttProperties.EMPTY, Integer.toString(i).getBytes()), MqttVersion.MQTT_5));
            }
            all.writeBytes(RawMqttClient.encode(new Disconnect(io.mast.codec.ReasonCode.SUCCESS, MqttProperties.EMPTY),
                    MqttVersion.MQTT_5));
            pub.send(all.toByteArray());
        }
        // The broker saw the socket close while the first decision is still pending.
        await().atMost(V5Clients.TIMEOUT).until(() -> broker.broker().core().sockets().get() == socketsBefore);
        assertThat(received).as("nothing is routed before the first message's decision").isEmpty();

        HELD.complete(null);
        List<String> expected = IntStream.range(0, messages).mapToObj(Integer::toString).toList();
        await().atMost(V5Clients.TIMEOUT).untilAsserted(() -> assertThat(received).as("in order, all of them")
                .containsExactlyElementsOf(expected));
        assertThat(clients.metric("messages.received") - receivedBefore).isEqualTo(messages);
        assertThat(clients.metric("messages.dropped.connection_closed")).isZero();
    }

    /**
     * The case the loss was found with: {@code mosquitto_pub -l} writes its last messages, DISCONNECT, and closes at
     * once. The subscriber is in-process and reads at once; the broker's queue is deep enough for the whole burst, so
     * that a subscriber slowed down by a busy machine cannot make the default overflow policy drop (that is measured
     * with the default configuration by bench/isolation.sh instead).
     */
    @ParameterizedTest(name = "mosquitto_pub -q {0}")
    @ValueSource(ints = {0, 1})
    void everyLineOfMosquittoPubReachesAReadingSubscriber(int qos) throws Exception {
        int lines = 20_000;
        Path input = dir.resolve("lines-" + qos);
        Files.writeString(input, IntStream.rangeClosed(1, lines).mapToObj(Integer::toString)
                .collect(Collectors.joining("\n", "", "\n")));
        String topic = "drain/mosq/" + qos;
        java.util.Queue<String> received = new java.util.concurrent.ConcurrentLinkedQueue<>();
        var sub = clients.hive("drain-mosq-sub-" + qos).toAsync();
        sub.connect().get();
        sub.subscribeWith().topicFilter(topic).qos(MqttQos.AT_LEAST_ONCE)
                .callback(p -> received.add(V5Clients.text(p.getPayloadAsBytes()))).send().get();
        long droppedBefore = dropped();
        try (V311Clients.Command pub = mosquittoPubLines(broker, input, "-q", Integer.toString(qos), "-t", topic)) {
            pub.awaitSuccess(Duration.ofSeconds(120));
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> received.size() >= lines);
        assertThat(List.copyOf(received)).as("every line, in order")
                .containsExactlyElementsOf(IntStream.rangeClosed(1, lines).mapToObj(Integer::toString).toList());
        assertThat(dropped() - droppedBefore).as("dropped").isZero();
    }

    private long dropped() {
        return broker.broker().metrics().snapshot().entrySet().stream()
                .filter(e -> e.getKey().startsWith("messages.dropped.")).mapToLong(java.util.Map.Entry::getValue).sum();
    }
}
