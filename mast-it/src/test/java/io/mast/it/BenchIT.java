package io.mast.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.mast.cli.Main;
import io.mast.cli.bench.BenchResult;
import io.mast.cli.bench.BenchRunner;
import io.mast.cli.bench.Scenario;
import io.mast.client.MastClient;
import io.mast.codec.MqttVersion;
import io.mast.codec.Qos;
import io.mast.testkit.MastBrokerExtension;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code mast bench} against the embedded broker: short scenarios whose counts must add up exactly. Counts per
 * publisher stay within the broker's queue limit (1000), so nothing may be dropped whatever the machine's speed.
 * Speed itself is measured in docs/benchmarks.md, never here.
 */
class BenchIT {

    @RegisterExtension
    static final MastBrokerExtension broker = MastBrokerExtension.create();

    private final ByteArrayOutputStream live = new ByteArrayOutputStream();

    private BenchResult run(Scenario s, MqttVersion version, boolean persistent) throws InterruptedException {
        BenchRunner runner = new BenchRunner(s, () -> MastClient.builder().host("127.0.0.1").port(broker.port())
                .version(version).cleanStart(!persistent).sessionExpiry(persistent ? 600 : 0),
                new PrintStream(live, true, StandardCharsets.UTF_8));
        return runner.run();
    }

    private static Scenario pubsub(Scenario.Topology t, int pubs, int subs, Qos qos, long count, String id) {
        return new Scenario(Scenario.Mode.PUBSUB, t, pubs, subs, pubs + subs, "bench-it/" + id + "/%i",
                t == Scenario.Topology.ONE_TO_ONE ? "bench-it/" + id + "/%i" : "bench-it/" + id + "/+", qos, 64, 0, 0,
                Duration.ofSeconds(60), count, 100, Duration.ofSeconds(30), id, 1, 2);
    }

    @Test
    void oneToOneAtQos1LosesNothingAndCountsAddUp() throws Exception {
        BenchResult r = run(pubsub(Scenario.Topology.ONE_TO_ONE, 2, 2, Qos.AT_LEAST_ONCE, 500, "it-1to1"),
                MqttVersion.MQTT_5, false);
        assertThat(r.sent()).as(live.toString()).isEqualTo(1000);
        assertThat(r.expected()).isEqualTo(1000);
        assertThat(r.received()).isEqualTo(1000);
        assertThat(r.lost()).isZero();
        assertThat(r.duplicates()).isZero();
        assertThat(r.errors()).isZero();
        assertThat(r.failed()).isFalse();
        assertThat(r.latency().count()).isEqualTo(1000);
        assertThat(r.connected()).isEqualTo(4);
    }

    @Test
    void fanOutDeliversEveryMessageToEverySubscriber() throws Exception {
        BenchResult r = run(pubsub(Scenario.Topology.FANOUT, 1, 5, Qos.AT_MOST_ONCE, 300, "it-fanout"),
                MqttVersion.MQTT_3_1_1, false);
        assertThat(r.sent()).as(live.toString()).isEqualTo(300);
        assertThat(r.expected()).isEqualTo(1500);
        assertThat(r.received() + r.lost()).isEqualTo(1500);
        assertThat(r.duplicates()).isZero();
        assertThat(r.errors()).isZero();
    }

    @Test
    void fanInAtQos2WithPersistentSessionsIsExactlyOnce() throws Exception {
        BenchResult r = run(pubsub(Scenario.Topology.FANIN, 4, 1, Qos.EXACTLY_ONCE, 200, "it-fanin"),
                MqttVersion.MQTT_5, true);
        assertThat(r.sent()).as(live.toString()).isEqualTo(800);
        assertThat(r.received()).isEqualTo(800);
        assertThat(r.lost()).isZero();
        assertThat(r.duplicates()).isZero();
        assertThat(r.failed()).isFalse();
    }

