package io.mast.it;

import static io.mast.it.ExHookSdkTesting.TIMEOUT;
import static io.mast.it.ExHookSdkTesting.connect;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import io.mast.exhook.ExHookPlugin;
import io.mast.exhook.sdk.Answer;
import io.mast.exhook.sdk.ClientInfo;
import io.mast.exhook.sdk.HookProvider;
import io.mast.exhook.sdk.HookServer;
import io.mast.exhook.sdk.Message;
import io.mast.exhook.sdk.SubOpts;
import io.mast.exhook.sdk.Topics;
import io.mast.testkit.MastBrokerExtension;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Two hook servers written with the Java SDK behind the bridge, asked in config order: the first speaks protocol v2,
 * the second v3. The SDK's answers (CONTINUE, IGNORE, STOP_AND_RETURN, a changed message, a dropped one) change
 * the broker's decisions as the protocol says.
 */
class ExHookSdkAnswersIT {

    /** v2: stops the chain for user "stopped", ignores others; upper-cases messages on shout/#. */
    static final class First extends HookProvider {
        final List<String> seen = new CopyOnWriteArrayList<>();

        @Override
        public Answer<Boolean> answerClientAuthenticate(ClientInfo client, boolean resultSoFar) {
            seen.add("authenticate " + client.clientId() + " " + client.peerHost());
            if (client.username().equals("banned")) {
                return Answer.deny(0x8A, "banned by first"); // Mast's extension, through protocol v2
            }
            return client.username().equals("stopped") ? Answer.stop(false) : Answer.ignore();
        }

        @Topics("shout/#")
        @Override
        public Message onMessagePublish(Message message) {
            seen.add("publish " + message.topic());
            return message.withPayload(message.payloadAsString().toUpperCase());
        }

        @Override
        public void onSessionSubscribed(ClientInfo client, String topic, SubOpts options) {
            seen.add("subscribed " + client.clientId() + " " + topic + " qos" + options.qos());
        }
    }

    /** v3: refuses user "refused"; drops payload "drop", appends "!" on shout/, ignores other messages. */
    static final class Second extends HookProvider {
        final List<String> seen = new CopyOnWriteArrayList<>();

        @Override
        public boolean onClientAuthenticate(ClientInfo client, boolean resultSoFar) {
            seen.add("authenticate " + client.clientId());
            return !client.username().equals("refused");
        }

        @Override
        public Answer<Message> answerMessagePublish(Message message) {
            if (message.payloadAsString().equals("drop")) {
                return Answer.drop();
            }
            if (message.payloadAsString().equals("quota")) {
                return Answer.refuse(0x97, "over quota");
            }
            if (message.topic().startsWith("shout/")) {
                return Answer.proceed(message.withPayload(message.payloadAsString() + "!"));
            }
            return Answer.ignore();
        }

        @Override
        public void onSessionSubscribed(ClientInfo client, String topic, SubOpts options) {
            seen.add("subscribed " + client.clientId() + " " + topic + " qos" + options.qos());
        }
    }

    static final First FIRST = new First();
    static final Second SECOND = new Second();
    static final HookServer FIRST_SERVER = HookServer.serve(FIRST, 0);
    static final HookServer SECOND_SERVER = HookServer.serve(SECOND, 0);

    @RegisterExtension
    @Order(1)
    static final ExHookSdkTesting.Cleanup cleanup = new ExHookSdkTesting.Cleanup(FIRST_SERVER, SECOND_SERVER);

    @RegisterExtension
    @Order(2)
    static final MastBrokerExtension broker = MastBrokerExtension.create()
            .plugin(ExHookPlugin.class, ExHookSdkTesting.exhook(List.of(
                    Map.of("name", "first", "url", FIRST_SERVER.url(), "protocol", "v2", "failed_action", "deny"),
                    Map.of("name", "second", "url", SECOND_SERVER.url(), "failed_action", "deny"))));

    @Test
    void stopAndReturnFromTheFirstServerIsFinal() {
        var e = catchThrowableOfType(Mqtt5ConnAckException.class, () -> connect(broker, "s-1", "stopped"));
        assertThat(e.getMqttMessage().getReasonCode()).isEqualTo(Mqtt5ConnAckReasonCode.NOT_AUTHORIZED);
        assertThat(FIRST.seen).contains("authenticate s-1 127.0.0.1");
        assertThat(SECOND.seen).as("the second server is not asked").doesNotContain("authenticate s-1");
    }

