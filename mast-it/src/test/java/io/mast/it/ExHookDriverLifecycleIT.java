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
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A driver's life, for python3 (a hooks module for EMQX 4.x's Python SDK) and java (a handler for its Java SDK): the
 * broker starts it and calls init() once, registers only the hooks init() listed, applies call_timeout and
 * failed_action, starts it again (init() again) when it dies, and at shutdown calls deinit() and stops it.
 */
class ExHookDriverLifecycleIT {

    private static final String JAVA_DRIVER = "io.mast.exhook.emqx4.Driver";

    private static final String JAVA = realPath(Path.of(System.getProperty("java.home"), "bin", "java"));

    @RegisterExtension
    final PluginTesting.Logs logs = new PluginTesting.Logs();

    @TempDir
    Path dir;

    @BeforeAll
    static void pythonGrpc() throws Exception {
        ExHookProcessIT.pythonGrpc();
    }

    /** The broker's child processes running a driver: their arguments contain {@code program}. */
    private static List<ProcessHandle> drivers(String program) {
        return ProcessHandle.current().children().filter(p -> runs(p, program)).toList();
    }

    private static boolean runs(ProcessHandle p, String program) {
        ProcessHandle.Info info = p.info();
        if (info.arguments().isPresent()) {
            return String.join(" ", info.arguments().get()).contains(program);
        }
        // The JDK gives no arguments for a command line longer than a page, as the java driver's is (the broker's
        // class path): that driver is then the child running this JVM's java.
        return program.equals(JAVA_DRIVER) && info.command().map(c -> c.equals(JAVA)).orElse(false);
    }

    private List<String> marks() {
        return ExHookSdkTesting.read(dir.resolve("marks.txt")).lines().toList();
    }

    private static String realPath(Path p) {
        try {
            return p.toRealPath().toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path resource(String name) throws Exception {
        return Path.of(ExHookDriverLifecycleIT.class.getResource("/exhook/emqx4/" + name).toURI());
    }

    @Test
    void python3InitOnceAHookTimeoutARestartAndDeinit() throws Exception {
        lifecycle("python3", resource("lifecycle.py").toString(), "lifecycle", "emqx_extension.driver");
    }

    @Test
    void javaInitOnceAHookTimeoutARestartAndDeinit() throws Exception {
        Path extension = Files.createDirectories(dir.resolve("data").resolve("extension"));
        Files.copy(resource("Lifecycle.java"), extension.resolve("Lifecycle.java"));
        ExHookDriverTesting.compile(extension, "Lifecycle.java");
        lifecycle("java", extension + "/", "Lifecycle", JAVA_DRIVER);
    }

    /**
     * Runs the driver {@code driver} on the hook code at {@code path} ({@code initModule}), whose processes have
     * {@code program} in their arguments, through its life.
     */
    private void lifecycle(String driver, String path, String initModule, String program) throws Exception {
        MastBroker b = MastBroker.builder().bind("127.0.0.1").port(0).plugin(ExHookPlugin.class.getName(),
                ExHookDriverTesting.driver(driver, Map.of("path", path, "init_module", initModule,
                        "call_timeout", "1s", "failed_action", "deny",
                        "env", Map.of("MARKS", dir.resolve("marks.txt").toString()))))
                .build();
        long first;
        long second;
        try {
            b.start().join();
            assertThat(ExHookTesting.metric(b, driver, "status")).as("the broker waited until it served")
                    .isEqualTo(ExHookTesting.CONNECTED);
            logs.await("the hooks init() listed, and only those", l -> l.startsWith(
                    "INFO io.mast.exhook.ExHookPlugin: ExHook server " + driver + " is connected: ")
                    && l.endsWith("; hooks: client.authenticate, session.created"));
            assertThat(drivers(program)).hasSize(1);
            first = drivers(program).get(0).pid();
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
                    ExHookTesting.metric(b, driver, "client.authenticate.timed_out")).isEqualTo(1));

            // Killed, it is started again, and init() runs again in the new process.
            drivers(program).get(0).destroyForcibly();
            await().atMost(TIMEOUT.multipliedBy(2)).untilAsserted(() -> assertThat(drivers(program)).singleElement()
                    .satisfies(p -> assertThat(p.pid()).isNotEqualTo(first)));
            second = drivers(program).get(0).pid();
            ExHookTesting.awaitStatus(b, driver, ExHookTesting.CONNECTED);
            Mqtt5BlockingClient c2 = ExHookTesting.connect(b.port(), "c-2");
            c2.disconnect();
            await().atMost(TIMEOUT).until(() -> marks().contains("session c-2 " + second));
            assertThat(marks()).containsExactly("init " + first, "session c-1 " + first, "init " + second,
                    "session c-2 " + second);
        } finally {
            b.close();
        }
        assertThat(drivers(program)).as("stopped with the broker").isEmpty();
        assertThat(marks()).as("deinit() once, in the last process, at shutdown").containsExactly("init " + first,
                "session c-1 " + first, "init " + second, "session c-2 " + second, "deinit " + second);
    }
}
