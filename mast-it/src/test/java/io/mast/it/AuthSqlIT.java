package io.mast.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5PubAckException;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.publish.puback.Mqtt5PubAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAckReasonCode;
import io.mast.auth.sql.SqlAclPlugin;
import io.mast.broker.config.ListenerConfig;
import io.mast.broker.tls.ClientCert;
import io.mast.auth.sql.SqlAuthPlugin;
import io.mast.plugins.PasswordHashes;
import io.mast.testkit.MastBrokerExtension;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Logins and ACL rules from a real PostgreSQL (Debian's package) with {@link SqlAuthPlugin} and {@link SqlAclPlugin}:
 * EMQX's hash schemes with the right and the wrong password, superusers, rules read from a table and checked on
 * SUBSCRIBE and PUBLISH (QoS and RETAIN included), placeholders bound as parameters, the cache's expiry, and a query
 * slower than its timeout. The database going down is {@link AuthSqlFailureIT}.
 */
class AuthSqlIT {

    @RegisterExtension
    @Order(1)
    static final PostgresDatabase db = PostgresDatabase.shared();

    static Map<String, Object> database() {
        return Map.of("url", db.url(), "username", PostgresServer.USER, "password", PostgresServer.PASSWORD,
                "pool_size", 4);
    }

    /**
     * The broker of most tests: sha256 with the salt after the password; rules cached for 1s. The tables are made
     * as the broker starts, after the database extension made the database.
     */
    @RegisterExtension
    @Order(2)
    static final MastBrokerExtension broker = AuthBrokers.create()
            .plugin(SqlAuthPlugin.class, () -> {
                schema();
                return Map.of("database", database(),
                        "query", "SELECT password_hash, salt, is_superuser FROM mqtt_user WHERE username = ${username}",
                        "password_hash_algorithm", Map.of("name", "sha256", "salt_position", "suffix"));
            })
            .plugin(SqlAclPlugin.class, () -> Map.of("database", database(),
                    "query", "SELECT permission, action, topic, qos, retain FROM mqtt_acl "
                            + "WHERE username = ${username} OR username = '*' ORDER BY id",
                    "cache_ttl", "1s"));

    @RegisterExtension
    final V5Clients clients = new V5Clients(broker);

    /** The tables of the docs (docs/integrations.md), and the users and rules of these tests. */
    static void schema() {
        try {
            db.execute("""
                    CREATE TABLE mqtt_user (
                      id serial PRIMARY KEY,
                      username text NOT NULL UNIQUE,
                      password_hash text NOT NULL,
                      salt text,
                      is_superuser boolean NOT NULL DEFAULT false)""", """
                    CREATE TABLE mqtt_acl (
                      id serial PRIMARY KEY,
                      username text NOT NULL,
                      permission text NOT NULL CHECK (permission IN ('allow', 'deny')),
                      action text NOT NULL CHECK (action IN ('publish', 'subscribe', 'all')),
                      topic text NOT NULL,
                      qos text,
                      retain boolean)""");
            addUser("mqtt_user", "alice", sha("SHA-256", "secret" + "s4lt"), "s4lt", false);
            addUser("mqtt_user", "root", sha("SHA-256", "r00t" + "pepper"), "pepper", true);
            acl("alice", "deny", "publish", "#", null, true);
            acl("alice", "allow", "publish", "alice/#", "0,1", null);
            acl("alice", "allow", "subscribe", "sensors/+/temperature", null, null);
            acl("alice", "allow", "all", "users/${username}/#", null, null);
            acl("alice", "allow", "publish", "legacy/%u/%c/#", null, null);
            acl("alice", "deny", "all", "#", null, null);
            acl("*", "deny", "subscribe", "secret/#", null, null);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static void addUser(String table, String user, String hash, String salt, boolean superuser) throws Exception {
        try (var c = db.connect(); PreparedStatement st = c.prepareStatement("INSERT INTO " + table
                + " (username, password_hash, salt, is_superuser) VALUES (?, ?, ?, ?)")) {
            st.setString(1, user);
            st.setString(2, hash);
            st.setString(3, salt);
            st.setBoolean(4, superuser);
            st.executeUpdate();
        }
    }

    static void acl(String user, String permission, String action, String topic, String qos, Boolean retain)
            throws Exception {
        try (var c = db.connect(); PreparedStatement st = c.prepareStatement(
                "INSERT INTO mqtt_acl (username, permission, action, topic, qos, retain) VALUES (?, ?, ?, ?, ?, ?)")) {
            st.setString(1, user);
            st.setString(2, permission);
            st.setString(3, action);
            st.setString(4, topic);
            st.setString(5, qos);
            st.setObject(6, retain);
            st.executeUpdate();
        }
    }

    /** Hex of a JDK digest: how EMQX stores md5, sha, sha256, sha512. */
    static String sha(String algorithm, String text) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    // ---- Hash schemes ----

    /** A stored hash of "secret" with the salt "NaCl", and the algorithm option that reads it. */
    private record Scheme(String hash, Map<String, Object> algorithm) {
    }

    private static Scheme scheme(String name) throws Exception {
        byte[] pw = "secret".getBytes(StandardCharsets.UTF_8);
        return switch (name) {
            case "plain" -> new Scheme("secret", Map.of("name", "plain", "salt_position", "disable"));
            case "md5" -> new Scheme(sha("MD5", "NaClsecret"), Map.of("name", "md5"));
            case "sha" -> new Scheme(sha("SHA-1", "secretNaCl"), Map.of("name", "sha", "salt_position", "suffix"));
            case "sha256-prefix" -> new Scheme(sha("SHA-256", "NaClsecret"), Map.of("name", "sha256",
                    "salt_position", "prefix"));
            case "sha512-suffix" -> new Scheme(sha("SHA-512", "secretNaCl"), Map.of("name", "sha512",
                    "salt_position", "suffix"));
            case "sha256-nosalt" -> new Scheme(sha("SHA-256", "secret"), Map.of("name", "sha256",
                    "salt_position", "disable"));
            case "bcrypt" -> new Scheme(OpenBSDBCrypt.generate("2b", pw, new byte[16], 6), Map.of("name", "bcrypt"));
            case "pbkdf2" -> {
                // The JDK's own PBKDF2, to check the plugin's against an independent implementation.
                byte[] dk = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(
                        new PBEKeySpec("secret".toCharArray(), "NaCl".getBytes(StandardCharsets.UTF_8), 1000, 256))
                        .getEncoded();
                yield new Scheme(HexFormat.of().formatHex(dk), Map.of("name", "pbkdf2", "mac_fun", "sha256",
                        "iterations", 1000, "dk_length", 32));
            }
            case "argon2" -> new Scheme(PasswordHashes.argon2id(pw, 1024, 1, 1), Map.of("name", "argon2"));
            default -> throw new IllegalArgumentException(name);
        };
    }

    @ParameterizedTest
    @ValueSource(strings = {"plain", "md5", "sha", "sha256-prefix", "sha512-suffix", "sha256-nosalt", "bcrypt",
            "pbkdf2", "argon2"})
    void everyHashSchemeTakesTheRightPasswordAndRefusesAWrongOne(String name) throws Exception {
        Scheme s = scheme(name);
        String table = "users_" + name.replace('-', '_');
        db.execute("CREATE TABLE " + table + " (username text, password_hash text, salt text, is_superuser boolean)");
        addUser(table, "carol", s.hash(), "NaCl", false);
        MastBrokerExtension b = AuthBrokers.create().plugin(SqlAuthPlugin.class, Map.of(
                "database", database(),
                "query", "SELECT password_hash, salt, is_superuser FROM " + table + " WHERE username = ${username}",
                "password_hash_algorithm", s.algorithm()));
        b.restart();
        try {
            V5Clients c = new V5Clients(b);
            assertThat(c.connack(name + "-ok", "carol", "secret")).as(name).isEqualTo(Mqtt5ConnAckReasonCode.SUCCESS);
            assertThat(c.connack(name + "-wrong", "carol", "Secret")).as(name)
                    .isEqualTo(Mqtt5ConnAckReasonCode.BAD_USER_NAME_OR_PASSWORD);
            assertThat(c.connack(name + "-none", "carol", null)).as(name)
                    .isEqualTo(Mqtt5ConnAckReasonCode.BAD_USER_NAME_OR_PASSWORD);
            assertThat(c.connack(name + "-unknown", "dave", "secret")).as("no row: no opinion, and nobody else knows")
                    .isEqualTo(Mqtt5ConnAckReasonCode.NOT_AUTHORIZED);
        } finally {
            b.stop();
        }
    }

    @Test
    void mqtt311ClientsGetReturnCodes() throws Exception {
        MqttConnectOptions ok = V311Clients.options(true);
        ok.setUserName("alice");
        ok.setPassword("secret".toCharArray());
        try (V311Clients.Paho p = V311Clients.paho(broker, "v3-alice", ok)) {
            assertThat(p.client.isConnected()).isTrue();
        }
        MqttConnectOptions wrong = V311Clients.options(true);
        wrong.setUserName("alice");
        wrong.setPassword("nope".toCharArray());
        MqttException e = catchThrowableOfType(MqttException.class, () -> V311Clients.paho(broker, "v3-wrong", wrong));
        assertThat(e.getReasonCode()).isEqualTo(MqttException.REASON_CODE_FAILED_AUTHENTICATION);
    }

    @Test
    void placeholdersAreBoundAsValuesNotSql() {
        assertThat(clients.connack("inject", "' OR '1'='1", "secret")).as("no row for that name")
                .isEqualTo(Mqtt5ConnAckReasonCode.NOT_AUTHORIZED);
        assertThat(clients.connack("inject2", "alice' --", "secret")).isEqualTo(Mqtt5ConnAckReasonCode.NOT_AUTHORIZED);
    }

    @Test
    void cachedLoginsAreReadAgainOnceTheyExpire() throws Exception {
        db.execute("CREATE TABLE users_cached (username text, password_hash text, salt text, is_superuser boolean)",
                "INSERT INTO users_cached VALUES ('erin', 'first', NULL, false)");
        MastBrokerExtension b = AuthBrokers.create().plugin(SqlAuthPlugin.class, Map.of(
                "database", database(),
                "query", "SELECT password_hash, salt, is_superuser FROM users_cached WHERE username = ${username}",
                "password_hash_algorithm", Map.of("name", "plain", "salt_position", "disable"),
                "cache_ttl", "4s"));
        b.restart();
        try {
            V5Clients c = new V5Clients(b);
            long start = System.nanoTime();
            assertThat(c.connack("erin-1", "erin", "first")).isEqualTo(Mqtt5ConnAckReasonCode.SUCCESS);
            db.execute("UPDATE users_cached SET password_hash = 'second' WHERE username = 'erin'");
            Mqtt5ConnAckReasonCode stale = c.connack("erin-2", "erin", "first");
            if (V5Clients.millisSince(start) < 3000) {
                // Well within cache_ttl (on a machine so loaded that it is not, only the expiry below is checked).
                assertThat(stale).as("the cached row decides until it expires").isEqualTo(Mqtt5ConnAckReasonCode.SUCCESS);
                assertThat(PluginTesting.pluginMetric(b, SqlAuthPlugin.class, "cache.hits")).isEqualTo(1);
            }
            // Polled once a second: the broker bans an address after 10 failed logins within a minute.
            await().atMost(Duration.ofSeconds(30)).pollDelay(Duration.ofSeconds(1)).pollInterval(Duration.ofSeconds(1))
                    .until(() -> c.connack("erin-3", "erin", "second") == Mqtt5ConnAckReasonCode.SUCCESS);
            assertThat(c.connack("erin-4", "erin", "first")).isEqualTo(Mqtt5ConnAckReasonCode.BAD_USER_NAME_OR_PASSWORD);
            assertThat(PluginTesting.pluginMetric(b, SqlAuthPlugin.class, "cache.misses")).as("read again")
                    .isGreaterThanOrEqualTo(2);
        } finally {
            b.stop();
        }
    }

    /**
     * ${clientid}, ${peerhost} and ${cert_common_name} bound in the query: a device known by its certificate's common
     * name, its client id and the address it connects from (a TLS listener that asks for a client certificate).
     */
    @Test
    void clientIdPeerHostAndCertificateCommonNameInTheQuery() throws Exception {
        TestCertificates certs = TestCertificates.temporary();
        TestCertificates.Issued device = certs.ca.client("device-9", "CN=device-9,O=Mast Tests");
        db.execute("CREATE TABLE mqtt_device (cn text, clientid text, peerhost text, password_hash text)",
                "INSERT INTO mqtt_device VALUES ('device-9', 'dev-9', '127.0.0.1', 'pw9')");
        MastBrokerExtension b = AuthBrokers.create(cfg -> cfg.withListeners(List.of(
                        ListenerConfig.builder("tls").certificate(certs.serverCert, certs.serverKey)
                                .caFile(certs.caCert).clientCert(ClientCert.OPTIONAL).build())))
                .plugin(SqlAuthPlugin.class, Map.of("database", database(),
                        "query", "SELECT password_hash FROM mqtt_device WHERE cn = ${cert_common_name} "
                                + "AND clientid = ${clientid} AND peerhost = ${peerhost}",
                        "password_hash_algorithm", Map.of("name", "plain", "salt_position", "disable")));
        b.restart();
        try {
            V5Clients c = new V5Clients(b);
            assertThat(tlsConnack(c, "dev-9", certs, device, b.port(0), "pw9")).isEqualTo(Mqtt5ConnAckReasonCode.SUCCESS);
            assertThat(tlsConnack(c, "dev-9", certs, device, b.port(0), "wrong"))
                    .isEqualTo(Mqtt5ConnAckReasonCode.BAD_USER_NAME_OR_PASSWORD);
            assertThat(tlsConnack(c, "dev-10", certs, device, b.port(0), "pw9")).as("another client id: no row")
                    .isEqualTo(Mqtt5ConnAckReasonCode.NOT_AUTHORIZED);
            assertThat(tlsConnack(c, "dev-9", certs, null, b.port(0), "pw9")).as("no certificate: no row")
                    .isEqualTo(Mqtt5ConnAckReasonCode.NOT_AUTHORIZED);
        } finally {
            b.stop();
        }
    }

    private static Mqtt5ConnAckReasonCode tlsConnack(V5Clients c, String clientId, TestCertificates certs,
                                                     TestCertificates.Issued cert, int port, String password) {
        Mqtt5BlockingClient client = c.hive(clientId, ListenerTesting.tls(port, certs.ca, cert));
        try {
            client.connectWith().simpleAuth().username("device").password(V5Clients.utf8(password)).applySimpleAuth()
                    .send();
            client.disconnect();
            return Mqtt5ConnAckReasonCode.SUCCESS;
        } catch (com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException e) {
            return e.getMqttMessage().getReasonCode();
        }
    }

    // ---- ACL rules from the database ----

    @Test
    void rulesFromTheDatabaseDecideSubscribeAndPublish() throws Exception {
        Mqtt5BlockingClient alice = clients.hive("acl-alice", "alice", "secret");
        assertThat(subscribe(alice, "sensors/+/temperature")).isEqualTo(Mqtt5SubAckReasonCode.GRANTED_QOS_0);
        assertThat(subscribe(alice, "sensors/#")).as("sensors/+/temperature does not cover sensors/#")
                .isEqualTo(Mqtt5SubAckReasonCode.NOT_AUTHORIZED);
        assertThat(subscribe(alice, "secret/plans")).as("the rule for every user ('*')")
                .isEqualTo(Mqtt5SubAckReasonCode.NOT_AUTHORIZED);

        try (Mqtt5BlockingClient.Mqtt5Publishes in = alice.publishes(MqttGlobalPublishFilter.ALL)) {
            assertThat(alice.subscribeWith().topicFilter("users/alice/#").qos(MqttQos.AT_LEAST_ONCE).send()
                    .getReasonCodes()).as("${username} in a rule").containsExactly(Mqtt5SubAckReasonCode.GRANTED_QOS_1);
            assertThat(publish(alice, "users/alice/notes", MqttQos.AT_LEAST_ONCE, false)).isNull();
            assertThat(V5Clients.text(V5Clients.next(in).getPayloadAsBytes())).isEqualTo("hello");
        }
        assertThat(publish(alice, "alice/status", MqttQos.AT_LEAST_ONCE, false)).isNull();
        assertThat(publish(alice, "alice/status", MqttQos.EXACTLY_ONCE, false)).as("qos 0,1 only: the last rule")
                .isEqualTo(Mqtt5PubAckReasonCode.NOT_AUTHORIZED);
        assertThat(publish(alice, "alice/status", MqttQos.AT_LEAST_ONCE, true)).as("no retained messages")
                .isEqualTo(Mqtt5PubAckReasonCode.NOT_AUTHORIZED);
        assertThat(publish(alice, "legacy/alice/acl-alice/x", MqttQos.AT_LEAST_ONCE, false)).as("%u and %c")
                .isNull();
        assertThat(publish(alice, "legacy/alice/someone-else/x", MqttQos.AT_LEAST_ONCE, false))
                .isEqualTo(Mqtt5PubAckReasonCode.NOT_AUTHORIZED);
        assertThat(publish(alice, "legacy/bob/acl-alice/x", MqttQos.AT_LEAST_ONCE, false))
                .isEqualTo(Mqtt5PubAckReasonCode.NOT_AUTHORIZED);
        Mqtt5PubAckException denied = catchThrowableOfType(Mqtt5PubAckException.class, () -> alice.publishWith()
                .topic("users/bob/x").qos(MqttQos.AT_LEAST_ONCE).send());
        assertThat(denied.getMqttMessage().getReasonString()).map(Object::toString)
                .hasValue("denied by the ACL query");
    }

    @Test
    void aSuperuserFromTheIsSuperuserColumnIsNotChecked() throws Exception {
        Mqtt5BlockingClient root = clients.hive("acl-root", "root", "r00t");
        assertThat(subscribe(root, "secret/#")).isEqualTo(Mqtt5SubAckReasonCode.GRANTED_QOS_0);
        assertThat(publish(root, "anything/at/all", MqttQos.EXACTLY_ONCE, true)).isNull();
        assertThat(clients.connack("acl-root-wrong", "root", "secret"))
                .isEqualTo(Mqtt5ConnAckReasonCode.BAD_USER_NAME_OR_PASSWORD);
    }

    @Test
    void changedRulesApplyOnceTheCachedOnesExpire() throws Exception {
        Mqtt5BlockingClient alice = clients.hive("acl-cache", "alice", "secret");
        assertThat(subscribe(alice, "news/#")).isEqualTo(Mqtt5SubAckReasonCode.NOT_AUTHORIZED);
        long misses = PluginTesting.pluginMetric(broker, SqlAclPlugin.class, "cache.misses");
        db.execute("INSERT INTO mqtt_acl (id, username, permission, action, topic) VALUES (0, 'alice', 'allow', "
                + "'subscribe', 'news/#')");
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200))
                .until(() -> subscribe(alice, "news/#") == Mqtt5SubAckReasonCode.GRANTED_QOS_0);
        assertThat(PluginTesting.pluginMetric(broker, SqlAclPlugin.class, "cache.misses")).as("asked again")
                .isGreaterThan(misses);
        assertThat(PluginTesting.pluginMetric(broker, SqlAclPlugin.class, "cache.hits")).isPositive();
    }

    @Test
    void aQuerySlowerThanItsTimeoutIsAFailureAndOthersCarryOn() throws Exception {
        MastBrokerExtension slow = AuthBrokers.create().plugin(SqlAuthPlugin.class, Map.of(
                "database", Map.of("url", db.url(), "username", PostgresServer.USER, "password",
                        PostgresServer.PASSWORD, "query_timeout", "1s"),
                "query", "SELECT password_hash, salt, is_superuser FROM mqtt_user, pg_sleep(30) "
                        + "WHERE username = ${username}",
                "password_hash_algorithm", Map.of("name", "sha256", "salt_position", "suffix")));
        slow.restart();
        try {
            assertThat(new V5Clients(slow).connack("slow-alice", "alice", "secret")).as("failed_action deny")
                    .isEqualTo(Mqtt5ConnAckReasonCode.SERVER_UNAVAILABLE);
            // The query was cancelled after query_timeout (an error), before the decision_timeout of 5s (a timeout).
            assertThat(PluginTesting.pluginMetric(slow, SqlAuthPlugin.class, "authenticate.errors")).isEqualTo(1);
            assertThat(PluginTesting.pluginMetric(slow, SqlAuthPlugin.class, "authenticate.timeouts")).isZero();
            // The main broker, on the same database, is not held up.
            assertThat(clients.connack("fast-alice", "alice", "secret")).isEqualTo(Mqtt5ConnAckReasonCode.SUCCESS);
        } finally {
            slow.stop();
        }
    }

    private static Mqtt5SubAckReasonCode subscribe(Mqtt5BlockingClient c, String filter) {
        try {
            return c.subscribeWith().topicFilter(filter).qos(MqttQos.AT_MOST_ONCE).send().getReasonCodes().get(0);
        } catch (com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5SubAckException e) {
            return e.getMqttMessage().getReasonCodes().get(0);
        }
    }

    /** {@code null} when accepted, else the PUBACK/PUBREC reason. */
    private static Mqtt5PubAckReasonCode publish(Mqtt5BlockingClient c, String topic, MqttQos qos, boolean retain) {
        try {
            c.publishWith().topic(topic).qos(qos).retain(retain).payload(V5Clients.utf8("hello")).send();
            return null;
        } catch (Mqtt5PubAckException e) {
            return e.getMqttMessage().getReasonCode();
        } catch (com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5PubRecException e) {
            return Mqtt5PubAckReasonCode.valueOf(e.getMqttMessage().getReasonCode().name());
        }
    }
}