    @Test
    void connHoldsItsConnections() throws Exception {
        Scenario s = new Scenario(Scenario.Mode.CONN, null, 0, 0, 20, "", "", Qos.AT_MOST_ONCE, 64, 0, 200,
                Duration.ofMillis(200), 0, 1, Duration.ZERO, "it-conn", 1, 1);
        BenchResult r = run(s, MqttVersion.MQTT_3_1_1, false);
        assertThat(r.connected()).as(live.toString()).isEqualTo(20);
        assertThat(r.connectLatency().count()).isEqualTo(20);
        assertThat(r.errors()).isZero();
        assertThat(live.toString()).contains("all 20 connections are up");
    }

    @Test
    void theCommandPrintsJsonAndExitsWithZeroWhenCountsAddUp() throws Exception {
        String out = command(0, "bench", "pubsub", "-h", "127.0.0.1", "-p", Integer.toString(broker.port()), "-V", "5",
                "-q", "1", "--count", "300", "--inflight", "50", "-t", "bench-it/cmd/%i", "-i", "it-cmd", "--json");
        assertThat(out).startsWith("{\"scenario\":\"pubsub: 1to1, 1 publishers on bench-it/cmd/%i")
                .contains("\"sent\":300,\"received\":300,\"expected\":300,\"lost\":0,\"duplicates\":0,")
                .contains("\"errors\":0,")
                .contains("\"failed\":false}");
    }

    @Test
    void theReportIsAPageOfChartsThatChromiumRenders(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        java.nio.file.Path report = dir.resolve("report.html");
        command(0, "bench", "pubsub", "-h", "127.0.0.1", "-p", Integer.toString(broker.port()), "-q", "1",
                "--seconds", "3", "--rate", "500", "-t", "bench-it/report/%i", "-i", "it-report", "--report",
                report.toString());
        try (Browser browser = Browser.start(1000, 900)) {
            browser.driver.get(report.toUri().toString());
            var throughput = browser.driver.findElement(org.openqa.selenium.By.id("throughput"));
            var latency = browser.driver.findElement(org.openqa.selenium.By.id("latency"));
            assertThat(throughput.getSize().getWidth()).isGreaterThan(500);
            assertThat(latency.getSize().getHeight()).isGreaterThan(200);
            // a line per series, with a point per second of the run, drawn inside the chart
            var sent = throughput.findElement(org.openqa.selenium.By.cssSelector("polyline.sent"));
            assertThat(sent.getDomAttribute("points").split(" ")).hasSizeGreaterThanOrEqualTo(2);
            assertThat(sent.getSize().getWidth()).isGreaterThan(100);
            assertThat(throughput.findElement(org.openqa.selenium.By.cssSelector("polyline.received"))
                    .getSize().getWidth()).isGreaterThan(100);
            assertThat(latency.findElement(org.openqa.selenium.By.cssSelector("polyline.latency"))
                    .getDomAttribute("points").split(" ")).hasSizeGreaterThan(4);
            assertThat(browser.driver.findElement(org.openqa.selenium.By.id("figures")).getText())
                    .contains("messages sent").contains("latency ms p50");
            assertThat(browser.screenshot("bench-report")).isNotEmptyFile();
        }
    }

    @Test
    void theCommandExitsNonZeroWhenItCannotConnect() throws Exception {
        int unused;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            unused = s.getLocalPort();
        }
        String out = command(1, "bench", "pub", "-h", "127.0.0.1", "-p", Integer.toString(unused), "--count", "10",
                "--csv");
        assertThat(out.lines().toList()).hasSize(2);
        assertThat(out.lines().skip(1).findFirst().orElseThrow()).contains(",true");
    }

    /** Runs the mast command in this JVM, checks its exit code and returns its standard output. */
    private String command(int exitCode, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream stdout = System.out;
        PrintStream stderr = System.err;
        int code;
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(live, true, StandardCharsets.UTF_8));
            code = Main.run(args);
        } finally {
            System.setOut(stdout);
            System.setErr(stderr);
        }
        String printed = out.toString(StandardCharsets.UTF_8);
        assertThat(code).as(printed + "\n" + live).isEqualTo(exitCode);
        return printed;
    }
}
