package io.mast.auth.sql;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.mast.plugin.PluginContext;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.ServiceLoader;
import java.util.logging.Logger;
import java.util.stream.Stream;
import javax.sql.DataSource;

/**
 * A plugin's connections to its database: a HikariCP pool of {@link Database#poolSize()} connections, opened with the
 * JDBC driver that accepts the URL. The PostgreSQL driver is on the class path; another database's driver is found in
 * the jars of {@link Database#driverPath()} (a driver jar dropped into the broker's {@code plugins} folder), by its
 * {@code META-INF/services/java.sql.Driver} entry or by {@link Database#driverClass()}.
 *
 * <p>The pool starts even when the database is down, and connects when it comes back: until then, each query waits up
 * to {@link Database#connectTimeout()} and fails, and the plugin's {@code failed_action} decides.
 */
final class Pool implements AutoCloseable {

    private final HikariDataSource dataSource;
    private final URLClassLoader driverLoader;

    private Pool(HikariDataSource dataSource, URLClassLoader driverLoader) {
        this.dataSource = dataSource;
        this.driverLoader = driverLoader;
    }

    /**
     * Opens the pool and tries one connection, logging whether the database answers.
     *
     * @throws IllegalArgumentException when no driver accepts the URL
     */
    static Pool open(Database db, PluginContext context) {
        URLClassLoader loader = driverLoader(Path.of(db.driverPath()), Pool.class.getClassLoader());
        Driver driver;
        try {
            driver = driver(db, loader);
        } catch (RuntimeException e) {
            close(loader);
            throw e;
        }
        Properties props = new Properties();
        props.putAll(db.properties());
        if (db.username() != null) {
            props.setProperty("user", db.username());
        }
        if (db.password() != null) {
            props.setProperty("password", db.password());
        }
        if (db.url().startsWith("jdbc:postgresql:")) {
            long seconds = Math.max(1, (db.connectTimeout().toMillis() + 999) / 1000);
            props.putIfAbsent("connectTimeout", Long.toString(seconds));
            props.putIfAbsent("ApplicationName", "mast " + context.pluginName());
        }
        HikariConfig hc = new HikariConfig();
        hc.setPoolName("mast-" + context.pluginName().substring(context.pluginName().lastIndexOf('.') + 1));
        hc.setDataSource(new DriverSource(driver, db.url(), props));
        hc.setMaximumPoolSize(db.poolSize());
        hc.setMinimumIdle(db.poolSize());
        hc.setConnectionTimeout(db.connectTimeout().toMillis());
        hc.setValidationTimeout(db.connectTimeout().toMillis());
        hc.setInitializationFailTimeout(-1); // start without the database; connect when it answers
        HikariDataSource ds = new HikariDataSource(hc);
        Pool pool = new Pool(ds, loader);
        context.metrics().gauge("pool.active", () -> ds.getHikariPoolMXBean() == null ? 0
                : ds.getHikariPoolMXBean().getActiveConnections());
        context.metrics().gauge("pool.idle", () -> ds.getHikariPoolMXBean() == null ? 0
                : ds.getHikariPoolMXBean().getIdleConnections());
        context.metrics().gauge("pool.waiting", () -> ds.getHikariPoolMXBean() == null ? 0
                : ds.getHikariPoolMXBean().getThreadsAwaitingConnection());
        try (Connection c = ds.getConnection()) {
            context.logger().info("Connected to {} ({} connections)", db.safeUrl(), db.poolSize());
        } catch (SQLException e) {
            context.logger().warn("Cannot reach the database {} now ({}); until it answers, each decision that needs "
                    + "it counts as the plugin's failed_action", db.safeUrl(), e.getMessage());
        }
        return pool;
    }

    /** A class loader over the jars of a folder (or one jar), or {@code null} when there are none. */
    private static URLClassLoader driverLoader(Path path, ClassLoader parent) {
        List<URL> jars = new ArrayList<>();
        try {
            if (Files.isDirectory(path)) {
                try (Stream<Path> files = Files.list(path)) {
                    for (Path p : files.filter(f -> f.toString().endsWith(".jar")).sorted().toList()) {
                        jars.add(p.toUri().toURL());
                    }
                }
            } else if (Files.isRegularFile(path)) {
                jars.add(path.toUri().toURL());
            }
        } catch (MalformedURLException e) {
            throw new IllegalArgumentException("database.driver_path: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read database.driver_path " + path + ": " + e.getMessage(), e);
        }
        return jars.isEmpty() ? null : new URLClassLoader("jdbc-drivers", jars.toArray(URL[]::new), parent);
    }

    private static Driver driver(Database db, URLClassLoader jars) {
        ClassLoader loader = jars != null ? jars : Pool.class.getClassLoader();
        if (db.driverClass() != null) {
            try {
                Driver d = (Driver) Class.forName(db.driverClass(), true, loader).getDeclaredConstructor()
                        .newInstance();
                if (!d.acceptsURL(db.url())) {
                    throw new IllegalArgumentException("the driver " + db.driverClass() + " does not accept "
                            + db.safeUrl());
                }
                return d;
            } catch (ClassNotFoundException e) {
                throw new IllegalArgumentException("database.driver_class " + db.driverClass() + " not found in the "
                        + "class path or in the jars of " + db.driverPath(), e);
            } catch (ReflectiveOperationException | ClassCastException | SQLException e) {
                throw new IllegalArgumentException("cannot load database.driver_class " + db.driverClass() + ": " + e,
                        e);
            }
        }
        try {
            return DriverManager.getDriver(db.url());
        } catch (SQLException notOnClassPath) {
            // look in the jars of the driver path
        }
        for (Driver d : ServiceLoader.load(Driver.class, loader)) {
            try {
                if (d.acceptsURL(db.url())) {
                    return d;
                }
            } catch (SQLException e) {
                // not this one
            }
        }
        throw new IllegalArgumentException("no JDBC driver accepts " + db.safeUrl() + ": the PostgreSQL driver is "
                + "included; put another database's driver jar into " + db.driverPath() + " (database.driver_path)");
    }

    DataSource dataSource() {
        return dataSource;
    }

    @Override
    public void close() {
        dataSource.close();
        close(driverLoader);
    }

    private static void close(URLClassLoader loader) {
        if (loader != null) {
            try {
                loader.close();
            } catch (IOException ignored) {
                // the jars stay open until the JVM ends
            }
        }
    }

    /** Connections from a driver and a URL: what HikariCP pools. */
    private record DriverSource(Driver driver, String url, Properties props) implements DataSource {
        @Override
        public Connection getConnection() throws SQLException {
            Connection c = driver.connect(url, props);
            if (c == null) {
                throw new SQLException("the driver " + driver.getClass().getName() + " does not accept the URL");
            }
            return c;
        }

        @Override
        public Connection getConnection(String username, String password) throws SQLException {
            Properties p = new Properties();
            p.putAll(props);
            p.setProperty("user", username);
            p.setProperty("password", password);
            return driver.connect(url, p);
        }

        @Override
        public PrintWriter getLogWriter() {
            return null;
        }

        @Override
        public void setLogWriter(PrintWriter out) {
        }

        @Override
        public void setLoginTimeout(int seconds) {
        }

        @Override
        public int getLoginTimeout() {
            return 0;
        }

        @Override
        public Logger getParentLogger() throws SQLFeatureNotSupportedException {
            throw new SQLFeatureNotSupportedException();
        }

        @Override
        public <T> T unwrap(Class<T> iface) throws SQLException {
            throw new SQLException("not a wrapper");
        }

        @Override
        public boolean isWrapperFor(Class<?> iface) {
            return false;
        }
    }
}