    @Test
    void aDenyOrRefusalWithAReasonCodeReachesTheClient() {
        var e = catchThrowableOfType(Mqtt5ConnAckException.class, () -> connect(broker, "b-1", "banned"));
        assertThat(e.getMqttMessage().getReasonCode()).isEqualTo(Mqtt5ConnAckReasonCode.BANNED);
        assertThat(e.getMqttMessage().getReasonString().map(Object::toString)).contains("banned by first");

        Mqtt5BlockingClient pub = connect(broker, "q-1", "fine");
        try {
            var refused = catchThrowableOfType(com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5PubAckException.class,
                    () -> pub.publishWith().topic("plain/q").qos(MqttQos.AT_LEAST_ONCE).payload(utf8("quota")).send());
            assertThat(refused).as("refused, not dropped").isNotNull();
            assertThat(refused.getMqttMessage().getReasonCode())
                    .isEqualTo(com.hivemq.client.mqtt.mqtt5.message.publish.puback.Mqtt5PubAckReasonCode.QUOTA_EXCEEDED);
            assertThat(refused.getMqttMessage().getReasonString().map(Object::toString)).contains("over quota");
        } finally {
            pub.disconnect();
        }
    }

    @Test
    void ignoreLeavesTheDecisionToTheNextServer() {
        var e = catchThrowableOfType(Mqtt5ConnAckException.class, () -> connect(broker, "r-1", "refused"));
        assertThat(e.getMqttMessage().getReasonCode()).isEqualTo(Mqtt5ConnAckReasonCode.NOT_AUTHORIZED);
        assertThat(FIRST.seen).contains("authenticate r-1 127.0.0.1");
        assertThat(SECOND.seen).contains("authenticate r-1");

        Mqtt5BlockingClient ok = connect(broker, "ok-1", "fine");
        ok.disconnect();
        assertThat(SECOND.seen).contains("authenticate ok-1");
    }

    @Test
    void publishAnswersChainThroughTheServersAndDropDrops() throws Exception {
        Mqtt5BlockingClient sub = connect(broker, "pub-sub", "fine");
        Mqtt5BlockingClient pub = connect(broker, "pub-pub", "fine");
        try (var received = sub.publishes(MqttGlobalPublishFilter.ALL)) {
            sub.subscribeWith().topicFilter("shout/#").qos(MqttQos.AT_LEAST_ONCE).send();
            sub.subscribeWith().topicFilter("plain/#").qos(MqttQos.AT_LEAST_ONCE).send();

            pub.publishWith().topic("shout/a").qos(MqttQos.AT_LEAST_ONCE).payload(utf8("hello")).send();
            assertThat(payload(received.receive(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS))).isEqualTo("HELLO!");

            // In order from one publisher: had "drop" been published, it would arrive before "keep".
            pub.publishWith().topic("plain/a").qos(MqttQos.AT_LEAST_ONCE).payload(utf8("drop")).send();
            pub.publishWith().topic("plain/a").qos(MqttQos.AT_LEAST_ONCE).payload(utf8("keep")).send();
            assertThat(payload(received.receive(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS))).isEqualTo("keep");
        } finally {
            sub.disconnect();
            pub.disconnect();
        }
        assertThat(FIRST.seen).contains("publish shout/a").doesNotContain("publish plain/a");
    }

    @Test
    void bothProtocolVersionsSeeASharedSubscriptionTheSameWay() {
        Mqtt5BlockingClient c = connect(broker, "share-1", "fine");
        try {
            c.subscribeWith().topicFilter("$share/g/shout/#").qos(MqttQos.AT_LEAST_ONCE).send();
            await().atMost(TIMEOUT).untilAsserted(() -> {
                assertThat(FIRST.seen).contains("subscribed share-1 $share/g/shout/# qos1");
                assertThat(SECOND.seen).contains("subscribed share-1 $share/g/shout/# qos1");
            });
        } finally {
            c.disconnect();
        }
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String payload(Optional<Mqtt5Publish> p) {
        assertThat(p).as("a message arrived").isPresent();
        return new String(p.get().getPayloadAsBytes(), StandardCharsets.UTF_8);
    }
}
