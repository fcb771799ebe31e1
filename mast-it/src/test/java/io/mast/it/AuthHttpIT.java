package io.mast.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5PubAckException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5SubAckException;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.publish.puback.Mqtt5PubAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAckReasonCode;
import io.mast.auth.http.HttpAuthPlugin;
import io.mast.plugins.PasswordFileAuthPlugin;
import io.mast.testkit.MastBrokerExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link HttpAuthPlugin} against a real HTTP service (the JDK's server): the request made from the template, the
 * answers EMQX's services give (allow, deny, ignore, 204, a form, superuser, ACL rules in both formats, expire_at), a
 * service that fails, is slow or is down (failed_action, other clients unharmed), GET requests, the cache, and TLS.
 */
class AuthHttpIT {

    static final Path DIR = BuiltinFiles.folder("mast-auth-http");
    static final CountDownLatch SLOW = new CountDownLatch(1);

    /** The user's service: it answers by the user name it is sent. */
    static AuthService.Reply answer(AuthService.Request r) {
        Map<String, Object> in = r.method().equals("GET") ? Map.of() : r.json();
        String user = String.valueOf(in.get("username"));
        String password = String.valueOf(in.get("password"));
        return switch (user) {
            case "alice" -> AuthService.Reply.json(Map.of("result", password.equals("secret") ? "allow" : "deny"));
            case "root" -> AuthService.Reply.json(Map.of("result", "allow", "is_superuser", true));
            case "ruled" -> AuthService.Reply.json(Map.of("result", "allow", "acl", List.of(
                    Map.of("permission", "allow", "action", "publish", "topic", "ruled/${clientid}/#", "qos", List.of(0, 1)),
                    Map.of("permission", "allow", "action", "subscribe", "topic", "ruled/+"),
                    Map.of("permission", "deny", "action", "all", "topic", "#"))));
            case "legacy" -> AuthService.Reply.json(Map.of("result", "allow",
                    "acl", Map.of("pub", List.of("legacy/p"), "sub", List.of("legacy/s"))));
            case "ghost" -> AuthService.Reply.json(Map.of("result", "ignore"));
            case "nocontent" -> new AuthService.Reply(204, null, null);
            case "form" -> new AuthService.Reply(200, "application/x-www-form-urlencoded", "result=allow&is_superuser=false");
            case "teapot" -> new AuthService.Reply(418, "text/plain", "no");
            case "brokenacl" -> AuthService.Reply.json(Map.of("result", "allow", "acl", List.of(Map.of("permission", "x"))));
            case "expiring" -> AuthService.Reply.json(Map.of("result", "allow",
                    "expire_at", System.currentTimeMillis() / 1000 + 4));
            case "slow" -> {
                try {
                    SLOW.await(20, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                yield AuthService.Reply.json(Map.of("result", "allow"));
            }
            default -> AuthService.Reply.json(Map.of("result", "deny"));
        };
    }

    static final AuthService SERVICE = AuthService.start(AuthHttpIT::answer);

    @RegisterExtension
    static final MastBrokerExtension broker = AuthBrokers.create().plugin(HttpAuthPlugin.class, Map.of(
            "url", SERVICE.base() + "/mqtt/auth",
            "headers", Map.of("authorization", "Bearer token-${clientid}"),
            "body", Map.of("username", "${username}", "password", "${password}", "clientid", "${clientid}",
                    "peerhost", "${peerhost}", "proto_ver", "${proto_ver}"),
            "request_timeout", "1s"));

    @RegisterExtension
    final V5Clients clients = new V5Clients(broker);

    @AfterAll
    static void stop() throws Exception {
        SLOW.countDown();
        SERVICE.close();
        BuiltinFiles.delete(DIR);
    }

    private static AuthService.Request lastRequestOf(AuthService s, String clientId) {
        return s.requests.stream().filter(r -> r.uri().contains(clientId) || r.body().contains(clientId))
                .reduce((a, b) -> b).orElseThrow();
    }

    @Test
    void theRequestIsMadeFromTheTemplate() {
        assertThat(clients.connack("http-alice", "alice", "secret")).isEqualTo(Mqtt5ConnAckReasonCode.SUCCESS);
        AuthService.Request r = lastRequestOf(SERVICE, "http-alice");
        assertThat(r.method()).isEqualTo("POST");
        assertThat(r.uri()).isEqualTo("/mqtt/auth");
        assertThat(r.header("authorization")).isEqualTo("Bearer token-http-alice");
        assertThat(r.header("content-type")).isEqualTo("application/json");
        assertThat(r.json()).isEqualTo(Map.of("username", "alice", "password", "secret", "clientid", "http-alice",
                "peerhost", "127.0.0.1", "proto_ver", "5"));
    }

    @Test
    void theAnswersOfTheService() {
        assertThat(clients.connack("a1", "alice", "wrong")).as("deny").isEqualTo(Mqtt5ConnAckReasonCode.NOT_AUTHORIZED);
        assertThat(clients.connack("a2", "ghost", "x")).as("ignore, and nobody else decides")
                .isEqualTo(Mqtt5ConnAckReasonCode.NOT_AUTHORIZED);
        assertThat(clients.connack("a3", "nocontent", "x")).as("204").isEqualTo(Mqtt5ConnAckReasonCode.SUCCESS);
        assertThat(clients.connack("a4", "form", "x")).as("a form").isEqualTo(Mqtt5ConnAckReasonCode.SUCCESS);
        assertThat(clients.connack("a5", "brokenacl", "x")).as("a broken acl")
                .isEqualTo(Mqtt5ConnAckReasonCode.BAD_USER_NAME_OR_PASSWORD);
        assertThat(clients.connack("a6", "teapot", "x")).as("HTTP 418 is a failure: failed_action deny")
                .isEqualTo(Mqtt5ConnAckReasonCode.SERVER_UNAVAILABLE);
    }

    @Test
    void aSuperuserAndAclRulesFromTheAnswer() {
        Mqtt5BlockingClient ruled = clients.hive("r1", "ruled", "x");
        assertThat(subscribe(ruled, "ruled/x")).isEqualTo(Mqtt5SubAckReasonCode.GRANTED_QOS_0);
        assertThat(subscribe(ruled, "ruled/#")).isEqualTo(Mqtt5SubAckReasonCode.NOT_AUTHORIZED);
        assertThat(publish(ruled, "ruled/r1/a", MqttQos.AT_LEAST_ONCE)).isNull();
        assertThat(publish(ruled, "ruled/other/a", MqttQos.AT_LEAST_ONCE)).as("${clientid} is r1")
                .isEqualTo(Mqtt5PubAckReasonCode.NOT_AUTHORIZED);

        Mqtt5BlockingClient legacy = clients.hive("l1", "legacy", "x");
        assertThat(subscribe(legacy, "legacy/s")).isEqualTo(Mqtt5SubAckReasonCode.GRANTED_QOS_0);
        assertThat(subscribe(legacy, "legacy/p")).as("the pub/sub format denies what it does not list")
                .isEqualTo(Mqtt5SubAckReasonCode.NOT_AUTHORIZED);
        assertThat(publish(legacy, "legacy/p", MqttQos.AT_LEAST_ONCE)).isNull();

        Mqtt5BlockingClient root = clients.hive("su1", "root", "x");
        assertThat(subscribe(root, "#")).isEqualTo(Mqtt5SubAckReasonCode.GRANTED_QOS_0);
        assertThat(broker.broker().metrics().value("plugin." + HttpAuthPlugin.class.getName()
                + ".authorize_subscribe.calls")).as("asked for ruled and legacy, never for the superuser")
                .isEqualTo(4);
    }

    @Test
    void aClientWhoseLoginExpiresIsDisconnected() {
        Mqtt5BlockingClient c = clients.hive("exp1", "expiring", "x");
        assertThat(c.getState().isConnected()).isTrue();
        await().atMost(Duration.ofSeconds(20)).until(() -> !c.getState().isConnected());
    }

    @Test
    void aSlowServiceIsAFailureAndConnectedClientsCarryOn() {
        Mqtt5BlockingClient alice = clients.hive("slow-watcher", "alice", "secret");
        assertThat(clients.connack("s1", "slow", "x")).as("request_timeout 1s, failed_action deny")
                .isEqualTo(Mqtt5ConnAckReasonCode.SERVER_UNAVAILABLE);
        alice.publishWith().topic("t").qos(MqttQos.AT_LEAST_ONCE).send();
        assertThat(alice.getState().isConnected()).isTrue();
        assertThat(PluginTesting.pluginMetric(broker, HttpAuthPlugin.class, "authenticate.errors")).isPositive();
    }

    @Test
    void getRequestsCarryTheFieldsInTheQuery() {
        AuthService get = AuthService.start(r -> AuthService.Reply.json(Map.of("result",
                r.uri().contains("u=alice") && r.uri().contains("p=s%20cret") ? "allow" : "deny")));
        MastBrokerExtension b = AuthBrokers.create().plugin(HttpAuthPlugin.class, Map.of(
                "url", get.base() + "/check?client=${clientid}", "method", "get",
                "body", Map.of("u", "${username}", "p", "${password}")));
        b.restart();
        try {
            V5Clients c = new V5Clients(b);
            assertThat(c.connack("g 1", "alice", "s cret")).isEqualTo(Mqtt5ConnAckReasonCode.SUCCESS);
            assertThat(get.requests.get(0).method()).isEqualTo("GET");
            assertThat(get.requests.get(0).uri()).startsWith("/check?client=g%201&")
                    .contains("&u=alice").contains("&p=s%20cret");
            assertThat(get.requests.get(0).header("content-type")).isNull();
        } finally {
            b.stop();
            get.close();
        }
    }

    @Test
    void aFormBodyWhenTheContentTypeSaysSo() {
        AuthService form = AuthService.start(r -> AuthService.Reply.json(Map.of("result",
                Set.of(r.body().split("&")).equals(Set.of("user=al%20ice", "pw=s%26c%3Dret", "client=f1"))
                        ? "allow" : "deny")));
        MastBrokerExtension b = AuthBrokers.create().plugin(HttpAuthPlugin.class, Map.of(
                "url", form.base() + "/form",
                "headers", Map.of("content-type", "application/x-www-form-urlencoded"),
                "body", Map.of("user", "${username}", "pw", "${password}", "client", "${clientid}")));
        b.restart();
        try {
            V5Clients c = new V5Clients(b);
            assertThat(c.connack("f1", "al ice", "s&c=ret")).isEqualTo(Mqtt5ConnAckReasonCode.SUCCESS);
            assertThat(c.connack("f1", "al ice", "s&c")).as("another password, another body")
                    .isEqualTo(Mqtt5ConnAckReasonCode.NOT_AUTHORIZED);
            assertThat(form.requests.get(0).method()).isEqualTo("POST");
            assertThat(form.requests.get(0).header("content-type")).isEqualTo("application/x-www-form-urlencoded");
        } finally {
            b.stop();
            form.close();
        }
    }

    /** A started broker whose plugin asks this service and caches its answers for this long. */
    private static MastBrokerExtension caching(AuthService service, String ttl) {
        MastBrokerExtension b = AuthBrokers.create().plugin(HttpAuthPlugin.class, Map.of(
                "url", service.base() + "/auth", "body", Map.of("username", "${username}", "password", "${password}"),
                "cache_ttl", ttl));
        b.restart();
        return b;
    }

    @Test
    void cachedAnswersAreAskedForAgainOnceTheyExpire() {
        AuthService counted = AuthService.start(AuthHttpIT::answer);
        MastBrokerExtension b = caching(counted, "1s");
        try {
            V5Clients c = new V5Clients(b);
            assertThat(c.connack("x1", "alice", "secret")).isEqualTo(Mqtt5ConnAckReasonCode.SUCCESS);
            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200)).until(() -> {
                assertThat(c.connack("x2", "alice", "secret")).isEqualTo(Mqtt5ConnAckReasonCode.SUCCESS);
                return counted.requests.size() >= 2;
            });
            assertThat(PluginTesting.pluginMetric(b, HttpAuthPlugin.class, "cache.misses")).isGreaterThanOrEqualTo(2);
        } finally {
            b.stop();
            counted.close();
        }
    }

    @Test
    void cachedAnswersSpareTheService() {
        AuthService counted = AuthService.start(AuthHttpIT::answer);
        MastBrokerExtension b = caching(counted, "1h");
        try {
            V5Clients c = new V5Clients(b);
            assertThat(c.connack("c1", "alice", "secret")).isEqualTo(Mqtt5ConnAckReasonCode.SUCCESS);
            assertThat(c.connack("c2", "alice", "secret")).isEqualTo(Mqtt5ConnAckReasonCode.SUCCESS);
            assertThat(counted.requests).hasSize(1);
            assertThat(c.connack("c3", "alice", "wrong")).as("another password, another answer")
                    .isEqualTo(Mqtt5ConnAckReasonCode.NOT_AUTHORIZED);
            assertThat(counted.requests).hasSize(2);
        } finally {
            b.stop();
            counted.close();
        }
    }

    @Test
    void aServiceThatIsDownCountsAsTheFailurePolicy() throws Exception {
        AuthService down = AuthService.start(AuthHttpIT::answer);
        Path passwd = BuiltinFiles.passwords(DIR.resolve("down-passwd"), "alice", "fallback");
        MastBrokerExtension deny = AuthBrokers.create().plugin(HttpAuthPlugin.class, Map.of(
                "url", down.base() + "/auth"));
        MastBrokerExtension ignore = AuthBrokers.create()
                .plugin(HttpAuthPlugin.class, Map.of("url", down.base() + "/auth", "failed_action", "ignore"))
                .plugin(PasswordFileAuthPlugin.class, Map.of("password_file", passwd.toString()));
        deny.restart();
        ignore.restart();
        try {
            V5Clients d = new V5Clients(deny);
            V5Clients i = new V5Clients(ignore);
            Mqtt5BlockingClient connected = d.hive("d0", "alice", "secret");
            down.close();
            assertThat(d.connack("d1", "alice", "secret")).isEqualTo(Mqtt5ConnAckReasonCode.SERVER_UNAVAILABLE);
            assertThat(i.connack("i1", "alice", "fallback")).as("the password file decides")
                    .isEqualTo(Mqtt5ConnAckReasonCode.SUCCESS);
            connected.publishWith().topic("still/here").qos(MqttQos.AT_LEAST_ONCE).send();
            assertThat(connected.getState().isConnected()).isTrue();
        } finally {
            deny.stop();
            ignore.stop();
        }
    }

    @Test
    void httpsWithTheServiceCaTrusted() throws Exception {
        TestCertificates certs = TestCertificates.create(DIR);
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (var in = Files.newInputStream(certs.server.pkcs12(DIR.resolve("server.p12"), "pw"))) {
            ks.load(in, "pw".toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, "pw".toCharArray());
        SSLContext server = SSLContext.getInstance("TLS");
        server.init(kmf.getKeyManagers(), null, null);
        AuthService tls = AuthService.startTls(server, AuthHttpIT::answer);
        MastBrokerExtension trusting = AuthBrokers.create().plugin(HttpAuthPlugin.class, Map.of(
                "url", tls.base() + "/auth", "tls", Map.of("ca_file", certs.caCert.toString())));
        MastBrokerExtension untrusting = AuthBrokers.create().plugin(HttpAuthPlugin.class, Map.of(
                "url", tls.base() + "/auth"));
        trusting.restart();
        untrusting.restart();
        try {
            assertThat(new V5Clients(trusting).connack("t1", "alice", "secret"))
                    .isEqualTo(Mqtt5ConnAckReasonCode.SUCCESS);
            assertThat(new V5Clients(untrusting).connack("t2", "alice", "secret")).as("an unknown CA: a failure")
                    .isEqualTo(Mqtt5ConnAckReasonCode.SERVER_UNAVAILABLE);
            assertThat(tls.requests).hasSize(1);
        } finally {
            trusting.stop();
            untrusting.stop();
            tls.close();
        }
    }

    static Mqtt5SubAckReasonCode subscribe(Mqtt5BlockingClient c, String filter) {
        try {
            return c.subscribeWith().topicFilter(filter).qos(MqttQos.AT_MOST_ONCE).send().getReasonCodes().get(0);
        } catch (Mqtt5SubAckException e) {
            return e.getMqttMessage().getReasonCodes().get(0);
        }
    }

    /** {@code null} when accepted, else the PUBACK reason. */
    static Mqtt5PubAckReasonCode publish(Mqtt5BlockingClient c, String topic, MqttQos qos) {
        try {
            c.publishWith().topic(topic).qos(qos).payload(V5Clients.utf8("x")).send();
            return null;
        } catch (Mqtt5PubAckException e) {
            return e.getMqttMessage().getReasonCode();
        }
    }
}
