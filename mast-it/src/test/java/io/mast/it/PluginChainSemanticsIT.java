package io.mast.it;

import static io.mast.it.PluginTesting.pluginMetric;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5PubAckException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5SubAckException;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.publish.puback.Mqtt5PubAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAckReasonCode;
import io.mast.codec.MqttProperties;
import io.mast.codec.MqttVersion;
import io.mast.codec.Qos;
import io.mast.codec.ReasonCode;
import io.mast.codec.packet.Connect;
import io.mast.codec.packet.SubAck;
import io.mast.codec.packet.Subscribe;
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
import io.mast.plugin.Message;
import io.mast.plugin.NonBlocking;
import io.mast.plugin.PublishDecision;
import io.mast.plugin.PublishPlugin;
import io.mast.plugin.Reason;
import io.mast.plugin.TopicAction;
import io.mast.plugin.TopicPlugin;
import io.mast.testkit.MastBrokerExtension;
import io.mast.testkit.RawMqttClient;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Decision chains: plugins are asked in config order; abstentions are ignored; an allow lets later plugins still deny;
 * the first deny stops the chain (later plugins are not asked); when every plugin abstains a login is refused (0x87)
 * and a topic action is allowed. Three plugins decide, one inline ({@link NonBlocking}), one blocking, one
 * asynchronous, so the order holds across the three ways a decision is called; the first is an auth, topic and
 * publish plugin at once.
 *
 * <p>Each plugin reads its answer from the user name ({@code second=deny,third=allow}) or from a topic level
 * ({@code chain/second=deny}); publish plugins from {@code first.pub=drop}. Without an answer it abstains, and as a
 * publish plugin it appends {@code +<its name>} to the payload.
 */
class PluginChainSemanticsIT {

    /** Every call of the three plugins, in the order they happened: {@code second SUBSCRIBE chain/x}. */
    static final List<String> CALLS = new CopyOnWriteArrayList<>();

    abstract static class Scripted extends BrokerPlugin {
        Scripted(BrokerContext context) {
            super(context);
        }

        String key() {
            return getClass().getSimpleName().toLowerCase(Locale.ROOT);
        }

        String answer(String text, String key) {
            if (text != null) {
                for (String part : text.split("[,/]")) {
                    if (part.startsWith(key + "=")) {
                        return part.substring(key.length() + 1);
                    }
                }
            }
            return "abstain";
        }

        AuthDecision auth(ConnectInfo c) {
            CALLS.add(key() + " authenticate " + c.clientId());
            return switch (answer(c.username(), key())) {
                case "allow" -> AuthDecision.allow();
                case "deny" -> AuthDecision.notAuthorized();
                case "bad" -> AuthDecision.badCredentials();
                case "banned" -> AuthDecision.deny(Reason.BANNED, "banned by " + key());
                default -> AuthDecision.abstain();
            };
        }

        Decision topic(TopicAction action, String topic) {
            CALLS.add(key() + " " + action + " " + topic);
            return switch (answer(topic, key())) {
                case "allow" -> Decision.ALLOW;
                case "deny" -> Decision.DENY;
                case "quota" -> Decision.deny(Reason.QUOTA_EXCEEDED, "over quota");
                default -> Decision.ABSTAIN;
            };
        }

        PublishDecision publish(Message m) {
            CALLS.add(key() + " publish " + m.topic() + " " + m.payloadAsString());
            return switch (answer(m.topic(), key() + ".pub")) {
                case "drop" -> PublishDecision.drop();
                case "deny" -> PublishDecision.deny(Reason.NOT_AUTHORIZED, "denied by " + key());
                default -> PublishDecision.proceed(m.toBuilder().payload(m.payloadAsString() + "+" + key()).build());
            };
        }
    }

    /** Auth, topic and publish plugin in one class, answering inline. */
    @NonBlocking
    public static final class First extends Scripted implements AuthPlugin, TopicPlugin, PublishPlugin {
        public First(BrokerContext context) {
            super(context);
        }

        @Override
        public AuthDecision authenticate(ConnectInfo connect) {
            return auth(connect);
        }

        @Override
        public Decision authorize(ClientInfo client, TopicAction action, String topic) {
            return topic(action, topic);
        }

