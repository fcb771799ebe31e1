package io.mast.it;

import static io.mast.it.PluginTesting.TIMEOUT;
import static io.mast.it.PluginTesting.awaitPluginMetric;
import static io.mast.it.PluginTesting.pluginMetric;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5PubAckException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5SubAckException;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAck;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishResult;
import com.hivemq.client.mqtt.mqtt5.message.publish.puback.Mqtt5PubAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAckReasonCode;
import io.mast.plugin.AsyncAuthPlugin;
import io.mast.plugin.AsyncTopicPlugin;
import io.mast.plugin.AuthDecision;
import io.mast.plugin.AuthPlugin;
import io.mast.plugin.BrokerContext;
import io.mast.plugin.BrokerPlugin;
import io.mast.plugin.ClientInfo;
import io.mast.plugin.ConnectInfo;
import io.mast.plugin.Decision;
import io.mast.plugin.Message;
import io.mast.plugin.NonBlocking;
import io.mast.plugin.PublishDecision;
import io.mast.plugin.PublishPlugin;
import io.mast.plugin.TopicAction;
import io.mast.plugin.TopicPlugin;
import io.mast.testkit.MastBrokerExtension;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Plugins that throw, hang past their {@code decision_timeout} or are merely slow. The client always gets an answer:
 * {@code failed_action: deny} refuses (CONNACK 0x88 Server unavailable for a login, 0x87 for a topic or publish),
 * {@code ignore} counts the plugin as abstaining; the failure is logged with the plugin's name and counted in
 * {@code plugin.<class>.<hook>.errors|timeouts}. Other clients go on meanwhile. Events that throw or overflow the
 * plugin's queue are counted and never affect the client.
 *
 * <p>Each plugin misbehaves only for a user name or topic containing its class name, and abstains otherwise; the last
 * auth plugin allows whoever is left, so well-behaved clients connect.
 */
class PluginFailureIT {

    /** Holds hanging plugins until the class ends (longer than any decision timeout here). */
    static final CountDownLatch HANG = new CountDownLatch(1);
    static final PluginTesting.Gate SLOW = new PluginTesting.Gate(Duration.ofSeconds(10));

    abstract static class Faulty extends BrokerPlugin {
        Faulty(BrokerContext context) {
            super(context);
        }

        boolean targeted(String text) {
            return text != null && text.contains(getClass().getSimpleName());
        }

        static <T> T hang() throws InterruptedException {
            HANG.await(30, TimeUnit.SECONDS);
            return null;
        }

        <T> T fail() {
            throw new IllegalStateException("boom in " + getClass().getSimpleName());
        }
    }

    public static final class AuthThrowsDeny extends Faulty implements AuthPlugin {
        public AuthThrowsDeny(BrokerContext c) {
            super(c);
        }

        @Override
        public AuthDecision authenticate(ConnectInfo connect) {
            return targeted(connect.username()) ? fail() : AuthDecision.abstain();
        }
    }

    public static final class AuthThrowsIgnore extends Faulty implements AuthPlugin {
        public AuthThrowsIgnore(BrokerContext c) {
            super(c);
        }

        @Override
        public AuthDecision authenticate(ConnectInfo connect) {
            return targeted(connect.username()) ? fail() : AuthDecision.abstain();
        }
    }

    /** Blocks (a plain method, on its own thread) beyond its decision_timeout. */
    public static final class AuthHangsDeny extends Faulty implements AuthPlugin {
        public AuthHangsDeny(BrokerContext c) {
            super(c);
        }

        @Override
        public AuthDecision authenticate(ConnectInfo connect) throws InterruptedException {
            return targeted(connect.username()) ? hang() : AuthDecision.abstain();
        }
    }

    /** Returns a stage that never completes. */
    public static final class AuthHangsIgnore extends Faulty implements AsyncAuthPlugin {
        public AuthHangsIgnore(BrokerContext c) {
            super(c);
        }

