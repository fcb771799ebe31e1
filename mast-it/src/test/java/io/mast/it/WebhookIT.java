package io.mast.it;

import static io.mast.it.PluginTesting.pluginMetric;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.sun.net.httpserver.HttpServer;
import io.mast.testkit.MastBrokerExtension;
import io.mast.webhook.WebhookPlugin;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The webhook against a real HTTP server (the JDK's, on 127.0.0.1): events and messages arrive in batches (JSON
 * arrays, in order, with EMQX's field names and the configured headers), failed posts are retried with backoff, and
 * a service that is down costs other clients nothing while what it misses is counted.
 */
class WebhookIT {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What the service received: one list of events per request. */
    private static final List<List<JsonNode>> batches = new CopyOnWriteArrayList<>();
    private static final List<String> authorizations = new CopyOnWriteArrayList<>();
    /** How many of the next requests fail with 503. */
    private static final AtomicInteger failNext = new AtomicInteger();
    private static final HttpServer server = startServer();

    @RegisterExtension
    static final MastBrokerExtension broker = MastBrokerExtension.create()
            .plugin(WebhookPlugin.class, Map.of(
                    "url", "http://127.0.0.1:" + server.getAddress().getPort() + "/mqtt/events",
                    "headers", Map.of("Authorization", "Bearer hook-token"),
                    "events", List.of("client.connected", "client.disconnected", "session.subscribed",
                            "message.publish"),
                    "filters", List.of("devices/#"),
                    "batch_size", 50,
                    "batch_time", "100ms",
                    "buffer_size", 100,
                    "max_retries", 3,
                    "retry_initial", "50ms",
                    "retry_max", "200ms"));

    private static HttpServer startServer() {
        try {
            HttpServer s = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            s.createContext("/mqtt/events", exchange -> {
                byte[] body = exchange.getRequestBody().readAllBytes();
                if (failNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                    exchange.sendResponseHeaders(503, -1);
                    exchange.close();
                    return;
                }
                authorizations.add(exchange.getRequestHeaders().getFirst("Authorization"));
                List<JsonNode> events = new ArrayList<>();
                JSON.readTree(body).forEach(events::add);
                batches.add(events);
                exchange.sendResponseHeaders(204, -1);
                exchange.close();
            });
            s.start();
            return s;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @AfterAll
    static void stopServer() {
        server.stop(0);
    }

    @BeforeEach
    void reset() {
        failNext.set(0);
    }

    private static List<JsonNode> eventsOf(String clientId) {
        return batches.stream().flatMap(List::stream)
                .filter(e -> clientId.equals(e.path("clientid").asText())).toList();
    }

    @Test
    void eventsAndMessagesArriveInBatchesInOrder() {
        Mqtt5BlockingClient c = Mqtt5Client.builder().identifier("hooked-1").serverHost("127.0.0.1")
                .serverPort(broker.port()).simpleAuth().username("ann").applySimpleAuth().buildBlocking();
        c.connect();
        c.subscribeWith().topicFilter("devices/#").send();
        for (int i = 0; i < 30; i++) {
            c.publishWith().topic("devices/d1/temp").qos(MqttQos.AT_LEAST_ONCE)
                    .payload(Integer.toString(i).getBytes(StandardCharsets.UTF_8))
                    .userProperties().add("unit", "C").applyUserProperties().send();
        }
        c.publishWith().topic("elsewhere/x").qos(MqttQos.AT_LEAST_ONCE).payload(new byte[] {1}).send();
        c.disconnect();

        await().atMost(WAIT).until(() -> eventsOf("hooked-1").size() == 33);
        List<JsonNode> events = eventsOf("hooked-1");
        assertThat(events.get(0).path("event").asText()).isEqualTo("client.connected");
        assertThat(events.get(0).path("username").asText()).isEqualTo("ann");
        assertThat(events.get(1).path("event").asText()).isEqualTo("session.subscribed");
        assertThat(events.get(1).path("topic").asText()).isEqualTo("devices/#");
        List<JsonNode> messages = events.subList(2, 32);
        for (int i = 0; i < 30; i++) {
            JsonNode m = messages.get(i);
            assertThat(m.path("event").asText()).isEqualTo("message.publish");
            assertThat(m.path("topic").asText()).isEqualTo("devices/d1/temp");
            assertThat(m.path("payload").asText()).isEqualTo(Integer.toString(i));
            assertThat(m.path("qos").asInt()).isEqualTo(1);
            assertThat(m.path("properties").path("user_properties").path("unit").asText()).isEqualTo("C");
        }
        assertThat(events.get(32).path("event").asText()).isEqualTo("client.disconnected");
        assertThat(events.get(32).path("reason").asText()).isEqualTo("normal");
        // Not one request per event: the 30 publishes within 100 ms went in a few batches.
        assertThat(batches.stream().filter(b -> b.stream().anyMatch(e -> "hooked-1".equals(
                e.path("clientid").asText()))).count()).isLessThan(33);
        assertThat(authorizations).isNotEmpty().allMatch("Bearer hook-token"::equals);
    }

    @Test
    void aFailedPostIsRetriedWithBackoff() {
        long retries = pluginMetric(broker, WebhookPlugin.class, "retries");
        failNext.set(2);
        Mqtt5BlockingClient c = Mqtt5Client.builder().identifier("retried-1").serverHost("127.0.0.1")
                .serverPort(broker.port()).buildBlocking();
        c.connect();
        c.publishWith().topic("devices/r").qos(MqttQos.AT_LEAST_ONCE).payload("x".getBytes()).send();
        c.disconnect();
        await().atMost(WAIT).untilAsserted(() -> assertThat(eventsOf("retried-1")).hasSize(3));
        assertThat(eventsOf("retried-1").stream().map(e -> e.path("event").asText()).toList())
                .containsExactly("client.connected", "message.publish", "client.disconnected");
        assertThat(pluginMetric(broker, WebhookPlugin.class, "retries") - retries).isGreaterThanOrEqualTo(2);
    }

    @Test
    void aServiceThatFailsCostsOtherClientsNothingAndItsLossesAreCounted() throws Exception {
        long dropped = pluginMetric(broker, WebhookPlugin.class, "dropped.retries_exhausted")
                + pluginMetric(broker, WebhookPlugin.class, "dropped.buffer_full");
        failNext.set(1_000_000);
        Mqtt5BlockingClient sub = Mqtt5Client.builder().identifier("down-sub").serverHost("127.0.0.1")
                .serverPort(broker.port()).buildBlocking();
        sub.connect();
        sub.subscribeWith().topicFilter("devices/down").qos(MqttQos.AT_LEAST_ONCE).send();
        Mqtt5BlockingClient pub = Mqtt5Client.builder().identifier("down-pub").serverHost("127.0.0.1")
                .serverPort(broker.port()).buildBlocking();
        pub.connect();
        try (Mqtt5BlockingClient.Mqtt5Publishes received = sub.publishes(
                com.hivemq.client.mqtt.MqttGlobalPublishFilter.ALL)) {
            for (int i = 0; i < 300; i++) {   // more than the buffer holds
                pub.publishWith().topic("devices/down").qos(MqttQos.AT_LEAST_ONCE)
                        .payload(Integer.toString(i).getBytes(StandardCharsets.UTF_8)).send();
            }
            for (int i = 0; i < 300; i++) {
                assertThat(received.receive(10, java.util.concurrent.TimeUnit.SECONDS)).isPresent();
            }
        }
        await().atMost(WAIT).until(() -> pluginMetric(broker, WebhookPlugin.class, "dropped.retries_exhausted")
                + pluginMetric(broker, WebhookPlugin.class, "dropped.buffer_full") - dropped >= 200);
        pub.disconnect();
        sub.disconnect();
        failNext.set(0);
        // The service is back: what the buffer still holds goes out, and the next test starts with it empty.
        await().atMost(WAIT).until(() -> pluginMetric(broker, WebhookPlugin.class, "queued")
                + pluginMetric(broker, WebhookPlugin.class, "inflight") == 0);
    }
}
