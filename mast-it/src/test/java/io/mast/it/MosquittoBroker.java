package io.mast.it;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real Mosquitto broker from the Debian package, started by a test on free 127.0.0.1 ports with
 * {@code persistence false}: an independent broker to test Mast's client against. Only the process started here is
 * ever stopped, through its handle. When the binary is missing the test is skipped, or fails on CI
 * ({@link V311Clients#requireCommand}).
 *
 * <p>Mosquitto 2.0.11 (Debian 12) ignores the address of a WebSocket listener and binds every interface unless it
 * is given an interface name, so the WebSocket listener here is {@code listener <port> lo}, which binds loopback only.
 */
final class MosquittoBroker implements AutoCloseable {

    /** What to listen on besides plain MQTT on 127.0.0.1. */
    static final class Options {
        boolean websocket;
        Path caFile;
        Path certFile;
        Path keyFile;
        boolean requireClientCertificate;
        boolean websocketTls;
        boolean anonymous = true;
        final List<String> extra = new ArrayList<>();

        Options websocket() {
            websocket = true;
            return this;
        }

        /** A TLS listener with this CA, server certificate and key; optionally requiring client certificates. */
        Options tls(Path ca, Path cert, Path key, boolean requireClientCertificate) {
            this.caFile = ca;
            this.certFile = cert;
            this.keyFile = key;
            this.requireClientCertificate = requireClientCertificate;
            return this;
        }

        /** With {@link #tls}: also a WebSocket listener over TLS. */
        Options websocketTls() {
            websocketTls = true;
            return this;
        }

        /** Refuse clients without credentials (there is no password file: every client is refused). */
        Options noAnonymous() {
            anonymous = false;
            return this;
        }

        Options line(String configLine) {
            extra.add(configLine);
            return this;
        }
    }

    private static final Duration START = Duration.ofSeconds(10);

    private final Path binary;
    private final Path config;
    private final Path log;
    final int port;
    final int websocketPort;
    final int tlsPort;
    final int websocketTlsPort;
    private Process process;

    private MosquittoBroker(Path binary, Path dir, Options o) throws IOException {
        this.binary = binary;
        this.config = dir.resolve("mosquitto.conf");
        this.log = dir.resolve("mosquitto.log");
        port = freePort();
        websocketPort = o.websocket ? freePort() : -1;
        tlsPort = o.caFile != null ? freePort() : -1;
        websocketTlsPort = o.websocketTls ? freePort() : -1;
        List<String> c = new ArrayList<>(List.of(
                "persistence false",
                // Started as root, Mosquitto would switch to the user mosquitto, who cannot read the test's files.
                "user " + System.getProperty("user.name"),
                "allow_anonymous " + o.anonymous,
                "log_dest stdout",
                "log_type error",
                "log_type warning",
                "log_type notice",
                "log_type information",
                "listener " + port + " 127.0.0.1"));
        if (o.websocket) {
            c.add("listener " + websocketPort + " lo");
            c.add("protocol websockets");
        }
        if (o.caFile != null) {
            c.add("listener " + tlsPort + " 127.0.0.1");
            tls(c, o);
        }
        if (o.websocketTls) {
            c.add("listener " + websocketTlsPort + " lo");
            c.add("protocol websockets");
            tls(c, o);
        }
        c.addAll(o.extra);
        Files.write(config, c);
    }

    private static void tls(List<String> c, Options o) {
        c.add("cafile " + o.caFile);
        c.add("certfile " + o.certFile);
        c.add("keyfile " + o.keyFile);
        c.add("require_certificate " + o.requireClientCertificate);
    }

    /** The Mosquitto broker binary, or a skipped (failed on CI) test when it is not installed. */
    static Path binary() {
        Path sbin = Path.of("/usr/sbin/mosquitto");
        if (Files.isExecutable(sbin)) {
            return sbin;
        }
        return V311Clients.requireCommand("mosquitto");
    }

    /** Starts Mosquitto with its files in {@code dir}; waits until it accepts connections. */
    static MosquittoBroker start(Path dir, Options options) throws IOException, InterruptedException {
        MosquittoBroker m = new MosquittoBroker(binary(), dir, options);
        m.start();
        return m;
    }

    private void start() throws IOException, InterruptedException {
        process = new ProcessBuilder(binary.toString(), "-c", config.toString())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        long deadline = System.nanoTime() + START.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                fail("mosquitto exited with " + process.exitValue() + "; its log:\n" + log());
            }
            if (listening(port) && listening(websocketPort) && listening(tlsPort) && listening(websocketTlsPort)
                    && process.isAlive()) {
                return;
            }
            Thread.sleep(20);
        }
        fail("mosquitto did not listen on " + port + " within " + START + "; its log:\n" + log());
    }

    private static boolean listening(int port) {
        if (port < 0) {
            return true;
        }
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException notYet) {
            return false;
        }
    }

    /** Stops and starts Mosquitto again on the same ports: every connection breaks and, without persistence, every session is gone. */
    void restart() throws IOException, InterruptedException {
        stop();
        start();
    }

    /** What Mosquitto logged. */
    String log() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** {@code mqtt://127.0.0.1:port}. */
    String uri() {
        return "mqtt://127.0.0.1:" + port;
    }

    private void stop() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress("127.0.0.1", 0));
            return s.getLocalPort();
        }
    }
}
