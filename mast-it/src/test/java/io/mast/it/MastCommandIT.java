package io.mast.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.mast.codec.MqttProperties;
import io.mast.codec.MqttVersion;
import io.mast.codec.ReasonCode;
import io.mast.codec.packet.ConnAck;
import io.mast.codec.packet.Connect;
import io.mast.codec.packet.Disconnect;
import io.mast.testkit.RawMqttClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The mast command as a process: config errors and graceful shutdown on SIGTERM. */
class MastCommandIT {

    @TempDir
    Path dir;

    @Test
    void badConfigPrintsOneLineNamingFileLineAndKeyAndExitsWith2() throws Exception {
        Path config = dir.resolve("mast.yaml");
        Files.writeString(config, "limits:\n  max_inflight_messages: 0\n");
        try (MastProcess mast = MastProcess.start("broker", "-c", config.toString())) {
            assertThat(mast.awaitExit(Duration.ofSeconds(30))).isEqualTo(2);
            List<String> out = mast.outputAfterExit().stream().filter(l -> !l.startsWith("WARNING")).toList();
            assertThat(out).containsExactly("mast: " + config + ":2: limits.max_inflight_messages: "
                    + "expected an integer from 1 to 65535, got 0");
        }
    }

    @Test
    void everyErrorOfTheFileIsOneLineEach() throws Exception {
        Path config = dir.resolve("mast.yaml");
        Files.writeString(config, """
                limits:
                  max_inflight_messages: 0
                session:
                  colour: blue
                plugins:
                  io.mast.plugins.PasswordFileAuthPlugin: {password_file: /nowhere/passwd}
                """);
        try (MastProcess mast = MastProcess.start(List.of("broker", "-c", config.toString()),
                Map.of("MAST_PLUGINS__PASSWORDFILEAUTHPLUGIN__PASSWORD_FILE", "/nowhere/else"))) {
            assertThat(mast.awaitExit(Duration.ofSeconds(30))).isEqualTo(2);
            List<String> out = mast.outputAfterExit().stream().filter(l -> !l.startsWith("WARNING")).toList();
            assertThat(out).hasSize(2).satisfiesExactly(
                    l -> assertThat(l).startsWith("mast: " + config + ":2: limits.max_inflight_messages: "),
                    l -> assertThat(l).startsWith("mast: " + config + ":4: session.colour: unknown key"));
        }
        Files.writeString(config, """
                plugins:
                  io.mast.plugins.PasswordFileAuthPlugin: {password_fil: /etc/mast/passwd}
                  io.mast.plugins.AclFilePlugin: {acl_file: /etc/mast/acl, colour: blue}
                """);
        try (MastProcess mast = MastProcess.start("broker", "-c", config.toString())) {
            assertThat(mast.awaitExit(Duration.ofSeconds(30))).isEqualTo(2);
            List<String> out = mast.outputAfterExit().stream().filter(l -> l.startsWith("mast: ")).toList();
            assertThat(out).hasSize(2).satisfiesExactly(
                    l -> assertThat(l).startsWith("mast: " + config + ":2: plugins.io.mast.plugins.PasswordFileAuthPlugin"
                            + ".password_fil: "),
                    l -> assertThat(l).startsWith("mast: " + config + ":3: plugins.io.mast.plugins.AclFilePlugin.colour: "));
        }
    }

    @Test
    void pluginOptionsAreOverriddenFromTheEnvironment() throws Exception {
        Path config = dir.resolve("mast.yaml");
        Files.writeString(config, """
                plugins:
                  io.mast.plugins.PasswordFileAuthPlugin: {password_file: /nowhere/passwd}
                """);
        try (MastProcess mast = MastProcess.start(List.of("broker", "-c", config.toString()),
                Map.of("MAST_PLUGINS__PASSWORDFILEAUTHPLUGIN__PASSWORD_FILE", "/nowhere/else"))) {
            assertThat(mast.awaitExit(Duration.ofSeconds(30))).isNotZero();
            assertThat(mast.outputAfterExit()).anySatisfy(l -> assertThat(l).startsWith("mast: ")
                    .contains("cannot read the password file /nowhere/else: it does not exist"));
        }
    }

