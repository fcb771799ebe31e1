package io.mast.it;

import static io.mast.it.ExHookSdkTesting.TIMEOUT;
import static io.mast.it.ExHookSdkTesting.connect;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5PubAckException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5SubAckException;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAck;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import com.hivemq.client.mqtt.mqtt5.message.publish.puback.Mqtt5PubAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAckReasonCode;
import io.mast.testkit.MastBrokerExtension;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The seed's hook code, unchanged, behind {@code exhook.drivers}: the broker runs it (the seed's hooks.py with the
 * python3 driver, a handler written against EMQX 4.2's Java SDK with the java driver) from a data/extension folder,
 * and real MQTT clients meet its decisions. Each subclass supplies the broker and the lines its hook code prints.
 */
abstract class ExHookDriverTests {

    @RegisterExtension
    final PluginTesting.Logs logs = new PluginTesting.Logs();

    abstract MastBrokerExtension broker();

    /** The driver's name, which is also its server's. */
    abstract String driver();

    /** The line the hook code prints when it authenticates a client. */
    abstract String authenticates(String clientId);

    /** The line the hook code prints when it checks a publish or subscribe of a client with this user name. */
    abstract String checksAcl(String username, String pubsub, String topic);

    /** The line the hook code prints for a published message. */
    abstract String publishes(String topic, String payload);

