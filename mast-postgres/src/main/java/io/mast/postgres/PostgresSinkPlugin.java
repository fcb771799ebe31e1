package io.mast.postgres;

import io.mast.integration.Batcher;
import io.mast.integration.Published;
import io.mast.integration.TopicFilterSet;
import io.mast.plugin.BrokerContext;
import io.mast.plugin.BrokerPlugin;
import io.mast.plugin.ClientInfo;
import io.mast.plugin.Default;
import io.mast.plugin.Message;
import io.mast.plugin.NonBlocking;
import io.mast.plugin.PluginMetrics;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;

/**
 * Stores the messages whose topics match {@code filters} in PostgreSQL with an SQL statement of the user's choosing
 * (placeholders bound as parameters, see {@link SqlTemplate}), in batches: one JDBC batch, rewritten by the driver
 * into multi-row inserts, and one transaction per batch. A bounded buffer holds messages while the database is slow
 * or away; a batch that fails for a passing reason is retried with backoff, one that the database refuses (a row
 * that does not fit the table) is written row by row so that only the refused rows are dropped and counted.
 */
public final class PostgresSinkPlugin extends BrokerPlugin {

    /** The statement used when {@code sql} is not set: the table of {@code create_table}. */
    public static final String DEFAULT_SQL = "INSERT INTO mqtt_messages (id, topic, payload, qos, retain, clientid,"
            + " username, properties, received_at) VALUES (${id}, ${topic}, ${payload_bytes}, ${qos}, ${retain},"
            + " ${clientid}, ${username}, ${properties}, ${timestamp})";

    /** The table of {@link #DEFAULT_SQL}. */
    public static final String DEFAULT_TABLE = "CREATE TABLE IF NOT EXISTS mqtt_messages (\n"
            + "  seq bigserial PRIMARY KEY,\n"
            + "  id text,\n"
            + "  topic text NOT NULL,\n"
            + "  payload bytea,\n"
            + "  qos smallint NOT NULL,\n"
            + "  retain boolean NOT NULL,\n"
            + "  clientid text,\n"
            + "  username text,\n"
            + "  properties jsonb,\n"
            + "  received_at timestamptz NOT NULL\n"
            + ")";

    /** The plugin's options (docs/integrations.md has them all). */
    public record Config(
            String url,
            Optional<String> username,
            Optional<String> password,
            @Default("2") int poolSize,
            List<String> filters,
            Optional<String> sql,
            @Default("false") boolean createTable,
            @Default("500") int batchSize,
            @Default("50ms") Duration batchTime,
            @Default("100000") int bufferSize,
            @Default("-1") int maxRetries,
            @Default("200ms") Duration retryInitial,
            @Default("10s") Duration retryMax,
            @Default("5s") Duration connectTimeout,
            @Default("5s") Duration shutdownTimeout) {
    }

    private final Config config;
    private final TopicFilterSet filters;
    private final Database database;
    private final Batcher<Published> buffer;
    private final PluginMetrics.Counter matched;
    private final String node;

    public PostgresSinkPlugin(BrokerContext context) {
        super(context);
        this.config = config(Config.class);
        try {
            this.filters = TopicFilterSet.of(config.filters());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("filters: " + e.getMessage());
        }
        SqlTemplate sql;
        try {
            sql = SqlTemplate.compile(config.sql().orElse(DEFAULT_SQL));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("sql: " + e.getMessage());
        }
        if (config.createTable() && config.sql().isPresent()) {
            throw new IllegalArgumentException("create_table: creates the default table mqtt_messages, which a "
                    + "statement of your own (sql) does not use; create your table yourself");
        }
        this.node = context.brokerName();
        this.matched = context.metrics().counter("matched");
        this.database = new Database(config.url(), config.username(), config.password(), config.poolSize(),
                config.connectTimeout(), "postgres-sink");
        Inserter inserter = new Inserter(database, sql, config.createTable(),
                context.metrics().counter("dropped.rejected"), log());
        this.buffer = new Batcher<>("postgres-sink", new Batcher.Options(config.bufferSize(), config.batchSize(),
                config.batchTime(), config.maxRetries(), config.retryInitial(), config.retryMax()),
                inserter, new Batcher.Listener<>() { }, context.metrics(), "", log());
    }

    @Override
    @NonBlocking
    public void onMessagePublished(ClientInfo publisher, Message message) {
        if (filters.matches(message.topic())) {
            matched.increment();
            buffer.offer(new Published(publisher, message, node));
        }
    }

    @Override
    public void close() {
        buffer.closeAndCountLost(config.shutdownTimeout());
        database.close();
    }

    /** Inserts a batch in one transaction; isolates refused rows. */
    static final class Inserter implements Batcher.Sink<Published> {
        private final Database database;
        private final SqlTemplate sql;
        private final PluginMetrics.Counter rejected;
        private final Logger log;
        private boolean createTable;

        Inserter(Database database, SqlTemplate sql, boolean createTable, PluginMetrics.Counter rejected,
                 Logger log) {
            this.database = database;
            this.sql = sql;
            this.createTable = createTable;
            this.rejected = rejected;
            this.log = log;
        }

        @Override
        public void write(List<Published> batch) throws Exception {
            try (Connection c = database.connection()) {
                if (createTable) {
                    try (Statement st = c.createStatement()) {
                        st.execute(DEFAULT_TABLE);
                    }
                    createTable = false;
                }
                c.setAutoCommit(false);
                try (PreparedStatement ps = c.prepareStatement(sql.sql())) {
                    for (Published p : batch) {
                        sql.bind(ps, p);
                        ps.addBatch();
                    }
                    ps.executeBatch();
                    c.commit();
                } catch (SQLException e) {
                    c.rollback();
                    if (Database.transientFailure(e)) {
                        throw e;
                    }
                    rowByRow(c, batch, e);
                }
            }
        }

        /** The batch was refused: each row on its own, dropping (and counting) the ones refused again. */
        private void rowByRow(Connection c, List<Published> batch, SQLException first) throws SQLException {
            c.setAutoCommit(true);
            List<Published> failed = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(sql.sql())) {
                for (Published p : batch) {
                    try {
                        sql.bind(ps, p);
                        ps.executeUpdate();
                    } catch (SQLException e) {
                        if (Database.transientFailure(e)) {
                            throw e;   // the rows before are in: retrying them duplicates them (at least once)
                        }
                        failed.add(p);
                        if (failed.size() == 1) {
                            log.warn("PostgreSQL sink: the database refused a message of topic {}; dropped: {}",
                                    p.message().topic(), e.getMessage());
                        }
                    }
                }
            }
            rejected.add(failed.size());
            if (failed.size() > 1) {
                log.warn("PostgreSQL sink: {} message(s) of a batch of {} refused and dropped (first: {})",
                        failed.size(), batch.size(), first.getMessage());
            }
        }
    }
}
