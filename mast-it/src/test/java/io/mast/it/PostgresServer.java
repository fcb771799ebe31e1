package io.mast.it;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * A real PostgreSQL server from Debian's {@code postgresql} package, started by a test on 127.0.0.1 on a free port
 * with a temporary data directory ({@code initdb}), and stopped by its PID.
 *
 * <p>PostgreSQL refuses to run as root, so when the tests run as root (CI) the server runs as the {@code postgres}
 * user the package creates: {@code setpriv} switches user and then executes {@code postgres} itself, so the process
 * this class started is the postmaster, and only that PID is ever signalled. The server has one role, {@link #USER}
 * with {@link #PASSWORD}, a superuser; TCP clients log in with SCRAM-SHA-256, and there is no Unix socket. Durability
 * is switched off ({@code fsync}, {@code synchronous_commit}): the data directory is thrown away anyway.
 *
 * <p>When the package is missing the test is skipped, or fails on CI ({@code CI=true}), where {@code .ci/run}
 * installs it. Most tests share one server ({@link PostgresDatabase#shared()}); a test that stops the database takes
 * a server of its own ({@link PostgresDatabase#ownServer()}).
 */
final class PostgresServer implements AutoCloseable {

    /** The role tests and plugins log in as (a superuser). */
    static final String USER = "mast";
    /** Its password. */
    static final String PASSWORD = "mast-test-pw";

    private static final Duration START = Duration.ofSeconds(60);
    private static final Duration STOP = Duration.ofSeconds(20);

    private final Path bin;
    private final Path dir;
    private final Path data;
    private final Path log;
    private final Thread shutdownHook = new Thread(this::stopQuietly, "stop postgres");
    private int port;
    private Process process;

    private PostgresServer(Path bin, Path dir) {
        this.bin = bin;
        this.dir = dir;
        this.data = dir.resolve("data");
        this.log = dir.resolve("postgres.log");
    }

    /** Creates a data directory in a new temporary folder and starts a server on a free port. */
    public static PostgresServer start() throws IOException, InterruptedException {
        Path bin = binaries();
        Path dir = Files.createTempDirectory("mast-pg-", PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwxr-xr-x")));
        PostgresServer s = new PostgresServer(bin, dir);
        try {
            s.initdb();
            s.port = MosquittoBroker.freePort();
            // Should the JVM end before the test closes it, the server is stopped all the same.
            Runtime.getRuntime().addShutdownHook(s.shutdownHook);
            s.startProcess();
        } catch (IOException | InterruptedException | RuntimeException | AssertionError e) {
            s.close();
            throw e;
        }
        return s;
    }

    /** The folder of {@code initdb} and {@code postgres}: Debian's newest {@code /usr/lib/postgresql/<version>/bin}. */
    static Path binaries() {
        Path root = Path.of("/usr/lib/postgresql");
        if (Files.isDirectory(root)) {
            try (Stream<Path> versions = Files.list(root)) {
                Path bin = versions.map(v -> v.resolve("bin"))
                        .filter(b -> Files.isExecutable(b.resolve("postgres")) && Files.isExecutable(b.resolve("initdb")))
                        .max(Comparator.comparingInt(b -> version(b.getParent().getFileName().toString())))
                        .orElse(null);
                if (bin != null) {
                    return bin;
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        String why = "PostgreSQL is not installed (Debian: apt-get install postgresql)";
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            fail(why + "; CI must run the tests that need it");
        }
        Assumptions.abort(why + ": skipping");
        return null;
    }

    private static int version(String name) {
        try {
            return Integer.parseInt(name);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static boolean root() {
        return "root".equals(System.getProperty("user.name"));
    }

    /** The command, run as the postgres user when this JVM is root. */
    private List<String> command(String program, String... args) {
        List<String> c = new ArrayList<>();
        if (root()) {
            c.addAll(List.of("setpriv", "--reuid=postgres", "--regid=postgres", "--init-groups"));
        }
        c.add(bin.resolve(program).toString());
        c.addAll(List.of(args));
        return c;
    }

    private ProcessBuilder builder(List<String> command) {
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        pb.environment().put("HOME", dir.toString());
        pb.environment().put("LC_ALL", "C");
        return pb;
    }

    private void initdb() throws IOException, InterruptedException {
        Path pwfile = dir.resolve("pwfile");
        Files.writeString(pwfile, PASSWORD + "\n");
        Files.createFile(log);
        if (root()) {
            UserPrincipalLookupService users = dir.getFileSystem().getUserPrincipalLookupService();
            for (Path p : List.of(dir, pwfile, log)) {
                Files.setOwner(p, users.lookupPrincipalByName("postgres"));
            }
        }
        Process p = builder(command("initdb", "-D", data.toString(), "-U", USER, "--pwfile=" + pwfile,
                "--auth-local=trust", "--auth-host=scram-sha-256", "-E", "UTF8", "--no-locale", "--no-sync",
                "--no-instructions")).start();
        if (!p.waitFor(START.toSeconds(), TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("initdb did not finish within " + START + "; its output:\n" + log());
        }
        if (p.exitValue() != 0) {
            fail("initdb exited with " + p.exitValue() + "; its output:\n" + log());
        }
    }

    private void startProcess() throws IOException, InterruptedException {
        process = builder(command("postgres", "-D", data.toString(), "-p", Integer.toString(port),
                "-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories=", "-c", "max_connections=200",
                "-c", "shared_buffers=32MB", "-c", "fsync=off", "-c", "synchronous_commit=off",
                "-c", "full_page_writes=off", "-c", "logging_collector=off")).start();
        long deadline = System.nanoTime() + START.toNanos();
        SQLException last = null;
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                fail("postgres exited with " + process.exitValue() + "; its log:\n" + log());
            }
            try (Connection c = connect("postgres")) {
                return;
            } catch (SQLException notYet) {
                last = notYet;
            }
            Thread.sleep(50);
        }
        fail("postgres did not accept connections on 127.0.0.1:" + port + " within " + START + " (" + last
                + "); its log:\n" + log());
    }

    /** The port it listens on, on 127.0.0.1. */
    public int port() {
        return port;
    }

    /** The data directory. */
    Path dataDirectory() {
        return data;
    }

    /** The PID of the postmaster, or -1 when it is stopped. */
    public long pid() {
        return process != null && process.isAlive() ? process.pid() : -1;
    }

    /** {@code jdbc:postgresql://127.0.0.1:<port>/<database>}. */
    public String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    /** A new connection to a database as {@link #USER}; the caller closes it. */
    public Connection connect(String database) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", USER);
        p.setProperty("password", PASSWORD);
        p.setProperty("connectTimeout", "5");
        return DriverManager.getConnection(jdbcUrl(database), p);
    }

    /** Creates a database. */
    public void createDatabase(String name) throws SQLException {
        try (Connection c = connect("postgres"); var st = c.createStatement()) {
            st.execute("CREATE DATABASE \"" + name + "\"");
        }
    }

    /**
     * Stops the server (fast shutdown: open connections are closed, as when a database server goes down) and waits
     * until the process has exited. Its data stays: {@link #restart()} brings it back on the same port.
     */
    public void stop() throws IOException, InterruptedException {
        if (process == null || !process.isAlive()) {
            return;
        }
        signal("INT");
        if (!process.waitFor(STOP.toSeconds(), TimeUnit.SECONDS)) {
            signal("QUIT");
            if (!process.waitFor(STOP.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(STOP.toSeconds(), TimeUnit.SECONDS);
            }
        }
    }

    /** Sends a signal to the postmaster this object started, by its PID. */
    private void signal(String name) throws IOException, InterruptedException {
        new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start()
                .waitFor(STOP.toSeconds(), TimeUnit.SECONDS);
    }

    /** Starts the stopped server again on the same port with the same data. */
    public void restart() throws IOException, InterruptedException {
        stop();
        startProcess();
    }

    /** What the server logged. */
    public String log() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private void stopQuietly() {
        try {
            stop();
        } catch (IOException | InterruptedException e) {
            if (process != null) {
                process.destroyForcibly();
            }
        }
    }

    /** Stops the server and deletes its folder. */
    @Override
    public void close() throws IOException, InterruptedException {
        try {
            stop();
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException | IllegalArgumentException shuttingDownOrNotAdded) {
                // nothing to remove
            }
            BuiltinFiles.delete(dir);
        }
    }
}