    /** Waits until the driver printed this line (the broker logs it under the driver's name). */
    void awaitHookLine(String line) {
        String suffix = " io.mast.exhook.server." + driver() + ": " + line;
        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(logs.lines()).as("the driver prints \"%s\"", line)
                .anyMatch(l -> l.endsWith(suffix)));
    }

    private long metric(String name) {
        return ExHookTesting.metric(broker().broker(), driver(), name);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aClientWithAnIdLogsIn() {
        Mqtt5BlockingClient c = connect(broker(), "sensor-1", "alice");
        try {
            awaitHookLine(authenticates("sensor-1"));
        } finally {
            c.disconnect();
        }
    }

    @Test
    void withoutAUserNameNeitherPublishNorSubscribeIsAllowed() throws Exception {
        Mqtt5BlockingClient anonymous = connect(broker(), "anon-1", null);
        Mqtt5BlockingClient named = connect(broker(), "named-1", "bob");
        try (var received = named.publishes(MqttGlobalPublishFilter.ALL)) {
            var refused = catchThrowableOfType(Mqtt5SubAckException.class, () ->
                    anonymous.subscribeWith().topicFilter("acl/#").qos(MqttQos.AT_LEAST_ONCE).send());
            assertThat(refused.getMqttMessage().getReasonCodes()).containsExactly(
                    Mqtt5SubAckReasonCode.NOT_AUTHORIZED);
            var denied = catchThrowableOfType(Mqtt5PubAckException.class, () ->
                    anonymous.publishWith().topic("acl/a").qos(MqttQos.AT_LEAST_ONCE).payload(utf8("no")).send());
            assertThat(denied.getMqttMessage().getReasonCode()).isEqualTo(Mqtt5PubAckReasonCode.NOT_AUTHORIZED);

            assertThat(named.subscribeWith().topicFilter("acl/#").qos(MqttQos.AT_LEAST_ONCE).send()
                    .getReasonCodes()).containsExactly(Mqtt5SubAckReasonCode.GRANTED_QOS_1);
            named.publishWith().topic("acl/b").qos(MqttQos.AT_LEAST_ONCE).payload(utf8("yes")).send();
            Optional<Mqtt5Publish> m = received.receive(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(m).isPresent();
            assertThat(new String(m.get().getPayloadAsBytes(), StandardCharsets.UTF_8)).isEqualTo("yes");
        } finally {
            anonymous.disconnect();
            named.disconnect();
        }
        awaitHookLine(checksAcl("", "subscribe", "acl/#"));
        awaitHookLine(checksAcl("", "publish", "acl/a"));
        awaitHookLine(checksAcl("bob", "publish", "acl/b"));
    }

    @Test
    void everyPublishIsPrintedAndTheMessageGoesOnUnchanged() throws Exception {
        Mqtt5BlockingClient watcher = connect(broker(), "watch-1", "bob");
        // An MQTT 3.1.1 publisher (Paho): the hooks do not depend on the protocol version. One message per QoS.
        MqttClient paho = new MqttClient("tcp://127.0.0.1:" + broker().port(), "logger-1", new MemoryPersistence());
        Map<String, String> sent = new LinkedHashMap<>();
        try (var received = watcher.publishes(MqttGlobalPublishFilter.ALL)) {
            watcher.subscribeWith().topicFilter("sensors/#").qos(MqttQos.EXACTLY_ONCE).send();
            MqttConnectOptions o = new MqttConnectOptions();
            o.setUserName("carol");
            o.setPassword("pw".toCharArray());
            o.setConnectionTimeout((int) TIMEOUT.toSeconds());
            paho.setTimeToWait(TIMEOUT.toMillis());
            paho.connect(o);
            for (int qos = 0; qos <= 2; qos++) {
                String topic = "sensors/room" + qos;
                String payload = "2" + qos + ".5";
                sent.put(topic, payload);
                paho.publish(topic, utf8(payload), qos, false);
            }
            Map<String, String> got = new LinkedHashMap<>();
            Map<String, Integer> qosOf = new LinkedHashMap<>();
            for (int i = 0; i < sent.size(); i++) {
                Optional<Mqtt5Publish> m = received.receive(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                assertThat(m).as("message %d of %d", i + 1, sent.size()).isPresent();
                String topic = m.get().getTopic().toString();
                got.put(topic, new String(m.get().getPayloadAsBytes(), StandardCharsets.UTF_8));
                qosOf.put(topic, m.get().getQos().getCode());
            }
            assertThat(got).isEqualTo(sent);
            assertThat(qosOf).containsExactlyInAnyOrderEntriesOf(
                    Map.of("sensors/room0", 0, "sensors/room1", 1, "sensors/room2", 2));
        } finally {
            if (paho.isConnected()) {
                paho.disconnect();
            }
            paho.close();
            watcher.disconnect();
        }
        sent.forEach((topic, payload) -> awaitHookLine(publishes(topic, payload)));
    }

    @Test
    void anEmptyClientIdIsRefusedOrReplacedBeforeTheHookSeesIt() throws Exception {
        // MQTT 3.1.1 without clean session: the broker refuses it (identifier rejected), before any hook.
        MqttClient paho = new MqttClient("tcp://127.0.0.1:" + broker().port(), "", new MemoryPersistence());
        MqttConnectOptions o = new MqttConnectOptions();
        o.setCleanSession(false);
        o.setConnectionTimeout((int) TIMEOUT.toSeconds());
        MqttException refused = catchThrowableOfType(MqttException.class, () -> paho.connect(o));
        assertThat(refused.getReasonCode()).isEqualTo(MqttException.REASON_CODE_INVALID_CLIENT_ID);
        paho.close();

        // Otherwise the broker assigns one before authentication, as EMQX does: the hook sees it, and allows it.
        Mqtt5BlockingClient c = Mqtt5Client.builder().serverHost("127.0.0.1").serverPort(broker().port())
                .buildBlocking();
        Mqtt5ConnAck ack = c.connect();
        try {
            assertThat(ack.getReasonCode()).isEqualTo(Mqtt5ConnAckReasonCode.SUCCESS);
            String assigned = ack.getAssignedClientIdentifier().orElseThrow().toString();
            awaitHookLine(authenticates(assigned));
        } finally {
            c.disconnect();
        }
    }

    @Test
    void onlyTheHooksTheCodeDeclaresAreCalled() {
        long connectedBefore = metric("client.connected.succeeded");
        connect(broker(), "twice-1", "dave").disconnect();
        Mqtt5BlockingClient again = connect(broker(), "twice-1", "dave");
        try {
            again.subscribeWith().topicFilter("twice/#").send();
            // The second client.connected of twice-1 is called after anything about its first connection.
            await().atMost(TIMEOUT).untilAsserted(() -> assertThat(metric("client.connected.succeeded"))
                    .isGreaterThanOrEqualTo(connectedBefore + 2));
            await().atMost(TIMEOUT).untilAsserted(() -> assertThat(metric("client.authorize.succeeded")).isPositive());
            assertThat(metric("client.disconnected.succeeded")).isZero();
            assertThat(metric("session.created.succeeded")).isZero();
            assertThat(metric("session.subscribed.succeeded")).isZero();
            assertThat(metric("client.subscribe.succeeded")).isZero();
        } finally {
            again.disconnect();
        }
    }
}
