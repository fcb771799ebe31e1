package io.mast.it;

import static io.mast.it.PluginTesting.pluginMetric;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import io.mast.postgres.OnlineStatusPlugin;
import io.mast.testkit.MastBrokerExtension;
import java.net.Socket;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Online status and history in a real PostgreSQL (a server of the class's own, which one test stops): the client's
 * row right after connect, disconnect, takeover and a connection dropped without DISCONNECT, the history of ended
 * connections, and a database that is down costing clients nothing, its writes done once it is back.
 */
class OnlineStatusIT {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @RegisterExtension
    @Order(1)
    static final PostgresDatabase db = PostgresDatabase.ownServer();

    @RegisterExtension
    @Order(2)
    static final MastBrokerExtension broker = MastBrokerExtension.create()
            .plugin(OnlineStatusPlugin.class, new LazyOptions(() -> Map.of(
                    "url", db.url(),
                    "username", PostgresServer.USER,
                    "password", PostgresServer.PASSWORD,
                    "create_tables", true,
                    "batch_time", "5ms",
                    "retry_max", "500ms",
                    "connect_timeout", "1s")));

    private static Map<String, Object> status(String clientId) throws Exception {
        List<Map<String, Object>> rows = db.query("SELECT * FROM mqtt_client_status WHERE clientid = '"
                + clientId + "'");
        return rows.isEmpty() ? Map.of() : rows.get(0);
    }

    private static List<Map<String, Object>> history(String clientId) throws Exception {
        return db.query("SELECT * FROM mqtt_client_history WHERE clientid = '" + clientId + "' ORDER BY id");
    }

    private static Mqtt5BlockingClient connect(String id, String user) {
        Mqtt5BlockingClient c = Mqtt5Client.builder().identifier(id).serverHost("127.0.0.1")
                .serverPort(broker.port()).buildBlocking();
        c.connectWith().simpleAuth().username(user).applySimpleAuth().send();
        return c;
    }

    @Test
    void aRowRightAfterConnectAndDisconnectAndTheSessionInTheHistory() throws Exception {
        Mqtt5BlockingClient c = connect("status-1", "ann");
        await().atMost(WAIT).ignoreExceptions().until(() -> Boolean.TRUE.equals(status("status-1").get("online")));
        Map<String, Object> row = status("status-1");
        assertThat(row).containsEntry("username", "ann").containsEntry("peerhost", "127.0.0.1")
                .containsEntry("proto_ver", 5);
        assertThat((String) row.get("node")).isNotBlank();
        assertThat(row.get("connected_at")).isNotNull();
        assertThat(row.get("disconnected_at")).isNull();

        c.disconnect();
        await().atMost(WAIT).ignoreExceptions().until(() -> Boolean.FALSE.equals(status("status-1").get("online")));
        row = status("status-1");
        assertThat(row).containsEntry("reason", "normal");
        assertThat((Timestamp) row.get("disconnected_at")).isAfterOrEqualTo((Timestamp) row.get("connected_at"));
        List<Map<String, Object>> sessions = history("status-1");
        assertThat(sessions).hasSize(1);
        assertThat(sessions.get(0)).containsEntry("reason", "normal").containsEntry("username", "ann")
                .containsEntry("connected_at", row.get("connected_at"))
                .containsEntry("disconnected_at", row.get("disconnected_at"));
    }

    @Test
    void aTakeoverLeavesTheNewConnectionOnline() throws Exception {
        MqttClient first = new MqttClient(broker.uri(), "status-dup", new MemoryPersistence());
        MqttConnectOptions o = new MqttConnectOptions();
        o.setCleanSession(false);
        o.setConnectionTimeout(10);
        first.connect(o);
        await().atMost(WAIT).ignoreExceptions().until(() -> Boolean.TRUE.equals(status("status-dup").get("online")));
        Object firstConnectedAt = status("status-dup").get("connected_at");

        Mqtt5BlockingClient second = connect("status-dup", "bob");   // takes the session over
        await().atMost(WAIT).ignoreExceptions().until(() -> history("status-dup").size() == 1);
        assertThat(history("status-dup").get(0)).containsEntry("reason", "takenover")
                .containsEntry("proto_ver", 4).containsEntry("connected_at", firstConnectedAt);
        Map<String, Object> row = status("status-dup");
        assertThat(row).containsEntry("online", true).containsEntry("username", "bob")
                .containsEntry("proto_ver", 5);
        assertThat(row.get("connected_at")).isNotEqualTo(firstConnectedAt);
        second.disconnect();
        first.close(true);
    }

    @Test
    void aClientGoneWithoutDisconnectIsOffline() throws Exception {
        // A raw MQTT 3.1.1 CONNECT on a socket that is then closed without DISCONNECT.
        try (Socket s = new Socket("127.0.0.1", broker.port())) {
            byte[] id = "status-killed".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            java.io.ByteArrayOutputStream p = new java.io.ByteArrayOutputStream();
            p.write(new byte[] {0, 4, 'M', 'Q', 'T', 'T', 4, 2, 0, 60, 0, (byte) id.length});
            p.write(id);
            s.getOutputStream().write(new byte[] {0x10, (byte) p.size()});
            s.getOutputStream().write(p.toByteArray());
            s.getOutputStream().flush();
            assertThat(s.getInputStream().readNBytes(4)).containsExactly(0x20, 2, 0, 0);
            await().atMost(WAIT).ignoreExceptions().until(() -> Boolean.TRUE.equals(status("status-killed").get("online")));
        }
        await().atMost(WAIT).ignoreExceptions().until(() -> Boolean.FALSE.equals(status("status-killed").get("online")));
        assertThat(status("status-killed")).containsEntry("reason", "connection_lost");
        assertThat(history("status-killed")).singleElement().satisfies(h ->
                assertThat(h).containsEntry("reason", "connection_lost"));
    }

    @Test
    void aDatabaseThatIsDownCostsClientsNothingAndIsWrittenOnceBack() throws Exception {
        // The plugin made its tables (on its first write, at startup) before the database goes away.
        await().atMost(WAIT).ignoreExceptions().until(() -> history("none").isEmpty());
        long failures = pluginMetric(broker, OnlineStatusPlugin.class, "failures");
        db.server().stop();
        try {
            for (int i = 0; i < 20; i++) {   // each CONNACK comes without the database
                connect("status-down-" + i, "carl").disconnect();
            }
            await().atMost(WAIT).ignoreExceptions().until(() -> pluginMetric(broker, OnlineStatusPlugin.class, "failures") > failures);
            assertThat(pluginMetric(broker, OnlineStatusPlugin.class, "queued")
                    + pluginMetric(broker, OnlineStatusPlugin.class, "inflight")).isGreaterThan(0);
        } finally {
            db.server().restart();
        }
        await().atMost(WAIT).ignoreExceptions().until(() -> history("status-down-19").size() == 1);
        for (int i = 0; i < 20; i++) {
            assertThat(status("status-down-" + i)).containsEntry("online", false).containsEntry("reason", "normal");
        }
    }
}
