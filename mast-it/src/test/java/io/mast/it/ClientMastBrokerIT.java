package io.mast.it;

import static io.mast.it.ClientTesting.TIMEOUT;
import static io.mast.it.ClientTesting.await;
import static io.mast.it.ClientTesting.client;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.mast.broker.session.SessionAdmin;
import io.mast.client.ConnectResult;
import io.mast.client.MastClient;
import io.mast.client.MqttMessage;
import io.mast.client.PacketListener;
import io.mast.client.PublishResult;
import io.mast.codec.MqttVersion;
import io.mast.codec.Qos;
import io.mast.codec.ReasonCode;
import io.mast.codec.UserProperty;
import io.mast.codec.packet.MqttPacket;
import io.mast.codec.packet.Publish;
import io.mast.it.ClientTesting.Events;
import io.mast.it.ClientTesting.Inbox;
import io.mast.plugin.ClientContext;
import io.mast.plugin.ClientPlugin;
import io.mast.plugin.PacketInfo;
import io.mast.testkit.MastBrokerExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Mast's client against Mast's broker: every QoS both ways, pipelining within the broker's Receive Maximum, topic
 * aliases both ways, a disconnect by the broker with session resume, redelivery after a broken connection, the will
 * with its properties, and client plugins.
 */
class ClientMastBrokerIT {

    @RegisterExtension
    static final MastBrokerExtension broker = MastBrokerExtension.create();

    private final List<MastClient> clients = new ArrayList<>();

    @AfterEach
    void closeClients() {
        clients.forEach(MastClient::close);
    }

    private MastClient track(MastClient c) {
        clients.add(c);
        return c;
    }

    private MastClient connected(String id, MqttVersion version) throws Exception {
        MastClient c = track(client(broker.port(), id, version).build());
        await(c.connect());
        return c;
    }

