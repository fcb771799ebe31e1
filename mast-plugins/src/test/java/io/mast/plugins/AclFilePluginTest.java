package io.mast.plugins;

import static io.mast.plugins.TestContext.client;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.mast.plugin.Decision;
import io.mast.plugin.TopicAction;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ACL file plugin: options, startup errors, reloading, the broker's own messages. */
class AclFilePluginTest {

    @TempDir
    Path dir;

    @Test
    void decidesFromTheFileAndReloadsItWhenItChanges() throws Exception {
        Path acl = dir.resolve("acl");
        Files.writeString(acl, "user alice\ntopic readwrite a/#\n");
        try (LogCapture log = new LogCapture(AclFilePlugin.class);
             TestContext ctx = TestContext.of(AclFilePlugin.class, Map.of("acl_file", acl.toString(),
                     "check_interval", "50ms"))) {
            AclFilePlugin plugin = new AclFilePlugin(ctx);
            assertThat(log.lines()).contains("INFO Loaded the ACL file " + acl
                    + ": 1 rules (1 users, 0 client ids, 0 patterns)");
            assertThat(plugin.authorize(client("alice", "c"), TopicAction.PUBLISH, "a/1").kind())
                    .isEqualTo(Decision.Kind.ALLOW);
            assertThat(plugin.authorize(client("alice", "c"), TopicAction.PUBLISH, "b/1").kind())
                    .isEqualTo(Decision.Kind.DENY);
            assertThat(plugin.authorize(null, TopicAction.PUBLISH, "$SYS/broker/uptime").kind())
                    .as("the broker's own messages").isEqualTo(Decision.Kind.ABSTAIN);

            Files.writeString(acl.resolveSibling("acl.new"), "user alice\ntopic readwrite b/#\n");
            Files.move(acl.resolveSibling("acl.new"), acl, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                    assertThat(plugin.authorize(client("alice", "c"), TopicAction.PUBLISH, "b/1").kind())
                            .isEqualTo(Decision.Kind.ALLOW));
            assertThat(plugin.authorize(client("alice", "c"), TopicAction.PUBLISH, "a/1").kind())
                    .isEqualTo(Decision.Kind.DENY);
            assertThat(log.lines()).contains("INFO Reloaded the ACL file " + acl
                    + ": 1 rules (1 users, 0 client ids, 0 patterns)");
        }
    }

    @Test
    void unmatchedAbstainLeavesTheDecisionToOthers() throws Exception {
        Path acl = dir.resolve("acl");
        Files.writeString(acl, "user alice\ntopic deny private/#\n");
        try (TestContext ctx = TestContext.of(AclFilePlugin.class, Map.of("acl_file", acl.toString(),
                "unmatched", "abstain"))) {
            AclFilePlugin plugin = new AclFilePlugin(ctx);
            assertThat(plugin.authorize(client("alice", "c"), TopicAction.RECEIVE, "public/x").kind())
                    .isEqualTo(Decision.Kind.ABSTAIN);
            assertThat(plugin.authorize(client("alice", "c"), TopicAction.RECEIVE, "private/x").kind())
                    .isEqualTo(Decision.Kind.DENY);
        }
    }

    @Test
    void badFileOrOptionFailsStartup() throws Exception {
        Path acl = dir.resolve("acl");
        Files.writeString(acl, "user alice\ntopic readwrite a/#/b\n");
        try (TestContext ctx = TestContext.of(AclFilePlugin.class, Map.of("acl_file", acl.toString()))) {
            assertThatThrownBy(() -> new AclFilePlugin(ctx)).hasMessage("the ACL file is not valid: " + acl
                    + ":2: # must be a whole level, and the last: a/#/b");
        }
        assertThatThrownBy(() -> TestContext.of(AclFilePlugin.class, Map.of("acl_file", "x", "unmatched", "allow")))
                .hasMessageContaining("expected one of deny, abstain");
        assertThatThrownBy(() -> TestContext.of(AclFilePlugin.class, Map.of()))
                .hasMessageContaining("missing required option acl_file");
    }
}
