package io.mast.it;

import static io.mast.it.ExHookTesting.CONNECTED;
import static io.mast.it.ExHookTesting.TIMEOUT;
import static io.mast.it.ExHookTesting.awaitStatus;
import static io.mast.it.ExHookTesting.server;
import static io.mast.it.ExHookTesting.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5PubAckException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5SubAckException;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import com.hivemq.client.mqtt.mqtt5.message.publish.puback.Mqtt5PubAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAckReasonCode;
import io.mast.broker.MastBroker;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The seed's "driver" model: the broker starts a Python hook server (grpcio from Debian, under /usr/bin/python3)
 * through {@code command}, waits until it serves, logs its output under the server's name, restarts it when it
 * crashes and stops it with the broker.
 */
class ExHookProcessIT {

    private static final String PYTHON = "/usr/bin/python3";

    @RegisterExtension
    final PluginTesting.Logs logs = new PluginTesting.Logs();

    /** Python with grpcio and grpc-tools; without them the test fails on CI and is skipped elsewhere. */
    @BeforeAll
    static void pythonGrpc() throws Exception {
        String missing = null;
        if (!Files.isExecutable(Path.of(PYTHON))) {
            missing = PYTHON + " does not exist";
        } else {
            Process p = new ProcessBuilder(PYTHON, "-c", "import grpc, grpc_tools").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(20, TimeUnit.SECONDS) || p.exitValue() != 0) {
                missing = "grpcio or grpc-tools cannot be imported: " + out.strip();
            }
        }
        if (missing != null) {
            String message = "ExHookProcessIT needs Python gRPC (apt-get install python3-grpcio python3-protobuf "
                    + "python3-grpc-tools): " + missing;
            if ("true".equals(System.getenv("CI"))) {
                Assertions.fail(message);
            }
            Assumptions.abort(message);
        }
    }

    private static Path script() throws Exception {
        return Path.of(ExHookProcessIT.class.getResource("/exhook/hook_server.py").toURI());
    }

    private static Path protoRoot() {
        Path p = Path.of("..", "mast-exhook-proto", "src", "main", "proto").toAbsolutePath().normalize();
        assertThat(p.resolve("emqx/exhook/v3/exhook.proto")).as("the .proto of mast-exhook-proto").exists();
        return p;
    }

    /** The broker's child processes running the hook server script. */
    private static List<ProcessHandle> hookProcesses() {
        return ProcessHandle.current().children().filter(p -> p.info().arguments()
                .map(a -> String.join(" ", a).contains("hook_server.py")).orElse(false)).toList();
    }

    private static String receiveText(Mqtt5BlockingClient.Mqtt5Publishes publishes) throws InterruptedException {
        Optional<Mqtt5Publish> m = publishes.receive(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(m).isPresent();
        return new String(m.get().getPayloadAsBytes(), StandardCharsets.UTF_8);
    }

    @Test
    void theBrokerRunsThePythonServerAndRestartsItWhenItCrashes() throws Exception {
        int port = ExHookTesting.freePort();
        List<String> command = List.of(PYTHON, script().toString(), "--port", Integer.toString(port),
                "--proto-root", protoRoot().toString());
        long pid;
        try (MastBroker b = ExHookTesting.startBroker(server("py", "http://127.0.0.1:" + port, "command", command,
                "auto_reconnect", "1s", "start_timeout", "20s"))) {
            assertThat(ExHookTesting.metric(b, "py", "status")).as("the broker waited until it served")
                    .isEqualTo(CONNECTED);
            assertThat(hookProcesses()).hasSize(1);
            pid = hookProcesses().get(0).pid();

            Mqtt5ConnAckException refused = catchThrowableOfType(Mqtt5ConnAckException.class, () -> {
                Mqtt5BlockingClient c = ExHookTesting.client(b.port(), "py-mallory");
                c.connectWith().simpleAuth().username("mallory").applySimpleAuth().send();
            });
            assertThat(refused).isNotNull();
            assertThat(refused.getMqttMessage().getReasonCode()).isEqualTo(Mqtt5ConnAckReasonCode.NOT_AUTHORIZED);

            Mqtt5BlockingClient alice = ExHookTesting.client(b.port(), "py-alice");
            alice.connectWith().simpleAuth().username("alice").applySimpleAuth().send();
            Mqtt5SubAckException secret = catchThrowableOfType(Mqtt5SubAckException.class,
                    () -> alice.subscribeWith().topicFilter("secret/x").send());
            assertThat(secret).isNotNull();
            assertThat(secret.getMqttMessage().getReasonCodes()).containsExactly(Mqtt5SubAckReasonCode.NOT_AUTHORIZED);
            try (var publishes = alice.publishes(MqttGlobalPublishFilter.ALL)) {
                alice.subscribeWith().topicFilter("py/upper").qos(MqttQos.AT_LEAST_ONCE).send();
                alice.publishWith().topic("py/upper").qos(MqttQos.AT_LEAST_ONCE).payload(utf8("abc")).send();
                assertThat(receiveText(publishes)).isEqualTo("ABC");

                // Its output is logged under the server's name.
                logs.await("the server's output", l -> l.equals("INFO io.mast.exhook.server.py: CALL OnClientConnected py-alice"));

                // It crashes while deciding a message: the decision fails (deny), the broker restarts it.
                Mqtt5PubAckException crash = catchThrowableOfType(Mqtt5PubAckException.class, () -> alice.publishWith()
                        .topic("py/crash").qos(MqttQos.AT_LEAST_ONCE).payload(utf8("x")).send());
                assertThat(crash).isNotNull();
                assertThat(crash.getMqttMessage().getReasonCode()).isEqualTo(Mqtt5PubAckReasonCode.NOT_AUTHORIZED);
                logs.await("its last words", l -> l.equals("WARN io.mast.exhook.server.py: crashing on purpose"));
                await().atMost(TIMEOUT.multipliedBy(3)).untilAsserted(() -> assertThat(hookProcesses())
                        .singleElement().satisfies(p -> assertThat(p.pid()).isNotEqualTo(pid)));
                awaitStatus(b, "py", CONNECTED);
                alice.publishWith().topic("py/upper").qos(MqttQos.AT_LEAST_ONCE).payload(utf8("again")).send();
                assertThat(receiveText(publishes)).isEqualTo("AGAIN");
            }
            alice.disconnect();
        }
        assertThat(hookProcesses()).as("stopped with the broker").isEmpty();
        assertThat(logs.lines()).anyMatch(l -> l.equals("INFO io.mast.exhook.server.py: CALL OnProviderUnloaded "));
    }
}