        @Override
        public CompletionStage<AuthDecision> authenticate(ConnectInfo connect) {
            return targeted(connect.username()) ? new CompletableFuture<>()
                    : CompletableFuture.completedFuture(AuthDecision.abstain());
        }
    }

    /** Blocks until the test lets it go, then allows. */
    public static final class SlowAuth extends Faulty implements AuthPlugin {
        public SlowAuth(BrokerContext c) {
            super(c);
        }

        @Override
        public AuthDecision authenticate(ConnectInfo connect) throws InterruptedException {
            if (!targeted(connect.username())) {
                return AuthDecision.abstain();
            }
            SLOW.pass();
            return AuthDecision.allow();
        }
    }

    @NonBlocking
    public static final class TopicThrowsDeny extends Faulty implements TopicPlugin {
        public TopicThrowsDeny(BrokerContext c) {
            super(c);
        }

        @Override
        public Decision authorize(ClientInfo client, TopicAction action, String topic) {
            return targeted(topic) ? fail() : Decision.ABSTAIN;
        }
    }

    public static final class TopicThrowsIgnore extends Faulty implements TopicPlugin {
        public TopicThrowsIgnore(BrokerContext c) {
            super(c);
        }

        @Override
        public Decision authorize(ClientInfo client, TopicAction action, String topic) {
            return targeted(topic) ? fail() : Decision.ABSTAIN;
        }
    }

    public static final class TopicHangsDeny extends Faulty implements AsyncTopicPlugin {
        public TopicHangsDeny(BrokerContext c) {
            super(c);
        }

        @Override
        public CompletionStage<Decision> authorize(ClientInfo client, TopicAction action, String topic) {
            return targeted(topic) ? new CompletableFuture<>() : CompletableFuture.completedFuture(Decision.ABSTAIN);
        }
    }

    /** Blocks publishes to its topics until the test lets them go. */
    public static final class SlowTopic extends Faulty implements TopicPlugin {
        public SlowTopic(BrokerContext c) {
            super(c);
        }

        @Override
        public Decision authorize(ClientInfo client, TopicAction action, String topic) throws InterruptedException {
            if (action == TopicAction.PUBLISH && targeted(topic)) {
                SLOW.pass();
                return Decision.ALLOW;
            }
            return Decision.ABSTAIN;
        }
    }

    public static final class PublishThrowsDeny extends Faulty implements PublishPlugin {
        public PublishThrowsDeny(BrokerContext c) {
            super(c);
        }

        @Override
        public PublishDecision onPublish(ClientInfo publisher, Message message) {
            return targeted(message.topic()) ? fail() : PublishDecision.proceed(message);
        }
    }

    public static final class PublishHangsIgnore extends Faulty implements PublishPlugin {
        public PublishHangsIgnore(BrokerContext c) {
            super(c);
        }

        @Override
        public PublishDecision onPublish(ClientInfo publisher, Message message) throws InterruptedException {
            return targeted(message.topic()) ? hang() : PublishDecision.proceed(message);
        }
    }

    /** Allows whoever no plugin before it refused. */
    @NonBlocking
    public static final class AllowRest extends BrokerPlugin implements AuthPlugin {
        public AllowRest(BrokerContext c) {
            super(c);
        }

        @Override
        public AuthDecision authenticate(ConnectInfo connect) {
            return AuthDecision.allow();
        }
    }

    /** Throws from an event. */
    public static final class EventThrows extends Faulty {
        public EventThrows(BrokerContext c) {
            super(c);
        }

        @Override
        public void onClientConnected(ClientInfo client) {
            if (targeted(client.clientId())) {
                fail();
            }
        }
    }

    /** An event handler that stops on its topics until the test lets it go: its queue (16 events) overflows. */
    public static final class SlowEvents extends Faulty {
        public SlowEvents(BrokerContext c) {
            super(c);
        }

