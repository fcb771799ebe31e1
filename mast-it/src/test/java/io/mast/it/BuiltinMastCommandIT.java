package io.mast.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.mast.codec.MqttProperties;
import io.mast.codec.MqttVersion;
import io.mast.codec.Qos;
import io.mast.codec.ReasonCode;
import io.mast.codec.packet.ConnAck;
import io.mast.codec.packet.Connect;
import io.mast.codec.packet.PubAck;
import io.mast.codec.packet.Publish;
import io.mast.codec.packet.SubAck;
import io.mast.codec.packet.Subscribe;
import io.mast.codec.packet.Subscription;
import io.mast.testkit.RawMqttClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The built-in plugins as a user runs them: {@code mast passwd} and {@code mast broker -c mast.yaml} from the shaded
 * jar, the plugins declared by class name in the config.
 */
class BuiltinMastCommandIT {

    static final Duration START = Duration.ofSeconds(30);
    static final Duration TIMEOUT = Duration.ofSeconds(5);

    @TempDir
    Path dir;

    private static String config(Path passwd, Path acl) {
        return """
                listeners:
                  - type: tcp
                    bind: 127.0.0.1
                    port: 0
                plugins:
                  io.mast.plugins.PasswordFileAuthPlugin:
                    password_file: %s
                  io.mast.plugins.AclFilePlugin:
                    acl_file: %s
                  io.mast.plugins.SysTopicsPlugin:
                    interval: 1s
                  io.mast.plugins.EventLoggerPlugin: {}
                  io.mast.plugins.PacketLoggerPlugin:
                    level: info
                """.formatted(passwd, acl);
    }

    private static RawMqttClient connect(int port, String clientId, String user, String password) throws Exception {
        RawMqttClient c = RawMqttClient.connect(port, MqttVersion.MQTT_5);
        c.send(new Connect(MqttVersion.MQTT_5, true, 60, clientId, null, user,
                password.getBytes(StandardCharsets.UTF_8), MqttProperties.EMPTY));
        return c;
    }

    @Test
    void passwdThenBrokerWithTheBuiltinPluginsFromTheConfig() throws Exception {
        Path passwd = dir.resolve("passwd");
        try (MastProcess p = MastProcess.start("passwd", "-c", "-b", passwd.toString(), "alice", "secret")) {
            assertThat(p.awaitExit(START)).as("mast passwd: %s", p.output).isZero();
        }
        Path acl = BuiltinFiles.lines(dir.resolve("acl"), "user alice", "topic readwrite alice/#",
                "topic read $SYS/broker/version");
        Path config = dir.resolve("mast.yaml");
        Files.writeString(config, config(passwd, acl));

        try (MastProcess mast = MastProcess.start("broker", "-c", config.toString())) {
            int port = mast.awaitPort(START);
            try (RawMqttClient wrong = connect(port, "cmd-wrong", "alice", "guess")) {
                assertThat(wrong.expect(ConnAck.class, TIMEOUT).reasonCode())
                        .isEqualTo(ReasonCode.BAD_USER_NAME_OR_PASSWORD);
            }
            try (RawMqttClient alice = connect(port, "cmd-alice", "alice", "secret")) {
                assertThat(alice.expect(ConnAck.class, TIMEOUT).reasonCode()).isEqualTo(ReasonCode.SUCCESS);
                alice.send(new Subscribe(1, List.of(new Subscription("$SYS/broker/version", Qos.AT_MOST_ONCE),
                        new Subscription("bob/#", Qos.AT_MOST_ONCE)), MqttProperties.EMPTY));
                assertThat(alice.expect(SubAck.class, TIMEOUT).reasonCodes())
                        .containsExactly(ReasonCode.GRANTED_QOS_0, ReasonCode.NOT_AUTHORIZED);
                Publish version = alice.expect(Publish.class, TIMEOUT);
                assertThat(version.topic()).isEqualTo("$SYS/broker/version");
                assertThat(new String(version.payload(), StandardCharsets.UTF_8)).startsWith("mast version ");
                alice.send(new Publish(false, Qos.AT_LEAST_ONCE, false, "alice/notes", 2, MqttProperties.EMPTY,
                        "hello".getBytes(StandardCharsets.UTF_8)));
                assertThat(alice.expect(PubAck.class, TIMEOUT).reasonCode()).isEqualTo(ReasonCode.NO_MATCHING_SUBSCRIBERS);
            }
            await().atMost(TIMEOUT).untilAsserted(() -> assertThat(List.copyOf(mast.output))
                    .anyMatch(l -> l.contains("Plugins: io.mast.plugins.PasswordFileAuthPlugin, "
                            + "io.mast.plugins.AclFilePlugin, io.mast.plugins.SysTopicsPlugin, "
                            + "io.mast.plugins.EventLoggerPlugin, io.mast.plugins.PacketLoggerPlugin"))
                    .anyMatch(l -> l.contains("Loaded the password file " + passwd + ": 1 user"))
                    .anyMatch(l -> l.contains("EventLoggerPlugin - CONNACK to cmd-wrong (user alice): 0x86"))
                    .anyMatch(l -> l.contains("EventLoggerPlugin - Client cmd-alice (user alice) subscribed to "
                            + "$SYS/broker/version q0"))
                    .anyMatch(l -> l.contains("EventLoggerPlugin - Message published by cmd-alice (user alice): "
                            + "alice/notes q1 5 bytes"))
                    .anyMatch(l -> l.contains("PacketLoggerPlugin - cmd-alice <- Publish["))
                    .anyMatch(l -> l.contains("PacketLoggerPlugin - cmd-alice -> SubAck[")));
            assertThat(List.copyOf(mast.output)).noneMatch(l -> l.contains("secret") || l.contains("hello"));
        }
    }

    @Test
    void missingPasswordFileStopsTheBrokerWithOneLine() throws Exception {
        Path passwd = dir.resolve("absent");
        Path acl = BuiltinFiles.lines(dir.resolve("acl"), "topic read x");
        Path config = dir.resolve("mast.yaml");
        Files.writeString(config, config(passwd, acl));
        try (MastProcess mast = MastProcess.start("broker", "-c", config.toString())) {
            assertThat(mast.awaitExit(START)).isEqualTo(2);
            assertThat(mast.outputAfterExit()).contains("mast: " + config + ":6: plugins.io.mast.plugins."
                    + "PasswordFileAuthPlugin: the plugin failed to start: cannot read the password file " + passwd
                    + ": it does not exist");
        }
    }
}
