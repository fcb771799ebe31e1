package io.mast.it;

import static io.mast.it.PluginTesting.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;

import io.mast.codec.MqttProperties;
import io.mast.codec.MqttVersion;
import io.mast.codec.Qos;
import io.mast.codec.ReasonCode;
import io.mast.codec.packet.ConnAck;
import io.mast.codec.packet.Connect;
import io.mast.codec.packet.PingReq;
import io.mast.codec.packet.PingResp;
import io.mast.codec.packet.PubAck;
import io.mast.codec.packet.PubRec;
import io.mast.codec.packet.Publish;
import io.mast.codec.packet.Subscription;
import io.mast.plugin.AsyncAuthPlugin;
import io.mast.plugin.AsyncPublishPlugin;
import io.mast.plugin.AsyncTopicPlugin;
import io.mast.plugin.AuthDecision;
import io.mast.plugin.AuthPlugin;
import io.mast.plugin.BrokerContext;
import io.mast.plugin.BrokerPlugin;
import io.mast.plugin.ClientInfo;
import io.mast.plugin.ConnectInfo;
import io.mast.plugin.Decision;
import io.mast.plugin.DropReason;
import io.mast.plugin.Message;
import io.mast.plugin.NonBlocking;
import io.mast.plugin.PublishDecision;
import io.mast.plugin.Reason;
import io.mast.plugin.TopicAction;
import io.mast.testkit.MastBrokerExtension;
import io.mast.testkit.RawMqttClient;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Asynchronous decisions (a plugin returning a {@link CompletionStage} that the test completes when it chooses) and
 * where decisions run: the client's later packets wait behind a pending decision, PUBACK/PUBREC go out only once the
 * publish decision is known, a pending RECEIVE decision holds that subscriber's later deliveries in order, a plain
 * (blocking) decision runs on a virtual thread and a {@link NonBlocking} one on the network thread.
 */
class PluginAsyncIT {

    /** A decision the test completes. */
    record Pending<T>(String subject, CompletableFuture<T> decision) {
    }

    static final BlockingQueue<Pending<AuthDecision>> AUTH = new LinkedBlockingQueue<>();
    static final BlockingQueue<Pending<PublishDecision>> PUBLISH = new LinkedBlockingQueue<>();
    static final BlockingQueue<Pending<Decision>> RECEIVE = new LinkedBlockingQueue<>();
    static final List<String> DROPPED = new CopyOnWriteArrayList<>();

    /**
     * Holds the login of user {@code held}, publishes to topics containing {@code held-pub} and deliveries of topics
     * containing {@code /held} until the test answers; allows everything else at once.
     */
    public static final class Held extends BrokerPlugin implements AsyncAuthPlugin, AsyncTopicPlugin, AsyncPublishPlugin {
        public Held(BrokerContext context) {
            super(context);
        }

        @Override
        public CompletionStage<AuthDecision> authenticate(ConnectInfo connect) {
            if (!"held".equals(connect.username())) {
                return CompletableFuture.completedFuture(AuthDecision.allow());
            }
            CompletableFuture<AuthDecision> f = new CompletableFuture<>();
            AUTH.add(new Pending<>(connect.clientId(), f));
            return f;
        }

        @Override
        public Set<TopicAction> actions() {
            return EnumSet.of(TopicAction.RECEIVE);
        }

        @Override
        public CompletionStage<Decision> authorize(ClientInfo client, TopicAction action, String topic) {
            if (!topic.contains("/held")) {
                return CompletableFuture.completedFuture(Decision.ALLOW);
            }
            CompletableFuture<Decision> f = new CompletableFuture<>();
            RECEIVE.add(new Pending<>(client.clientId() + " " + topic, f));
            return f;
        }

        @Override
        public CompletionStage<PublishDecision> onPublish(ClientInfo publisher, Message message) {
            if (!message.topic().contains("held-pub")) {
                return CompletableFuture.completedFuture(PublishDecision.proceed(message));
            }
            CompletableFuture<PublishDecision> f = new CompletableFuture<>();
            PUBLISH.add(new Pending<>(message.topic() + " " + message.payloadAsString(), f));
            return f;
        }

