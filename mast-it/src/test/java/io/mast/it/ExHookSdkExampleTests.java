package io.mast.it;

import static io.mast.it.ExHookSdkTesting.TIMEOUT;
import static io.mast.it.ExHookSdkTesting.connect;
import static io.mast.it.ExHookSdkTesting.read;
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
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The seed's use cases, end to end: a broker with the {@code exhook} section, one of the example hook servers
 * (examples/exhook-java or examples/exhook-python), and real MQTT clients. Each subclass supplies the broker and
 * where its hook server writes and logs.
 */
abstract class ExHookSdkExampleTests {

    @RegisterExtension
    final PluginTesting.Logs logs = new PluginTesting.Logs();

    /** The broker, with the example's hook server configured. */
    abstract MastBrokerExtension broker();

    /** The example's --data-dir. */
    abstract Path dataDir();

    /** The logger under which the example's own log lines reach the test. */
    abstract String hookLogger();

    /** Waits until the hook server logged a line containing {@code text}. */
    private void awaitHookLog(String text) {
        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(logs.lines())
                .as("the hook server logs \"%s\"", text)
                .anyMatch(l -> l.contains(" " + hookLogger() + ": ") && l.contains(text)));
    }

    @Test
    void aClientWithAnIdLogsInAndItsOnlineStatusAndHistoryAreRecorded() {
        Mqtt5BlockingClient c = connect(broker(), "sensor-1", "alice");
        awaitHookLog("authenticate sensor-1");
        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(read(dataDir().resolve("status.txt")).lines())
                .anyMatch(l -> l.startsWith("sensor-1 online ")));
        c.disconnect();
        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(read(dataDir().resolve("status.txt")).lines())
                .anyMatch(l -> l.startsWith("sensor-1 offline ")));
        List<String> history = read(dataDir().resolve("history.log")).lines()
                .filter(l -> l.contains(" sensor-1 ")).toList();
        assertThat(history).hasSize(2);
        assertThat(history.get(0)).containsPattern(" connected sensor-1 username=alice peer=127\\.0\\.0\\.1:\\d+$");
        assertThat(history.get(1)).containsPattern(" disconnected sensor-1 reason=\\S+$");
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

            // With a user name, both are allowed.
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
        awaitHookLog("authorize bob");
    }

    @Test
    void everyPublishIsLoggedByTheHookServer() throws Exception {
        // An MQTT 3.1.1 publisher (Paho), to show the hooks do not depend on the protocol version.
        MqttClient paho = new MqttClient("tcp://127.0.0.1:" + broker().port(), "logger-1", new MemoryPersistence());
        MqttConnectOptions o = new MqttConnectOptions();
        o.setUserName("carol");
        o.setPassword("pw".toCharArray());
        o.setConnectionTimeout((int) TIMEOUT.toSeconds());
        paho.setTimeToWait(TIMEOUT.toMillis());
        paho.connect(o);
        try {
            paho.publish("sensors/room1", utf8("21.5"), 1, false);
            paho.publish("other/x", utf8("hello"), 0, false);
        } finally {
            paho.disconnect();
            paho.close();
        }
        awaitHookLog("publish logger-1 sensors/room1: 21.5");
        awaitHookLog("publish logger-1 other/x: hello");
    }

    @Test
    void aClientThatSentNoIdLogsInWithTheIdentifierTheBrokerAssigned() {
        // The broker assigns an identifier before authentication (as EMQX does), so the hook sees a non-empty one.
        Mqtt5BlockingClient c = Mqtt5Client.builder().serverHost("127.0.0.1").serverPort(broker().port())
                .buildBlocking();
        Mqtt5ConnAck ack = c.connect();
        try {
            assertThat(ack.getReasonCode()).isEqualTo(Mqtt5ConnAckReasonCode.SUCCESS);
            String assigned = ack.getAssignedClientIdentifier().orElseThrow().toString();
            assertThat(assigned).isNotEmpty();
            awaitHookLog("authenticate " + assigned);
            await().atMost(TIMEOUT).untilAsserted(() -> assertThat(read(dataDir().resolve("status.txt")).lines())
                    .anyMatch(l -> l.startsWith(assigned + " online ")));
        } finally {
            c.disconnect();
        }
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
