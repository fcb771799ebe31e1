package io.mast.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttClientState;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.disconnect.Mqtt5DisconnectReasonCode;
import io.mast.broker.MastBroker;
import io.mast.broker.admin.LogLevels;
import io.mast.broker.config.AdminConfig;
import io.mast.broker.config.BrokerConfig;
import io.mast.broker.config.ListenerConfig;
import io.mast.cli.Logging;
import io.mast.cli.Main;
import io.mast.exhook.ExHookPlugin;
import io.mast.testkit.MastBrokerExtension;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.LoggerFactory;

/**
 * The admin API's clients, subscriptions, retained messages, log levels and health, over HTTP and through
 * {@code mast ctl}, against a broker with real MQTT clients.
 */
class AdminClientsIT {

    static final String TOKEN = "clients-token";
    static final Duration TIMEOUT = Duration.ofSeconds(30);
    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newHttpClient();

    @RegisterExtension
    static final MastBrokerExtension broker = MastBrokerExtension
            .withConfig(c -> c.withAdmin(new AdminConfig(true, "127.0.0.1", 0, TOKEN)));

    @AfterAll
    static void closeClient() {
        HTTP.close();
    }

    record Answer(int status, JsonNode body) {
    }

    static String base(MastBroker b) {
        return "http://127.0.0.1:" + b.adminAddress().orElseThrow().getPort();
    }

    static Answer http(String method, String path, String body, String token) throws Exception {
        return http(broker.broker(), method, path, body, token);
    }

