package io.mast.it;

import static io.mast.it.PluginTesting.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.mast.codec.MqttProperties;
import io.mast.codec.MqttVersion;
import io.mast.codec.Qos;
import io.mast.codec.ReasonCode;
import io.mast.codec.packet.ConnAck;
import io.mast.codec.packet.Connect;
import io.mast.codec.packet.Disconnect;
import io.mast.codec.packet.PubAck;
import io.mast.codec.packet.Publish;
import io.mast.codec.packet.SubAck;
import io.mast.codec.packet.Subscribe;
import io.mast.codec.packet.Subscription;
import io.mast.testkit.RawMqttClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The example plugin of {@code examples/broker-plugin}, as a user runs it: its jar (built by the reactor, kept off
 * this module's test class path) copied into a {@code plugins/} folder and loaded by {@code mast broker -c}.
 */
class PluginExampleIT {

    static final String PLUGIN = "com.example.mast.AuditPlugin";

    @TempDir
    Path dir;

    Path plugins;

    @BeforeEach
    void copyTheExampleJar() throws Exception {
        Path built = Path.of(System.getProperty("mast.example.plugins", "target/example-plugins"))
                .resolve("mast-example-broker-plugin.jar");
        assertThat(built).as("the example's jar, copied by the build (mvn verify)").isRegularFile();
        plugins = Files.createDirectories(dir.resolve("plugins"));
        Files.copy(built, plugins.resolve(built.getFileName()));
    }

    private Path config(String pluginOptions) throws Exception {
        Path config = dir.resolve("mast.yaml");
        Files.writeString(config, "plugin_dir: " + plugins + "\nplugins:\n  " + PLUGIN + ":\n" + pluginOptions);
        return config;
    }

    private static RawMqttClient connect(int port, MqttVersion v, String clientId, String username, ReasonCode expected)
            throws Exception {
        RawMqttClient c = RawMqttClient.connect(port, v);
        c.send(new Connect(v, true, 60, clientId, null, username, null, MqttProperties.EMPTY));
        assertThat(c.expect(ConnAck.class, TIMEOUT).reasonCode()).as("CONNACK of '%s'", clientId).isEqualTo(expected);
        return c;
    }

    private static ReasonCode subscribe(RawMqttClient c, String filter) throws Exception {
        c.send(new Subscribe(1, List.of(new Subscription(filter, Qos.AT_LEAST_ONCE)), MqttProperties.EMPTY));
        return c.expect(SubAck.class, TIMEOUT).reasonCodes().get(0);
    }

    /** Messages a client received while it waited for a PUBACK (MQTT does not order the two). */
    private static final java.util.Map<RawMqttClient, java.util.ArrayDeque<Publish>> EARLY = new java.util.HashMap<>();

    private static ReasonCode publish(RawMqttClient c, int packetId, String topic, String payload) throws Exception {
        c.send(new Publish(false, Qos.AT_LEAST_ONCE, false, topic, packetId, MqttProperties.EMPTY, V5Clients.utf8(payload)));
        while (true) {
            Object p = c.read(TIMEOUT);
            if (p instanceof Publish early) {
                EARLY.computeIfAbsent(c, x -> new java.util.ArrayDeque<>()).add(early);
                continue;
            }
            assertThat(p).as("PUBACK of packet %d", packetId).isInstanceOf(PubAck.class);
            PubAck ack = (PubAck) p;
            assertThat(ack.packetId()).isEqualTo(packetId);
            return ack.reasonCode();
        }
    }

    /** The next message a client received, including one that came before a PUBACK. */
    private static Publish received(RawMqttClient c) throws Exception {
        var early = EARLY.get(c);
        return early != null && !early.isEmpty() ? early.poll() : c.expect(Publish.class, TIMEOUT);
    }

    @Test
    void theExamplePluginLoadsFromItsJarAndDoesWhatItSays() throws Exception {
        assertThatThrownBy(() -> Class.forName(PLUGIN)).as("the example is not on the test class path")
                .isInstanceOf(ClassNotFoundException.class);
        Path history = dir.resolve("history").resolve("clients.log");
        Path config = config("    history_file: " + history + "\n    decision_timeout: 1s\nadmin: {port: 0}\n");
        try (MastProcess mast = MastProcess.start("broker", "--port", "0", "-c", config.toString())) {
            int port = mast.awaitPort(Duration.ofSeconds(30));

            // A login without a client identifier is refused.
            connect(port, MqttVersion.MQTT_5, "", "alice", ReasonCode.CLIENT_IDENTIFIER_NOT_VALID).close();
            connect(port, MqttVersion.MQTT_3_1_1, "", "alice", ReasonCode.CLIENT_IDENTIFIER_NOT_VALID).close();

            try (RawMqttClient sensor = connect(port, MqttVersion.MQTT_5, "sensor-1", "alice", ReasonCode.SUCCESS);
                 RawMqttClient anonymous = connect(port, MqttVersion.MQTT_5, "viewer", null, ReasonCode.SUCCESS);
                 RawMqttClient anonymous3 = connect(port, MqttVersion.MQTT_3_1_1, "viewer-3", null, ReasonCode.SUCCESS)) {
                assertThat(subscribe(sensor, "sensors/#")).isEqualTo(ReasonCode.GRANTED_QOS_1);

                // The clients online now, in the admin API, through mast ctl.
                String admin = awaitAdminUrl(mast);
                await().atMost(TIMEOUT).untilAsserted(() -> assertThat(ctlGet(admin, "audit"))
                        .contains("\"online\" : [ \"sensor-1\", \"viewer\", \"viewer-3\" ]"));

                // Without a user name: no subscribing, no publishing.
                assertThat(subscribe(anonymous, "sensors/#")).isEqualTo(ReasonCode.NOT_AUTHORIZED);
                assertThat(publish(anonymous, 2, "sensors/t", "forged")).isEqualTo(ReasonCode.NOT_AUTHORIZED);
                assertThat(publish(anonymous3, 3, "sensors/t", "forged too")).as("3.1.1: acknowledged, dropped")
                        .isEqualTo(ReasonCode.SUCCESS);

                assertThat(publish(sensor, 4, "sensors/t", "21.5")).isEqualTo(ReasonCode.SUCCESS);
                Publish got = received(sensor);
                assertThat(V5Clients.text(got.payload())).as("the forged messages were not delivered").isEqualTo("21.5");
                sensor.send(new PubAck(got.packetId()));
                sensor.send(Disconnect.NORMAL);
                RawProtocol.assertClosed(sensor);
            }

            // Every publish is logged; the history records online and offline.
            await().atMost(TIMEOUT).untilAsserted(() -> assertThat(mast.output)
                    .anyMatch(l -> l.contains("publish sensors/t from sensor-1 qos=1 retain=false: 21.5")));
            assertThat(mast.output).anyMatch(l -> l.contains("Recording client history in " + history));
            await().atMost(TIMEOUT).untilAsserted(() -> {
                assertThat(history).isRegularFile();
                List<String> lines = Files.readAllLines(history);
                assertThat(lines).anyMatch(l -> l.endsWith(" sensor-1 online user=alice from=127.0.0.1 mqtt=5"))
                        .anyMatch(l -> l.endsWith(" sensor-1 offline reason=normal"))
                        .anyMatch(l -> l.endsWith(" viewer-3 online user=null from=127.0.0.1 mqtt=4"));
                assertThat(lines.stream().filter(l -> l.contains(" sensor-1 ")).map(l -> l.split(" ")[2]).toList())
                        .containsExactly("online", "offline");
            });
        }
    }

    private static String awaitAdminUrl(MastProcess mast) {
        java.util.regex.Pattern p = java.util.regex.Pattern.compile("Admin API on (http://[0-9.]+:\\d+)/api/v1");
        String[] url = new String[1];
        await().atMost(TIMEOUT).until(() -> {
            synchronized (mast.output) {
                for (String l : mast.output) {
                    java.util.regex.Matcher m = p.matcher(l);
                    if (m.find()) {
                        url[0] = m.group(1);
                        return true;
                    }
                }
            }
            return false;
        });
        return url[0];
    }

    private static String ctlGet(String url, String path) {
        java.io.StringWriter out = new java.io.StringWriter();
        int code = io.mast.cli.Main.commandLine().setOut(new java.io.PrintWriter(out, true))
                .execute("ctl", "--url", url, "get", path);
        assertThat(code).as("mast ctl get %s", path).isZero();
        return out.toString();
    }

    @Test
    void aMistypedOptionOfTheExampleStopsTheBrokerWithOneLine() throws Exception {
        Path config = config("    history_fle: h.log\n");
        try (MastProcess mast = MastProcess.start("broker", "--port", "0", "-c", config.toString())) {
            assertThat(mast.awaitExit(Duration.ofSeconds(30))).isEqualTo(2);
            assertThat(mast.outputAfterExit().stream().filter(l -> !l.startsWith("WARNING")).toList()).containsExactly(
                    "mast: " + config + ":4: plugins." + PLUGIN + ".history_fle: unknown option; expected one of: "
                            + "history_file, max_logged_payload");
        }
    }
}
