package io.mast.it;

import static io.mast.it.V311Clients.requireCommand;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import io.mast.broker.config.AdminConfig;
import io.mast.plugins.AclFilePlugin;
import io.mast.testkit.MastBrokerExtension;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code /metrics}: the broker's meters in the Prometheus text format, checked by Prometheus's own {@code promtool
 * check metrics} (Debian's prometheus package), after real traffic: connections per listener, messages in, out and
 * dropped by reason, bytes, sessions, subscriptions, retained messages, queues, plugin decision latency histograms,
 * JVM and process meters.
 */
class MetricsIT {

    static final String TOKEN = "metrics-token";
    static final Duration TIMEOUT = Duration.ofSeconds(30);
    static final Path FOLDER = BuiltinFiles.folder("mast-metrics");
    static final Path ACL = BuiltinFiles.lines(FOLDER.resolve("acl"), "topic readwrite #");
    static final HttpClient HTTP = HttpClient.newHttpClient();

    @RegisterExtension
    static final MastBrokerExtension broker = MastBrokerExtension
            .withConfig(c -> c.withAdmin(new AdminConfig(true, "127.0.0.1", 0, TOKEN)))
            .plugin(AclFilePlugin.class, Map.of("acl_file", ACL.toString()));

    @AfterAll
    static void cleanUp() throws Exception {
        HTTP.close();
        BuiltinFiles.delete(FOLDER);
    }

    static HttpResponse<String> get(String path, String token) throws Exception {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + broker.broker().adminAddress().orElseThrow().getPort() + path));
        if (token != null) {
            r.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(r.build(), HttpResponse.BodyHandlers.ofString());
    }

    static Mqtt5BlockingClient client(String id) {
        Mqtt5BlockingClient c = MqttClient.builder().useMqttVersion5().identifier(id).serverHost("127.0.0.1")
                .serverPort(broker.port()).buildBlocking();
        c.connect();
        return c;
    }

    /** The value of a sample line, e.g. {@code mast_connections} or {@code mast_messages_dropped_total{reason="x"}}. */
    static double value(String text, String sample) {
        return text.lines().filter(l -> l.startsWith(sample + " ")).map(l -> Double.parseDouble(l.substring(
                sample.length() + 1).trim())).findFirst().orElseThrow(() -> new AssertionError("no " + sample));
    }

    @Test
    void metricsAreInThePrometheusFormatAndPassPromtool() throws Exception {
        Mqtt5BlockingClient sub = client("metrics-sub");
        Mqtt5BlockingClient pub = client("metrics-pub");
        try {
            sub.subscribeWith().topicFilter("metrics/#").qos(MqttQos.AT_LEAST_ONCE).send();
            for (int i = 0; i < 20; i++) {
                pub.publishWith().topic("metrics/a").qos(MqttQos.AT_LEAST_ONCE)
                        .payload(("m" + i).getBytes(StandardCharsets.UTF_8)).send();
            }
            pub.publishWith().topic("nobody/listens").qos(MqttQos.AT_LEAST_ONCE).payload(new byte[3]).send();
            pub.publishWith().topic("metrics/kept").retain(true).payload(new byte[1]).send();

            System.gc(); // Micrometer holds gauges' objects weakly: the broker's must survive a collection
            assertThat(get("/metrics", null).statusCode()).isEqualTo(401);
            HttpResponse<String> res = get("/metrics", TOKEN);
            assertThat(res.statusCode()).isEqualTo(200);
            assertThat(res.headers().firstValue("content-type").orElseThrow()).startsWith("text/plain; version=0.0.4");
            String text = await().atMost(TIMEOUT).until(() -> get("/metrics", TOKEN).body(),
                    t -> value(t, "mast_messages_sent_total") >= 20);
            assertThat(value(text, "mast_connections")).isEqualTo(2);
            assertThat(value(text, "mast_listener_connections{listener=\"tcp/0\"}")).isEqualTo(2);
            assertThat(value(text, "mast_sessions")).isEqualTo(2);
            assertThat(value(text, "mast_subscriptions")).isEqualTo(1);
            assertThat(value(text, "mast_retained_messages")).isEqualTo(1);
            assertThat(value(text, "mast_messages_received_total")).isGreaterThanOrEqualTo(22);
            assertThat(value(text, "mast_messages_dropped_total{reason=\"no_subscriber\"}")).isGreaterThanOrEqualTo(1);
            assertThat(value(text, "mast_messages_dropped_total{reason=\"queue_full\"}")).isZero();
            assertThat(value(text, "mast_received_bytes_total")).isPositive();
            assertThat(value(text, "mast_connections_accepted_total")).isGreaterThanOrEqualTo(2);
            assertThat(text).contains("# TYPE mast_plugin_hook_duration_seconds histogram")
                    .contains("mast_plugin_hook_duration_seconds_bucket{hook=\"authorize_publish\"")
                    .contains("jvm_memory_used_bytes{").contains("process_uptime_seconds ")
                    .contains("jvm_threads_live_threads ").contains("process_cpu_usage ")
                    .contains("process_cpu_seconds_total ")
                    .contains("mast_plugin_authorize_publish_calls_total{plugin=\"io.mast.plugins.AclFilePlugin\"}");
            assertThat(value(text, "mast_queued_messages")).isGreaterThanOrEqualTo(0);

            Path scraped = Files.writeString(Files.createTempFile(FOLDER, "metrics", ".txt"), text);
            Process promtool = new ProcessBuilder(requireCommand("promtool").toString(), "check", "metrics")
                    .redirectInput(scraped.toFile()).redirectErrorStream(true).start();
            assertThat(promtool.waitFor(60, TimeUnit.SECONDS)).isTrue();
            String verdict = new String(promtool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(promtool.exitValue()).as(verdict).isZero();
            assertThat(verdict.lines().toList()).as("promtool's lint").isEqualTo(List.of());
        } finally {
            pub.disconnect();
            sub.disconnect();
        }
    }
}
