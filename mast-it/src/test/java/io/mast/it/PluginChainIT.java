package io.mast.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5PubAckException;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
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
import io.mast.plugin.NonBlocking;
import io.mast.plugin.PublishDecision;
import io.mast.plugin.PublishPlugin;
import io.mast.plugin.TopicAction;
import io.mast.plugin.TopicPlugin;
import io.mast.testkit.MastBrokerExtension;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The plugin runtime end to end: auth, topic and publish chains, and events, with the HiveMQ MQTT 5 client. */
class PluginChainIT {

    /** Allows user "alice" with password "secret", refuses wrong passwords, abstains for others. */
    public static final class Passwords extends BrokerPlugin implements AuthPlugin {
        public Passwords(BrokerContext context) {
            super(context);
        }

        @Override
        public AuthDecision authenticate(ConnectInfo connect) {
            if (!"alice".equals(connect.username())) {
                return AuthDecision.abstain();
            }
            byte[] p = connect.password();
            return p != null && new String(p, StandardCharsets.UTF_8).equals("secret")
                    ? AuthDecision.allow() : AuthDecision.badCredentials();
        }
    }

    /** Denies everything under "secret/", for every action. */
    @NonBlocking
    public static final class NoSecrets extends BrokerPlugin implements TopicPlugin {
        public NoSecrets(BrokerContext context) {
            super(context);
        }

        @Override
        public Decision authorize(ClientInfo client, TopicAction action, String topic) {
            return topic.startsWith("secret/") ? Decision.DENY : Decision.ABSTAIN;
        }
    }

    /** Upper-cases payloads on "shout/" and drops messages on "void/". */
    public static final class Shout extends BrokerPlugin implements PublishPlugin {
        public Shout(BrokerContext context) {
            super(context);
        }

        @Override
        public PublishDecision onPublish(ClientInfo publisher, Message message) {
            if (message.topic().startsWith("void/")) {
                return PublishDecision.drop();
            }
            if (message.topic().startsWith("shout/")) {
                return PublishDecision.proceed(message.toBuilder()
                        .payload(message.payloadAsString().toUpperCase()).build());
            }
            return PublishDecision.proceed(message);
        }
    }

    /** Records events. */
    public static final class Recorder extends BrokerPlugin {
        static final List<String> EVENTS = new CopyOnWriteArrayList<>();

        public record Config(String prefix) {
        }

        public Recorder(BrokerContext context) {
            super(context);
        }

        private String p() {
            return config(Config.class).prefix();
        }

        @Override
        public void onClientConnected(ClientInfo client) {
            EVENTS.add(p() + "connected " + client.clientId());
        }

        @Override
        public void onMessagePublished(ClientInfo publisher, Message message) {
            EVENTS.add(p() + "published " + message.topic() + " " + message.payloadAsString());
        }

        @Override
        public void onClientDisconnected(ClientInfo client, io.mast.plugin.DisconnectInfo d) {
            EVENTS.add(p() + "disconnected " + client.clientId() + " " + d.reason());
        }
    }

    @RegisterExtension
    static final MastBrokerExtension broker = MastBrokerExtension.create()
            .plugin(Passwords.class)
            .plugin(NoSecrets.class)
            .plugin(Shout.class)
            .plugin(Recorder.class, Map.of("prefix", "rec:"));

    private Mqtt5BlockingClient client(String id, String user, String password) {
        var b = Mqtt5Client.builder().identifier(id).serverHost("127.0.0.1").serverPort(broker.port());
        Mqtt5BlockingClient c = b.buildBlocking();
        var connect = c.connectWith();
        if (user != null) {
            connect.simpleAuth().username(user).password(password.getBytes(StandardCharsets.UTF_8)).applySimpleAuth();
        }
        connect.send();
        return c;
    }

    @Test
    void authChainAllowsRefusesAndDeniesWhenAllAbstain() {
        Mqtt5BlockingClient ok = client("alice-1", "alice", "secret");
        ok.disconnect();
        Mqtt5ConnAckException wrong = org.assertj.core.api.Assertions.catchThrowableOfType(Mqtt5ConnAckException.class,
                () -> client("alice-2", "alice", "nope"));
        assertThat(wrong.getMqttMessage().getReasonCode()).isEqualTo(Mqtt5ConnAckReasonCode.BAD_USER_NAME_OR_PASSWORD);
        Mqtt5ConnAckException nobody = org.assertj.core.api.Assertions.catchThrowableOfType(Mqtt5ConnAckException.class,
                () -> client("bob", "bob", "x"));
        assertThat(nobody.getMqttMessage().getReasonCode()).isEqualTo(Mqtt5ConnAckReasonCode.NOT_AUTHORIZED);
    }

    @Test
    void topicChainDeniesSubscribeAndPublish() {
        Mqtt5BlockingClient c = client("topics", "alice", "secret");
        var refused = org.assertj.core.api.Assertions.catchThrowableOfType(
                com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5SubAckException.class,
                () -> c.subscribeWith().topicFilter("secret/x").qos(com.hivemq.client.mqtt.datatypes.MqttQos.AT_LEAST_ONCE).send());
        assertThat(refused.getMqttMessage().getReasonCodes()).containsExactly(Mqtt5SubAckReasonCode.NOT_AUTHORIZED);
        var granted = c.subscribeWith().topicFilter("open/x").qos(com.hivemq.client.mqtt.datatypes.MqttQos.AT_LEAST_ONCE).send();
        assertThat(granted.getReasonCodes()).containsExactly(Mqtt5SubAckReasonCode.GRANTED_QOS_1);
        Mqtt5PubAckException e = org.assertj.core.api.Assertions.catchThrowableOfType(Mqtt5PubAckException.class,
                () -> c.publishWith().topic("secret/y").qos(com.hivemq.client.mqtt.datatypes.MqttQos.AT_LEAST_ONCE).send());
        assertThat(e.getMqttMessage().getReasonCode()).isEqualTo(Mqtt5PubAckReasonCode.NOT_AUTHORIZED);
        c.disconnect();
    }

    @Test
    void publishPluginsChangeAndDropMessages() throws Exception {
        Mqtt5BlockingClient sub = client("sub", "alice", "secret");
        Mqtt5BlockingClient pub = client("pub", "alice", "secret");
        try (var publishes = sub.publishes(com.hivemq.client.mqtt.MqttGlobalPublishFilter.ALL)) {
            sub.subscribeWith().topicFilter("#").send();
            pub.publishWith().topic("void/a").payload("gone".getBytes()).send();
            pub.publishWith().topic("shout/a").payload("hello".getBytes()).send();
            Optional<Mqtt5Publish> m = publishes.receive(5, TimeUnit.SECONDS);
            assertThat(m).isPresent();
            assertThat(m.get().getTopic().toString()).isEqualTo("shout/a");
            assertThat(new String(m.get().getPayloadAsBytes(), StandardCharsets.UTF_8)).isEqualTo("HELLO");
        }
        sub.disconnect();
        pub.disconnect();
        org.awaitility.Awaitility.await().atMost(5, TimeUnit.SECONDS).untilAsserted(() ->
                assertThat(Recorder.EVENTS).containsSubsequence("rec:connected pub", "rec:published shout/a HELLO",
                        "rec:disconnected pub normal"));
    }
}
