package io.mast.it;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A fresh PostgreSQL database for a test class, on a real server ({@link PostgresServer}):
 *
 * <pre>{@code
 * @RegisterExtension
 * static final PostgresDatabase db = PostgresDatabase.shared();     // on the server all test classes share
 *
 * db.execute("CREATE TABLE t (a int)", "INSERT INTO t VALUES (1)");
 * db.query("SELECT a FROM t");            // [{a=1}]
 * db.url(), PostgresServer.USER, PostgresServer.PASSWORD   // for the plugin under test
 * }</pre>
 *
 * <p>{@link #shared()} puts the database on one server started for the whole test run (the first class that needs
 * it starts it; it is stopped when the run ends), so most classes pay for {@code initdb} once. A class that stops
 * or restarts the server (a database that goes down) takes {@link #ownServer()}, stopped and deleted after the class.
 * Register it as a static field; when another static extension needs the database as it starts (a broker whose
 * plugin reads it), give both an {@code @Order} so that the database comes first: JUnit does not order
 * {@code @RegisterExtension} fields by their place in the class.
 */
final class PostgresDatabase implements BeforeAllCallback, AfterAllCallback {

    private static final AtomicInteger COUNT = new AtomicInteger();
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(PostgresDatabase.class);

    private final boolean own;
    private PostgresServer server;
    private String name;

    private PostgresDatabase(boolean own) {
        this.own = own;
    }

    /** A database on the server shared by all test classes of the run. */
    static PostgresDatabase shared() {
        return new PostgresDatabase(false);
    }

    /** A database on a server of the class's own, which the tests may stop and restart. */
    static PostgresDatabase ownServer() {
        return new PostgresDatabase(true);
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        PostgresServer.binaries(); // skips the class (fails it on CI) when PostgreSQL is not installed
        if (own) {
            server = PostgresServer.start();
        } else {
            // The root context's store closes its AutoCloseable values when the whole run ends.
            server = context.getRoot().getStore(NAMESPACE).getOrComputeIfAbsent(PostgresServer.class, k -> {
                try {
                    return PostgresServer.start();
                } catch (Exception e) {
                    throw new IllegalStateException("PostgreSQL did not start", e);
                }
            }, PostgresServer.class);
        }
        name = context.getRequiredTestClass().getSimpleName().toLowerCase(Locale.ROOT) + "_" + COUNT.incrementAndGet();
        server.createDatabase(name);
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        if (own) {
            server.close();
        }
    }

    /** The server (to stop and restart it, with {@link #ownServer()}). */
    PostgresServer server() {
        return server;
    }

    /** The database's name. */
    String name() {
        return name;
    }

    /** The database's JDBC URL. */
    String url() {
        return server.jdbcUrl(name);
    }

    /** A new connection to the database; the caller closes it. */
    Connection connect() throws SQLException {
        return server.connect(name);
    }

    /** Runs statements, in order, each in its own transaction. */
    void execute(String... sql) throws SQLException {
        try (Connection c = connect(); Statement st = c.createStatement()) {
            for (String s : sql) {
                st.execute(s);
            }
        }
    }

    /** The rows of a query, each a map from column name to value, in the order of the columns. */
    List<Map<String, Object>> query(String sql) throws SQLException {
        try (Connection c = connect(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            ResultSetMetaData md = rs.getMetaData();
            List<Map<String, Object>> rows = new ArrayList<>();
            while (rs.next()) {
                Map<String, Object> row = new LinkedHashMap<>();
                for (int i = 1; i <= md.getColumnCount(); i++) {
                    row.put(md.getColumnLabel(i), rs.getObject(i));
                }
                rows.add(row);
            }
            return rows;
        }
    }
}
