package io.mast.postgres;

import io.mast.integration.Batcher;
import io.mast.plugin.ClientInfo;
import io.mast.postgres.OnlineStatusPlugin.Change;
import io.mast.postgres.OnlineStatusPlugin.Connected;
import io.mast.postgres.OnlineStatusPlugin.Disconnected;
import io.mast.postgres.OnlineStatusPlugin.NodeStarted;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import org.slf4j.Logger;

/**
 * Writes a batch of connects and disconnects in one transaction, in order: runs of the same kind go in one JDBC
 * batch. A connect upserts the client's row; a disconnect updates it only while it still describes that connection
 * (same node and connection time), so the late disconnect of a connection that was taken over leaves the new one
 * online; it also appends the ended connection to the history.
 */
final class StatusWriter implements Batcher.Sink<Change> {

    private final Database database;
    private final OnlineStatusPlugin.Config config;
    private final Logger log;
    private final String upsert;
    private final String offline;
    private final String append;
    private final String nodeStarted;
    private boolean tablesChecked;

    StatusWriter(Database database, OnlineStatusPlugin.Config config, Logger log) {
        this.database = database;
        this.config = config;
        this.log = log;
        String s = config.statusTable();
        this.upsert = "INSERT INTO " + s + " AS s (clientid, username, node, online, connected_at, disconnected_at,"
                + " peerhost, peerport, proto_ver, reason, updated_at) VALUES (?, ?, ?, true, ?, NULL, ?, ?, ?, NULL,"
                + " now()) ON CONFLICT (clientid) DO UPDATE SET username = EXCLUDED.username, node = EXCLUDED.node,"
                + " online = true, connected_at = EXCLUDED.connected_at, disconnected_at = NULL,"
                + " peerhost = EXCLUDED.peerhost, peerport = EXCLUDED.peerport, proto_ver = EXCLUDED.proto_ver,"
                + " reason = NULL, updated_at = now()"
                + " WHERE s.connected_at IS NULL OR s.connected_at <= EXCLUDED.connected_at";
        this.offline = "UPDATE " + s + " SET online = false, disconnected_at = ?, reason = ?, updated_at = now()"
                + " WHERE clientid = ? AND node = ? AND connected_at = ?";
        this.append = "INSERT INTO " + config.historyTable() + " (clientid, username, node, connected_at,"
                + " peerhost, peerport, proto_ver, disconnected_at, reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";
        this.nodeStarted = "UPDATE " + s + " SET online = false, disconnected_at = ?, reason = 'node_restarted',"
                + " updated_at = now() WHERE node = ? AND online";
    }

    /** The tables, as docs/integrations.md shows them. */
    static List<String> schema(String status, String history) {
        return List.of(
                "CREATE TABLE IF NOT EXISTS " + status + " (\n"
                        + "  clientid text PRIMARY KEY,\n"
                        + "  username text,\n"
                        + "  node text NOT NULL,\n"
                        + "  online boolean NOT NULL,\n"
                        + "  connected_at timestamptz,\n"
                        + "  disconnected_at timestamptz,\n"
                        + "  peerhost text,\n"
                        + "  peerport integer,\n"
                        + "  proto_ver smallint,\n"
                        + "  reason text,\n"
                        + "  updated_at timestamptz NOT NULL DEFAULT now()\n"
                        + ")",
                "CREATE TABLE IF NOT EXISTS " + history + " (\n"
                        + "  id bigserial PRIMARY KEY,\n"
                        + "  clientid text NOT NULL,\n"
                        + "  username text,\n"
                        + "  node text NOT NULL,\n"
                        + "  connected_at timestamptz NOT NULL,\n"
                        + "  disconnected_at timestamptz NOT NULL,\n"
                        + "  peerhost text,\n"
                        + "  peerport integer,\n"
                        + "  proto_ver smallint,\n"
                        + "  reason text\n"
                        + ")",
                "CREATE INDEX IF NOT EXISTS " + history.replace('.', '_') + "_clientid ON " + history
                        + " (clientid, connected_at)");
    }

    @Override
    public void write(List<Change> batch) throws Exception {
        try (Connection c = database.connection()) {
            c.setAutoCommit(false);
            try {
                if (!tablesChecked && config.createTables()) {
                    try (Statement st = c.createStatement()) {
                        for (String ddl : schema(config.statusTable(), config.historyTable())) {
                            st.execute(ddl);
                        }
                    }
                    c.commit();
                    log.info("Online status: tables {} and {} are ready", config.statusTable(),
                            config.historyTable());
                }
                tablesChecked = true;
                writeInOrder(c, batch);
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                throw e;
            }
        }
    }

    private void writeInOrder(Connection c, List<Change> batch) throws SQLException {
        try (PreparedStatement up = c.prepareStatement(upsert);
             PreparedStatement off = c.prepareStatement(offline);
             PreparedStatement hist = config.history() ? c.prepareStatement(append) : null;
             PreparedStatement started = c.prepareStatement(nodeStarted)) {
            Class<?> pending = null;
            for (Change change : batch) {
                if (pending != null && pending != change.getClass()) {
                    flush(pending, up, off, started);
                }
                pending = change.getClass();
                switch (change) {
                    case Connected con -> bindConnected(up, con);
                    case Disconnected dis -> {
                        ClientInfo client = dis.client();
                        off.setObject(1, time(dis.at()));
                        off.setString(2, dis.reason());
                        off.setString(3, client.clientId());
                        off.setString(4, dis.node());
                        off.setObject(5, time(client.connectedAt()));
                        off.addBatch();
                        if (hist != null) {
                            bindHistory(hist, dis);
                        }
                    }
                    case NodeStarted ns -> {
                        started.setObject(1, time(ns.at()));
                        started.setString(2, ns.node());
                        started.addBatch();
                    }
                }
            }
            if (pending != null) {
                flush(pending, up, off, started);
            }
            if (hist != null) {
                hist.executeBatch();
            }
        }
    }

    private static void flush(Class<?> kind, PreparedStatement up, PreparedStatement off, PreparedStatement started)
            throws SQLException {
        if (kind == Connected.class) {
            up.executeBatch();
        } else if (kind == Disconnected.class) {
            off.executeBatch();
        } else {
            started.executeBatch();
        }
    }

    private static void bindConnected(PreparedStatement ps, Connected con) throws SQLException {
        bindConnection(ps, con.client(), con.node());
        ps.addBatch();
    }

    private static void bindHistory(PreparedStatement ps, Disconnected dis) throws SQLException {
        bindConnection(ps, dis.client(), dis.node());
        ps.setObject(8, time(dis.at()));
        ps.setString(9, dis.reason());
        ps.addBatch();
    }

    /** Parameters 1 to 7 of the upsert and of the history: the connection. */
    private static void bindConnection(PreparedStatement ps, ClientInfo client, String node) throws SQLException {
        ps.setString(1, client.clientId());
        ps.setString(2, client.username());
        ps.setString(3, node);
        ps.setObject(4, time(client.connectedAt()));
        ps.setString(5, OnlineStatusPlugin.peerHost(client));
        peerPort(ps, 6, client);
        ps.setShort(7, (short) client.protocolVersion());
    }

    private static void peerPort(PreparedStatement ps, int index, ClientInfo client) throws SQLException {
        if (client.remoteAddress() == null) {
            ps.setNull(index, Types.INTEGER);
        } else {
            ps.setInt(index, client.remoteAddress().getPort());
        }
    }

    static OffsetDateTime time(long millis) {
        return OffsetDateTime.ofInstant(Instant.ofEpochMilli(millis), ZoneOffset.UTC);
    }
}
