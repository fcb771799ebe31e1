package io.mast.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5PubAckException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5SubAckException;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishResult;
import com.hivemq.client.mqtt.mqtt5.message.publish.puback.Mqtt5PubAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAckReasonCode;
import io.mast.plugin.AuthDecision;
import io.mast.plugin.AuthPlugin;
import io.mast.plugin.BrokerContext;
import io.mast.plugin.BrokerPlugin;
import io.mast.plugin.ClientInfo;
import io.mast.plugin.ConnectInfo;
import io.mast.plugin.Decision;
import io.mast.plugin.Message;
import io.mast.plugin.PublishDecision;
import io.mast.plugin.PublishPlugin;
import io.mast.plugin.TopicAction;
import io.mast.plugin.TopicPlugin;
import io.mast.testkit.MastBrokerExtension;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Superusers: an auth plugin that answers {@link AuthDecision#allowSuperuser()} makes the client one; the topic
 * plugins are then not asked about its SUBSCRIBE, PUBLISH and RECEIVE, while publish plugins still are, {@code $SYS/}
 * stays closed, and {@link ClientInfo#superuser()} says so in later events. Several allows combine: one superuser
 * answer is enough, and a later deny still refuses.
 */
class PluginSuperuserIT {

    /** Every topic decision asked, as {@code clientId ACTION topic}. */
    static final List<String> TOPIC_CALLS = new CopyOnWriteArrayList<>();
    /** Every publish plugin call, as {@code clientId topic superuser}. */
    static final List<String> PUBLISH_CALLS = new CopyOnWriteArrayList<>();
    /** {@code superuser()} of each client in onClientConnected. */
    static final Map<String, Boolean> CONNECTED = new ConcurrentHashMap<>();

    /** First auth plugin: "root*" users are superusers, "user*" are allowed, anyone else is left to the next. */
    public static final class Roots extends BrokerPlugin implements AuthPlugin {
        public Roots(BrokerContext context) {
            super(context);
        }

        @Override
        public AuthDecision authenticate(ConnectInfo c) {
            String u = c.username() == null ? "" : c.username();
            assertThat(c.superuser()).as("not a superuser while being authenticated").isFalse();
            return u.startsWith("root") ? AuthDecision.allowSuperuser()
                    : u.startsWith("user") ? AuthDecision.allow() : AuthDecision.abstain();
        }

        @Override
        public void onClientConnected(ClientInfo client) {
            CONNECTED.put(client.clientId(), client.superuser());
        }
    }

    /** Second auth plugin: allows everyone except "root-banned", whom it denies. */
    public static final class Second extends BrokerPlugin implements AuthPlugin {
        public Second(BrokerContext context) {
            super(context);
        }

        @Override
        public AuthDecision authenticate(ConnectInfo c) {
            return "root-banned".equals(c.username()) ? AuthDecision.notAuthorized() : AuthDecision.allow();
        }
    }

    /** A topic plugin that denies everything, and a publish plugin that records what it sees. */
    public static final class DenyAll extends BrokerPlugin implements TopicPlugin, PublishPlugin {
        public DenyAll(BrokerContext context) {
            super(context);
        }

        @Override
        public Decision authorize(ClientInfo client, TopicAction action, String topic) {
            TOPIC_CALLS.add((client == null ? "-" : client.clientId()) + " " + action + " " + topic);
            return Decision.DENY;
        }

        @Override
        public PublishDecision onPublish(ClientInfo publisher, Message message) {
            PUBLISH_CALLS.add((publisher == null ? "-" : publisher.clientId() + " " + message.topic() + " " + publisher.superuser()));
            return PublishDecision.proceed(message);
        }
    }

    @RegisterExtension
    static final MastBrokerExtension broker = MastBrokerExtension.create()
            .plugin(Roots.class, Map.of())
            .plugin(Second.class, Map.of())
            .plugin(DenyAll.class, Map.of());

    @RegisterExtension
    final V5Clients clients = new V5Clients(broker);

    @Test
    void superuserSkipsTopicPluginsButNotPublishPlugins() throws Exception {
        Mqtt5BlockingClient root = clients.hive("su-root", "root", "x");
        await().atMost(V5Clients.TIMEOUT).until(() -> CONNECTED.containsKey("su-root"));
        assertThat(CONNECTED).containsEntry("su-root", true);

        try (Mqtt5BlockingClient.Mqtt5Publishes in = root.publishes(MqttGlobalPublishFilter.ALL)) {
            assertThat(root.subscribeWith().topicFilter("any/#").qos(MqttQos.AT_LEAST_ONCE).send().getReasonCodes())
                    .containsExactly(Mqtt5SubAckReasonCode.GRANTED_QOS_1);
            Mqtt5PublishResult sent = root.publishWith().topic("any/thing").qos(MqttQos.AT_LEAST_ONCE)
                    .payload(V5Clients.utf8("hi")).send();
            assertThat(((Mqtt5PublishResult.Mqtt5Qos1Result) sent).getPubAck().getReasonCode())
                    .isEqualTo(Mqtt5PubAckReasonCode.SUCCESS);
            assertThat(V5Clients.text(V5Clients.next(in).getPayloadAsBytes())).as("received without RECEIVE check")
                    .isEqualTo("hi");
        }
        assertThat(TOPIC_CALLS).as("no topic decision about the superuser").noneMatch(c -> c.startsWith("su-root "));
        assertThat(PUBLISH_CALLS).as("the publish plugin still sees its message").contains("su-root any/thing true");

        Mqtt5PubAckException sys = catchThrowableOfType(Mqtt5PubAckException.class, () -> root.publishWith()
                .topic("$SYS/broker/x").qos(MqttQos.AT_LEAST_ONCE).send());
        assertThat(sys.getMqttMessage().getReasonCode()).as("$SYS stays closed to superusers")
                .isEqualTo(Mqtt5PubAckReasonCode.NOT_AUTHORIZED);
    }

    @Test
    void otherClientsAreStillChecked() {
        Mqtt5BlockingClient user = clients.hive("su-user", "user1", "x");
        await().atMost(V5Clients.TIMEOUT).until(() -> CONNECTED.containsKey("su-user"));
        assertThat(CONNECTED).containsEntry("su-user", false);
        Mqtt5SubAckException sub = catchThrowableOfType(Mqtt5SubAckException.class,
                () -> user.subscribeWith().topicFilter("any/#").send());
        assertThat(sub.getMqttMessage().getReasonCodes()).containsExactly(Mqtt5SubAckReasonCode.NOT_AUTHORIZED);
        Mqtt5PubAckException pub = catchThrowableOfType(Mqtt5PubAckException.class,
                () -> user.publishWith().topic("any/thing").qos(MqttQos.AT_LEAST_ONCE).send());
        assertThat(pub.getMqttMessage().getReasonCode()).isEqualTo(Mqtt5PubAckReasonCode.NOT_AUTHORIZED);
        assertThat(TOPIC_CALLS).contains("su-user SUBSCRIBE any/#", "su-user PUBLISH any/thing");
    }

    @Test
    void oneSuperuserAllowIsEnoughAndALaterDenyStillRefuses() {
        // Roots says superuser, Second says a plain allow: a superuser.
        clients.hive("su-root2", "root2", "x");
        await().atMost(V5Clients.TIMEOUT).until(() -> CONNECTED.containsKey("su-root2"));
        assertThat(CONNECTED).containsEntry("su-root2", true);
        // Roots says superuser, Second denies: refused.
        assertThat(clients.connack("su-banned", "root-banned", "x")).isEqualTo(Mqtt5ConnAckReasonCode.NOT_AUTHORIZED);
    }
}
