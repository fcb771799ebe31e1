package io.mast.it;

import static io.mast.it.V311Clients.awaitSubscribed;
import static io.mast.it.V311Clients.mosquittoPub;
import static io.mast.it.V311Clients.mosquittoSub;
import static io.mast.it.V311Clients.options;
import static io.mast.it.V311Clients.paho;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5PubAckException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5SubAckException;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.publish.puback.Mqtt5PubAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAckReasonCode;
import io.mast.it.V311Clients.Command;
import io.mast.it.V311Clients.Paho;
import io.mast.plugins.AclFilePlugin;
import io.mast.plugins.AnonymousAuthPlugin;
import io.mast.plugins.PasswordFile;
import io.mast.plugins.PasswordFileAuthPlugin;
import io.mast.testkit.MastBrokerExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The anonymous, password file and ACL file plugins together, end to end with Paho v3 and v5, the HiveMQ client and
 * mosquitto_pub/sub: who may connect, subscribe, publish and receive what.
 */
class BuiltinAuthAclIT {

    /** mosquitto_passwd -c -b pw alice secret (Mosquitto 2.0.11): a Mosquitto user brought along unchanged. */
    static final String MOSQUITTO_HASH = "$7$101$oWe4j4Ydh5JT/0lD$V0dRQvsBuIQ9p9txgvKyl1XXMGlVaZsrsQXqnSW6/WQHOqfaZwqdadFd441qSJWXTvkWRN5sGGCxOz0NahbTLA==";

    static final Path DIR = BuiltinFiles.folder("mast-builtin-auth");
    static final Path PASSWD = passwords();
    static final Path ACL = BuiltinFiles.lines(DIR.resolve("acl"),
            "# nothing for anonymous clients: they are refused anyway",
            "user alice",
            "topic write reports/#",
            "topic readwrite alice/#",
            "user bob",
            "topic subscribe reports/#",
            "topic receive reports/daily",
            "user mosq",
            "topic readwrite mosq/#",
            "pattern readwrite users/%u/#");

