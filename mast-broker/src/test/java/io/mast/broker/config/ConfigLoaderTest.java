package io.mast.broker.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mast.plugin.support.Durations;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

    @TempDir
    Path dir;

    private final ConfigLoader loader = new ConfigLoader();

    private Path file(String yaml) throws IOException {
        Path f = dir.resolve("mast.yaml");
        Files.writeString(f, yaml);
        return f;
    }

    private String error(String yaml) throws IOException {
        Path f = file(yaml);
        try {
            loader.load(f, Map.of());
        } catch (ConfigException e) {
            assertThat(e.getMessage()).doesNotContain("\n").startsWith(f.toString());
            return e.getMessage().substring(f.toString().length());
        }
        throw new AssertionError("no error for " + yaml);
    }

    @Test
    void noFileGivesTheDefaults() {
        BrokerConfig c = loader.load(null, Map.of());
        assertThat(c.listeners()).singleElement().satisfies(l -> {
            assertThat(l.bind()).isEqualTo("127.0.0.1");
            assertThat(l.port()).isEqualTo(1883);
        });
        assertThat(c.limits().maxQueuedMessages()).isEqualTo(1000);
        assertThat(Durations.isNever(c.session().persistentClientExpiration())).isTrue();
    }

    @Test
    void readsEverySection() throws IOException {
        BrokerConfig c = loader.load(file("""
                listeners:
                  - name: main
                    port: 1884
                    bind: 0.0.0.0
                    max_connections: 100
                limits:
                  max_packet_size: 65536
                  max_inflight_messages: 10
                  connect_timeout: 5s
                session:
                  max_expiry_interval: 2h
                  queue_qos0_messages: true
                """), Map.of());
        assertThat(c.listeners().get(0).name()).isEqualTo("main");
        assertThat(c.listeners().get(0).maxConnections()).isEqualTo(100);
        assertThat(c.limits().maxPacketSize()).isEqualTo(65536);
        assertThat(c.limits().connectTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(c.session().maxExpiryInterval()).isEqualTo(Duration.ofHours(2));
        assertThat(c.session().queueQos0Messages()).isTrue();
    }

    @Test
    void theAdminApiIsOffUnlessConfiguredAndThenOnLoopbackPort18083() throws IOException {
        assertThat(loader.load(null, Map.of()).admin().enable()).isFalse();
        AdminConfig a = loader.load(file("""
                admin: {}
                """), Map.of()).admin();
        assertThat(a.enable()).isTrue();
        assertThat(a.bind()).isEqualTo("127.0.0.1");
        assertThat(a.port()).isEqualTo(18083);
        assertThat(a.token()).isNull();
    }

    @Test
    void anAdminApiBeyondLoopbackNeedsAToken() throws IOException {
        assertThat(error("""
                admin:
                  bind: 0.0.0.0
                """)).startsWith(":1: admin.token: required when bind (0.0.0.0) is not a loopback address");
        assertThat(loader.load(file("""
                admin: {bind: 0.0.0.0, token: abc}
                """), Map.of()).admin().token()).isEqualTo("abc");
        assertThat(error("""
                admin:
                  port: 70000
                """)).isEqualTo(":2: admin.port: expected an integer from 0 to 65535, got 70000");
    }

    @Test
    void slowSubscribersLoginsAndThePreAuthenticationLimitsHaveDefaultsAndCanBeSet() throws IOException {
        BrokerConfig defaults = loader.load(null, Map.of());
        assertThat(defaults.slowSubscribers().overflow()).isEqualTo(SlowSubscribersConfig.Overflow.DROP_QOS0_FIRST);
        assertThat(defaults.slowSubscribers().disconnectAfter()).isEqualTo(java.time.Duration.ofSeconds(60));
        assertThat(defaults.slowSubscribers().pausePublishers()).isFalse();
        assertThat(defaults.logins().banAfterFailures()).isEqualTo(10);
        assertThat(defaults.limits().maxConnectPacketSize()).isEqualTo(65536);
        assertThat(defaults.limits().maxQueuedBytes()).isEqualTo(64L * 1024 * 1024);
        assertThat(defaults.limits().maxConnectionRatePerAddress()).isEqualTo(-1);

        BrokerConfig c = loader.load(file("""
                limits:
                  max_queued_bytes: 1000000
                  max_connect_packet_size: 4096
                  max_connection_rate_per_address: 20
                slow_subscribers:
                  overflow: drop_new
                  disconnect_after: never
                  pause_publishers: true
                logins:
                  max_concurrent: 4
                  ban_after_failures: 0
                """), Map.of());
        assertThat(c.limits().maxQueuedBytes()).isEqualTo(1_000_000L);
        assertThat(c.limits().maxConnectPacketSize()).isEqualTo(4096);
        assertThat(c.limits().maxConnectionRatePerAddress()).isEqualTo(20);
        assertThat(c.slowSubscribers().overflow()).isEqualTo(SlowSubscribersConfig.Overflow.DROP_NEW);
        assertThat(c.slowSubscribers().neverDisconnects()).isTrue();
        assertThat(c.slowSubscribers().pausePublishers()).isTrue();
        assertThat(c.logins().maxConcurrent()).isEqualTo(4);
        assertThat(c.logins().banAfterFailures()).isZero();
    }

    @Test
    void aWrongOverflowPolicyNamesTheChoices() throws IOException {
        assertThat(error("""
                slow_subscribers:
                  overflow: drop_everything
                """)).startsWith(":2: slow_subscribers.overflow: ").contains("drop_qos0_first");
    }

    @Test
    void unknownKeyNamesTheKeyTheLineAndTheChoices() throws IOException {
        assertThat(error("""
                limits:
                  max_packet_sise: 10
                """)).startsWith(":2: limits.max_packet_sise: unknown key; expected one of:")
                .contains("max_packet_size");
    }

    @Test
    void wrongTypeNamesWhatIsExpected() throws IOException {
        assertThat(error("""
                listeners:
                  - port: abc
                """)).isEqualTo(":2: listeners[0].port: expected an integer, got \"abc\"");
    }

    @Test
    void outOfRangeNamesTheRange() throws IOException {
        assertThat(error("""
                limits:
                  max_inflight_messages: 0
                """)).isEqualTo(":2: limits.max_inflight_messages: expected an integer from 1 to 65535, got 0");
    }

    @Test
    void badDurationSaysWhatIsExpected() throws IOException {
        assertThat(error("""
                limits:
                  connect_timeout: soon
                """)).startsWith(":2: limits.connect_timeout: expected a duration");
    }

    @Test
    void invalidYamlNamesTheLine() throws IOException {
        assertThat(error("limits:\n  max_packet_size: [1\n")).contains("not valid YAML");
    }

    /** Found by ConfigLoaderFuzzTest: a file that is not UTF-8 said "cannot read the config file: Input length = 1". */
    @Test
    void aFileThatIsNotUtf8NamesTheLine() throws IOException {
        Path f = Files.write(dir.resolve("latin1.yaml"),
                "limits:\n  max_packet_size: 1024\nname: caf\u00e9\n".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        assertThatThrownBy(() -> loader.load(f, Map.of())).isInstanceOf(ConfigException.class)
                .hasMessage(f + ":3: not valid UTF-8 (byte 0xE9 at column 10); save the file as UTF-8");
    }

    /** Found by ConfigLoaderFuzzTest: a misspelt section in a variable was blamed on the file, without a line. */
    @Test
    void anUnknownSectionFromTheEnvironmentNamesTheVariable() throws IOException {
        Path f = file("limits:\n  max_packet_size: 1024\n");
        assertThatThrownBy(() -> loader.load(f, Map.of("MAST_STORGE__TYPE", "memory"))).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("environment variable MAST_STORGE__TYPE: storge: unknown key; expected one of: ");
        assertThatThrownBy(() -> loader.load(f, Map.of("MAST_LIMITS__MAX_PACKET_SIZ", "1"))).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("environment variable MAST_LIMITS__MAX_PACKET_SIZ: limits.max_packet_siz: unknown key");
    }

    /** Found by ConfigLoaderFuzzTest: an empty key was reported without its line. */
    @Test
    void anEmptyKeyNamesItsLine() throws IOException {
        assertThat(error("limits:\n  max_packet_size: 1024\n\"\": 1\n")).startsWith(":3: an empty key; expected one of: ");
        assertThat(error("limits:\n  \"\": 1\n")).startsWith(":2: limits.: an empty key; expected one of: ");
    }

    /** Found by ConfigLoaderFuzzTest: an index past an int threw NumberFormatException; a large one made up items. */
    @Test
    void anIndexPastTheEndOfAListNamesTheVariable() throws IOException {
        Path f = file("listeners:\n  - port: 1884\n");
        assertThat(loader.load(f, Map.of("MAST_LISTENERS__1__PORT", "1885")).listeners()).hasSize(2);
        for (String index : new String[] {"2", "2000000000", "022222222222222222222222222222"}) {
            String variable = "MAST_LISTENERS__" + index + "__PORT";
            assertThatThrownBy(() -> loader.load(f, Map.of(variable, "1885"))).isInstanceOf(ConfigException.class)
                    .hasMessage("environment variable " + variable + ": index " + index
                            + " is past the end of the list, which has 1 item");
        }
    }

    /** Found by ConfigLoaderFuzzTest: an empty list item was reported as "mast.yaml: null". */
    @Test
    void anEmptyListItemNamesItsLine() throws IOException {
        assertThat(error("limits:\n  max_packet_size: 1024\nlisteners:\n  -\n"))
                .isEqualTo(":4: listeners[0]: an empty item; expected a value");
    }

    /** Found by ConfigLoaderFuzzTest: a variable that failed left a section behind it, reported without a line. */
    @Test
    void aVariableThatFailsLeavesNothingBehind() throws IOException {
        Path f = file("listeners:\n  - port: 1884\n");
        String variable = "MAST_LISTENERS_X__5__PORT";
        assertThatThrownBy(() -> loader.load(f, Map.of(variable, "1885"))).isInstanceOf(ConfigException.class)
                .hasMessage("environment variable " + variable + ": index 5 is past the end of the list, which has "
                        + "0 items");
    }

    /** Found by ConfigLoaderFuzzTest: a number where there is no list was reported without the variable. */
    @Test
    void aNumberAsAKeyNamesTheVariable() throws IOException {
        Path f = file("limits:\n  max_packet_size: 1024\n");
        assertThatThrownBy(() -> loader.load(f, Map.of("MAST_0__QOS", "1"))).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("environment variable MAST_0__QOS: 0: unknown key; expected one of: ");
    }

    @Test
    void missingFileIsReported() {
        Path missing = dir.resolve("nope.yaml");
        assertThatThrownBy(() -> loader.load(missing, Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessage(missing + ": cannot read the config file: it does not exist");
    }

    @Test
    void environmentOverridesKeysWithTheirTypes() throws IOException {
        BrokerConfig c = loader.load(file("limits:\n  max_packet_size: 100\n"), Map.of(
                "MAST_LIMITS__MAX_PACKET_SIZE", "2048",
                "MAST_LISTENERS__0__PORT", "1999",
                "MAST_SESSION__QUEUE_QOS0_MESSAGES", "true",
                "MAST_JAVA_OPTS", "-Xmx1g"));
        assertThat(c.limits().maxPacketSize()).isEqualTo(2048);
        assertThat(c.listeners().get(0).port()).isEqualTo(1999);
        assertThat(c.session().queueQos0Messages()).isTrue();
    }

    @Test
    void badEnvironmentValueNamesTheVariable() {
        assertThatThrownBy(() -> loader.load(null, Map.of("MAST_LIMITS__MAX_QUEUED_MESSAGES", "lots")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("environment variable MAST_LIMITS__MAX_QUEUED_MESSAGES: limits.max_queued_messages: "
                        + "expected an integer, got \"lots\"");
    }

    @Test
    void everyErrorOfAFileIsReportedAtOnceEachOnItsLine() throws IOException {
        Path f = file("""
                listeners:
                  - port: 99999
                  - colour: blue
                limits:
                  max_inflight_messages: 0
                  max_packet_size: big
                session:
                  nonsense: 1
                unknown_section: {}
                """);
        assertThatThrownBy(() -> loader.load(f, Map.of())).isInstanceOfSatisfying(ConfigException.class, e -> {
            assertThat(e.errors()).hasSize(6);
            assertThat(e.errors()).extracting(l -> l.substring(f.toString().length()).replaceAll(": .*", ""))
                    .containsExactly(":2", ":3", ":5", ":6", ":8", ":9");
            assertThat(e.errors().get(0)).contains("listeners[0].port");
            assertThat(e.errors().get(1)).contains("listeners[1].colour: unknown key");
            assertThat(e.errors().get(2)).contains("limits.max_inflight_messages: expected an integer from 1 to 65535, got 0");
            assertThat(e.errors().get(3)).contains("limits.max_packet_size: expected");
            assertThat(e.errors().get(4)).contains("session.nonsense: unknown key");
            assertThat(e.errors().get(5)).contains("unknown_section: unknown key");
            assertThat(e.getMessage().lines()).containsExactlyElementsOf(e.errors());
        });
    }

    @Test
    void pluginOptionsAreOverriddenFromTheEnvironmentBySimpleOrFullClassName() throws IOException {
        Path f = file("""
                plugins:
                  io.mast.plugins.PasswordFileAuthPlugin: {password_file: /etc/mast/passwd}
                  com.example.Audit:
                """);
        BrokerConfig c = loader.load(f, Map.of(
                "MAST_PLUGINS__PASSWORDFILEAUTHPLUGIN__PASSWORD_FILE", "/run/secrets/passwd",
                "MAST_PLUGINS__COM_EXAMPLE_AUDIT__TOPICS__0", "a/#",
                "MAST_PLUGINS__audit__level", "debug"));
        assertThat(c.plugins()).hasSize(2);
        assertThat(c.plugins().get(0).options().get("password_file").asText()).isEqualTo("/run/secrets/passwd");
        assertThat(c.plugins().get(1).options().get("topics").get(0).asText()).isEqualTo("a/#");
        assertThat(c.plugins().get(1).options().get("level").asText()).isEqualTo("debug");
        assertThat(c.plugins().get(1).locate().apply("plugins.com.example.Audit.level"))
                .isEqualTo("environment variable MAST_PLUGINS__audit__level");
    }

    @Test
    void aPluginOverrideOfAnUndeclaredPluginIsAnError() throws IOException {
        Path f = file("""
                plugins:
                  com.example.Audit: {}
                """);
        assertThatThrownBy(() -> loader.load(f, Map.of("MAST_PLUGINS__OTHER__X", "1")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("environment variable MAST_PLUGINS__OTHER__X: no plugin OTHER is declared under plugins: "
                        + "in the config file (declared: com.example.Audit)");
    }
}