        @Override
        public void onMessagePublished(ClientInfo publisher, Message message) throws InterruptedException {
            if (targeted(message.topic())) {
                SLOW.pass();
            }
        }
    }

    private static final Map<String, ?> IGNORE = Map.of("failed_action", "ignore");
    private static final Map<String, ?> HANG_DENY = Map.of("decision_timeout", "300ms", "failed_action", "deny");
    private static final Map<String, ?> HANG_IGNORE = Map.of("decision_timeout", "300ms", "failed_action", "ignore");

    @RegisterExtension
    static final MastBrokerExtension broker = MastBrokerExtension.create()
            .plugin(AuthThrowsDeny.class)
            .plugin(AuthThrowsIgnore.class, IGNORE)
            .plugin(AuthHangsDeny.class, HANG_DENY)
            .plugin(AuthHangsIgnore.class, HANG_IGNORE)
            .plugin(SlowAuth.class)
            .plugin(TopicThrowsDeny.class)
            .plugin(TopicThrowsIgnore.class, IGNORE)
            .plugin(TopicHangsDeny.class, HANG_DENY)
            .plugin(SlowTopic.class)
            .plugin(PublishThrowsDeny.class)
            .plugin(PublishHangsIgnore.class, HANG_IGNORE)
            .plugin(AllowRest.class)
            .plugin(EventThrows.class)
            .plugin(SlowEvents.class, Map.of("event_queue_size", 16));

    @RegisterExtension
    final V5Clients clients = new V5Clients(broker);

    @RegisterExtension
    final PluginTesting.Logs logs = new PluginTesting.Logs();

    @AfterEach
    void closeGate() {
        SLOW.reset();
    }

    @AfterAll
    static void releaseHangingPlugins() {
        HANG.countDown();
    }

    private Mqtt5BlockingClient connect(String clientId, String username) {
        return clients.hive(clientId, username, null);
    }

    /** The CONNACK's reason code for these credentials (SUCCESS when accepted). */
    private Mqtt5ConnAckReasonCode refusal(String clientId, String username) {
        return clients.connack(clientId, username, null);
    }

    /** A line naming the plugin, the hook and what the failure counted as. */
    private void assertLogged(Class<?> plugin, String hook, String countedAs) {
        logs.await(plugin.getSimpleName() + " logged", l -> l.startsWith("WARN ") && l.contains(plugin.getName())
                && l.contains(hook) && l.contains("counted as " + countedAs));
    }

    // ---- Authentication ----

    @Test
    void authPluginThatThrowsRefusesWithServerUnavailableWhenFailedActionIsDeny() throws Exception {
        assertThat(refusal("auth-throws-deny", "AuthThrowsDeny")).isEqualTo(Mqtt5ConnAckReasonCode.SERVER_UNAVAILABLE);
        assertThat(pluginMetric(broker, AuthThrowsDeny.class, "authenticate.errors")).isEqualTo(1);
        assertLogged(AuthThrowsDeny.class, "authenticate", "deny");

        // MQTT 3.1.1: return code 3, server unavailable.
        MqttConnectOptions o = V311Clients.options(true);
        o.setUserName("AuthThrowsDeny-v3");
        MqttException e = catchThrowableOfType(MqttException.class,
                () -> V311Clients.paho(broker, "auth-throws-v3", o).close());
        assertThat(e.getReasonCode()).isEqualTo(MqttException.REASON_CODE_BROKER_UNAVAILABLE);
        assertThat(pluginMetric(broker, AuthThrowsDeny.class, "authenticate.errors")).isEqualTo(2);
    }

    @Test
    void authPluginThatThrowsIsIgnoredWhenFailedActionIsIgnore() {
        Mqtt5BlockingClient c = connect("auth-throws-ignore", "AuthThrowsIgnore");
        assertThat(c.getState().isConnected()).isTrue();
        assertThat(pluginMetric(broker, AuthThrowsIgnore.class, "authenticate.errors")).isEqualTo(1);
        assertLogged(AuthThrowsIgnore.class, "authenticate", "ignore");
    }

