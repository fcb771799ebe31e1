package io.mast.postgres;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;

/**
 * The connection pool of a PostgreSQL plugin (HikariCP with the PostgreSQL driver). The pool starts without a
 * connection, so a database that is down at startup does not stop the broker: writes wait in the plugin's buffer
 * and are retried. Text parameters are sent untyped ({@code stringtype=unspecified}), so PostgreSQL reads a template's
 * text as the column's type (integer, jsonb, timestamptz ...), and batched inserts are rewritten into multi-row
 * inserts ({@code reWriteBatchedInserts}).
 */
final class Database implements AutoCloseable {

    private final HikariDataSource pool;

    Database(String url, Optional<String> username, Optional<String> password, int poolSize,
             Duration connectTimeout, String name) {
        if (!url.startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException("url: expected a PostgreSQL JDBC URL such as "
                    + "jdbc:postgresql://db:5432/mqtt, got " + url);
        }
        HikariConfig c = new HikariConfig();
        c.setJdbcUrl(url);
        username.ifPresent(c::setUsername);
        password.ifPresent(c::setPassword);
        c.setMaximumPoolSize(Math.max(1, poolSize));
        c.setMinimumIdle(0);
        c.setPoolName(name);
        c.setConnectionTimeout(Math.max(250, connectTimeout.toMillis()));
        c.setInitializationFailTimeout(-1);   // do not connect at startup: the database may come later
        c.addDataSourceProperty("stringtype", "unspecified");
        c.addDataSourceProperty("reWriteBatchedInserts", "true");
        c.addDataSourceProperty("connectTimeout", Long.toString(Math.max(1, connectTimeout.toSeconds())));
        c.addDataSourceProperty("ApplicationName", "mast " + name);
        this.pool = new HikariDataSource(c);
    }

    Connection connection() throws SQLException {
        return pool.getConnection();
    }

    /**
     * Whether a failure may pass by retrying: no connection (08), too many connections or no space (53), the server
     * shutting down (57), a serialization failure or deadlock (40), or no SQL state at all (the pool's timeout).
     */
    static boolean transientFailure(SQLException e) {
        String state = e.getSQLState();
        return state == null || state.startsWith("08") || state.startsWith("53") || state.startsWith("57")
                || state.startsWith("40");
    }

    @Override
    public void close() {
        pool.close();
    }
}
