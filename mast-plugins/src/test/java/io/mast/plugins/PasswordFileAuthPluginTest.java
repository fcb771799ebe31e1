package io.mast.plugins;

import static io.mast.plugins.TestContext.connect;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.mast.plugin.AuthDecision;
import io.mast.plugin.Reason;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The password file plugin's decisions, startup errors and reloading. */
class PasswordFileAuthPluginTest {

    @TempDir
    Path dir;

    /** A quick argon2id hash (tiny parameters: the format matters here, not the cost). */
    private static String quick(String password) {
        return PasswordHashes.argon2id(password.getBytes(StandardCharsets.UTF_8), 64, 1, 1);
    }

    private Path file(String... users) throws Exception {
        Path f = dir.resolve("passwd");
        PasswordFile pf = PasswordFile.empty();
        for (int i = 0; i < users.length; i += 2) {
            pf.set(users[i], quick(users[i + 1]));
        }
        pf.write(f);
        return f;
    }

    private static TestContext context(Path file, String interval) {
        return TestContext.of(PasswordFileAuthPlugin.class, Map.of("password_file", file.toString(),
                "check_interval", interval));
    }

    @Test
    void allowsTheRightPasswordRefusesOthersAndAbstainsWithoutUserName() throws Exception {
        Path f = file("alice", "secret", "bob", "b0b");
        try (TestContext ctx = context(f, "0")) {
            var plugin = new PasswordFileAuthPlugin(ctx);
            assertThat(plugin.authenticate(connect("alice", "secret", "c1")).kind()).isEqualTo(AuthDecision.Kind.ALLOW);
            AuthDecision wrong = plugin.authenticate(connect("alice", "b0b", "c1"));
            assertThat(wrong.kind()).isEqualTo(AuthDecision.Kind.DENY);
            assertThat(wrong.reason()).isEqualTo(Reason.BAD_USER_NAME_OR_PASSWORD);
            assertThat(plugin.authenticate(connect("mallory", "secret", "c1")).reason())
                    .isEqualTo(Reason.BAD_USER_NAME_OR_PASSWORD);
            assertThat(plugin.authenticate(connect("alice", null, "c1")).reason())
                    .as("a user name without password").isEqualTo(Reason.BAD_USER_NAME_OR_PASSWORD);
            assertThat(plugin.authenticate(connect(null, null, "c1")).kind()).isEqualTo(AuthDecision.Kind.ABSTAIN);
            assertThat(plugin.authenticate(connect(null, "secret", "c1")).kind()).isEqualTo(AuthDecision.Kind.ABSTAIN);
        }
    }

    @Test
    void missingOrInvalidFileFailsStartupWithOneClearLine() throws Exception {
        Path missing = dir.resolve("nope");
        try (TestContext ctx = context(missing, "5s")) {
            assertThatThrownBy(() -> new PasswordFileAuthPlugin(ctx))
                    .hasMessage("cannot read the password file " + missing + ": it does not exist");
        }
        Path bad = dir.resolve("bad");
        Files.writeString(bad, "alice:" + quick("x") + "\nbob:plain\n");
        try (TestContext ctx = context(bad, "5s")) {
            assertThatThrownBy(() -> new PasswordFileAuthPlugin(ctx))
                    .hasMessageStartingWith("the password file is not valid: " + bad + ":2: user bob: ")
                    .message().doesNotContain("\n");
        }
        try (TestContext ctx = context(dir, "5s")) {
            assertThatThrownBy(() -> new PasswordFileAuthPlugin(ctx))
                    .hasMessageStartingWith("cannot read the password file " + dir + ": ");
        }
    }

    @Test
    void readsTheFileAgainWhenItChangesAndKeepsTheOldUsersWhenItIsBroken() throws Exception {
        Path f = file("alice", "secret");
        try (LogCapture log = new LogCapture(PasswordFileAuthPlugin.class);
             TestContext ctx = context(f, "50ms")) {
            var plugin = new PasswordFileAuthPlugin(ctx);
            assertThat(log.lines()).contains("INFO Loaded the password file " + f + ": 1 user");
            assertThat(plugin.authenticate(connect("carol", "c4rol", "c")).kind()).isEqualTo(AuthDecision.Kind.DENY);

            PasswordFile pf = PasswordFile.read(f);
            pf.set("carol", quick("c4rol"));
            pf.remove("alice");
            pf.write(f);
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                    assertThat(plugin.authenticate(connect("carol", "c4rol", "c")).kind())
                            .isEqualTo(AuthDecision.Kind.ALLOW));
            assertThat(plugin.authenticate(connect("alice", "secret", "c")).kind()).isEqualTo(AuthDecision.Kind.DENY);
            assertThat(log.lines()).contains("INFO Reloaded the password file " + f + ": 1 user");

            Files.writeString(f, "carol\n");
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(log.lines())
                    .anyMatch(l -> l.startsWith("ERROR The changed password file is not valid, keeping what was "
                            + "loaded before (1 user): " + f + ":1: expected user:hash")));
            assertThat(plugin.authenticate(connect("carol", "c4rol", "c")).kind()).isEqualTo(AuthDecision.Kind.ALLOW);

            Files.delete(f);
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(log.lines())
                    .anyMatch(l -> l.startsWith("WARN The password file " + f + " cannot be read (it does not exist)")));
            assertThat(plugin.authenticate(connect("carol", "c4rol", "c")).kind()).isEqualTo(AuthDecision.Kind.ALLOW);
        }
    }

    @Test
    void checksOnlyWhenTheFileChanged() throws Exception {
        Path f = file("alice", "secret");
        try (TestContext ctx = context(f, "0")) {
            var plugin = new PasswordFileAuthPlugin(ctx);
            assertThat(plugin.reloadIfChanged()).isFalse();
            file("alice", "other");
            assertThat(plugin.reloadIfChanged()).isTrue();
            assertThat(plugin.reloadIfChanged()).isFalse();
            assertThat(plugin.authenticate(connect("alice", "other", "c")).kind()).isEqualTo(AuthDecision.Kind.ALLOW);
        }
    }
}
