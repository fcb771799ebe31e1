package io.mast.it;

import io.mast.examples.exhook.SeedHooks;
import io.mast.exhook.ExHookPlugin;
import io.mast.exhook.sdk.HookServer;
import io.mast.testkit.MastBrokerExtension;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.extension.RegisterExtension;

/** examples/exhook-java, served in this JVM by the Java SDK, behind the broker's ExHook bridge. */
class ExHookSdkJavaExampleIT extends ExHookSdkExampleTests {

    static final Path DATA = ExHookSdkTesting.tempDir("exhook-java-example");
    static final HookServer HOOKS = HookServer.serve(new SeedHooks(DATA), 0);

    @RegisterExtension
    @Order(1)
    static final ExHookSdkTesting.Cleanup cleanup = new ExHookSdkTesting.Cleanup(HOOKS,
            ExHookSdkTesting.Cleanup.deleting(DATA));

    @RegisterExtension
    @Order(2)
    static final MastBrokerExtension broker = MastBrokerExtension.create()
            .plugin(ExHookPlugin.class, ExHookSdkTesting.exhook(List.of(Map.of(
                    "name", "javahooks",
                    "url", HOOKS.url(),
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
        return SeedHooks.class.getName();
    }
}
