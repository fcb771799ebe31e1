package io.mast.it;

import static io.mast.exhook.proto.v3.ValuedResponse.ResponsedType.CONTINUE;
import static io.mast.it.ExHookTesting.TIMEOUT;
import static io.mast.it.ExHookTesting.spec;
import static io.mast.it.ExHookTesting.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import io.mast.broker.config.AdminConfig;
import io.mast.cli.Main;
import io.mast.exhook.ExHookPlugin;
import io.mast.exhook.proto.v3.MessagePublishRequest;
import io.mast.testkit.MastBrokerExtension;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The admin API over HTTP (status, metrics, plugins, errors, the token) and the hook servers in it, through the API and
 * through {@code mast ctl}: list, show, hooks, disable and enable (with their effect on calls), and moving a server in
 * the call order (seen in the payload two servers change in turn).
 */
class AdminApiIT {

    static final String TOKEN = "s3cret-token";
    static final ExHookTesting.Calls calls = new ExHookTesting.Calls();
    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newHttpClient();

    @RegisterExtension
    @Order(1)
    static final ExHookTesting.V3Server first = (ExHookTesting.V3Server) new ExHookTesting.V3Server("first", calls,
            List.of(spec("message.publish", "adm/#"))).start();

    @RegisterExtension
    @Order(2)
    /** Served over Mast's stream: the API treats it as the unary one. */
    static final ExHookTesting.V3Server second = (ExHookTesting.V3Server) new ExHookStreamTesting.StreamServer(
            "second", calls, List.of(spec("message.publish", "adm/#"), spec("client.connected"))).start();

    @RegisterExtension
    @Order(3)
    static final MastBrokerExtension broker = MastBrokerExtension
            .withConfig(c -> c.withAdmin(new AdminConfig(true, "127.0.0.1", 0, TOKEN)))
            .plugin(ExHookPlugin.class, ExHookTesting.exhook(List.of(
                    ExHookTesting.server("first", first.url()),
                    ExHookTesting.server("second", second.url()))));

    @AfterAll
    static void closeClient() {
        HTTP.close();
    }

    @BeforeEach
    void appendTheServersName() {
        for (ExHookTesting.V3Server s : List.of(first, second)) {
            s.answers.put("OnMessagePublish", r -> {
                var m = ((MessagePublishRequest) r).getMessage();
                return ExHookTesting.message(CONTINUE, m.toBuilder()
                        .setPayload(ByteString.copyFromUtf8(m.getPayload().toStringUtf8() + "+" + s.name)).build());
            });
        }
    }

    static String base() {
        var a = broker.broker().adminAddress().orElseThrow();
        return "http://127.0.0.1:" + a.getPort();
    }

    record Answer(int status, JsonNode body) {
    }

    static Answer http(String method, String path, String body, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(r.statusCode(), r.body().isEmpty() ? null : JSON.readTree(r.body()));
    }

    static Answer http(String method, String path, String body) throws Exception {
        return http(method, path, body, TOKEN);
    }

    /** {@code mast ctl --url <admin> --token <token> <args>} in this JVM: exit code, standard output and error. */
    record Ctl(int code, String out, String err) {
    }