    static Answer http(MastBroker b, String method, String path, String body, String token) throws Exception {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(base(b) + path)).method(method,
                body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            r.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> res = HTTP.send(r.build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(res.statusCode(), res.body().isEmpty() ? null : JSON.readTree(res.body()));
    }

    static Answer get(String path) throws Exception {
        return http("GET", path, null, TOKEN);
    }

    record Ctl(int code, String out, String err) {
    }

    static Ctl ctl(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        List<String> all = new java.util.ArrayList<>(List.of("ctl", "--url", base(broker.broker()), "--token", TOKEN));
        all.addAll(List.of(args));
        int code = Main.commandLine().setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true))
                .execute(all.toArray(String[]::new));
        return new Ctl(code, out.toString(), err.toString());
    }

    static Mqtt5BlockingClient client(String id, long sessionExpiry) {
        Mqtt5BlockingClient c = MqttClient.builder().useMqttVersion5().identifier(id).serverHost("127.0.0.1")
                .serverPort(broker.port()).buildBlocking();
        c.connectWith().cleanStart(true).sessionExpiryInterval(sessionExpiry).send();
        return c;
    }

    @Test
    void clientsAreListedShownAndKicked() throws Exception {
        AtomicReference<Throwable> cause = new AtomicReference<>();
        Mqtt5BlockingClient kept = MqttClient.builder().useMqttVersion5().identifier("adm-kick-me")
                .serverHost("127.0.0.1").serverPort(broker.port())
                .addDisconnectedListener(ctx -> cause.compareAndSet(null, ctx.getCause()))
                .buildBlocking();
        kept.connectWith().cleanStart(true).sessionExpiryInterval(300).send();
        kept.subscribeWith().topicFilter("adm/kick/#").qos(MqttQos.AT_LEAST_ONCE).send();
        Mqtt5BlockingClient other = client("adm-other", 0);
        try {
            Answer list = get("/api/v1/clients?like=adm-");
            assertThat(list.status()).isEqualTo(200);
            assertThat(list.body().path("meta").path("count").asInt()).isEqualTo(2);
            assertThat(list.body().path("data")).extracting(d -> d.path("clientid").asText())
                    .containsExactly("adm-kick-me", "adm-other");
            JsonNode first = list.body().path("data").get(0);
            assertThat(first.path("connected").asBoolean()).isTrue();
            assertThat(first.path("ip_address").asText()).isEqualTo("127.0.0.1");
            assertThat(first.path("proto_ver").asInt()).isEqualTo(5);
            assertThat(first.path("subscriptions_cnt").asInt()).isEqualTo(1);
            assertThat(get("/api/v1/clients?like=kick&limit=1").body().path("data")).hasSize(1);

            Answer show = get("/api/v1/clients/adm-kick-me");
            assertThat(show.body().path("expiry_interval").asLong()).isEqualTo(300);
            assertThat(show.body().path("subscriptions").get(0).path("topic").asText()).isEqualTo("adm/kick/#");
            assertThat(get("/api/v1/clients/nobody").status()).isEqualTo(404);

            Ctl listed = ctl("clients", "list", "--like", "adm-");
            assertThat(listed.code()).as(listed.err()).isZero();
            assertThat(listed.out().lines().toList()).hasSize(3).element(1).asString().startsWith("adm-kick-me")
                    .contains("true").contains("127.0.0.1:");
            Ctl shown = ctl("clients", "show", "adm-kick-me");
            assertThat(shown.out()).contains("clientid: adm-kick-me").contains("subscription: adm/kick/# qos 1");

            Ctl kicked = ctl("clients", "kick", "adm-kick-me");
            assertThat(kicked.code()).as(kicked.err()).isZero();
            assertThat(kicked.out()).isEqualTo("adm-kick-me: disconnected\n");
            await().atMost(TIMEOUT).until(() -> kept.getState() != MqttClientState.CONNECTED);
            // told why: DISCONNECT 0x98 Administrative action
            assertThat(cause.get()).isInstanceOfSatisfying(
                    com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5DisconnectException.class, e -> assertThat(
                            e.getMqttMessage().getReasonCode()).isEqualTo(Mqtt5DisconnectReasonCode.ADMINISTRATIVE_ACTION));
            // the session stays (expiry 300 s), offline
            await().atMost(TIMEOUT).untilAsserted(() -> assertThat(get("/api/v1/clients/adm-kick-me").body()
                    .path("connected").asBoolean()).isFalse());
            assertThat(get("/api/v1/clients?connected=false&like=adm-").body().path("data"))
                    .extracting(d -> d.path("clientid").asText()).containsExactly("adm-kick-me");
            Ctl again = ctl("clients", "kick", "adm-kick-me");
            assertThat(again.code()).isEqualTo(1);
            assertThat(again.err()).contains("not connected");
        } finally {
            other.disconnect();
            if (kept.getState() == MqttClientState.CONNECTED) {
                kept.disconnect();
            }
        }
    }

    @Test
    void subscriptionsAreListedByClientAndFilter() throws Exception {
        Mqtt5BlockingClient a = client("adm-sub-a", 0);
        Mqtt5BlockingClient b = client("adm-sub-b", 0);
        try {
            a.subscribeWith().topicFilter("adm/s/1").qos(MqttQos.EXACTLY_ONCE).send();
            a.subscribeWith().topicFilter("adm/s/#").qos(MqttQos.AT_MOST_ONCE).noLocal(true).send();
            b.subscribeWith().topicFilter("adm/s/1").qos(MqttQos.AT_LEAST_ONCE).send();
            JsonNode all = get("/api/v1/subscriptions?topic=adm/s/1").body();
            assertThat(all.path("data")).extracting(d -> d.path("clientid").asText() + " " + d.path("qos").asInt())
                    .containsExactly("adm-sub-a 2", "adm-sub-b 1");
            JsonNode ofA = get("/api/v1/subscriptions?clientid=adm-sub-a").body();
            assertThat(ofA.path("meta").path("count").asInt()).isEqualTo(2);
            assertThat(ofA.path("data")).anySatisfy(d -> {
                assertThat(d.path("topic").asText()).isEqualTo("adm/s/#");
                assertThat(d.path("nl").asInt()).isEqualTo(1);
            });
            Ctl listed = ctl("subscriptions", "list", "--client", "adm-sub-b");
            assertThat(listed.code()).as(listed.err()).isZero();
            assertThat(listed.out().lines().toList()).containsExactly("CLIENT     TOPIC    QOS  NL  RAP  RH",
                    "adm-sub-b  adm/s/1  1    0   0    0");
        } finally {
            a.disconnect();
            b.disconnect();
        }
    }

    @Test
    void retainedMessagesAreListedShownAndDeleted() throws Exception {
        Mqtt5BlockingClient p = client("adm-retainer", 0);
        try {
            p.publishWith().topic("adm/r/1").payload("one".getBytes(StandardCharsets.UTF_8)).retain(true)
                    .qos(MqttQos.AT_LEAST_ONCE).send();
            p.publishWith().topic("adm/r/2").payload(new byte[] {(byte) 0xff, 0}).retain(true)
                    .qos(MqttQos.AT_LEAST_ONCE).send();
            p.publishWith().topic("adm/other").payload("x".getBytes(StandardCharsets.UTF_8)).retain(true)
                    .qos(MqttQos.AT_LEAST_ONCE).send();
        } finally {
            p.disconnect();
        }
        JsonNode list = get("/api/v1/retained?topic=" + java.net.URLEncoder.encode("adm/r/#", StandardCharsets.UTF_8))
                .body();
        assertThat(list.path("data")).extracting(d -> d.path("topic").asText()).containsExactly("adm/r/1", "adm/r/2");
        assertThat(list.path("data").get(0).path("from_clientid").asText()).isEqualTo("adm-retainer");
        JsonNode one = get("/api/v1/retained/adm/r/1").body();
        assertThat(one.path("payload_text").asText()).isEqualTo("one");
        assertThat(one.path("payload").asText()).isEqualTo("b25l");
        assertThat(get("/api/v1/retained/adm%2Fr%2F2").body().path("payload_text").isNull()).isTrue();

        Ctl shown = ctl("retained", "show", "adm/r/1");
        assertThat(shown.out()).contains("topic: adm/r/1").contains("payload_text: one");
        Ctl listed = ctl("retained", "list", "adm/#");
        assertThat(listed.out().lines().skip(1).map(l -> l.split(" +")[0]).toList())
                .containsExactly("adm/other", "adm/r/1", "adm/r/2");
        Ctl deleted = ctl("retained", "delete", "adm/r/1");
        assertThat(deleted.code()).as(deleted.err()).isZero();
        assertThat(get("/api/v1/retained/adm/r/1").status()).isEqualTo(404);
        assertThat(http("DELETE", "/api/v1/retained/adm/r/2", null, TOKEN).status()).isEqualTo(204);
        assertThat(ctl("retained", "delete", "adm/r/2").code()).isEqualTo(1);
        // a subscriber no longer gets them
        Mqtt5BlockingClient s = client("adm-retained-sub", 0);
        try (var publishes = s.publishes(com.hivemq.client.mqtt.MqttGlobalPublishFilter.ALL)) {
            s.subscribeWith().topicFilter("adm/#").send();
            var first = publishes.receive(10, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(first).isPresent();
            assertThat(first.get().getTopic().toString()).isEqualTo("adm/other");
            assertThat(publishes.receive(500, java.util.concurrent.TimeUnit.MILLISECONDS)).isEmpty();
        } finally {
            s.disconnect();
        }
    }

    @Test
    void logLevelsChangeWhileTheBrokerRuns() throws Exception {
        assertThat(http("GET", "/api/v1/log/levels", null, TOKEN).status()).isEqualTo(501);
        broker.broker().core().logLevels(new LogLevels() {
            @Override
            public Map<String, String> levels() {
                return Logging.levels();
            }

            @Override
            public void level(String logger, String level) {
                Logging.level(logger, level);
            }
        });
        try {
            Ctl set = ctl("log", "level", "io.mast.test.admin", "trace");
            assertThat(set.code()).as(set.err()).isZero();
            assertThat(set.out()).isEqualTo("io.mast.test.admin trace\n");
            assertThat(LoggerFactory.getLogger("io.mast.test.admin.Some").isTraceEnabled()).isTrue();
            assertThat(get("/api/v1/log/levels").body().path("io.mast.test.admin").asText()).isEqualTo("trace");
            assertThat(ctl("log", "level").out()).contains("io.mast.test.admin trace");
            assertThat(ctl("log", "level", "io.mast.test.admin", "inherit").code()).isZero();
            assertThat(LoggerFactory.getLogger("io.mast.test.admin.Some").isTraceEnabled()).isFalse();
            Ctl bad = ctl("log", "level", "io.mast.test.admin", "loud");
            assertThat(bad.code()).isEqualTo(1);
            assertThat(bad.err()).contains("expected one of error, warn, info, debug, trace, off");
        } finally {
            broker.broker().core().logLevels(null);
        }
    }

    @Test
    void healthNeedsNoTokenAndReadinessFollowsItsChecks() throws Exception {
        assertThat(http("GET", "/api/v1/clients", null, null).status()).isEqualTo(401);
        Answer live = http("GET", "/health/live", null, null);
        assertThat(live.status()).isEqualTo(200);
        assertThat(live.body().path("status").asText()).isEqualTo("UP");
        Answer ready = http("GET", "/health/ready", null, null);
        assertThat(ready.status()).isEqualTo(200);
        assertThat(ready.body().path("checks").path("listeners").asBoolean()).isTrue();
        assertThat(ready.body().path("checks").path("store").asBoolean()).isTrue();
        broker.broker().core().readinessChecks().put("test:dependency", () -> false);
        try {
            Answer down = http("GET", "/health/ready", null, null);
            assertThat(down.status()).isEqualTo(503);
            assertThat(down.body().path("status").asText()).isEqualTo("DOWN");
            assertThat(down.body().path("checks").path("test:dependency").asBoolean()).isFalse();
        } finally {
            broker.broker().core().readinessChecks().remove("test:dependency");
        }
        assertThat(http("GET", "/health/ready", null, null).status()).isEqualTo(200);
    }

    @Test
    void aHookServerThatDeniesWhenDownKeepsTheBrokerUnready() throws Exception {
        int dead = MosquittoBroker.freePort();
        BrokerConfig config = BrokerConfig.defaults().withListeners(List.of(ListenerConfig.tcp("127.0.0.1", 0)))
                .withAdmin(new AdminConfig(true, "127.0.0.1", 0, null));
        MastBroker b = MastBroker.builder().config(config).plugin(ExHookPlugin.class, ExHookTesting.exhook(List.of(
                ExHookTesting.server("down", "http://127.0.0.1:" + dead, "failed_action", "deny")))).build();
        b.start().get();
        try {
            Answer ready = http(b, "GET", "/health/ready", null, null);
            assertThat(ready.status()).isEqualTo(503);
            assertThat(ready.body().path("checks").properties()).anySatisfy(e -> {
                assertThat(e.getKey()).endsWith(":servers");
                assertThat(e.getValue().asBoolean()).isFalse();
            });
            assertThat(http(b, "GET", "/health/live", null, null).status()).isEqualTo(200);
        } finally {
            b.stop().get();
        }
    }
}
