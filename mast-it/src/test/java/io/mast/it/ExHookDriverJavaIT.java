package io.mast.it;

import io.mast.exhook.ExHookPlugin;
import io.mast.testkit.MastBrokerExtension;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A handler written against EMQX 4.2's Java SDK (examples/exhook-emqx4/data/extension/SampleHandler.java), compiled
 * against mast-exhook-sdk-emqx4 into a data/extension folder and run by the broker in a JVM of its own with
 * {@code drivers: {java: {path: data/extension/, init_module: SampleHandler}}}.
 */
class ExHookDriverJavaIT extends ExHookDriverTests {

    static final Path EXTENSION = compiled();

    @RegisterExtension
    @Order(1)
    static final ExHookSdkTesting.Cleanup cleanup = new ExHookSdkTesting.Cleanup(
            ExHookSdkTesting.Cleanup.deleting(ExHookDriverTesting.root(EXTENSION)));

    @RegisterExtension
    @Order(2)
    static final MastBrokerExtension broker = MastBrokerExtension.create()
            .plugin(ExHookPlugin.class, ExHookDriverTesting.driver("java", Map.of(
                    "path", EXTENSION + "/",
                    "init_module", "SampleHandler")));

    private static Path compiled() {
        Path extension = ExHookDriverTesting.extensionFolder("exhook-driver-java");
        ExHookDriverTesting.compile(extension, "SampleHandler.java");
        return extension;
    }

    @Override
    MastBrokerExtension broker() {
        return broker;
    }

    @Override
    String driver() {
        return "java";
    }

    @Override
    String authenticates(String clientId) {
        return "[Java] onClientAuthenticate: " + clientId + " authenticate";
    }

    @Override
    String checksAcl(String username, String pubsub, String topic) {
        // EMQX 4.x's Java SDK gives an empty user name as null.
        return "[Java] onClientCheckAcl: " + (username.isEmpty() ? "null" : username) + " check ACL: " + pubsub + " "
                + topic;
    }

    @Override
    String publishes(String topic, String payload) {
        return "[Java] onMessagePublish: " + topic + " " + payload;
    }
}