        @Override
        public PublishDecision onPublish(ClientInfo publisher, Message message) {
            return publish(message);
        }
    }

    /** Auth and topic plugin answering on a thread of its own (a plain method, run where it may block). */
    public static final class Second extends Scripted implements AuthPlugin, TopicPlugin {
        public Second(BrokerContext context) {
            super(context);
        }

        @Override
        public AuthDecision authenticate(ConnectInfo connect) {
            return auth(connect);
        }

        @Override
        public Decision authorize(ClientInfo client, TopicAction action, String topic) {
            return topic(action, topic);
        }
    }

    /** Auth, topic and publish plugin answering asynchronously, from another thread. */
    public static final class Third extends Scripted implements AsyncAuthPlugin, AsyncTopicPlugin, AsyncPublishPlugin {
        public Third(BrokerContext context) {
            super(context);
        }

        @Override
        public CompletionStage<AuthDecision> authenticate(ConnectInfo connect) {
            return CompletableFuture.supplyAsync(() -> auth(connect));
        }

        @Override
        public CompletionStage<Decision> authorize(ClientInfo client, TopicAction action, String topic) {
            return CompletableFuture.supplyAsync(() -> topic(action, topic));
        }

        @Override
        public CompletionStage<PublishDecision> onPublish(ClientInfo publisher, Message message) {
            return CompletableFuture.supplyAsync(() -> publish(message));
        }
    }

    @RegisterExtension
    static final MastBrokerExtension broker = MastBrokerExtension.create()
            .plugin(First.class)
            .plugin(Second.class)
            .plugin(Third.class);

    @RegisterExtension
    final V5Clients clients = new V5Clients(broker);

    private Mqtt5BlockingClient connect(String clientId, String username) {
        return clients.hive(clientId, username, null);
    }

    /** The CONNACK's reason code for these credentials (SUCCESS when accepted). */
    private Mqtt5ConnAckReasonCode refusal(String clientId, String username) {
        return clients.connack(clientId, username, null);
    }

    /** The calls whose last word is {@code subject} (a client identifier or a topic), in order. */
    private static List<String> callsFor(String subject) {
        return CALLS.stream().filter(c -> c.endsWith(" " + subject) || c.contains(" " + subject + " ")).toList();
    }

    private static int v311Refusal(String clientId, String username) {
        MqttConnectOptions o = V311Clients.options(true);
        o.setUserName(username);
        MqttException e = catchThrowableOfType(MqttException.class, () -> V311Clients.paho(broker, clientId, o).close());
        assertThat(e).as("3.1.1 CONNACK refusing %s", clientId).isNotNull();
        return e.getReasonCode();
    }

    // ---- Authentication ----

    @Test
    void authPluginsAreAskedInConfigOrderAndAbstentionsAreIgnored() {
        connect("auth-order", "second=allow").disconnect();
        assertThat(callsFor("auth-order")).containsExactly(
                "first authenticate auth-order", "second authenticate auth-order", "third authenticate auth-order");
    }

    @Test
    void anAllowLetsLaterPluginsStillDeny() {
        assertThat(refusal("allow-then-deny", "first=allow,third=deny")).isEqualTo(Mqtt5ConnAckReasonCode.NOT_AUTHORIZED);
        assertThat(callsFor("allow-then-deny")).containsExactly("first authenticate allow-then-deny",
                "second authenticate allow-then-deny", "third authenticate allow-then-deny");
    }

    @Test
    void theFirstDenyStopsTheChainWithItsReasonCode() {
        assertThat(refusal("deny-stops", "second=bad,third=allow"))
                .isEqualTo(Mqtt5ConnAckReasonCode.BAD_USER_NAME_OR_PASSWORD);
        assertThat(callsFor("deny-stops")).containsExactly("first authenticate deny-stops", "second authenticate deny-stops");

        assertThat(refusal("first-denies", "first=banned,second=allow")).isEqualTo(Mqtt5ConnAckReasonCode.BANNED);
        assertThat(callsFor("first-denies")).containsExactly("first authenticate first-denies");
    }

