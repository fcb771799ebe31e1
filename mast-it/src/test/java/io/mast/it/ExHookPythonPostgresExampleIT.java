package io.mast.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException;
import io.mast.exhook.ExHookPlugin;
import io.mast.testkit.MastBrokerExtension;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * examples/exhook-python/pg_hooks.py, started by the broker (Debian's python3 with python3-psycopg2), deciding
 * logins from a real PostgreSQL and recording online status and history there.
 */
class ExHookPythonPostgresExampleIT {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final int PORT = ExHookSdkTesting.freePort();

    @RegisterExtension
    @Order(1)
    static final PostgresDatabase db = PostgresDatabase.shared();

    @RegisterExtension
    @Order(2)
    static final MastBrokerExtension broker = MastBrokerExtension.create()
            .plugin(ExHookPlugin.class, new LazyOptions(() -> ExHookSdkTesting.exhook(List.of(Map.of(
                    "name", "pghooks",
                    "url", "http://127.0.0.1:" + PORT,
                    "command", List.of(ExHookSdkPythonTestsIT.PYTHON, "pg_hooks.py", "--port",
                            Integer.toString(PORT), "--create-tables", "--dsn",
                            "host=127.0.0.1 port=" + db.server().port() + " dbname=" + db.name() + " user="
                                    + PostgresServer.USER + " password=" + PostgresServer.PASSWORD),
                    "workdir", ExHookSdkTesting.REPO.resolve("examples/exhook-python").toString(),
                    "env", Map.of("PYTHONPATH", ExHookSdkTesting.REPO.resolve("sdk/python").toString()),
                    "failed_action", "deny")))));

    private static Mqtt5BlockingClient client(String id, String user, String password) {
        Mqtt5BlockingClient c = Mqtt5Client.builder().identifier(id).serverHost("127.0.0.1")
                .serverPort(broker.port()).buildBlocking();
        c.connectWith().simpleAuth().username(user).password(password.getBytes()).applySimpleAuth().send();
        return c;
    }

    private static Map<String, Object> status(String clientId) throws Exception {
        List<Map<String, Object>> rows = db.query("SELECT * FROM mqtt_client_status WHERE clientid = '"
                + clientId + "'");
        return rows.isEmpty() ? Map.of() : rows.get(0);
    }

    @Test
    void loginsFromTheDatabaseAndOnlineStatusInIt() throws Exception {
        // The hook server made the tables when it started (the broker waits for it before listening).
        await().atMost(WAIT).ignoreExceptions().until(() -> {
            db.execute("INSERT INTO mqtt_user (username, password_hash, salt) VALUES ('alice',"
                    + " encode(sha256(convert_to('salty' || 's3cret', 'UTF8')), 'hex'), 'salty')"
                    + " ON CONFLICT DO NOTHING");
            return true;
        });

        assertThatThrownBy(() -> client("pg-2", "alice", "wrong")).isInstanceOf(Mqtt5ConnAckException.class);
        assertThatThrownBy(() -> client("pg-3", "mallory", "s3cret")).isInstanceOf(Mqtt5ConnAckException.class);

        Mqtt5BlockingClient c = client("pg-1", "alice", "s3cret");
        await().atMost(WAIT).until(() -> Boolean.TRUE.equals(status("pg-1").get("online")));
        assertThat(status("pg-1")).containsEntry("username", "alice").containsEntry("peerhost", "127.0.0.1");
        c.disconnect();
        await().atMost(WAIT).until(() -> Boolean.FALSE.equals(status("pg-1").get("online")));
        assertThat(status("pg-1")).containsEntry("reason", "normal");
        assertThat(db.query("SELECT reason FROM mqtt_client_history WHERE clientid = 'pg-1'"))
                .containsExactly(Map.of("reason", "normal"));
        assertThat(status("pg-2")).isEmpty();
    }
}