    static Ctl ctl(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        String[] all = new String[args.length + 5];
        all[0] = "ctl";
        all[1] = "--url";
        all[2] = base();
        all[3] = "--token";
        all[4] = TOKEN;
        System.arraycopy(args, 0, all, 5, args.length);
        int code = Main.commandLine().setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true))
                .execute(all);
        return new Ctl(code, out.toString(), err.toString());
    }

    /** Publishes one message on adm/x and returns the payload a subscriber received. */
    static String roundTrip(String clientId, String payload) throws Exception {
        Mqtt5BlockingClient sub = ExHookTesting.connect(broker.port(), clientId + "-sub");
        Mqtt5BlockingClient pub = ExHookTesting.connect(broker.port(), clientId + "-pub");
        try (var received = sub.publishes(MqttGlobalPublishFilter.ALL)) {
            sub.subscribeWith().topicFilter("adm/#").qos(MqttQos.AT_LEAST_ONCE).send();
            pub.publishWith().topic("adm/x").qos(MqttQos.AT_LEAST_ONCE).payload(utf8(payload)).send();
            Optional<Mqtt5Publish> m = received.receive(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(m).as("the message through the hooks").isPresent();
            return new String(m.get().getPayloadAsBytes(), StandardCharsets.UTF_8);
        } finally {
            pub.disconnect();
            sub.disconnect();
        }
    }

    @Test
    void everyRequestNeedsTheToken() throws Exception {
        Answer none = http("GET", "/api/v1/status", null, null);
        assertThat(none.status()).isEqualTo(401);
        assertThat(none.body().path("code").asText()).isEqualTo("UNAUTHORIZED");
        assertThat(http("GET", "/api/v1/exhooks", null, "wrong").status()).isEqualTo(401);
        StringWriter err = new StringWriter();
        int code = Main.commandLine().setOut(new PrintWriter(new StringWriter())).setErr(new PrintWriter(err, true))
                .execute("ctl", "--url", base(), "status");
        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("Authorization: Bearer");
    }

    @Test
    void statusMetricsAndPluginsAreJson() throws Exception {
        Answer status = http("GET", "/api/v1/status", null);
        assertThat(status.status()).isEqualTo(200);
        assertThat(status.body().path("name").asText()).isEqualTo(broker.broker().core().name());
        assertThat(status.body().path("version").asText()).isEqualTo(System.getProperty("mast.version"));
        assertThat(status.body().path("connections").isInt()).isTrue();

        Answer metrics = http("GET", "/api/v1/metrics?prefix=connections.", null);
        assertThat(metrics.status()).isEqualTo(200);
        assertThat(metrics.body().has("connections.current")).isTrue();
        assertThat(metrics.body().has("messages.received")).as("only the prefix").isFalse();

        Answer plugins = http("GET", "/api/v1/plugins", null);
        assertThat(plugins.body().get(0).path("name").asText()).isEqualTo(ExHookPlugin.class.getName());
        assertThat(plugins.body().get(0).path("metrics").has("exhook.first.status")).isTrue();

        Answer index = http("GET", "/api/v1/", null);
        assertThat(index.body().path("resources").toString()).contains("exhooks", "status", "metrics", "plugins");

        Ctl ctl = ctl("metrics", "connections.");
        assertThat(ctl.code()).isZero();
        assertThat(ctl.out()).containsPattern("(?m)^connections\\.current \\d+$");
    }

    @Test
    void wrongRequestsGetJsonErrors() throws Exception {
        assertThat(http("GET", "/api/v1/nothing", null).status()).isEqualTo(404);
        assertThat(http("GET", "/elsewhere", null).status()).isEqualTo(404);
        assertThat(http("DELETE", "/api/v1/status", null).status()).isEqualTo(405);
        Answer badJson = http("PUT", "/api/v1/exhooks/first", "{enable");
        assertThat(badJson.status()).isEqualTo(400);
        assertThat(badJson.body().path("message").asText()).contains("not JSON");
        assertThat(http("PUT", "/api/v1/exhooks/first", "{\"enable\": \"yes\"}").status()).isEqualTo(400);
        Answer unknown = http("GET", "/api/v1/exhooks/nobody", null);
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.body().path("code").asText()).isEqualTo("NOT_FOUND");
        assertThat(http("POST", "/api/v1/exhooks/first/move", "{\"position\": \"sideways\"}").status())
                .isEqualTo(400);
        assertThat(http("POST", "/api/v1/exhooks/first/move", "{\"position\": \"before:nobody\"}").status())
                .isEqualTo(400);

        Ctl ctl = ctl("exhook", "show", "nobody");
        assertThat(ctl.code()).isEqualTo(1);
        assertThat(ctl.err()).contains("no hook server named nobody");
    }

    @Test
    void serversAreListedWithTheirHooksAndCalls() throws Exception {
        assertThat(roundTrip("adm-list", "m")).isEqualTo("m+first+second");

        Answer list = http("GET", "/api/v1/exhooks", null);
        assertThat(list.status()).isEqualTo(200);
        assertThat(list.body().findValuesAsText("name")).containsExactly("first", "second");
        JsonNode s2 = list.body().get(1);
        assertThat(s2.path("status").asText()).isEqualTo("connected");
        assertThat(s2.path("hooks").toString()).isEqualTo("[\"client.connected\",\"message.publish\"]");
        assertThat(s2.path("urls").get(0).asText()).isEqualTo(second.url());
        assertThat(s2.path("streamed_urls").toString()).isEqualTo("[\"" + second.url() + "\"]");
        assertThat(list.body().get(0).path("streamed_urls")).as("the first is an EMQX-style server").isEmpty();
        assertThat(s2.path("metrics").path("succeeded").asLong()).isGreaterThanOrEqualTo(1);

        Answer hooks = http("GET", "/api/v1/exhooks/first/hooks", null);
        assertThat(hooks.body()).hasSize(1);
        assertThat(hooks.body().get(0).path("name").asText()).isEqualTo("message.publish");
        assertThat(hooks.body().get(0).path("topics").get(0).asText()).isEqualTo("adm/#");
        assertThat(hooks.body().get(0).path("metrics").path("succeeded").asLong()).isGreaterThanOrEqualTo(1);

        Ctl ctl = ctl("exhook", "list");
        assertThat(ctl.code()).as(ctl.err()).isZero();
        assertThat(ctl.out().lines().toList()).hasSize(3);
        assertThat(ctl.out().lines().toList().get(0)).startsWith("NAME").contains("STATUS", "URLS");
        assertThat(ctl.out().lines().toList().get(1)).startsWith("first").contains("connected", first.url());
        assertThat(ctl.out().lines().toList().get(2)).startsWith("second").contains("connected", second.url());

        Ctl show = ctl("exhook", "show", "first");
        assertThat(show.out()).contains("status: connected", "failed_action: deny", "hooks: message.publish");
    }

    @Test
    void aDisabledServerIsNotCalledUntilEnabledAgain() throws Exception {
        Ctl off = ctl("exhook", "disable", "second");
        assertThat(off.code()).as(off.err()).isZero();
        assertThat(off.out().trim()).isEqualTo("second: disabled");
        calls.await("OnProviderUnloaded", io.mast.exhook.proto.v3.ProviderUnloadedRequest.class, r -> true);
        assertThat(http("GET", "/api/v1/exhooks/second", null).body().path("enable").asBoolean()).isFalse();
        assertThat(roundTrip("adm-off", "m")).as("only the first server changed it").isEqualTo("m+first");

        Ctl on = ctl("exhook", "enable", "second");
        assertThat(on.code()).as(on.err()).isZero();
        assertThat(on.out().trim()).isEqualTo("second: connected");
        assertThat(roundTrip("adm-on", "m")).isEqualTo("m+first+second");
    }

    @Test
    void movingAServerChangesTheOrderOfCalls() throws Exception {
        try {
            Ctl moved = ctl("exhook", "move", "second", "front");
            assertThat(moved.code()).as(moved.err()).isZero();
            assertThat(moved.out().trim()).isEqualTo("second first");
            assertThat(roundTrip("adm-move", "m")).isEqualTo("m+second+first");
            Answer back = http("POST", "/api/v1/exhooks/second/move", "{\"position\": \"after:first\"}");
            assertThat(back.status()).isEqualTo(200);
            assertThat(back.body().path("order").toString()).isEqualTo("[\"first\",\"second\"]");
            await().atMost(TIMEOUT).untilAsserted(() ->
                    assertThat(roundTrip("adm-back", "m")).isEqualTo("m+first+second"));
        } finally {
            http("POST", "/api/v1/exhooks/first/move", "{\"position\": \"front\"}");
        }
    }
}
