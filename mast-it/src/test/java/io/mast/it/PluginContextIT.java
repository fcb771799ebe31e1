package io.mast.it;

import static io.mast.it.PluginTesting.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.mast.codec.MqttProperties;
import io.mast.codec.MqttVersion;
import io.mast.codec.Qos;
import io.mast.codec.ReasonCode;
import io.mast.codec.packet.ConnAck;
import io.mast.codec.packet.Connect;
import io.mast.codec.packet.PubAck;
import io.mast.codec.packet.Publish;
import io.mast.codec.packet.Subscription;
import io.mast.plugin.BrokerContext;
import io.mast.plugin.BrokerPlugin;
import io.mast.plugin.ClientInfo;
import io.mast.plugin.Decision;
import io.mast.plugin.Message;
import io.mast.plugin.NonBlocking;
import io.mast.plugin.SessionInfo;
import io.mast.plugin.TopicAction;
import io.mast.plugin.TopicPlugin;
import io.mast.testkit.MastBrokerExtension;
import io.mast.testkit.RawMqttClient;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What a plugin can do through its {@link BrokerContext}: publish (through the topic plugins like anyone), set, read
 * and clear retained messages, look at sessions, subscribe a client (creating an offline session whose messages wait
 * for the client), unsubscribe, disconnect a client, and keep metrics of its own.
 */
class PluginContextIT {

    /**
     * Hands its context to the test; denies publishing to {@code ctx/forbidden} (even for the broker) and receiving
     * {@code ctx/offline/secret}; records a few events.
     */
    @NonBlocking
    public static final class Services extends BrokerPlugin implements TopicPlugin {
        static volatile BrokerContext context;
        static final List<String> EVENTS = new CopyOnWriteArrayList<>();

        public record Config(String greeting) {
        }

        public Services(BrokerContext context) {
            super(context);
            Services.context = context;
        }

        @Override
        public java.util.Set<TopicAction> actions() {
            return java.util.EnumSet.of(TopicAction.PUBLISH, TopicAction.RECEIVE);
        }

        @Override
        public Decision authorize(ClientInfo client, TopicAction action, String topic) {
            return topic.equals(action == TopicAction.PUBLISH ? "ctx/forbidden" : "ctx/offline/secret") ? Decision.DENY
                    : Decision.ABSTAIN;
        }

        @Override
        public void onSessionCreated(SessionInfo session) {
            EVENTS.add("created " + session.clientId() + " connected=" + session.connected());
        }

        @Override
        public void onClientDisconnected(ClientInfo client, io.mast.plugin.DisconnectInfo disconnect) {
            EVENTS.add("disconnected " + client.clientId() + " " + disconnect.reason());
        }

        @Override
        public void onRetainedMessageSet(ClientInfo client, Message message) {
            EVENTS.add("set " + message.topic() + " by " + (client == null ? "the broker" : client.clientId()));
        }

        @Override
        public void onRetainedMessageCleared(ClientInfo client, String topic) {
            EVENTS.add("cleared " + topic + " by " + (client == null ? "the broker" : client.clientId()));
        }
    }

    @RegisterExtension
    static final MastBrokerExtension broker = MastBrokerExtension.create()
            .plugin(Services.class, Map.of("greeting", "hi"));

    @RegisterExtension
    final V5Clients clients = new V5Clients(broker);

    private static BrokerContext ctx() {
        return Services.context;
    }

    private static <T> T get(CompletionStage<T> stage) throws Exception {
        return stage.toCompletableFuture().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }

    private static Connect connect(String clientId, boolean cleanStart, long expiry) {
        return new Connect(MqttVersion.MQTT_5, cleanStart, 60, clientId, null, null, null,
                MqttProperties.builder().sessionExpiryInterval(expiry).build());
    }

    @Test
    void theContextNamesThePluginAndGivesItsConfig() {
        assertThat(ctx().pluginName()).isEqualTo(Services.class.getName());
        assertThat(ctx().config(Services.Config.class).greeting()).isEqualTo("hi");
        assertThat(ctx().brokerName()).isEqualTo(broker.broker().config().name());
        assertThat(ctx().startedAt()).isPositive().isLessThanOrEqualTo(System.currentTimeMillis());
        assertThat(ctx().logger().getName()).isEqualTo(Services.class.getName());
    }

