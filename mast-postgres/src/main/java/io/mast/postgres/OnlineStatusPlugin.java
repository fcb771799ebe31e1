package io.mast.postgres;

import io.mast.integration.Batcher;
import io.mast.integration.MessageJson;
import io.mast.plugin.BrokerContext;
import io.mast.plugin.BrokerPlugin;
import io.mast.plugin.ClientInfo;
import io.mast.plugin.Default;
import io.mast.plugin.DisconnectInfo;
import io.mast.plugin.NonBlocking;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Keeps each client's online status in PostgreSQL, one row per client identifier ({@code status_table}), and
 * appends each ended connection to a history table ({@code history_table}): who, from where, with which protocol,
 * when it connected and disconnected, and why it ended. Writes are asynchronous: the connect and disconnect events
 * go to a bounded buffer that one thread writes in batches (one transaction each), retried with backoff while the
 * database is away, so a client never waits for the database. See docs/integrations.md for the tables.
 */
public final class OnlineStatusPlugin extends BrokerPlugin {

    private static final Pattern TABLE = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)?");

    /** The plugin's options (docs/integrations.md has them all). */
    public record Config(
            String url,
            Optional<String> username,
            Optional<String> password,
            @Default("2") int poolSize,
            @Default("mqtt_client_status") String statusTable,
            @Default("mqtt_client_history") String historyTable,
            @Default("true") boolean history,
            @Default("false") boolean createTables,
            @Default("500") int batchSize,
            @Default("20ms") Duration batchTime,
            @Default("100000") int bufferSize,
            @Default("-1") int maxRetries,
            @Default("200ms") Duration retryInitial,
            @Default("10s") Duration retryMax,
            @Default("5s") Duration connectTimeout,
            @Default("5s") Duration shutdownTimeout) {
    }

    /** What happened to a client, as it is written. */
    sealed interface Change permits Connected, Disconnected, NodeStarted {
    }

    record Connected(ClientInfo client, String node) implements Change {
    }

    record Disconnected(ClientInfo client, String node, long at, String reason) implements Change {
    }

    /** The broker started: its clients of an earlier run are no longer online. */
    record NodeStarted(String node, long at) implements Change {
    }

    private final Config config;
    private final Database database;
    private final Batcher<Change> buffer;
    private final String node;

    public OnlineStatusPlugin(BrokerContext context) {
        super(context);
        this.config = config(Config.class);
        for (String t : List.of(config.statusTable(), config.historyTable())) {
            if (!TABLE.matcher(t).matches()) {
                throw new IllegalArgumentException("expected a table name such as mqtt_client_status or "
                        + "mqtt.client_status, got \"" + t + "\"");
            }
        }
        this.node = context.brokerName();
        this.database = new Database(config.url(), config.username(), config.password(), config.poolSize(),
                config.connectTimeout(), "online-status");
        StatusWriter writer = new StatusWriter(database, config, log());
        this.buffer = new Batcher<>("online-status", new Batcher.Options(config.bufferSize(), config.batchSize(),
                config.batchTime(), config.maxRetries(), config.retryInitial(), config.retryMax()),
                writer, new Batcher.Listener<>() { }, context.metrics(), "", log());
        buffer.offer(new NodeStarted(node, System.currentTimeMillis()));
    }

    @Override
    @NonBlocking
    public void onClientConnected(ClientInfo client) {
        buffer.offer(new Connected(client, node));
    }

    @Override
    @NonBlocking
    public void onClientDisconnected(ClientInfo client, DisconnectInfo disconnect) {
        buffer.offer(new Disconnected(client, node, System.currentTimeMillis(), disconnect.reason()));
    }

    @Override
    public void close() {
        buffer.closeAndCountLost(config.shutdownTimeout());
        database.close();
    }

    /** The peer's address as text, or {@code null}. */
    static String peerHost(ClientInfo c) {
        return c.remoteAddress() == null ? null : MessageJson.host(c.remoteAddress());
    }
}
