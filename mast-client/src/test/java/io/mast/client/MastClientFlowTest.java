package io.mast.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.mast.codec.MqttProperties;
import io.mast.codec.MqttVersion;
import io.mast.codec.Qos;
import io.mast.codec.ReasonCode;
import io.mast.codec.UserProperty;
import io.mast.codec.packet.ConnAck;
import io.mast.codec.packet.Connect;
import io.mast.codec.packet.Disconnect;
import io.mast.codec.packet.PubAck;
import io.mast.codec.packet.PubComp;
import io.mast.codec.packet.PubRec;
import io.mast.codec.packet.PubRel;
import io.mast.codec.packet.Publish;
import io.mast.codec.packet.SubAck;
import io.mast.codec.packet.Subscribe;
import io.mast.codec.packet.UnsubAck;
import io.mast.codec.packet.Unsubscribe;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The client's protocol flows against a broker the test scripts packet by packet. */
class MastClientFlowTest {

    private FakeBroker broker;
    private final List<MastClient> clients = new ArrayList<>();

    @BeforeEach
    void start() throws InterruptedException {
        broker = FakeBroker.start();
    }

    @AfterEach
    void stop() {
        clients.forEach(MastClient::close);
        broker.close();
    }

    private MastClient track(MastClient c) {
        clients.add(c);
        return c;
    }