    @Test
    void whenEveryPluginAbstainsTheLoginIsRefusedWithNotAuthorized() {
        assertThat(refusal("all-abstain", "nobody")).isEqualTo(Mqtt5ConnAckReasonCode.NOT_AUTHORIZED);
        assertThat(refusal("all-abstain-anonymous", null)).isEqualTo(Mqtt5ConnAckReasonCode.NOT_AUTHORIZED);
        assertThat(callsFor("all-abstain")).hasSize(3);
    }

    @Test
    void mqtt311ClientsGetTheClosestReturnCode() {
        assertThat(v311Refusal("v3-abstain", "nobody")).as("all abstain: not authorized").isEqualTo(5);
        assertThat(v311Refusal("v3-bad", "third=bad")).as("bad user name or password").isEqualTo(4);
        assertThat(v311Refusal("v3-deny", "first=deny")).as("not authorized").isEqualTo(5);
        assertThat(v311Refusal("v3-banned", "second=banned")).as("banned: not authorized").isEqualTo(5);
    }

    // ---- Topics ----

    @Test
    void topicChainsAllowWhenAllAbstainAndStopAtTheFirstDeny() {
        Mqtt5BlockingClient c = connect("topics", "first=allow");

        assertThat(c.subscribeWith().topicFilter("chain/all-abstain").qos(MqttQos.AT_LEAST_ONCE).send().getReasonCodes())
                .containsExactly(Mqtt5SubAckReasonCode.GRANTED_QOS_1);
        assertThat(callsFor("chain/all-abstain")).containsExactly("first SUBSCRIBE chain/all-abstain",
                "second SUBSCRIBE chain/all-abstain", "third SUBSCRIBE chain/all-abstain");

        Mqtt5SubAckException denied = catchThrowableOfType(Mqtt5SubAckException.class,
                () -> c.subscribeWith().topicFilter("chain/second=deny/third=allow").qos(MqttQos.AT_LEAST_ONCE).send());
        assertThat(denied.getMqttMessage().getReasonCodes()).containsExactly(Mqtt5SubAckReasonCode.NOT_AUTHORIZED);
        assertThat(denied.getMqttMessage().getReasonString().map(Object::toString))
                .as("the SUBACK names the refused filter").hasValue("chain/second=deny/third=allow: not authorized");
        assertThat(callsFor("chain/second=deny/third=allow")).containsExactly(
                "first SUBSCRIBE chain/second=deny/third=allow", "second SUBSCRIBE chain/second=deny/third=allow");

        Mqtt5SubAckException late = catchThrowableOfType(Mqtt5SubAckException.class,
                () -> c.subscribeWith().topicFilter("chain/first=allow/third=deny").send());
        assertThat(late.getMqttMessage().getReasonCodes()).containsExactly(Mqtt5SubAckReasonCode.NOT_AUTHORIZED);
        assertThat(callsFor("chain/first=allow/third=deny")).hasSize(3);

        Mqtt5PubAckException quota = catchThrowableOfType(Mqtt5PubAckException.class,
                () -> c.publishWith().topic("chain/third=quota").qos(MqttQos.AT_LEAST_ONCE).payload(new byte[] {1}).send());
        assertThat(quota.getMqttMessage().getReasonCode()).as("the plugin's reason code")
                .isEqualTo(Mqtt5PubAckReasonCode.QUOTA_EXCEEDED);
        assertThat(quota.getMqttMessage().getReasonString().map(Object::toString)).as("the plugin's reason string")
                .hasValue("over quota");
        assertThat(callsFor("chain/third=quota")).as("no publish plugin sees a refused message").containsExactly(
                "first PUBLISH chain/third=quota", "second PUBLISH chain/third=quota", "third PUBLISH chain/third=quota");

        Mqtt5SubAckException quotaSub = catchThrowableOfType(Mqtt5SubAckException.class,
                () -> c.subscribeWith().addSubscription().topicFilter("chain/open").applySubscription()
                        .addSubscription().topicFilter("chain/third=quota").applySubscription().send());
        assertThat(quotaSub.getMqttMessage().getReasonCodes())
                .containsExactly(Mqtt5SubAckReasonCode.GRANTED_QOS_2, Mqtt5SubAckReasonCode.QUOTA_EXCEEDED);
        assertThat(quotaSub.getMqttMessage().getReasonString().map(Object::toString))
                .as("the plugin's reason string, for the filter it refused").hasValue("chain/third=quota: over quota");
    }

