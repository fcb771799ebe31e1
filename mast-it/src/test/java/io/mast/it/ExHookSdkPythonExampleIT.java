package io.mast.it;

import io.mast.exhook.ExHookPlugin;
import io.mast.testkit.MastBrokerExtension;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * examples/exhook-python/hooks.py, started by the broker through the server's {@code command} (with Debian's
 * {@code /usr/bin/python3} and the SDK from sdk/python on PYTHONPATH), behind the broker's ExHook bridge. Its log
 * lines reach the test through the broker, which logs the process's output under {@code io.mast.exhook.server.<name>}.
 */
class ExHookSdkPythonExampleIT extends ExHookSdkExampleTests {

    static final Path DATA = ExHookSdkTesting.tempDir("exhook-python-example");
    static final int PORT = ExHookSdkTesting.freePort();

    @RegisterExtension
    @Order(1)
    static final ExHookSdkTesting.Cleanup cleanup = new ExHookSdkTesting.Cleanup(
            ExHookSdkTesting.Cleanup.deleting(DATA));

    @RegisterExtension
    @Order(2)
    static final MastBrokerExtension broker = MastBrokerExtension.create()
            .plugin(ExHookPlugin.class, ExHookSdkTesting.exhook(List.of(Map.of(
                    "name", "pyhooks",
                    "url", "http://127.0.0.1:" + PORT,
                    "command", List.of(ExHookSdkPythonTestsIT.PYTHON, "hooks.py", "--port", Integer.toString(PORT),
                            "--data-dir", DATA.toString()),
                    "workdir", ExHookSdkTesting.REPO.resolve("examples/exhook-python").toString(),
                    "env", Map.of("PYTHONPATH", ExHookSdkTesting.REPO.resolve("sdk/python").toString()),
                    "failed_action", "deny"))));

    @Override
    MastBrokerExtension broker() {
        return broker;
    }

    @Override
    Path dataDir() {
        return DATA;
    }

    @Override
    String hookLogger() {
        return "io.mast.exhook.server.pyhooks";
    }
}