    @ParameterizedTest(name = "MQTT {0}, QoS {1}")
    @CsvSource({"MQTT_5, 0", "MQTT_5, 1", "MQTT_5, 2", "MQTT_3_1_1, 0", "MQTT_3_1_1, 1", "MQTT_3_1_1, 2"})
    void everyQosBothWays(MqttVersion version, int level) throws Exception {
        Qos qos = Qos.ofLevel(level);
        String topic = "mast/qos/" + version + "/" + level;
        Inbox inbox = new Inbox();
        MastClient sub = connected("m-sub-" + version + level, version);
        MastClient pub = connected("m-pub-" + version + level, version);
        assertThat(await(sub.subscribe(topic, qos, inbox)).reasonCodes()).containsExactly(ReasonCode.granted(qos));
        List<CompletableFuture<PublishResult>> results = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            results.add(pub.publish(MqttMessage.builder(topic).payload("m" + i).qos(qos).build()));
        }
        for (CompletableFuture<PublishResult> r : results) {
            assertThat(await(r).isSuccess()).isTrue();
        }
        List<MqttMessage> got = inbox.next(20);
        assertThat(got).extracting(MqttMessage::payloadAsString)
                .containsExactlyElementsOf(IntStream.range(0, 20).mapToObj(i -> "m" + i).toList());
        assertThat(got).allMatch(m -> m.qos() == qos && !m.dup());
    }

    @Test
    void aThousandPipelinedQos1PublishesAllCompleteInOrderWithinTheReceiveMaximum() throws Exception {
        Inbox inbox = new Inbox();
        MastClient sub = connected("m-pipeline-sub", MqttVersion.MQTT_5);
        await(sub.subscribe("pipeline/#", Qos.AT_LEAST_ONCE, inbox));
        MastClient pub = connected("m-pipeline-pub", MqttVersion.MQTT_5);
        int window = pub.connectResult().receiveMaximum();
        int n = 1_000; // what the broker holds for a subscriber by default (max_queued_messages), so none is dropped
        int[] maxInflight = {0};
        List<CompletableFuture<PublishResult>> results = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            results.add(pub.publish("pipeline/t", Integer.toString(i), Qos.AT_LEAST_ONCE));
            maxInflight[0] = Math.max(maxInflight[0], pub.inflightCount());
        }
        CompletableFuture.allOf(results.toArray(CompletableFuture[]::new)).get(TIMEOUT.toMillis(),
                java.util.concurrent.TimeUnit.MILLISECONDS);
        assertThat(results).allMatch(f -> f.join().isSuccess());
        assertThat(maxInflight[0]).isLessThanOrEqualTo(window);
        List<MqttMessage> got = inbox.next(n);
        assertThat(got).extracting(MqttMessage::payloadAsString)
                .containsExactlyElementsOf(IntStream.range(0, n).mapToObj(Integer::toString).toList());
    }

    @Test
    void topicAliasesBothWays() throws Exception {
        Inbox inbox = new Inbox();
        MastClient sub = track(client(broker.port(), "m-alias-sub", MqttVersion.MQTT_5).topicAliasMaximum(5).build());
        await(sub.connect());
        await(sub.subscribe("alias/#", Qos.AT_LEAST_ONCE, inbox));
        List<MqttPacket> sent = new CopyOnWriteArrayList<>();
        MastClient pub = track(client(broker.port(), "m-alias-pub", MqttVersion.MQTT_5).packetListener(new PacketListener() {
            @Override
            public void sent(MqttPacket packet) {
                sent.add(packet);
            }
        }).build());
        ConnectResult r = await(pub.connect());
        for (int i = 0; i < 5; i++) {
            await(pub.publish("alias/a/rather/long/topic/name", "x" + i, Qos.AT_LEAST_ONCE));
        }
        assertThat(inbox.next(5)).allMatch(m -> m.topic().equals("alias/a/rather/long/topic/name"));
        if (r.topicAliasMaximum() > 0) {
            assertThat(sent).filteredOn(p -> p instanceof Publish).extracting(p -> ((Publish) p).topic())
                    .containsExactly("alias/a/rather/long/topic/name", "", "", "", "");
        }
    }

    @Test
    void aDisconnectByTheBrokerIsReportedAndThePersistentSessionResumes() throws Exception {
        Events events = new Events();
        Inbox inbox = new Inbox();
        MastClient c = track(client(broker.port(), "m-kicked", MqttVersion.MQTT_5)
                .sessionExpiry(Duration.ofMinutes(5))
                .automaticReconnect(Duration.ofMillis(50), Duration.ofMillis(200))
                .connectionListener(events).build());
        await(c.connect());
        await(c.subscribe("kicked/#", Qos.AT_LEAST_ONCE, inbox));
        assertThat(broker.broker().core().sessionAdmin().disconnect("m-kicked").toCompletableFuture().join()).isTrue();
        await().atMost(TIMEOUT).until(() -> events.connected.size() == 2);
        assertThat(events.disconnected.get(0).reasonCode()).isEqualTo(ReasonCode.ADMINISTRATIVE_ACTION);
        assertThat(events.disconnected.get(0).byServer()).isTrue();
        assertThat(events.connected.get(1).sessionPresent()).isTrue();
        MastClient pub = connected("m-kicked-pub", MqttVersion.MQTT_5);
        await(pub.publish("kicked/after", "still subscribed", Qos.AT_LEAST_ONCE));
        assertThat(inbox.next().payloadAsString()).isEqualTo("still subscribed");
    }

    @ParameterizedTest(name = "MQTT {0}")
    @EnumSource(value = MqttVersion.class, names = {"MQTT_5", "MQTT_3_1_1"})
    void unacknowledgedPublishesAreSentAgainAfterABrokenConnection(MqttVersion version) throws Exception {
        String topic = "mast/redeliver/" + version;
        try (MqttProxy proxy = new MqttProxy(broker.port())) {
            Inbox inbox = new Inbox();
            MastClient sub = connected("m-redeliver-sub-" + version, version);
            await(sub.subscribe(topic + "/#", Qos.EXACTLY_ONCE, inbox));
            Events events = new Events();
            MastClient pub = track(client(proxy.port(), "m-redeliver-pub-" + version, version)
                    .cleanStart(false).sessionExpiry(Duration.ofMinutes(5))
                    .automaticReconnect(Duration.ofMillis(50), Duration.ofMillis(200))
                    .connectionListener(events).build());
            await(pub.connect());
            proxy.drop(MqttProxy.PUBACK, MqttProxy.PUBCOMP);
            CompletableFuture<PublishResult> q1 = pub.publish(topic + "/1", "one", Qos.AT_LEAST_ONCE);
            CompletableFuture<PublishResult> q2 = pub.publish(topic + "/2", "two", Qos.EXACTLY_ONCE);
            assertThat(inbox.next(2)).extracting(MqttMessage::payloadAsString).containsExactly("one", "two");
            await().atMost(TIMEOUT).until(() -> proxy.dropped() == 2);
            proxy.dropNothing();
            proxy.cut();
            assertThat(await(q1).reasonCode()).isEqualTo(ReasonCode.SUCCESS);
            assertThat(await(q2).reasonCode()).isEqualTo(ReasonCode.SUCCESS);
            assertThat(events.connected.get(events.connected.size() - 1).sessionPresent()).isTrue();
            MastClient marker = connected("m-redeliver-marker-" + version, version);
            await(marker.publish(topic + "/end", "end", Qos.EXACTLY_ONCE));
            assertThat(inbox.until(topic + "/end")).extracting(MqttMessage::payloadAsString)
                    .as("QoS 2 exactly once; the QoS 1 resend at most once more").doesNotContain("two")
                    .allMatch("one"::equals);
        }
    }

    @Test
    void theWillIsPublishedWithItsPropertiesWhenTheConnectionBreaks() throws Exception {
        Inbox inbox = new Inbox();
        MastClient watcher = connected("m-will-watcher", MqttVersion.MQTT_5);
        await(watcher.subscribe("will/#", Qos.AT_LEAST_ONCE, inbox));
        try (MqttProxy proxy = new MqttProxy(broker.port())) {
            MastClient doomed = track(client(proxy.port(), "m-will", MqttVersion.MQTT_5)
                    .will(MqttMessage.builder("will/m-will").payload("gone").qos(1)
                            .userProperty("reason", "test").contentType("text/plain").build())
                    .build());
            await(doomed.connect());
            proxy.cut();
            MqttMessage will = inbox.next();
            assertThat(will.topic()).isEqualTo("will/m-will");
            assertThat(will.payloadAsString()).isEqualTo("gone");
            assertThat(will.properties().userProperties()).contains(new UserProperty("reason", "test"));
            assertThat(will.properties().contentType()).isEqualTo("text/plain");
        }
    }

    /** Records packet and connection events of the client, in order. */
    public static final class EventRecorder extends ClientPlugin {
        static final List<String> EVENTS = new CopyOnWriteArrayList<>();

        public EventRecorder(ClientContext context) {
            super(context);
        }

        @Override
        public void onConnected(boolean sessionPresent) {
            EVENTS.add("connected");
        }

        @Override
        public void onDisconnected(int reasonCode, String reason) {
            EVENTS.add("disconnected " + reasonCode);
        }

        @Override
        public void onPacketSent(PacketInfo packet) {
            EVENTS.add("sent " + packet.type());
        }

        @Override
        public void onPacketReceived(PacketInfo packet) {
            EVENTS.add("received " + packet.type());
        }
    }

    /** Fails on every event. */
    public static final class Failing extends ClientPlugin {
        public Failing(ClientContext context) {
            super(context);
        }

        @Override
        public void onPacketReceived(PacketInfo packet) {
            throw new IllegalStateException("broken plugin");
        }

        @Override
        public void onConnected(boolean sessionPresent) {
            throw new IllegalStateException("broken plugin");
        }
    }

    @Test
    void clientPluginsSeeEveryEventInOrderAndAFailingOneChangesNothing() throws Exception {
        EventRecorder.EVENTS.clear();
        Inbox inbox = new Inbox();
        MastClient c = track(client(broker.port(), "m-plugins", MqttVersion.MQTT_5)
                .plugin(Failing.class, Map.of())
                .plugin(EventRecorder.class, Map.of())
                .build());
        await(c.connect());
        await(c.subscribe("plugins/#", Qos.EXACTLY_ONCE, inbox));
        await(c.publish("plugins/self", "loop", Qos.EXACTLY_ONCE));
        assertThat(inbox.next().payloadAsString()).isEqualTo("loop");
        await().atMost(TIMEOUT).until(() -> EventRecorder.EVENTS.size() >= 11);
        c.close();
        assertThat(EventRecorder.EVENTS.subList(0, 5)).containsExactly(
                "sent CONNECT", "received CONNACK", "connected", "sent SUBSCRIBE", "received SUBACK");
        assertThat(EventRecorder.EVENTS).containsSubsequence("sent PUBLISH", "received PUBREC", "sent PUBREL",
                "received PUBCOMP");
        assertThat(EventRecorder.EVENTS).containsSubsequence("received PUBLISH", "sent PUBREC", "received PUBREL",
                "sent PUBCOMP");
        assertThat(EventRecorder.EVENTS.subList(EventRecorder.EVENTS.size() - 2, EventRecorder.EVENTS.size()))
                .containsExactly("sent DISCONNECT", "disconnected 0");
    }
}