    @Test
    void authPluginThatHangsTimesOutAndOthersAreServedMeanwhile() throws Exception {
        CompletableFuture<Mqtt5ConnAck> hanging = clients.hive("auth-hangs-deny").toAsync().connectWith()
                .simpleAuth().username("AuthHangsDeny").applySimpleAuth().send();
        RawProtocol.assertStillServing(broker.port());
        Throwable refused = catchThrowableOfType(Exception.class, () -> hanging.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS));
        assertThat(refused).hasCauseInstanceOf(Mqtt5ConnAckException.class);
        assertThat(((Mqtt5ConnAckException) refused.getCause()).getMqttMessage().getReasonCode())
                .isEqualTo(Mqtt5ConnAckReasonCode.SERVER_UNAVAILABLE);
        assertThat(pluginMetric(broker, AuthHangsDeny.class, "authenticate.timeouts")).isEqualTo(1);
        assertThat(pluginMetric(broker, AuthHangsDeny.class, "authenticate.errors")).isZero();
        logs.await("timeout logged", l -> l.contains(AuthHangsDeny.class.getName())
                && l.contains("did not answer authenticate for auth-hangs-deny within 300 ms; counted as deny"));
    }

    @Test
    void asyncAuthPluginThatNeverAnswersIsIgnoredAfterItsTimeout() {
        Mqtt5BlockingClient c = connect("auth-hangs-ignore", "AuthHangsIgnore");
        assertThat(c.getState().isConnected()).isTrue();
        assertThat(pluginMetric(broker, AuthHangsIgnore.class, "authenticate.timeouts")).isEqualTo(1);
        assertLogged(AuthHangsIgnore.class, "authenticate", "ignore");
    }

    @Test
    void slowBlockingAuthPluginDoesNotStallOtherClients() throws Exception {
        CompletableFuture<Mqtt5ConnAck> slow = clients.hive("slow-auth").toAsync().connectWith()
                .simpleAuth().username("SlowAuth").applySimpleAuth().send();
        SLOW.awaitEntered();
        RawProtocol.assertStillServing(broker.port());
        assertThat(slow).as("the slow client still waits for its plugin").isNotDone();
        SLOW.open();
        assertThat(slow.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).getReasonCode())
                .isEqualTo(Mqtt5ConnAckReasonCode.SUCCESS);
        assertThat(pluginMetric(broker, SlowAuth.class, "authenticate.errors")
                + pluginMetric(broker, SlowAuth.class, "authenticate.timeouts")).isZero();
    }

    // ---- Topics ----

    @Test
    void topicPluginThatThrowsDeniesSubscribeAndPublishWhenFailedActionIsDeny() {
        Mqtt5BlockingClient c = connect("topic-throws-deny", "someone");
        Mqtt5SubAckException sub = catchThrowableOfType(Mqtt5SubAckException.class,
                () -> c.subscribeWith().topicFilter("t/TopicThrowsDeny").qos(MqttQos.AT_LEAST_ONCE).send());
        assertThat(sub.getMqttMessage().getReasonCodes()).containsExactly(Mqtt5SubAckReasonCode.NOT_AUTHORIZED);
        Mqtt5PubAckException pub = catchThrowableOfType(Mqtt5PubAckException.class,
                () -> c.publishWith().topic("t/TopicThrowsDeny").qos(MqttQos.AT_LEAST_ONCE).send());
        assertThat(pub.getMqttMessage().getReasonCode()).isEqualTo(Mqtt5PubAckReasonCode.NOT_AUTHORIZED);
        assertThat(pluginMetric(broker, TopicThrowsDeny.class, "authorize_subscribe.errors")).isEqualTo(1);
        assertThat(pluginMetric(broker, TopicThrowsDeny.class, "authorize_publish.errors")).isEqualTo(1);
        assertLogged(TopicThrowsDeny.class, "authorize SUBSCRIBE", "deny");
        assertThat(c.getState().isConnected()).as("the client stays connected").isTrue();
    }

    @Test
    void topicPluginThatThrowsIsIgnoredWhenFailedActionIsIgnore() throws Exception {
        Mqtt5BlockingClient c = connect("topic-throws-ignore", "someone");
        try (var received = c.publishes(MqttGlobalPublishFilter.ALL)) {
            assertThat(c.subscribeWith().topicFilter("t/TopicThrowsIgnore").qos(MqttQos.AT_LEAST_ONCE).send()
                    .getReasonCodes()).containsExactly(Mqtt5SubAckReasonCode.GRANTED_QOS_1);
            c.publishWith().topic("t/TopicThrowsIgnore").qos(MqttQos.AT_LEAST_ONCE).payload(V5Clients.utf8("in")).send();
            assertThat(V5Clients.text(V5Clients.next(received).getPayloadAsBytes())).isEqualTo("in");
        }
        assertThat(pluginMetric(broker, TopicThrowsIgnore.class, "authorize_subscribe.errors")).isEqualTo(1);
        assertThat(pluginMetric(broker, TopicThrowsIgnore.class, "authorize_publish.errors")).isEqualTo(1);
        assertThat(pluginMetric(broker, TopicThrowsIgnore.class, "authorize_receive.errors")).isEqualTo(1);
        assertLogged(TopicThrowsIgnore.class, "authorize SUBSCRIBE", "ignore");
    }

    @Test
    void topicPluginThatHangsDeniesAfterItsTimeout() {
        Mqtt5BlockingClient c = connect("topic-hangs-deny", "someone");
        Mqtt5SubAckException sub = catchThrowableOfType(Mqtt5SubAckException.class,
                () -> c.subscribeWith().topicFilter("t/TopicHangsDeny/#").send());
        assertThat(sub.getMqttMessage().getReasonCodes()).containsExactly(Mqtt5SubAckReasonCode.NOT_AUTHORIZED);
        assertThat(pluginMetric(broker, TopicHangsDeny.class, "authorize_subscribe.timeouts")).isEqualTo(1);
        assertLogged(TopicHangsDeny.class, "authorize SUBSCRIBE", "deny");
    }

    @Test
    void slowBlockingTopicPluginHoldsOnlyItsPublisher() throws Exception {
        Mqtt5BlockingClient c = connect("slow-topic", "someone");
        CompletableFuture<Mqtt5PublishResult> slow = c.toAsync().publishWith().topic("t/SlowTopic")
                .qos(MqttQos.AT_LEAST_ONCE).payload(V5Clients.utf8("slow")).send();
        SLOW.awaitEntered();
        RawProtocol.assertStillServing(broker.port());
        assertThat(slow).as("no PUBACK before the decision").isNotDone();
        SLOW.open();
        Mqtt5PublishResult result = slow.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(result.getError()).isEmpty();
    }

    // ---- Publish plugins ----

    @Test
    void publishPluginThatThrowsDeniesTheMessageWhenFailedActionIsDeny() throws Exception {
        Mqtt5BlockingClient c = connect("publish-throws-deny", "someone");
        try (var received = c.publishes(MqttGlobalPublishFilter.ALL)) {
            c.subscribeWith().topicFilter("p/#").qos(MqttQos.AT_LEAST_ONCE).send();
            Mqtt5PubAckException e = catchThrowableOfType(Mqtt5PubAckException.class, () -> c.publishWith()
                    .topic("p/PublishThrowsDeny").qos(MqttQos.AT_LEAST_ONCE).payload(V5Clients.utf8("lost")).send());
            assertThat(e.getMqttMessage().getReasonCode()).isEqualTo(Mqtt5PubAckReasonCode.NOT_AUTHORIZED);
            c.publishWith().topic("p/fine").qos(MqttQos.AT_LEAST_ONCE).payload(V5Clients.utf8("fine")).send();
            assertThat(V5Clients.next(received).getTopic().toString()).as("the denied message was not delivered")
                    .isEqualTo("p/fine");
        }
        assertThat(pluginMetric(broker, PublishThrowsDeny.class, "publish.errors")).isEqualTo(1);
        assertLogged(PublishThrowsDeny.class, "onPublish", "deny");
    }

    @Test
    void publishPluginThatHangsIsIgnoredAfterItsTimeout() throws Exception {
        Mqtt5BlockingClient c = connect("publish-hangs-ignore", "someone");
        try (var received = c.publishes(MqttGlobalPublishFilter.ALL)) {
            c.subscribeWith().topicFilter("q/#").qos(MqttQos.AT_LEAST_ONCE).send();
            c.publishWith().topic("q/PublishHangsIgnore").qos(MqttQos.AT_LEAST_ONCE).payload(V5Clients.utf8("kept"))
                    .send();
            var m = V5Clients.next(received);
            assertThat(m.getTopic().toString()).isEqualTo("q/PublishHangsIgnore");
            assertThat(V5Clients.text(m.getPayloadAsBytes())).isEqualTo("kept");
        }
        assertThat(pluginMetric(broker, PublishHangsIgnore.class, "publish.timeouts")).isEqualTo(1);
        assertLogged(PublishHangsIgnore.class, "onPublish", "ignore");
    }

    // ---- Events ----

    @Test
    void anEventThatThrowsIsCountedAndLoggedAndTheClientCarriesOn() throws Exception {
        Mqtt5BlockingClient c = connect("EventThrows-client", "someone");
        awaitPluginMetric(broker, EventThrows.class, "onClientConnected.errors", 1);
        logs.await("event failure logged", l -> l.startsWith("WARN ") && l.contains(EventThrows.class.getName())
                && l.contains("failed in onClientConnected") && l.contains("boom in EventThrows"));
        try (var received = c.publishes(MqttGlobalPublishFilter.ALL)) {
            c.subscribeWith().topicFilter("e/x").qos(MqttQos.AT_LEAST_ONCE).send();
            c.publishWith().topic("e/x").qos(MqttQos.AT_LEAST_ONCE).payload(V5Clients.utf8("on")).send();
            assertThat(V5Clients.text(V5Clients.next(received).getPayloadAsBytes())).isEqualTo("on");
        }
    }

    @Test
    void aFullEventQueueDropsAndCountsWithoutSlowingTheClient() throws Exception {
        int messages = 60;
        Mqtt5BlockingClient sub = connect("slow-events-sub", "someone");
        Mqtt5BlockingClient pub = connect("slow-events-pub", "someone");
        try (var received = sub.publishes(MqttGlobalPublishFilter.ALL)) {
            sub.subscribeWith().topicFilter("SlowEvents/#").qos(MqttQos.AT_LEAST_ONCE).send();
            for (int i = 0; i < messages; i++) {
                pub.publishWith().topic("SlowEvents/" + i).qos(MqttQos.AT_LEAST_ONCE).payload(V5Clients.utf8("m" + i))
                        .send();
            }
            SLOW.awaitEntered();
            // Every message reached the subscriber while the plugin's events piled up.
            for (int i = 0; i < messages; i++) {
                assertThat(V5Clients.next(received).getTopic().toString()).isEqualTo("SlowEvents/" + i);
            }
        }
        // One event is being handled, 16 wait in the lane's queue: the rest were dropped.
        assertThat(pluginMetric(broker, SlowEvents.class, "events.dropped")).isGreaterThanOrEqualTo(messages - 1 - 16 - 1);
        SLOW.open();
        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(pluginMetric(broker, SlowEvents.class,
                "onMessagePublished.calls") + pluginMetric(broker, SlowEvents.class, "events.dropped"))
                .as("every event was handled or dropped").isGreaterThanOrEqualTo(messages));
    }
}