    @Test
    void publishGoesThroughTheTopicPluginsAndCountsDeliveries() throws Exception {
        RawMqttClient sub = clients.raw("ctx-sub", MqttProperties.EMPTY);
        V5Clients.subscribe(sub, 1, MqttProperties.EMPTY, new Subscription("ctx/#", Qos.AT_LEAST_ONCE));

        assertThat(get(ctx().publish(Message.builder("ctx/forbidden").payload("no").qos(1).build())))
                .as("denied by the topic plugin").isZero();
        assertThat(get(ctx().publish(Message.builder("ctx/news").payload("hello").qos(1)
                .userProperty("from", "plugin").build()))).isEqualTo(1);
        Publish p = V5Clients.nextPublish(sub);
        assertThat(p.topic()).as("the denied message was not delivered").isEqualTo("ctx/news");
        assertThat(V5Clients.text(p.payload())).isEqualTo("hello");
        assertThat(p.qos()).isEqualTo(Qos.AT_LEAST_ONCE);
        assertThat(p.properties().userProperties()).extracting(u -> u.name() + "=" + u.value()).containsExactly("from=plugin");
        sub.send(new PubAck(p.packetId()));
        assertThat(get(ctx().publish(Message.of("nobody/listens", "x")))).isZero();
    }

    @Test
    void retainedMessagesCanBeSetReadAndClearedWithoutDelivering() throws Exception {
        RawMqttClient live = clients.raw("ctx-live", MqttProperties.EMPTY);
        V5Clients.subscribe(live, 1, MqttProperties.EMPTY, new Subscription("ctx/retained/#", Qos.AT_LEAST_ONCE));

        ctx().setRetained(Message.builder("ctx/retained/a").payload("kept").qos(1).build());
        assertThat(ctx().retained("ctx/retained/a")).map(Message::payloadAsString).contains("kept");
        assertThat(ctx().retained("ctx/retained/a").orElseThrow().retain()).isTrue();

        RawMqttClient late = clients.raw("ctx-late", MqttProperties.EMPTY);
        V5Clients.subscribe(late, 1, MqttProperties.EMPTY, new Subscription("ctx/retained/#", Qos.AT_LEAST_ONCE));
        Publish r = V5Clients.nextPublish(late);
        assertThat(r.topic()).isEqualTo("ctx/retained/a");
        assertThat(r.retain()).isTrue();
        assertThat(V5Clients.text(r.payload())).isEqualTo("kept");

        assertThat(ctx().clearRetained("ctx/retained/a")).isTrue();
        assertThat(ctx().clearRetained("ctx/retained/a")).as("nothing left to clear").isFalse();
        assertThat(ctx().retained("ctx/retained/a")).isEmpty();
        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(Services.EVENTS)
                .containsSubsequence("set ctx/retained/a by the broker", "cleared ctx/retained/a by the broker"));
        // Setting a retained message delivers it to nobody: the live subscriber got nothing.
        assertThat(live.read(java.time.Duration.ofMillis(200))).isNull();
    }

    @Test
    void sessionSnapshotsShowClientsAndTheirSubscriptions() throws Exception {
        RawMqttClient c = clients.raw(connect("ctx-snap", true, 120));
        V5Clients.subscribe(c, 1, MqttProperties.builder().addSubscriptionIdentifier(7).build(),
                new Subscription("ctx/snap/+", Qos.EXACTLY_ONCE));
        SessionInfo s = get(ctx().session("ctx-snap")).orElseThrow();
        assertThat(s.clientId()).isEqualTo("ctx-snap");
        assertThat(s.connected()).isTrue();
        assertThat(s.expiryIntervalSeconds()).isEqualTo(120);
        assertThat(s.client().protocolVersion()).isEqualTo(5);
        assertThat(s.client().remoteAddress().getAddress().isLoopbackAddress()).isTrue();
        assertThat(s.subscriptions()).containsExactly(new io.mast.plugin.Subscription("ctx/snap/+", 2, false, false, 0, 7));
        assertThat(ctx().sessionIds()).contains("ctx-snap");
        assertThat(get(ctx().session("ctx-nobody"))).isEmpty();
    }

    @Test
    void subscribingForAnAbsentClientCreatesAnOfflineSessionWhoseMessagesWaitForIt() throws Exception {
        String id = "ctx-offline";
        get(ctx().subscribe(id, io.mast.plugin.Subscription.of("ctx/offline/#", 1)));
        assertThat(ctx().sessionIds()).contains(id);
        SessionInfo created = get(ctx().session(id)).orElseThrow();
        assertThat(created.connected()).isFalse();
        assertThat(created.client()).as("no client used it yet").isNull();

        assertThat(get(ctx().publish(Message.builder("ctx/offline/1").payload("one").qos(1).build()))).isEqualTo(1);
        // Not for this client: its RECEIVE is checked once the client is known, when it connects.
        assertThat(get(ctx().publish(Message.builder("ctx/offline/secret").payload("s").qos(1).build()))).isEqualTo(1);
        assertThat(get(ctx().publish(Message.builder("ctx/offline/2").payload("two").qos(1).build()))).isEqualTo(1);
        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(get(ctx().session(id)).orElseThrow().queuedMessages())
                .isEqualTo(3));
        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(Services.EVENTS).contains("created " + id
                + " connected=false"));

        RawMqttClient c = clients.raw();
        c.send(connect(id, false, 60));
        assertThat(c.expect(ConnAck.class, TIMEOUT).sessionPresent()).as("the plugin's session is resumed").isTrue();
        Publish first = V5Clients.nextPublish(c);
        Publish second = V5Clients.nextPublish(c);
        assertThat(List.of(first.topic(), second.topic())).as("the secret one was not delivered")
                .containsExactly("ctx/offline/1", "ctx/offline/2");
        c.send(new PubAck(first.packetId()));
        c.send(new PubAck(second.packetId()));

        assertThat(get(ctx().unsubscribe(id, "ctx/offline/#"))).isTrue();
        assertThat(get(ctx().unsubscribe(id, "ctx/offline/#"))).as("already gone").isFalse();
        assertThat(get(ctx().publish(Message.builder("ctx/offline/3").payload("three").qos(1).build()))).isZero();
        assertThat(get(ctx().session(id)).orElseThrow().subscriptions()).isEmpty();
    }

    @Test
    void subscribeRejectsAnInvalidFilter() {
        CompletableFuture<Void> f = ctx().subscribe("ctx-bad", io.mast.plugin.Subscription.of("a/#/b", 0))
                .toCompletableFuture();
        assertThat(f).failsWithin(TIMEOUT).withThrowableThat().withMessageContaining("invalid topic filter");
    }

    @Test
    void disconnectSendsAdministrativeActionToAConnectedClient() throws Exception {
        RawMqttClient c = clients.raw("ctx-kick", MqttProperties.EMPTY);
        assertThat(get(ctx().disconnect("ctx-kick"))).isTrue();
        RawProtocol.assertDisconnected(c, ReasonCode.ADMINISTRATIVE_ACTION);
        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(Services.EVENTS).contains("disconnected ctx-kick kicked"));
        assertThat(get(ctx().disconnect("ctx-nobody"))).isFalse();
    }

    @Test
    void pluginMetricsAreListedWithTheBrokersUnderThePluginsName() {
        ctx().metrics().counter("hits").increment();
        ctx().metrics().counter("hits").add(2);
        ctx().metrics().gauge("answer", () -> 42);
        String prefix = "plugin." + Services.class.getName() + ".";
        assertThat(broker.broker().metrics().value(prefix + "hits")).isEqualTo(3);
        assertThat(broker.broker().metrics().value(prefix + "answer")).isEqualTo(42);
        assertThat(ctx().metrics().counter("hits").count()).isEqualTo(3);
        Map<String, Long> all = ctx().brokerMetrics();
        assertThat(all).containsEntry(prefix + "hits", 3L).containsEntry(prefix + "answer", 42L)
                .containsKey("connections.current");
    }

    @Test
    void theSchedulerRunsThePluginsPeriodicWork() throws Exception {
        CompletableFuture<String> ran = new CompletableFuture<>();
        ctx().scheduler().schedule(() -> ran.complete(Thread.currentThread().getName()), 10, TimeUnit.MILLISECONDS);
        assertThat(ran.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)).isNotBlank();
        assertThat(ctx().brokerVersion()).isEqualTo(System.getProperty("mast.version")).isNotBlank();
    }
}
