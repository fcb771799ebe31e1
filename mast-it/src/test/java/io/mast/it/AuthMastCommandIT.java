package io.mast.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException;
import com.hivemq.client.mqtt.mqtt5.message.auth.Mqtt5SimpleAuth;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.MACSigner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The authentication sources as a user runs them: declared by class name in {@code mast.yaml} for
 * {@code mast broker} from the shaded jar (HikariCP, the PostgreSQL driver and nimbus-jose-jwt inside it), another
 * database's JDBC driver dropped into the {@code plugins} folder, and a wrong option refused with one line.
 */
class AuthMastCommandIT {

    static final Duration START = Duration.ofSeconds(30);

    @RegisterExtension
    static final PostgresDatabase db = PostgresDatabase.shared();

    @TempDir
    Path dir;

    private static Mqtt5ConnAckReasonCode connack(int port, String clientId, String user, String password) {
        Mqtt5BlockingClient c = Mqtt5Client.builder().identifier(clientId).serverHost("127.0.0.1").serverPort(port)
                .buildBlocking();
        try {
            c.connectWith().simpleAuth(Mqtt5SimpleAuth.builder().username(user).password(V5Clients.utf8(password))
                    .build()).send();
            c.disconnect();
            return Mqtt5ConnAckReasonCode.SUCCESS;
        } catch (Mqtt5ConnAckException e) {
            return e.getMqttMessage().getReasonCode();
        }
    }

    @Test
    void theDatabaseAndJwtSourcesFromTheConfig() throws Exception {
        db.execute("CREATE TABLE IF NOT EXISTS cmd_user (username text, password_hash text, salt text, "
                        + "is_superuser boolean)",
                "INSERT INTO cmd_user VALUES ('alice', '" + AuthSqlIT.sha("SHA-256", "NaClsecret") + "', 'NaCl', false)");
        Path config = dir.resolve("mast.yaml");
        Files.writeString(config, """
                listeners:
                  - {type: tcp, bind: 127.0.0.1, port: 0}
                plugins:
                  io.mast.auth.jwt.JwtAuthPlugin:
                    secret: 0123456789abcdef0123456789abcdef-mast
                  io.mast.auth.sql.SqlAuthPlugin:
                    database:
                      url: %s
                      username: %s
                      password: %s
                      pool_size: 2
                    query: SELECT password_hash, salt, is_superuser FROM cmd_user WHERE username = ${username}
                    password_hash_algorithm: {name: sha256, salt_position: prefix}
                """.formatted(db.url(), PostgresServer.USER, PostgresServer.PASSWORD));
        try (MastProcess mast = MastProcess.start("broker", "-c", config.toString())) {
            int port = mast.awaitPort(START);
            assertThat(connack(port, "cmd-1", "alice", "secret")).isEqualTo(Mqtt5ConnAckReasonCode.SUCCESS);
            assertThat(connack(port, "cmd-2", "alice", "guess"))
                    .isEqualTo(Mqtt5ConnAckReasonCode.BAD_USER_NAME_OR_PASSWORD);
            String token = AuthJwtIT.token(new MACSigner(AuthJwtIT.SECRET), JWSAlgorithm.HS256, null,
                    AuthJwtIT.claims("cmd-3", b -> b));
            assertThat(connack(port, "cmd-3", "device", token)).isEqualTo(Mqtt5ConnAckReasonCode.SUCCESS);
        }
    }

    @Test
    void anotherDatabasesDriverDroppedIntoThePluginsFolder() throws Exception {
        // H2 stands for MySQL or any other database: its driver jar is not in mast.jar, only in ./plugins.
        Path plugins = Files.createDirectories(dir.resolve("plugins"));
        try (Stream<Path> drivers = Files.list(Path.of(System.getProperty("mast.jdbc.drivers")))) {
            for (Path jar : drivers.toList()) {
                Files.copy(jar, plugins.resolve(jar.getFileName()));
            }
        }
        Files.writeString(dir.resolve("mast.yaml"), """
                listeners:
                  - {type: tcp, bind: 127.0.0.1, port: 0}
                plugins:
                  io.mast.auth.sql.SqlAuthPlugin:
                    database:
                      url: jdbc:h2:mem:users
                    query: >-
                      SELECT password_hash FROM (VALUES ('alice', 'secret')) AS t(username, password_hash)
                      WHERE username = ${username}
                    password_hash_algorithm: {name: plain, salt_position: disable}
                """);
        try (MastProcess mast = MastProcess.startIn(dir, "broker", "-c", "mast.yaml")) {
            int port = mast.awaitPort(START);
            assertThat(connack(port, "h2-1", "alice", "secret")).isEqualTo(Mqtt5ConnAckReasonCode.SUCCESS);
            assertThat(connack(port, "h2-2", "alice", "nope")).isEqualTo(Mqtt5ConnAckReasonCode.BAD_USER_NAME_OR_PASSWORD);
        }
    }

    @Test
    void wrongOptionsStopTheBrokerWithOneLine() throws Exception {
        String query = "query: SELECT password_hash FROM t WHERE username = ${username}";
        for (String[] c : List.of(
                new String[] {"password_hash_algorithm: {name: sha3}", query, "password_hash_algorithm"},
                new String[] {"password_hash_algorithm: {name: pbkdf2}", query, "iterations is required for pbkdf2"},
                new String[] {"cache_ttl: 1m", "query: SELECT 1 WHERE ${user} = 1", "unknown placeholder ${user}"},
                new String[] {"cache_ttl: 1m", query,
                        "the plugin failed to start: no JDBC driver accepts jdbc:nosuch:db"})) {
            Path config = dir.resolve("bad.yaml");
            Files.writeString(config, """
                    listeners:
                      - {type: tcp, bind: 127.0.0.1, port: 0}
                    plugins:
                      io.mast.auth.sql.SqlAuthPlugin:
                        database: {url: "jdbc:nosuch:db"}
                        %s
                        %s
                    """.formatted(c[0], c[1]));
            try (MastProcess mast = MastProcess.start("broker", "-c", config.toString())) {
                assertThat(mast.awaitExit(START)).as("exit code for %s", c[0]).isEqualTo(2);
                List<String> errors = mast.outputAfterExit().stream().filter(l -> l.startsWith("mast: ")).toList();
                assertThat(errors).as("%s", c[0]).hasSize(1);
                assertThat(errors.get(0)).contains(config.toString()).contains("plugins.io.mast.auth.sql.SqlAuthPlugin")
                        .contains(c[2]);
            }
        }
    }
}