        @Override
        public void onMessageDropped(ClientInfo subscriber, Message message, DropReason reason) {
            DROPPED.add((subscriber == null ? "-" : subscriber.clientId()) + " " + message.topic() + " " + reason);
        }
    }

    /** Where decisions run, by plugin and client: {@code blocking auth-threads} to the thread. */
    static final Map<String, Thread> THREADS = new ConcurrentHashMap<>();

    /** A plain decision method: called where it may block. */
    public static final class Blocking extends BrokerPlugin implements AuthPlugin {
        public Blocking(BrokerContext context) {
            super(context);
        }

        @Override
        public AuthDecision authenticate(ConnectInfo connect) {
            THREADS.put("blocking " + connect.clientId(), Thread.currentThread());
            return AuthDecision.abstain();
        }
    }

    /** The same method marked as never blocking: called on the network thread. */
    public static final class Inline extends BrokerPlugin implements AuthPlugin {
        public Inline(BrokerContext context) {
            super(context);
        }

        @Override
        @NonBlocking
        public AuthDecision authenticate(ConnectInfo connect) {
            THREADS.put("inline " + connect.clientId(), Thread.currentThread());
            return AuthDecision.abstain();
        }
    }

    @RegisterExtension
    static final MastBrokerExtension broker = MastBrokerExtension.create()
            .plugin(Inline.class) // first: after a plugin that answered on its own thread, the chain goes on there
            .plugin(Blocking.class)
            .plugin(Held.class);

    @RegisterExtension
    final V5Clients clients = new V5Clients(broker);