    private static Path passwords() {
        Path f = BuiltinFiles.passwords(DIR.resolve("passwd"), "alice", "secret", "bob", "b0b");
        try {
            PasswordFile pf = PasswordFile.read(f);
            pf.set("mosq", MOSQUITTO_HASH);
            pf.write(f);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return f;
    }

    @RegisterExtension
    static final MastBrokerExtension broker = MastBrokerExtension.create()
            .plugin(AnonymousAuthPlugin.class, Map.of("allow_anonymous", false))
            .plugin(PasswordFileAuthPlugin.class, Map.of("password_file", PASSWD.toString()))
            .plugin(AclFilePlugin.class, Map.of("acl_file", ACL.toString()));

    @RegisterExtension
    final V5Clients clients = new V5Clients(broker);

    @AfterAll
    static void deleteFiles() throws Exception {
        BuiltinFiles.delete(DIR);
    }

    private static MqttConnectOptions as(String user, String password) {
        MqttConnectOptions o = options(true);
        o.setUserName(user);
        o.setPassword(password.toCharArray());
        return o;
    }

    private static int v3Refusal(String clientId, MqttConnectOptions o) {
        MqttException e = catchThrowableOfType(MqttException.class, () -> paho(broker, clientId, o).close());
        assertThat(e).as("the connection of %s was refused", clientId).isNotNull();
        return e.getReasonCode();
    }

    @Test
    void rightPasswordConnectsWrongOneGets0x86AndAnonymous0x87() {
        assertThat(clients.connack("v5-alice", "alice", "secret")).isEqualTo(Mqtt5ConnAckReasonCode.SUCCESS);
        assertThat(clients.connack("v5-mosq", "mosq", "secret")).as("a Mosquitto $7$ hash")
                .isEqualTo(Mqtt5ConnAckReasonCode.SUCCESS);
        assertThat(clients.connack("v5-wrong", "alice", "Secret"))
                .isEqualTo(Mqtt5ConnAckReasonCode.BAD_USER_NAME_OR_PASSWORD);
        assertThat(clients.connack("v5-unknown", "mallory", "secret"))
                .isEqualTo(Mqtt5ConnAckReasonCode.BAD_USER_NAME_OR_PASSWORD);
        assertThat(clients.connack("v5-nopass", "alice", null))
                .isEqualTo(Mqtt5ConnAckReasonCode.BAD_USER_NAME_OR_PASSWORD);
        assertThat(clients.connack("v5-anon", null, null)).isEqualTo(Mqtt5ConnAckReasonCode.NOT_AUTHORIZED);
    }

    @Test
    void mqtt311ReturnCodes4And5() throws Exception {
        try (Paho ok = paho(broker, "v3-bob", as("bob", "b0b"))) {
            assertThat(ok.client.isConnected()).isTrue();
        }
        assertThat(v3Refusal("v3-wrong", as("bob", "bob")))
                .isEqualTo(MqttException.REASON_CODE_FAILED_AUTHENTICATION).isEqualTo(4);
        assertThat(v3Refusal("v3-anon", options(true))).isEqualTo(MqttException.REASON_CODE_NOT_AUTHORIZED).isEqualTo(5);
    }

    @Test
    void aclDeniesSubscribeWith0x87OnMqtt5And0x80OnMqtt311() throws Exception {
        Mqtt5BlockingClient alice = clients.hive("v5-alice-sub", "alice", "secret");
        Mqtt5SubAckException refused = catchThrowableOfType(Mqtt5SubAckException.class,
                () -> alice.subscribeWith().topicFilter("reports/#").qos(MqttQos.AT_LEAST_ONCE).send());
        assertThat(refused.getMqttMessage().getReasonCodes()).containsExactly(Mqtt5SubAckReasonCode.NOT_AUTHORIZED);
        assertThat(alice.subscribeWith().topicFilter("alice/+/x").qos(MqttQos.AT_LEAST_ONCE).send().getReasonCodes())
                .containsExactly(Mqtt5SubAckReasonCode.GRANTED_QOS_1);
        assertThat(alice.subscribeWith().topicFilter("users/alice/#").qos(MqttQos.AT_MOST_ONCE).send().getReasonCodes())
                .as("pattern with %u").containsExactly(Mqtt5SubAckReasonCode.GRANTED_QOS_0);

        try (Paho bob = paho(broker, "v3-bob-sub", as("bob", "b0b"))) {
            assertThat(bob.subscribe("alice/#", 1)).isEqualTo(0x80);
            assertThat(bob.subscribe("users/+/#", 1)).as("another user's pattern").isEqualTo(0x80);
            assertThat(bob.subscribe("reports/#", 1)).isEqualTo(1);
        }
    }

    @Test
    void aclDeniesPublishWith0x87OnMqtt5AndDropsItOnMqtt311() throws Exception {
        Mqtt5BlockingClient bob = clients.hive("v5-bob-pub", "bob", "b0b");
        Mqtt5PubAckException denied = catchThrowableOfType(Mqtt5PubAckException.class,
                () -> bob.publishWith().topic("reports/daily").qos(MqttQos.AT_LEAST_ONCE).payload(V5Clients.utf8("x"))
                        .send());
        assertThat(denied.getMqttMessage().getReasonCode()).isEqualTo(Mqtt5PubAckReasonCode.NOT_AUTHORIZED);

        try (Paho alice = paho(broker, "v3-alice-inbox", as("alice", "secret"));
             Paho mallory = paho(broker, "v3-bob-pub", as("bob", "b0b"))) {
            alice.subscribe("users/alice/#", 2);
            mallory.publish("users/alice/inbox", "from bob", 1, false); // acknowledged, and dropped
            alice.publish("users/alice/marker", "marker", 2, false);
            assertThat(alice.until("users/alice/marker")).isEmpty();
        }
    }

    @Test
    void aclDeniesReceivePerSubscriber() throws Exception {
        try (Paho bob = paho(broker, "v3-bob-recv", as("bob", "b0b"));
             Paho alice = paho(broker, "v3-alice-pub", as("alice", "secret"))) {
            assertThat(bob.subscribe("reports/#", 2)).isEqualTo(2);
            alice.publish("reports/hourly", "not for bob", 1, false);
            alice.publish("reports/daily", "for bob", 2, false);
            assertThat(bob.until("reports/daily")).as("what bob received before the daily report").isEmpty();
            assertThat(bob.drain()).isEmpty();
        }
    }

    @Test
    void mosquittoClientsWithUserNamesAndPasswords() throws Exception {
        Duration run = Duration.ofSeconds(10);
        try (Command sub = mosquittoSub(broker, 10, "-i", "mosq-bob", "-u", "bob", "-P", "b0b", "-q", "1",
                "-t", "reports/#", "-C", "1", "-v")) {
            awaitSubscribed(broker, "mosq-bob", "reports/daily");
            try (Command wrong = mosquittoPub(broker, "-i", "mosq-wrong", "-u", "alice", "-P", "guess",
                    "-t", "reports/daily", "-m", "never")) {
                assertThat(wrong.awaitExit(run)).isNotZero();
                assertThat(String.join("\n", wrong.output())).containsIgnoringCase("bad user name or password");
            }
            // One after the other: were "hidden" delivered, it would come first and be the one message sub prints.
            try (Command hourly = mosquittoPub(broker, "-i", "mosq-hourly", "-u", "alice", "-P", "secret", "-q", "1",
                    "-t", "reports/hourly", "-m", "hidden")) {
                hourly.awaitSuccess(run);
            }
            try (Command daily = mosquittoPub(broker, "-i", "mosq-daily", "-u", "alice", "-P", "secret", "-q", "1",
                    "-t", "reports/daily", "-m", "shown")) {
                daily.awaitSuccess(run);
            }
            List<String> out = sub.awaitSuccess(run);
            assertThat(out).contains("reports/daily shown").noneMatch(l -> l.contains("hidden"));
        }
    }
}
