package io.mast.auth.sql;

import java.time.Duration;
import java.util.Map;

/**
 * Where the database is and how to talk to it: the {@code database:} option of the SQL plugins.
 *
 * <pre>{@code
 * database:
 *   url: jdbc:postgresql://127.0.0.1:5432/mqtt
 *   username: mast
 *   password: secret
 *   pool_size: 8
 *   connect_timeout: 3s
 *   query_timeout: 3s
 * }</pre>
 *
 * @param url            the JDBC URL (required)
 * @param username       the database user, or {@code null} (then {@code url} or {@code properties} carry it)
 * @param password       its password, or {@code null}
 * @param poolSize       connections kept open (default 8); at most this many queries run at once, others wait
 * @param connectTimeout how long a query waits for a connection, opening one included (default 3s)
 * @param queryTimeout   how long a query may run before it is cancelled (default 3s)
 * @param driverClass    the JDBC driver's class, when the driver cannot be found from the URL alone
 * @param driverPath     a jar, or a folder of jars, where drivers other than PostgreSQL's are found (default
 *                       {@code plugins}, the broker's plugin folder)
 * @param properties     further connection properties for the driver ({@code sslmode: require} ...)
 */
public record Database(String url, String username, String password, Integer poolSize, Duration connectTimeout,
                       Duration queryTimeout, String driverClass, String driverPath, Map<String, String> properties) {

    public Database {
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException("database.url is required, e.g. jdbc:postgresql://127.0.0.1:5432/mqtt");
        }
        if (!url.startsWith("jdbc:")) {
            throw new IllegalArgumentException("database.url must be a JDBC URL (jdbc:...), got " + url);
        }
        poolSize = poolSize == null ? 8 : poolSize;
        if (poolSize < 1) {
            throw new IllegalArgumentException("database.pool_size must be at least 1, got " + poolSize);
        }
        connectTimeout = positive(connectTimeout, "connect_timeout");
        queryTimeout = positive(queryTimeout, "query_timeout");
        driverPath = driverPath == null ? "plugins" : driverPath;
        properties = properties == null ? Map.of() : Map.copyOf(properties);
    }

    private static Duration positive(Duration d, String name) {
        if (d == null) {
            return Duration.ofSeconds(3);
        }
        if (d.toMillis() < 250) {
            throw new IllegalArgumentException("database." + name + " must be at least 250ms, got " + d);
        }
        return d;
    }

    /** The URL as logs show it: without what follows {@code ?} (it may hold a password). */
    String safeUrl() {
        int q = url.indexOf('?');
        return q < 0 ? url : url.substring(0, q);
    }
}
