package io.mast.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.mast.codec.MqttProperties;
import io.mast.codec.MqttVersion;
import io.mast.codec.ReasonCode;
import io.mast.codec.packet.ConnAck;
import io.mast.codec.packet.Connect;
import io.mast.testkit.RawMqttClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** mast-VERSION.tar.gz as an operator gets it: unpacked, its layout, and the broker started from it. */
class DistributionIT {

    static final Duration START = Duration.ofSeconds(60);
    static final Pattern LISTENING = Pattern.compile("Listening for MQTT on [^:]+:(\\d+)");

    @TempDir
    Path dir;

    static Path archive() {
        String version = System.getProperty("mast.version");
        Path tgz = Path.of("..", "mast-dist", "target", "mast-" + version + ".tar.gz").toAbsolutePath().normalize();
        assertThat(tgz).as("built by mast-dist").isRegularFile();
        return tgz;
    }

    private Path unpack() throws Exception {
        Process tar = new ProcessBuilder("tar", "xzf", archive().toString(), "-C", dir.toString())
                .redirectErrorStream(true).start();
        assertThat(tar.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(tar.exitValue()).as(new String(tar.getInputStream().readAllBytes())).isZero();
        return dir.resolve("mast-" + System.getProperty("mast.version"));
    }

    private ProcessBuilder mast(Path home, Path workingDirectory, String... args) {
        List<String> cmd = new ArrayList<>(List.of(home.resolve("bin/mast").toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(workingDirectory.toFile()).redirectErrorStream(true);
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        pb.environment().put("MAST_CDS_DIR", dir.resolve("cds").toString());
        pb.environment().put("MAST_ADMIN__PORT", "0");
        return pb;
    }

    @Test
    void theArchiveHoldsTheCommandTheJarsTheConfigAndTheUnitAndRocksDbForLinuxOnly() throws Exception {
        Path home = unpack();
        assertThat(home.resolve("bin/mast")).isExecutable();
        assertThat(home.resolve("etc/mast.yaml")).content().contains("listeners:").contains("logging:");
        assertThat(home.resolve("etc/systemd/mast.service")).content()
                .contains("ExecStart=/opt/mast/bin/mast broker -c /opt/mast/etc/mast.yaml")
                .contains("StateDirectory=mast");
        List<String> jars;
        try (Stream<Path> s = Files.list(home.resolve("lib"))) {
            jars = s.map(p -> p.getFileName().toString()).sorted().toList();
        }
        assertThat(jars).contains("mast-cli-" + System.getProperty("mast.version") + ".jar")
                .anyMatch(j -> j.startsWith("mast-exhook-")).anyMatch(j -> j.startsWith("netty-transport-"))
                .noneMatch(j -> j.matches("rocksdbjni-[0-9.]+\\.jar"));
        String rocks = jars.stream().filter(j -> j.matches("rocksdbjni-.*-linux\\.jar")).findFirst().orElseThrow();
        List<String> natives = new ArrayList<>();
        try (ZipFile zip = new ZipFile(home.resolve("lib").resolve(rocks).toFile())) {
            zip.stream().map(e -> e.getName()).filter(n -> n.startsWith("librocksdbjni")).forEach(natives::add);
            assertThat(zip.getEntry("org/rocksdb/RocksDB.class")).isNotNull();
        }
        assertThat(natives).containsExactlyInAnyOrder("librocksdbjni-linux64.so", "librocksdbjni-linux64-musl.so",
                "librocksdbjni-linux-aarch64.so", "librocksdbjni-linux-aarch64-musl.so");

        Process version = mast(home, dir, "--version").start();
        assertThat(version.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(new String(version.getInputStream().readAllBytes()).lines())
                .contains("mast " + System.getProperty("mast.version"));
        assertThat(version.exitValue()).isZero();
    }

    @Test
    void theBrokerStartsFromTheArchiveWithItsConfigAndKeepsItsStoreInTheWorkingDirectory() throws Exception {
        Path home = unpack();
        Path work = Files.createDirectories(dir.resolve("var-lib-mast"));
        Process broker = mast(home, work, "broker", "-c", home.resolve("etc/mast.yaml").toString(), "--port", "0")
                .start();
        List<String> output = Collections.synchronizedList(new ArrayList<>());
        Thread.ofPlatform().daemon().start(() -> {
            try (var r = broker.inputReader()) {
                r.lines().forEach(output::add);
            } catch (IOException ignored) {
                // ended
            }
        });
        try {
            int port = await().atMost(START).until(() -> List.copyOf(output).stream().map(LISTENING::matcher)
                    .filter(Matcher::find).map(m -> Integer.parseInt(m.group(1))).findFirst().orElse(-1), p -> p > 0);
            try (RawMqttClient client = RawMqttClient.connect(port, MqttVersion.MQTT_5)) {
                client.send(new Connect(MqttVersion.MQTT_5, true, 30, "from-the-archive", null, null, null,
                        MqttProperties.EMPTY));
                assertThat(client.read(Duration.ofSeconds(10))).isInstanceOfSatisfying(ConnAck.class,
                        a -> assertThat(a.reasonCode()).isEqualTo(ReasonCode.SUCCESS));
            }
            assertThat(work.resolve("data")).isDirectory();
            assertThat(List.copyOf(output)).anyMatch(l -> l.contains("Admin API on http://127.0.0.1:"))
                    .noneMatch(l -> l.contains("Exception") || l.startsWith("WARNING"));
        } finally {
            broker.destroy(); // SIGTERM: a graceful stop
            if (!broker.waitFor(60, TimeUnit.SECONDS)) {
                broker.destroyForcibly();
            }
        }
        assertThat(broker.exitValue()).as("%s", output).isIn(0, 143);
        // the class-data sharing archive of the broker command, written as it exited
        try (Stream<Path> s = Files.list(dir.resolve("cds"))) {
            assertThat(s.map(p -> p.getFileName().toString())).anyMatch(n -> n.endsWith("-broker.jsa"));
        }
    }
}