    static <T> T get(CompletableFuture<T> f) throws Exception {
        return f.get(FakeBroker.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void connectSendsEveryConfiguredFieldAndReportsTheServersProperties() throws Exception {
        MastClient client = track(broker.client("c-fields")
                .keepAlive(Duration.ofSeconds(42))
                .credentials("alice", "secret")
                .sessionExpiry(Duration.ofMinutes(5))
                .receiveMaximum(10)
                .maximumPacketSize(4096)
                .topicAliasMaximum(7)
                .userProperty("app", "test")
                .will(MqttMessage.builder("wills/c").payload("gone").qos(1).retain(true)
                        .willDelay(Duration.ofSeconds(3)).contentType("text/plain").build())
                .build());
        CompletableFuture<ConnectResult> connected = client.connect();
        FakeBroker.Conn c = broker.accept();
        Connect connect = c.expect(Connect.class);
        assertThat(connect.version()).isEqualTo(MqttVersion.MQTT_5);
        assertThat(connect.clientId()).isEqualTo("c-fields");
        assertThat(connect.cleanStart()).isTrue();
        assertThat(connect.keepAlive()).isEqualTo(42);
        assertThat(connect.username()).isEqualTo("alice");
        assertThat(new String(connect.password(), StandardCharsets.UTF_8)).isEqualTo("secret");
        assertThat(connect.properties().sessionExpiryInterval()).isEqualTo(300L);
        assertThat(connect.properties().receiveMaximum()).isEqualTo(10);
        assertThat(connect.properties().maximumPacketSize()).isEqualTo(4096L);
        assertThat(connect.properties().topicAliasMaximum()).isEqualTo(7);
        assertThat(connect.properties().userProperties()).containsExactly(new UserProperty("app", "test"));
        assertThat(connect.will().topic()).isEqualTo("wills/c");
        assertThat(connect.will().qos()).isEqualTo(Qos.AT_LEAST_ONCE);
        assertThat(connect.will().retain()).isTrue();
        assertThat(connect.will().properties().willDelayInterval()).isEqualTo(3L);
        assertThat(connect.will().properties().contentType()).isEqualTo("text/plain");

        c.send(new ConnAck(true, ReasonCode.SUCCESS, MqttProperties.builder().receiveMaximum(5)
                .assignedClientIdentifier("assigned-1").maximumQos(Qos.AT_LEAST_ONCE).retainAvailable(false).build()));
        ConnectResult r = get(connected);
        assertThat(r.sessionPresent()).isTrue();
        assertThat(r.receiveMaximum()).isEqualTo(5);
        assertThat(r.maximumQos()).isEqualTo(Qos.AT_LEAST_ONCE);
        assertThat(r.retainAvailable()).isFalse();
        assertThat(client.clientId()).isEqualTo("assigned-1");
        assertThat(client.isConnected()).isTrue();

        // The server's limits apply: QoS 2 and retained messages fail before anything is sent.
        assertThatThrownBy(() -> get(client.publish("t", utf8("x"), Qos.EXACTLY_ONCE)))
                .hasCauseInstanceOf(MqttClientException.class).hasMessageContaining("QoS up to 1");
        assertThatThrownBy(() -> get(client.publish(MqttMessage.builder("t").retain(true).build())))
                .hasMessageContaining("retained");
    }

    @Test
    void refusedConnectionFailsWithTheReasonCode() throws Exception {
        MastClient client = track(broker.client("c-refused").build());
        CompletableFuture<ConnectResult> connected = client.connect();
        FakeBroker.Conn c = broker.accept();
        c.expect(Connect.class);
        c.send(new ConnAck(false, ReasonCode.NOT_AUTHORIZED, MqttProperties.builder().reasonString("go away").build()));
        assertThatThrownBy(() -> get(connected)).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(ConnectionRefusedException.class).hasMessageContaining("0x87 Not authorized")
                .hasMessageContaining("go away");
        ConnectionRefusedException e = (ConnectionRefusedException) connected.handle((r, t) -> t).get();
        assertThat(e.returnCode()).isEqualTo(0x87);
        assertThat(client.isConnected()).isFalse();
        assertThatThrownBy(() -> get(client.publish("t", utf8("x"), Qos.AT_MOST_ONCE)))
                .hasMessageContaining("not connected");
    }

    @Test
    void connectionRefusedByTheNetworkFailsTheConnect() {
        MastClient client = track(MastClient.builder().host("127.0.0.1").port(1).connectTimeout(FakeBroker.TIMEOUT).build());
        assertThatThrownBy(() -> get(client.connect())).cause().isInstanceOf(MqttClientException.class)
                .hasMessageContaining("cannot connect to 127.0.0.1:1");
    }

    @Test
    void qos1PublishesArePipelinedUpToTheServersReceiveMaximumAndTheRestQueued() throws Exception {
        MastClient client = track(broker.client("c-window").build());
        CompletableFuture<ConnectResult> connected = client.connect();
        FakeBroker.Conn c = broker.acceptAndConnAck(false, MqttProperties.builder().receiveMaximum(2).build());
        get(connected);

        List<CompletableFuture<PublishResult>> futures = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            futures.add(client.publish("w/" + i, utf8("m" + i), Qos.AT_LEAST_ONCE));
        }
        CompletableFuture<SubscribeResult> marker = client.subscribe("marker", Qos.AT_MOST_ONCE);
        Publish p0 = c.expect(Publish.class);
        Publish p1 = c.expect(Publish.class);
        Subscribe s = c.expect(Subscribe.class); // sent after the two: the other three wait for the window
        assertThat(p0.topic()).isEqualTo("w/0");
        assertThat(p1.topic()).isEqualTo("w/1");
        assertThat(p0.packetId()).isNotEqualTo(p1.packetId()).isNotZero();
        assertThat(client.inflightCount()).isEqualTo(2);
        assertThat(client.queuedCount()).isEqualTo(3);
        c.send(new SubAck(s.packetId(), List.of(ReasonCode.GRANTED_QOS_0), MqttProperties.EMPTY));
        assertThat(get(marker).isSuccess()).isTrue();

        c.send(new PubAck(p1.packetId(), ReasonCode.NO_MATCHING_SUBSCRIBERS, MqttProperties.EMPTY));
        Publish p2 = c.expect(Publish.class);
        assertThat(p2.topic()).isEqualTo("w/2");
        assertThat(get(futures.get(1)).reasonCode()).isEqualTo(ReasonCode.NO_MATCHING_SUBSCRIBERS);
        assertThat(futures.get(0)).isNotDone();

        c.send(new PubAck(p0.packetId()));
        c.send(new PubAck(p2.packetId(), ReasonCode.NOT_AUTHORIZED, MqttProperties.builder().reasonString("no").build()));
        Publish p3 = c.expect(Publish.class);
        Publish p4 = c.expect(Publish.class);
        c.send(new PubAck(p3.packetId()));
        c.send(new PubAck(p4.packetId()));
        assertThat(get(futures.get(0)).isSuccess()).isTrue();
        PublishResult refused = get(futures.get(2));
        assertThat(refused.isSuccess()).isFalse();
        assertThat(refused.properties().reasonString()).isEqualTo("no");
        assertThat(get(futures.get(4)).reasonCode()).isEqualTo(ReasonCode.SUCCESS);
        assertThat(List.of(p3.topic(), p4.topic())).containsExactly("w/3", "w/4");
        await().atMost(FakeBroker.TIMEOUT).until(() -> client.inflightCount() == 0 && client.queuedCount() == 0);
    }

    @Test
    void qos2PublishCompletesOnPubCompAfterPubRel() throws Exception {
        MastClient client = track(broker.client("c-qos2").build());
        CompletableFuture<ConnectResult> connected = client.connect();
        FakeBroker.Conn c = broker.acceptAndConnAck(false, MqttProperties.EMPTY);
        get(connected);

        CompletableFuture<PublishResult> f = client.publish("q2", utf8("exactly once"), Qos.EXACTLY_ONCE);
        Publish p = c.expect(Publish.class);
        assertThat(p.qos()).isEqualTo(Qos.EXACTLY_ONCE);
        assertThat(new String(p.payload(), StandardCharsets.UTF_8)).isEqualTo("exactly once");
        c.send(new PubRec(p.packetId()));
        assertThat(c.expect(PubRel.class).packetId()).isEqualTo(p.packetId());
        assertThat(f).isNotDone();
        c.send(new PubComp(p.packetId()));
        assertThat(get(f).reasonCode()).isEqualTo(ReasonCode.SUCCESS);

        CompletableFuture<PublishResult> refused = client.publish("q2", utf8("denied"), Qos.EXACTLY_ONCE);
        Publish p2 = c.expect(Publish.class);
        c.send(new PubRec(p2.packetId(), ReasonCode.QUOTA_EXCEEDED, MqttProperties.EMPTY));
        assertThat(get(refused).reasonCode()).isEqualTo(ReasonCode.QUOTA_EXCEEDED);
    }

    @Test
    void qos0PublishCompletesWhenWritten() throws Exception {
        MastClient client = track(broker.client("c-qos0").build());
        CompletableFuture<ConnectResult> connected = client.connect();
        FakeBroker.Conn c = broker.acceptAndConnAck(false, MqttProperties.EMPTY);
        get(connected);
        assertThat(get(client.publish("q0", "fire and forget", Qos.AT_MOST_ONCE))).isEqualTo(PublishResult.SUCCESS);
        Publish p = c.expect(Publish.class);
        assertThat(p.qos()).isEqualTo(Qos.AT_MOST_ONCE);
        assertThat(p.packetId()).isZero();
    }

    @Test
    void incomingQos2IsDeliveredOnceHoweverOftenTheServerResendsIt() throws Exception {
        List<MqttMessage> got = new CopyOnWriteArrayList<>();
        MastClient client = track(broker.client("c-in2").onMessage(got::add).build());
        CompletableFuture<ConnectResult> connected = client.connect();
        FakeBroker.Conn c = broker.acceptAndConnAck(false, MqttProperties.EMPTY);
        get(connected);

        Publish in = new Publish(false, Qos.EXACTLY_ONCE, false, "in/2", 7, MqttProperties.EMPTY, utf8("once"));
        c.send(in);
        assertThat(c.expect(PubRec.class).packetId()).isEqualTo(7);
        c.send(new Publish(true, Qos.EXACTLY_ONCE, false, "in/2", 7, MqttProperties.EMPTY, utf8("once")));
        assertThat(c.expect(PubRec.class).packetId()).isEqualTo(7);
        c.send(new PubRel(7));
        assertThat(c.expect(PubComp.class).packetId()).isEqualTo(7);
        // The identifier is free again: a new message with it is a new message.
        c.send(new Publish(false, Qos.EXACTLY_ONCE, false, "in/2", 7, MqttProperties.EMPTY, utf8("twice")));
        c.expect(PubRec.class);
        c.send(new PubRel(7));
        c.expect(PubComp.class);
        assertThat(got).extracting(MqttMessage::payloadAsString).containsExactly("once", "twice");
    }

    @Test
    void incomingQos1IsAcknowledgedAfterTheListenerAndAListenerFailureChangesNothing() throws Exception {
        List<String> got = new CopyOnWriteArrayList<>();
        MastClient client = track(broker.client("c-in1")
                .onMessage(m -> {
                    throw new IllegalStateException("listener bug");
                })
                .onMessage(m -> got.add(m.topic() + " " + m.payloadAsString() + " q" + m.qos().level()))
                .build());
        CompletableFuture<ConnectResult> connected = client.connect();
        FakeBroker.Conn c = broker.acceptAndConnAck(false, MqttProperties.EMPTY);
        get(connected);
        c.send(new Publish(false, Qos.AT_LEAST_ONCE, false, "in/1", 3, MqttProperties.EMPTY, utf8("a")));
        assertThat(c.expect(PubAck.class).packetId()).isEqualTo(3);
        c.send(new Publish(false, Qos.AT_MOST_ONCE, true, "in/0", 0, MqttProperties.EMPTY, utf8("b")));
        c.send(new Publish(false, Qos.AT_LEAST_ONCE, false, "in/1", 4, MqttProperties.EMPTY, utf8("c")));
        assertThat(c.expect(PubAck.class).packetId()).isEqualTo(4);
        assertThat(got).containsExactly("in/1 a q1", "in/0 b q0", "in/1 c q1");
        assertThat(client.isConnected()).isTrue();
    }

    @Test
    void subscriptionListenersGetTheirMessagesAndUnsubscribeRemovesThem() throws Exception {
        List<String> all = new CopyOnWriteArrayList<>();
        List<String> sensors = new CopyOnWriteArrayList<>();
        List<String> shared = new CopyOnWriteArrayList<>();
        MastClient client = track(broker.client("c-subs").onMessage(m -> all.add(m.topic())).build());
        CompletableFuture<ConnectResult> connected = client.connect();
        FakeBroker.Conn c = broker.acceptAndConnAck(false, MqttProperties.EMPTY);
        get(connected);

        CompletableFuture<SubscribeResult> s1 = client.subscribe("sensors/+/temp", Qos.AT_LEAST_ONCE, m -> sensors.add(m.topic()));
        Subscribe sub = c.expect(Subscribe.class);
        assertThat(sub.subscriptions().get(0).topicFilter()).isEqualTo("sensors/+/temp");
        c.send(new SubAck(sub.packetId(), List.of(ReasonCode.GRANTED_QOS_1), MqttProperties.EMPTY));
        assertThat(get(s1).reasonCodes()).containsExactly(ReasonCode.GRANTED_QOS_1);

        CompletableFuture<SubscribeResult> s2 = client.subscribe("$share/g/jobs/#", Qos.AT_MOST_ONCE, m -> shared.add(m.topic()));
        Subscribe sub2 = c.expect(Subscribe.class);
        c.send(new SubAck(sub2.packetId(), List.of(ReasonCode.GRANTED_QOS_0), MqttProperties.EMPTY));
        get(s2);
        CompletableFuture<SubscribeResult> s3 = client.subscribe("denied/#", Qos.AT_MOST_ONCE, m -> shared.add("denied"));
        Subscribe sub3 = c.expect(Subscribe.class);
        c.send(new SubAck(sub3.packetId(), List.of(ReasonCode.NOT_AUTHORIZED), MqttProperties.EMPTY));
        assertThat(get(s3).isSuccess()).isFalse();

        c.send(new Publish(false, Qos.AT_MOST_ONCE, false, "sensors/a/temp", 0, MqttProperties.EMPTY, utf8("1")));
        c.send(new Publish(false, Qos.AT_MOST_ONCE, false, "jobs/x", 0, MqttProperties.EMPTY, utf8("2")));
        c.send(new Publish(false, Qos.AT_MOST_ONCE, false, "denied/x", 0, MqttProperties.EMPTY, utf8("3")));
        await().atMost(FakeBroker.TIMEOUT).until(() -> all.size() == 3);
        assertThat(sensors).containsExactly("sensors/a/temp");
        assertThat(shared).containsExactly("jobs/x");

        CompletableFuture<UnsubscribeResult> u = client.unsubscribe("sensors/+/temp");
        Unsubscribe unsub = c.expect(Unsubscribe.class);
        c.send(new UnsubAck(unsub.packetId(), List.of(ReasonCode.SUCCESS), MqttProperties.EMPTY));
        assertThat(get(u).isSuccess()).isTrue();
        c.send(new Publish(false, Qos.AT_MOST_ONCE, false, "sensors/b/temp", 0, MqttProperties.EMPTY, utf8("4")));
        await().atMost(FakeBroker.TIMEOUT).until(() -> all.size() == 4);
        assertThat(sensors).containsExactly("sensors/a/temp");
    }

    @Test
    void mqtt311SpeaksWithoutPropertiesAndUnsubAckHasNoReasonCodes() throws Exception {
        List<MqttMessage> got = new CopyOnWriteArrayList<>();
        MastClient client = track(broker.client("c-v3").version(MqttVersion.MQTT_3_1_1).cleanStart(false)
                .sessionExpiry(60).onMessage(got::add).build());
        CompletableFuture<ConnectResult> connected = client.connect();
        FakeBroker.Conn c = broker.accept();
        Connect connect = c.expect(Connect.class);
        assertThat(connect.version()).isEqualTo(MqttVersion.MQTT_3_1_1);
        assertThat(connect.cleanStart()).isFalse();
        assertThat(connect.properties()).isEqualTo(MqttProperties.EMPTY);
        c.send(new ConnAck(false, ReasonCode.SUCCESS, MqttProperties.EMPTY));
        assertThat(get(connected).version()).isEqualTo(MqttVersion.MQTT_3_1_1);

        CompletableFuture<PublishResult> f = client.publish(MqttMessage.builder("v3/t").payload("x").qos(1)
                .userProperty("dropped", "in 3.1.1").build());
        Publish p = c.expect(Publish.class);
        assertThat(p.properties()).isEqualTo(MqttProperties.EMPTY);
        c.send(new PubAck(p.packetId()));
        assertThat(get(f).isSuccess()).isTrue();

        CompletableFuture<UnsubscribeResult> u = client.unsubscribe("a", "b");
        Unsubscribe unsub = c.expect(Unsubscribe.class);
        c.send(new UnsubAck(unsub.packetId(), List.of(), MqttProperties.EMPTY));
        assertThat(get(u).reasonCodes()).containsExactly(ReasonCode.SUCCESS, ReasonCode.SUCCESS);

        c.send(new Publish(false, Qos.EXACTLY_ONCE, false, "v3/in", 9, MqttProperties.EMPTY, utf8("y")));
        c.expect(PubRec.class);
        c.send(new PubRel(9));
        c.expect(PubComp.class);
        assertThat(got).extracting(MqttMessage::topic).containsExactly("v3/in");

        CompletableFuture<Void> d = client.disconnect();
        c.expect(Disconnect.class);
        get(d);
        assertThat(client.isConnected()).isFalse();
    }

    @Test
    void blockingViewConnectsPublishesSubscribesAndReceives() throws Exception {
        BlockingMastClient client = track(broker.client("c-blocking").build()).toBlocking(FakeBroker.TIMEOUT);
        Thread script = Thread.ofVirtual().start(() -> {
            try {
                FakeBroker.Conn c = broker.acceptAndConnAck(false, MqttProperties.EMPTY);
                Subscribe s = c.expect(Subscribe.class);
                c.send(new SubAck(s.packetId(), List.of(ReasonCode.GRANTED_QOS_1), MqttProperties.EMPTY));
                Publish p = c.expect(Publish.class);
                c.send(new PubAck(p.packetId()));
                c.send(new Publish(false, Qos.AT_LEAST_ONCE, false, "b/reply", 1, MqttProperties.EMPTY, p.payload()));
                c.expect(PubAck.class);
            } catch (Exception | AssertionError e) {
                throw new RuntimeException(e);
            }
        });
        assertThat(client.connect().sessionPresent()).isFalse();
        assertThat(client.subscribe("b/#", Qos.AT_LEAST_ONCE).reasonCodes()).containsExactly(ReasonCode.GRANTED_QOS_1);
        assertThat(client.publish(MqttMessage.of("b/request", "ping", Qos.AT_LEAST_ONCE)).isSuccess()).isTrue();
        MqttMessage reply = client.receive(FakeBroker.TIMEOUT);
        assertThat(reply).isNotNull();
        assertThat(reply.topic()).isEqualTo("b/reply");
        assertThat(reply.payloadAsString()).isEqualTo("ping");
        script.join(FakeBroker.TIMEOUT.toMillis());
        assertThat(script.isAlive()).isFalse();
    }
}
