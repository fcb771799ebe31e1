package io.mast.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAckReasonCode;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.MACSigner;
import io.mast.auth.jwt.JwtAuthPlugin;
import io.mast.auth.sql.SqlAclPlugin;
import io.mast.auth.sql.SqlAuthPlugin;
import io.mast.testkit.MastBrokerExtension;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The database goes down and comes back (a PostgreSQL server of this class's own, stopped by its PID): logins and
 * rules already cached keep working, connected clients carry on, a login that needs the database counts as the
 * plugin's {@code failed_action} (deny: 0x88; ignore: the next plugin, here tokens, decides), and logins work again
 * once the database is back.
 */
class AuthSqlFailureIT {

    @RegisterExtension
    @Order(1)
    static final PostgresDatabase db = PostgresDatabase.ownServer();

    static final String SECRET = "0123456789abcdef0123456789abcdef-ops";

    static Map<String, Object> database() {
        return Map.of("url", db.url(), "username", PostgresServer.USER, "password", PostgresServer.PASSWORD,
                "connect_timeout", "1s", "query_timeout", "1s");
    }

    static Map<String, Object> auth(String failedAction) {
        return Map.of("database", database(),
                "query", "SELECT password_hash, salt, is_superuser FROM mqtt_user WHERE username = ${username}",
                "password_hash_algorithm", Map.of("name", "sha256", "salt_position", "suffix"),
                "cache_ttl", "1h", "failed_action", failedAction);
    }

    /** failed_action deny, logins and rules cached for an hour. */
    @RegisterExtension
    @Order(2)
    static final MastBrokerExtension denying = AuthBrokers.create()
            .plugin(SqlAuthPlugin.class, () -> {
                schema();
                return auth("deny");
            })
            .plugin(SqlAclPlugin.class, () -> Map.of("database", database(), "cache_ttl", "1h",
                    "query", "SELECT permission, action, topic FROM mqtt_acl WHERE username = ${username}"));

    /**
     * failed_action ignore, then tokens: devices log in with the database's passwords, operators with tokens (the JWT
     * plugin abstains for a password that is not a token, the database for a user it does not have).
     */
    @RegisterExtension
    @Order(3)
    static final MastBrokerExtension ignoring = AuthBrokers.create()
            .plugin(SqlAuthPlugin.class, () -> auth("ignore"))
            .plugin(JwtAuthPlugin.class, Map.of("secret", SECRET));

    @RegisterExtension
    final V5Clients clients = new V5Clients(denying);

    @RegisterExtension
    final V5Clients others = new V5Clients(ignoring);

    static void schema() {
        try {
            db.execute("CREATE TABLE mqtt_user (username text PRIMARY KEY, password_hash text, salt text, "
                            + "is_superuser boolean)",
                    "CREATE TABLE mqtt_acl (username text, permission text, action text, topic text)",
                    "INSERT INTO mqtt_user VALUES ('alice', '" + AuthSqlIT.sha("SHA-256", "secretNaCl") + "', 'NaCl', "
                            + "false), ('carol', '" + AuthSqlIT.sha("SHA-256", "c4rolNaCl") + "', 'NaCl', false)",
                    "INSERT INTO mqtt_acl VALUES ('alice', 'allow', 'all', 'alice/#'), ('alice', 'deny', 'all', '#')");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void whileTheDatabaseIsDownCachedAnswersHoldAndTheRestIsTheFailurePolicy() throws Exception {
        Mqtt5BlockingClient alice = clients.hive("alice-1", "alice", "secret");
        try (Mqtt5BlockingClient.Mqtt5Publishes in = alice.publishes(MqttGlobalPublishFilter.ALL)) {
            assertThat(alice.subscribeWith().topicFilter("alice/#").qos(MqttQos.AT_LEAST_ONCE).send().getReasonCodes())
                    .containsExactly(Mqtt5SubAckReasonCode.GRANTED_QOS_1);
            alice.publishWith().topic("alice/a").qos(MqttQos.AT_LEAST_ONCE).payload(V5Clients.utf8("before")).send();
            assertThat(V5Clients.text(V5Clients.next(in).getPayloadAsBytes())).isEqualTo("before");

            db.server().stop();

            // Connected clients carry on: their rules are cached.
            alice.publishWith().topic("alice/a").qos(MqttQos.AT_LEAST_ONCE).payload(V5Clients.utf8("during")).send();
            assertThat(V5Clients.text(V5Clients.next(in).getPayloadAsBytes())).isEqualTo("during");
            // A login already cached works; one that needs the database is refused with 0x88 (failed_action deny).
            assertThat(clients.connack("alice-2", "alice", "secret")).isEqualTo(Mqtt5ConnAckReasonCode.SUCCESS);
            assertThat(clients.connack("carol-1", "carol", "c4rol"))
                    .isEqualTo(Mqtt5ConnAckReasonCode.SERVER_UNAVAILABLE);
            assertThat(PluginTesting.pluginMetric(denying, SqlAuthPlugin.class, "authenticate.errors")).isPositive();
            // failed_action ignore: the next plugin decides. An operator's token still works; carol is nobody's.
            String token = AuthJwtIT.token(new MACSigner(SECRET.getBytes(StandardCharsets.UTF_8)), JWSAlgorithm.HS256, null,
                    AuthJwtIT.claims("ops-1", b -> b));
            assertThat(others.connack("ops-1", "ops", token)).isEqualTo(Mqtt5ConnAckReasonCode.SUCCESS);
            assertThat(others.connack("carol-2", "carol", "c4rol")).isEqualTo(Mqtt5ConnAckReasonCode.NOT_AUTHORIZED);

            db.server().restart();

            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250)).until(() ->
                    clients.connack("carol-3", "carol", "c4rol") == Mqtt5ConnAckReasonCode.SUCCESS);
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250)).until(() ->
                    others.connack("carol-4", "carol", "c4rol") == Mqtt5ConnAckReasonCode.SUCCESS);
            alice.publishWith().topic("alice/a").qos(MqttQos.AT_LEAST_ONCE).payload(V5Clients.utf8("after")).send();
            assertThat(V5Clients.text(V5Clients.next(in).getPayloadAsBytes())).isEqualTo("after");
        }
    }
}
