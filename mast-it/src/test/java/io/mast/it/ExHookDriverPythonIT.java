package io.mast.it;

import io.mast.exhook.ExHookPlugin;
import io.mast.testkit.MastBrokerExtension;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The seed's hooks.py (examples/exhook-emqx4/data/extension), unchanged, run by the broker with the seed's own
 * driver lines: {@code drivers: {python3: {path: data/extension/hooks.py, call_timeout: 5s, init_module: hooks}}},
 * the Python SDK (emqx_extension on mast_exhook) unpacked from mast-exhook and Debian's /usr/bin/python3.
 */
class ExHookDriverPythonIT extends ExHookDriverTests {

    static final Path EXTENSION = ExHookDriverTesting.extensionFolder("exhook-driver-python");

    @RegisterExtension
    @Order(1)
    static final ExHookSdkTesting.Cleanup cleanup = new ExHookSdkTesting.Cleanup(
            ExHookSdkTesting.Cleanup.deleting(ExHookDriverTesting.root(EXTENSION)));

    @RegisterExtension
    @Order(2)
    static final MastBrokerExtension broker = MastBrokerExtension.create()
            .plugin(ExHookPlugin.class, ExHookDriverTesting.driver("python3", Map.of(
                    "path", EXTENSION.resolve("hooks.py").toString(),
                    "call_timeout", "5s",
                    "init_module", "hooks")));

    @Override
    MastBrokerExtension broker() {
        return broker;
    }

    @Override
    String driver() {
        return "python3";
    }

    @Override
    String authenticates(String clientId) {
        return "[Python SDK] [on_client_authenticate] " + clientId + " authenticate";
    }

    @Override
    String checksAcl(String username, String pubsub, String topic) {
        return "[Python SDK] [on_client_check_acl] " + username + " check ACL: " + pubsub + " " + topic;
    }

    @Override
    String publishes(String topic, String payload) {
        return "[Python SDK] [on_message_publish] " + topic + " " + payload;
    }
}
