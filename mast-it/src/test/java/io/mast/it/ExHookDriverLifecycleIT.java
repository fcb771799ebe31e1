package io.mast.it;

import static io.mast.it.ExHookSdkTesting.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode;
import io.mast.broker.MastBroker;
import io.mast.exhook.ExHookPlugin;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The python3 driver's life: the broker starts it and calls init() once, registers only the hooks init() listed,
 * applies call_timeout and failed_action, starts it again (init() again) when it dies, and at shutdown calls
 * deinit() and stops it.
 */
class ExHookDriverLifecycleIT {

    @RegisterExtension
    final PluginTesting.Logs logs = new PluginTesting.Logs();

    @TempDir
    Path dir;

    @BeforeAll
    static void pythonGrpc() throws Exception {
        ExHookProcessIT.pythonGrpc();
    }

    /** The broker's child processes running the python3 driver. */
    private static List<ProcessHandle> drivers() {
        return ProcessHandle.current().children().filter(p -> p.info().arguments()
                .map(a -> String.join(" ", a).contains("emqx_extension.driver")).orElse(false)).toList();
    }

    private List<String> marks() {
        return ExHookSdkTesting.read(dir.resolve("marks.txt")).lines().toList();
    }

    @Test
    void initOnceAHookTimeoutARestartAndDeinit() throws Exception {
        Path module = Path.of(ExHookDriverLifecycleIT.class.getResource("/exhook/emqx4/lifecycle.py").toURI());
        MastBroker b = MastBroker.builder().bind("127.0.0.1").port(0).plugin(ExHookPlugin.class.getName(),
                ExHookDriverTesting.driver("python3", Map.of("path", module.toString(), "call_timeout", "1s",
                        "failed_action", "deny", "env", Map.of("MARKS", dir.resolve("marks.txt").toString()))))
                .build();
        long first;
        long second;
        try {
            b.start().join();
            assertThat(ExHookTesting.metric(b, "python3", "status")).as("the broker waited until it served")
                    .isEqualTo(ExHookTesting.CONNECTED);
            logs.await("the hooks init() listed, and only those", l -> l.startsWith(
                    "INFO io.mast.exhook.ExHookPlugin: ExHook server python3 is connected: ")
                    && l.endsWith("; hooks: client.authenticate, session.created"));
            assertThat(drivers()).hasSize(1);
            first = drivers().get(0).pid();
            assertThat(marks()).containsExactly("init " + first);

            ExHookTesting.connect(b.port(), "c-1").disconnect();
            await().atMost(TIMEOUT).until(() -> marks().contains("session c-1 " + first));

            // 3 s in on_client_authenticate: the call times out after call_timeout (1s), and failed_action deny
            // refuses the client.
            Mqtt5ConnAckException slow = catchThrowableOfType(Mqtt5ConnAckException.class,
                    () -> ExHookTesting.connect(b.port(), "slow-1"));
            assertThat(slow).isNotNull();
            assertThat(slow.getMqttMessage().getReasonCode()).isEqualTo(Mqtt5ConnAckReasonCode.SERVER_UNAVAILABLE);
            await().atMost(TIMEOUT).untilAsserted(() -> assertThat(
                    ExHookTesting.metric(b, "python3", "client.authenticate.timed_out")).isEqualTo(1));

            // Killed, it is started again, and init() runs again in the new process.
            drivers().get(0).destroyForcibly();
            await().atMost(TIMEOUT.multipliedBy(2)).untilAsserted(() -> assertThat(drivers()).singleElement()
                    .satisfies(p -> assertThat(p.pid()).isNotEqualTo(first)));
            second = drivers().get(0).pid();
            ExHookTesting.awaitStatus(b, "python3", ExHookTesting.CONNECTED);
            Mqtt5BlockingClient c2 = ExHookTesting.connect(b.port(), "c-2");
            c2.disconnect();
            await().atMost(TIMEOUT).until(() -> marks().contains("session c-2 " + second));
            assertThat(marks()).containsExactly("init " + first, "session c-1 " + first, "init " + second,
                    "session c-2 " + second);
        } finally {
            b.close();
        }
        assertThat(drivers()).as("stopped with the broker").isEmpty();
        assertThat(marks()).as("deinit() once, in the last process, at shutdown").containsExactly("init " + first,
                "session c-1 " + first, "init " + second, "session c-2 " + second, "deinit " + second);
    }
}
