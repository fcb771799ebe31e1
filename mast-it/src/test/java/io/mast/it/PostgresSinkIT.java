package io.mast.it;

import static io.mast.it.PluginTesting.pluginMetric;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import io.mast.postgres.PostgresSinkPlugin;
import io.mast.testkit.MastBrokerExtension;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The PostgreSQL message sink against a real PostgreSQL: the default table (payload as bytea, properties as jsonb),
 * a statement of the user's own with typed columns, and a row the database refuses dropped and counted while the
 * rest of its batch is stored.
 */
class PostgresSinkIT {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @RegisterExtension
    @Order(1)
    static final PostgresDatabase db = PostgresDatabase.shared();

    /** The default statement and table. */
    @RegisterExtension
    @Order(2)
    static final MastBrokerExtension broker = MastBrokerExtension.create()
            .plugin(PostgresSinkPlugin.class, new LazyOptions(() -> Map.of(
                    "url", db.url(), "username", PostgresServer.USER, "password", PostgresServer.PASSWORD,
                    "filters", List.of("store/#"), "create_table", true, "batch_time", "10ms")));

    /** A statement of the user's own, into a table with typed columns. */
    @RegisterExtension
    @Order(2)
    static final MastBrokerExtension custom = MastBrokerExtension.create()
            .plugin(PostgresSinkPlugin.class, new LazyOptions(() -> {
                try {
                    db.execute("CREATE TABLE IF NOT EXISTS readings (device text NOT NULL, temp double precision NOT NULL,"
                            + " at timestamptz NOT NULL, qos int NOT NULL, props jsonb)");
                } catch (java.sql.SQLException e) {
                    throw new IllegalStateException(e);
                }
                return Map.of("url", db.url(), "username", PostgresServer.USER, "password", PostgresServer.PASSWORD,
                        "filters", List.of("readings/+"), "batch_time", "200ms",
                        "sql", "INSERT INTO readings (device, temp, at, qos, props) VALUES (${topic_level.2},"
                                + " ${payload}, ${timestamp}, ${qos}, ${properties})");
            }));

    private static Mqtt5BlockingClient client(MastBrokerExtension b, String id) {
        Mqtt5BlockingClient c = Mqtt5Client.builder().identifier(id).serverHost("127.0.0.1").serverPort(b.port())
                .buildBlocking();
        c.connectWith().simpleAuth().username("dora").applySimpleAuth().send();
        return c;
    }

    @Test
    void messagesAreStoredWithTheirPropertiesInTheDefaultTable() throws Exception {
        Mqtt5BlockingClient c = client(broker, "store-1");
        for (int i = 0; i < 50; i++) {
            c.publishWith().topic("store/a").qos(MqttQos.AT_LEAST_ONCE)
                    .payload(("m" + i).getBytes(StandardCharsets.UTF_8)).contentType("text/plain")
                    .userProperties().add("batch", "b" + (i / 10)).applyUserProperties().send();
        }
        c.publishWith().topic("other/a").qos(MqttQos.AT_LEAST_ONCE).payload(new byte[] {1}).send();
        c.disconnect();
        await().atMost(WAIT).until(() -> db.query("SELECT count(*) AS n FROM mqtt_messages").get(0).get("n")
                .equals(50L));
        List<Map<String, Object>> rows = db.query("SELECT topic, convert_from(payload, 'UTF8') AS payload, qos,"
                + " retain, clientid, username, properties->>'content_type' AS ct,"
                + " properties->'user_properties'->>'batch' AS batch FROM mqtt_messages ORDER BY seq");
        for (int i = 0; i < 50; i++) {
            assertThat(rows.get(i)).containsEntry("topic", "store/a").containsEntry("payload", "m" + i)
                    .containsEntry("qos", 1).containsEntry("retain", false).containsEntry("clientid", "store-1")
                    .containsEntry("username", "dora").containsEntry("ct", "text/plain")
                    .containsEntry("batch", "b" + (i / 10));
        }
    }

    @Test
    void aStatementOfYourOwnAndARowTheDatabaseRefuses() throws Exception {
        Mqtt5BlockingClient c = client(custom, "thermo");
        for (String payload : List.of("21.5", "22", "not a number", "23.25")) {
            c.publishWith().topic("readings/boiler").qos(MqttQos.AT_LEAST_ONCE)
                    .payload(payload.getBytes(StandardCharsets.UTF_8)).send();
        }
        c.disconnect();
        await().atMost(WAIT).until(() -> pluginMetric(custom, PostgresSinkPlugin.class, "dropped.rejected") == 1);
        await().atMost(WAIT).until(() -> db.query("SELECT count(*) AS n FROM readings").get(0).get("n").equals(3L));
        List<Map<String, Object>> rows = db.query("SELECT device, temp, qos FROM readings ORDER BY at, temp");
        assertThat(rows).extracting(r -> r.get("temp")).containsExactly(21.5, 22.0, 23.25);
        assertThat(rows).allSatisfy(r -> assertThat(r).containsEntry("device", "boiler").containsEntry("qos", 1));
    }
}