    @Test
    void theVersionIsTheBuildsEverywhere() throws Exception {
        String version = System.getProperty("mast.version");
        assertThat(version).isNotBlank().doesNotContain("$");
        for (List<String> args : List.of(List.of("--version"), List.of("broker", "--version"),
                List.of("ctl", "status", "--version"))) {
            try (MastProcess mast = MastProcess.start(args, Map.of())) {
                assertThat(mast.awaitExit(Duration.ofSeconds(30))).as("%s", args).isZero();
                assertThat(mast.outputAfterExit()).as("%s", args).contains("mast " + version);
            }
        }
    }

    @Test
    void loggingFromTheConfigWritesJsonLinesToAFileAndTheConsole() throws Exception {
        Path config = dir.resolve("mast.yaml");
        Path log = dir.resolve("logs").resolve("mast.log");
        Files.createDirectories(log.getParent());
        Files.writeString(config, "logging:\n  format: json\n  console: true\n  file: " + log + "\n");
        try (MastProcess mast = MastProcess.start("broker", "-c", config.toString(), "--port", "0")) {
            int port = mast.awaitPort(Duration.ofSeconds(30));
            com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertThat(Files.readAllLines(log)).anySatisfy(l -> {
                        var event = json.readTree(l);
                        assertThat(event.path("level").asText()).isEqualTo("INFO");
                        assertThat(event.path("formattedMessage").asText()).contains("Listening for MQTT on")
                                .contains(":" + port).doesNotContain("{}");
                    }));
            assertThat(List.copyOf(mast.output)).anySatisfy(l -> assertThat(l).startsWith("{\"timestamp\":"));
        }
    }

    @Test
    void missingConfigFileIsOneLineToo() throws Exception {
        Path config = dir.resolve("absent.yaml");
        try (MastProcess mast = MastProcess.start("broker", "-c", config.toString())) {
            assertThat(mast.awaitExit(Duration.ofSeconds(30))).isEqualTo(2);
            assertThat(mast.outputAfterExit()).contains("mast: " + config + ": cannot read the config file: it does not exist");
        }
    }

    @Test
    void sigtermDisconnectsMqtt5ClientsWithServerShuttingDown() throws Exception {
        try (MastProcess mast = MastProcess.start("broker", "--port", "0")) {
            int port = mast.awaitPort(Duration.ofSeconds(30));
            assertThat(mast.output).anyMatch(l -> l.contains("anonymous clients are allowed from this machine only"));
            try (RawMqttClient client = RawMqttClient.connect(port, MqttVersion.MQTT_5)) {
                client.send(new Connect(MqttVersion.MQTT_5, true, 30, "sigterm", null, null, null, MqttProperties.EMPTY));
                assertThat(client.expect(ConnAck.class, Duration.ofSeconds(5)).reasonCode()).isEqualTo(ReasonCode.SUCCESS);
                mast.process.toHandle().destroy(); // SIGTERM; Process.destroy() would also close our end of its output
                Disconnect d = client.expect(Disconnect.class, Duration.ofSeconds(10));
                assertThat(d.reasonCode()).isEqualTo(ReasonCode.SERVER_SHUTTING_DOWN);
                assertThat(client.awaitClosed(Duration.ofSeconds(10))).isTrue();
            }
            int code = mast.awaitExit(Duration.ofSeconds(20));
            assertThat(code).as("exit code after SIGTERM (128 + 15)").isEqualTo(143);
            List<String> out = mast.outputAfterExit();
            assertThat(out).as(String.join("\n", out)).anyMatch(l -> l.contains("Stopped"));
        }
    }
}