    private static <T> Pending<T> next(BlockingQueue<Pending<T>> q) throws InterruptedException {
        Pending<T> p = q.poll(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(p).as("a pending decision").isNotNull();
        return p;
    }

    /** Nothing reached the client: what it was sent before was answered, and nothing else is on its way. */
    private static void assertNothingReceived(RawMqttClient c) throws IOException {
        assertThat(c.read(Duration.ofMillis(200))).as("nothing sent before the decision").isNull();
    }

    // ---- Authentication ----

    @Test
    void aPendingLoginHoldsTheClientsPacketsAndOthersAreServed() throws Exception {
        try (RawMqttClient c = clients.raw()) {
            c.send(new Connect(MqttVersion.MQTT_5, true, 60, "async-login", null, "held", null, MqttProperties.EMPTY));
            c.send(PingReq.INSTANCE); // may be sent before CONNACK; it waits behind the decision
            Pending<AuthDecision> login = next(AUTH);
            assertThat(login.subject()).isEqualTo("async-login");

            RawProtocol.assertStillServing(broker.port());
            assertNothingReceived(c);

            login.decision().complete(AuthDecision.allow());
            assertThat(c.expect(ConnAck.class, TIMEOUT).reasonCode()).isEqualTo(ReasonCode.SUCCESS);
            c.expect(PingResp.class, TIMEOUT);
        }
    }

    @Test
    void aPendingLoginRefusedLaterGetsThePluginsReason() throws Exception {
        try (RawMqttClient c = clients.raw()) {
            c.send(new Connect(MqttVersion.MQTT_5, true, 60, "async-refused", null, "held", null, MqttProperties.EMPTY));
            Pending<AuthDecision> login = next(AUTH);
            assertNothingReceived(c);
            login.decision().complete(AuthDecision.deny(Reason.BANNED, "go away"));
            RawProtocol.assertRefused(c, ReasonCode.BANNED);
        }
    }

    // ---- PUBACK after the publish decision ----

    @Test
    void mqtt5PublisherGetsItsAcknowledgementOnlyOnceThePublishDecisionIsKnown() throws Exception {
        RawMqttClient sub = clients.raw("held-sub", MqttProperties.EMPTY);
        V5Clients.subscribe(sub, 1, MqttProperties.EMPTY, new Subscription("held-pub/#", Qos.AT_LEAST_ONCE));
        RawMqttClient pub = clients.raw("held-pub-5", MqttProperties.EMPTY);

        // Denied later: PUBACK 0x87 then, and nothing before.
        pub.send(new Publish(false, Qos.AT_LEAST_ONCE, false, "held-pub/a", 7, MqttProperties.EMPTY, V5Clients.utf8("one")));
        Pending<PublishDecision> first = next(PUBLISH);
        assertThat(first.subject()).isEqualTo("held-pub/a one");
        RawProtocol.assertStillServing(broker.port());
        assertNothingReceived(pub);
        first.decision().complete(PublishDecision.deny(Reason.NOT_AUTHORIZED, "not now"));
        PubAck denied = pub.expect(PubAck.class, TIMEOUT);
        assertThat(denied.packetId()).isEqualTo(7);
        assertThat(denied.reasonCode()).isEqualTo(ReasonCode.NOT_AUTHORIZED);

        // QoS 2: PUBREC carries the decision.
        pub.send(new Publish(false, Qos.EXACTLY_ONCE, false, "held-pub/b", 8, MqttProperties.EMPTY, V5Clients.utf8("two")));
        Pending<PublishDecision> second = next(PUBLISH);
        assertNothingReceived(pub);
        second.decision().complete(PublishDecision.deny(Reason.QUOTA_EXCEEDED, "full"));
        PubRec rec = pub.expect(PubRec.class, TIMEOUT);
        assertThat(rec.packetId()).isEqualTo(8);
        assertThat(rec.reasonCode()).isEqualTo(ReasonCode.QUOTA_EXCEEDED);

        // Allowed later, with a changed payload: PUBACK success, and the subscriber gets the changed message first.
        pub.send(new Publish(false, Qos.AT_LEAST_ONCE, false, "held-pub/c", 9, MqttProperties.EMPTY, V5Clients.utf8("three")));
        Pending<PublishDecision> third = next(PUBLISH);
        assertNothingReceived(pub);
        third.decision().complete(PublishDecision.proceed(Message.builder("held-pub/c").payload("THREE").qos(1).build()));
        PubAck ok = pub.expect(PubAck.class, TIMEOUT);
        assertThat(ok.packetId()).isEqualTo(9);
        assertThat(ok.reasonCode()).isEqualTo(ReasonCode.SUCCESS);
        Publish got = V5Clients.nextPublish(sub);
        assertThat(got.topic()).as("the denied messages were not delivered").isEqualTo("held-pub/c");
        assertThat(V5Clients.text(got.payload())).isEqualTo("THREE");
    }

    @Test
    void decisionsOfOneClientsPublishesOverlapAndTheirResultsKeepArrivalOrder() throws Exception {
        RawMqttClient sub = clients.raw("held-order-sub", MqttProperties.EMPTY);
        V5Clients.subscribe(sub, 1, MqttProperties.EMPTY, new Subscription("held-pub/order/#", Qos.AT_LEAST_ONCE));
        RawMqttClient pub = clients.raw("held-order-pub", MqttProperties.EMPTY);
        for (int i = 1; i <= 3; i++) {
            pub.send(new Publish(false, Qos.AT_LEAST_ONCE, false, "held-pub/order/" + i, 20 + i, MqttProperties.EMPTY,
                    V5Clients.utf8("m" + i)));
        }
        pub.send(new io.mast.codec.packet.Subscribe(30, List.of(new Subscription("other/#", Qos.AT_MOST_ONCE)),
                MqttProperties.EMPTY));
        pub.send(PingReq.INSTANCE); // answered in its turn, after the SUBSCRIBE

        // All three decisions are asked before any is answered, in arrival order.
        Pending<PublishDecision> first = next(PUBLISH);
        Pending<PublishDecision> second = next(PUBLISH);
        Pending<PublishDecision> third = next(PUBLISH);
        assertThat(List.of(first.subject(), second.subject(), third.subject()))
                .containsExactly("held-pub/order/1 m1", "held-pub/order/2 m2", "held-pub/order/3 m3");

        // Answers in reverse order: nothing is carried out before the first message's answer.
        third.decision().complete(PublishDecision.proceed(Message.builder("held-pub/order/3").payload("m3").qos(1).build()));
        second.decision().complete(PublishDecision.deny(Reason.NOT_AUTHORIZED, "not this one"));
        assertNothingReceived(pub);
        assertNothingReceived(sub);
        first.decision().complete(PublishDecision.proceed(Message.builder("held-pub/order/1").payload("m1").qos(1).build()));

        PubAck a1 = pub.expect(PubAck.class, TIMEOUT);
        PubAck a2 = pub.expect(PubAck.class, TIMEOUT);
        PubAck a3 = pub.expect(PubAck.class, TIMEOUT);
        assertThat(List.of(a1.packetId(), a2.packetId(), a3.packetId())).containsExactly(21, 22, 23);
        assertThat(List.of(a1.reasonCode(), a2.reasonCode(), a3.reasonCode()))
                .containsExactly(ReasonCode.SUCCESS, ReasonCode.NOT_AUTHORIZED, ReasonCode.SUCCESS);
        assertThat(pub.expect(io.mast.codec.packet.SubAck.class, TIMEOUT).packetId())
                .as("the SUBSCRIBE waited for the messages before it").isEqualTo(30);
        pub.expect(PingResp.class, TIMEOUT);
        assertThat(V5Clients.text(V5Clients.nextPublish(sub).payload())).isEqualTo("m1");
        assertThat(V5Clients.text(V5Clients.nextPublish(sub).payload())).isEqualTo("m3");
    }

    @Test
    void aQos2ReSendArrivingWhileTheFirstCopyIsDecidedIsRoutedOnce() throws Exception {
        RawMqttClient sub = clients.raw("held-dup-sub", MqttProperties.EMPTY);
        V5Clients.subscribe(sub, 1, MqttProperties.EMPTY, new Subscription("held-pub/dup/#", Qos.AT_LEAST_ONCE));
        RawMqttClient pub = clients.raw("held-dup-pub", MqttProperties.EMPTY);
        pub.send(new Publish(false, Qos.EXACTLY_ONCE, false, "held-pub/dup/x", 40, MqttProperties.EMPTY,
                V5Clients.utf8("once")));
        Pending<PublishDecision> decision = next(PUBLISH);
        // The client sends it again (DUP) before the first copy is decided.
        pub.send(new Publish(true, Qos.EXACTLY_ONCE, false, "held-pub/dup/x", 40, MqttProperties.EMPTY,
                V5Clients.utf8("once")));
        RawProtocol.assertStillServing(broker.port());
        assertThat(PUBLISH.poll(200, TimeUnit.MILLISECONDS)).as("no second decision for the re-send").isNull();

        decision.decision().complete(PublishDecision.proceed(
                Message.builder("held-pub/dup/x").payload("once").qos(2).build()));
        assertThat(pub.expect(PubRec.class, TIMEOUT).packetId()).isEqualTo(40);
        pub.send(new io.mast.codec.packet.PubRel(40));
        assertThat(pub.expect(io.mast.codec.packet.PubComp.class, TIMEOUT).reasonCode()).isEqualTo(ReasonCode.SUCCESS);

        pub.send(new Publish(false, Qos.AT_LEAST_ONCE, false, "held-pub/dup/marker", 41, MqttProperties.EMPTY,
                V5Clients.utf8("marker")));
        next(PUBLISH).decision().complete(PublishDecision.proceed(
                Message.builder("held-pub/dup/marker").payload("marker").qos(1).build()));
        assertThat(V5Clients.text(V5Clients.nextPublish(sub).payload())).isEqualTo("once");
        assertThat(V5Clients.nextPublish(sub).topic()).as("routed once: the marker comes next")
                .isEqualTo("held-pub/dup/marker");
    }

    @Test
    void mqtt311PublisherIsAcknowledgedAfterTheDecisionAndItsRefusedMessageDropped() throws Exception {
        RawMqttClient sub = clients.raw("held-sub-3", MqttProperties.EMPTY);
        V5Clients.subscribe(sub, 1, MqttProperties.EMPTY, new Subscription("held-pub/v3/#", Qos.AT_LEAST_ONCE));
        try (RawMqttClient pub = V311Clients.raw(broker, V311Clients.connect("held-pub-3", true, 60, null))) {
            pub.send(V311Clients.publish("held-pub/v3/x", "refused", Qos.AT_LEAST_ONCE, 3, false, false));
            Pending<PublishDecision> refused = next(PUBLISH);
            assertNothingReceived(pub);
            refused.decision().complete(PublishDecision.deny(Reason.NOT_AUTHORIZED, null));
            assertThat(pub.expect(PubAck.class, TIMEOUT).packetId()).isEqualTo(3);

            pub.send(V311Clients.publish("held-pub/v3/y", "accepted", Qos.AT_LEAST_ONCE, 4, false, false));
            next(PUBLISH).decision().complete(PublishDecision.proceed(
                    Message.builder("held-pub/v3/y").payload("accepted").qos(1).build()));
            assertThat(pub.expect(PubAck.class, TIMEOUT).packetId()).isEqualTo(4);
        }
        Publish got = V5Clients.nextPublish(sub);
        assertThat(got.topic()).as("the refused message was dropped").isEqualTo("held-pub/v3/y");
    }

    // ---- RECEIVE: per subscriber, in order ----

    @Test
    void aPendingReceiveDecisionHoldsThatSubscribersLaterDeliveriesInOrder() throws Exception {
        RawMqttClient sub = clients.raw("receiver", MqttProperties.EMPTY);
        V5Clients.subscribe(sub, 1, MqttProperties.EMPTY, new Subscription("recv/#", Qos.AT_LEAST_ONCE));
        RawMqttClient pub = clients.raw("receive-pub", MqttProperties.EMPTY);

        V5Clients.publishQos1(pub, 1, "recv/held", MqttProperties.EMPTY, V5Clients.utf8("1"));
        Pending<Decision> held = next(RECEIVE);
        assertThat(held.subject()).isEqualTo("receiver recv/held");
        // Decided at once for the subscriber, but they must not overtake the pending one.
        V5Clients.publishQos1(pub, 2, "recv/2", MqttProperties.EMPTY, V5Clients.utf8("2"));
        V5Clients.publishQos1(pub, 3, "recv/3", MqttProperties.EMPTY, V5Clients.utf8("3"));
        assertNothingReceived(sub);

        held.decision().complete(Decision.ALLOW);
        List<String> order = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Publish p = V5Clients.nextPublish(sub);
            order.add(p.topic());
            sub.send(new PubAck(p.packetId()));
        }
        assertThat(order).containsExactly("recv/held", "recv/2", "recv/3");

        // Denied later: dropped for this subscriber, those behind it still follow in order.
        V5Clients.publishQos1(pub, 4, "recv/held/again", MqttProperties.EMPTY, V5Clients.utf8("4"));
        Pending<Decision> refused = next(RECEIVE);
        V5Clients.publishQos1(pub, 5, "recv/5", MqttProperties.EMPTY, V5Clients.utf8("5"));
        assertNothingReceived(sub);
        refused.decision().complete(Decision.DENY);
        assertThat(V5Clients.nextPublish(sub).topic()).isEqualTo("recv/5");
        org.awaitility.Awaitility.await().atMost(TIMEOUT).untilAsserted(() ->
                assertThat(DROPPED).contains("receiver recv/held/again NOT_AUTHORIZED"));
    }

    // ---- Threads ----

    @Test
    void plainDecisionsRunOnVirtualThreadsAndNonBlockingOnesOnTheNetworkThread() throws Exception {
        clients.raw("threads", MqttProperties.EMPTY);
        Thread blocking = THREADS.get("blocking threads");
        Thread inline = THREADS.get("inline threads");
        assertThat(blocking.isVirtual()).as("plain method on a virtual thread: " + blocking).isTrue();
        assertThat(blocking.getName()).startsWith("plugin-decision-");
        assertThat(inline.isVirtual()).as("@NonBlocking on the network thread: " + inline).isFalse();
        assertThat(inline.getName()).startsWith("mast-io");
    }
}