    @Test
    void mqtt311SubscribersGetFailureInSubAck() throws Exception {
        Connect connect = new Connect(MqttVersion.MQTT_3_1_1, true, 60, "v3-topics", null, "second=allow", null,
                MqttProperties.EMPTY);
        try (RawMqttClient c = V311Clients.raw(broker, connect)) {
            c.send(new Subscribe(1, List.of(new Subscription("chain/first=deny", Qos.AT_LEAST_ONCE),
                    new Subscription("chain/v3-open", Qos.AT_LEAST_ONCE)), MqttProperties.EMPTY));
            SubAck ack = c.expect(SubAck.class, PluginTesting.TIMEOUT);
            assertThat(ack.reasonCodes()).containsExactly(ReasonCode.UNSPECIFIED_ERROR, ReasonCode.GRANTED_QOS_1);
            assertThat(ack.reasonCodes().get(0).v3SubAckCode()).isEqualTo(0x80);
        }
    }

    // ---- Publish plugins ----

    @Test
    void publishPluginsRunInOrderEachSeeingThePreviousResult() throws Exception {
        Mqtt5BlockingClient sub = connect("pub-sub", "first=allow");
        Mqtt5BlockingClient pub = connect("pub-pub", "first=allow");
        try (var received = sub.publishes(MqttGlobalPublishFilter.ALL)) {
            sub.subscribeWith().topicFilter("pub/#").qos(MqttQos.AT_LEAST_ONCE).send();

            // Dropped by the first: acknowledged as accepted, the third never sees it, nobody receives it.
            pub.publishWith().topic("pub/first.pub=drop").qos(MqttQos.AT_LEAST_ONCE).payload(V5Clients.utf8("gone"))
                    .send();
            assertThat(callsFor("pub/first.pub=drop")).contains("first publish pub/first.pub=drop gone")
                    .noneMatch(call -> call.startsWith("third publish"));

            // Denied by the third: 0x87 with its reason.
            Mqtt5PubAckException denied = catchThrowableOfType(Mqtt5PubAckException.class, () -> pub.publishWith()
                    .topic("pub/third.pub=deny").qos(MqttQos.AT_LEAST_ONCE).payload(V5Clients.utf8("no")).send());
            assertThat(denied.getMqttMessage().getReasonCode()).isEqualTo(Mqtt5PubAckReasonCode.NOT_AUTHORIZED);
            assertThat(callsFor("pub/third.pub=deny")).contains("first publish pub/third.pub=deny no",
                    "third publish pub/third.pub=deny no+first");

            pub.publishWith().topic("pub/ok").qos(MqttQos.AT_LEAST_ONCE).payload(V5Clients.utf8("x")).send();
            var first = V5Clients.next(received);
            assertThat(first.getTopic().toString()).as("the dropped and denied messages were not delivered")
                    .isEqualTo("pub/ok");
            assertThat(V5Clients.text(first.getPayloadAsBytes())).as("each plugin changed the previous one's result")
                    .isEqualTo("x+first+third");
        }
    }

    @Test
    void oneClassTakesPartInAuthTopicAndPublishChains() throws Exception {
        Mqtt5BlockingClient c = connect("one-class", "first=allow");
        c.subscribeWith().topicFilter("one/+").qos(MqttQos.AT_LEAST_ONCE).send();
        try (var received = c.publishes(MqttGlobalPublishFilter.ALL)) {
            c.publishWith().topic("one/a").qos(MqttQos.AT_LEAST_ONCE).payload(V5Clients.utf8("m")).send();
            V5Clients.next(received);
        }
        assertThat(callsFor("one-class")).containsExactly("first authenticate one-class",
                "second authenticate one-class", "third authenticate one-class");
        assertThat(CALLS).contains("first SUBSCRIBE one/+", "first PUBLISH one/a", "first publish one/a m",
                "first RECEIVE one/a");
        for (String hook : List.of("authenticate", "authorize_subscribe", "authorize_publish", "authorize_receive",
                "publish")) {
            assertThat(pluginMetric(broker, First.class, hook + ".calls")).as(hook).isPositive();
        }
        assertThat(pluginMetric(broker, Second.class, "publish.calls")).as("Second is no publish plugin").isZero();
    }
}
