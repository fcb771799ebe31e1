package io.mast.it;

import static io.mast.it.V311Clients.requireCommand;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.mast.cli.Main;
import io.mast.it.V311Clients.Command;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code mast pub} and {@code mast sub} with {@code mosquitto_sub} and {@code mosquitto_pub} on the other end, on a
 * real Mosquitto: both directions, every QoS, lines from standard input, {@code --url}, MQTT 5.0 properties with
 * {@code -D}, TLS options, and Mosquitto's messages and exit codes. The commands run in this JVM through
 * {@link Main#run} (standard streams swapped), and once from the packaged jar.
 */
class PubSubCommandsIT {

    static final Duration RUN = Duration.ofSeconds(10);

    @TempDir
    static Path dir;
    static TestCertificates certs;
    static MosquittoBroker mosquitto;

    @BeforeAll
    static void start() throws Exception {
        requireCommand("mosquitto_sub");
        certs = TestCertificates.create(dir);
        mosquitto = MosquittoBroker.start(dir, new MosquittoBroker.Options().websocket()
                .tls(certs.caCert, certs.serverCert, certs.serverKey, true));
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (mosquitto != null) {
            mosquitto.close();
        }
    }

    /** What a command printed, and its exit code. */
    record Result(int exit, String out, String err) {
        List<String> lines() {
            return out.lines().toList();
        }
    }

    /** A mast command running in this JVM with its own standard streams. */
    static final class Mast {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        final CompletableFuture<Integer> exit = new CompletableFuture<>();

        String out() {
            return out.toString(StandardCharsets.UTF_8);
        }

        Result await() throws Exception {
            int code = exit.get(RUN.toMillis(), TimeUnit.MILLISECONDS);
            return new Result(code, out(), err.toString(StandardCharsets.UTF_8));
        }
    }

    /** Starts a mast command in the background; only one runs at a time (the streams are the JVM's). */
    static synchronized Mast start(String stdin, String... args) {
        Mast m = new Mast();
        Thread.ofPlatform().daemon().name("mast " + args[0]).start(() -> {
            PrintStream out = System.out;
            PrintStream err = System.err;
            InputStream in = System.in;
            System.setOut(new PrintStream(m.out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(m.err, true, StandardCharsets.UTF_8));
            System.setIn(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
            int code = -1;
            Throwable failure = null;
            try {
                code = Main.run(args);
            } catch (Throwable t) {
                failure = t;
            } finally {
                System.setOut(out);
                System.setErr(err);
                System.setIn(in);
            }
            // Only now, with the streams given back, may the next command start.
            if (failure != null) {
                m.exit.completeExceptionally(failure);
            } else {
                m.exit.complete(code);
            }
        });
        return m;
    }

    static Result mast(String... args) throws Exception {
        return start("", args).await();
    }

    static String port() {
        return Integer.toString(mosquitto.port);
    }

    /**
     * mosquitto_sub with debug output, returned once subscribed. Its standard output is a pipe, which the C library
     * would buffer until exit: {@code stdbuf -oL} makes it line-buffered, so the test sees SUBACK as it happens.
     */
    static Proc mosquittoSub(int port, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("stdbuf", "-oL", requireCommand("mosquitto_sub").toString(),
                "-h", "127.0.0.1", "-p", Integer.toString(port), "-d", "-W", Long.toString(RUN.toSeconds())));
        cmd.addAll(List.of(args));
        Proc p = new Proc(cmd);
        await().atMost(RUN).until(() -> p.output().stream().anyMatch(l -> l.contains("received SUBACK")));
        return p;
    }

    static Proc mosquittoSub(String... args) throws Exception {
        return mosquittoSub(mosquitto.port, args);
    }

    static void mosquittoPub(String... args) throws Exception {
        try (Command c = Command.start(requireCommand("mosquitto_pub"), mosquitto.port, List.of(args))) {
            c.awaitSuccess(RUN);
        }
    }

    /** A process this test started, its output collected line by line; closing kills it if still running. */
    static final class Proc implements AutoCloseable {
        private final Process process;
        private final List<String> lines = new java.util.concurrent.CopyOnWriteArrayList<>();
        private final Thread reader;

        Proc(List<String> command) throws java.io.IOException {
            process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
            reader = Thread.ofPlatform().daemon().start(() -> {
                try (java.io.BufferedReader r = process.inputReader(StandardCharsets.UTF_8)) {
                    String line;
                    while ((line = r.readLine()) != null) {
                        lines.add(line);
                    }
                } catch (java.io.IOException e) {
                    // the process ended
                }
            });
        }

        List<String> output() {
            return List.copyOf(lines);
        }

        /** Waits for a successful exit and returns the output. */
        List<String> awaitSuccess(Duration timeout) throws InterruptedException {
            boolean exited = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(exited).as("exited within %s; output: %s", timeout, lines).isTrue();
            reader.join(timeout.toMillis());
            assertThat(process.exitValue()).as("exit code; output: %s", lines).isZero();
            return output();
        }

        @Override
        public void close() throws InterruptedException {
            if (process.isAlive()) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void mastPubToMosquittoSubAtEveryQos() throws Exception {
        try (Proc sub = mosquittoSub("-t", "cli/pub/#", "-q", "2", "-v", "-C", "3")) {
            for (int q = 0; q <= 2; q++) {
                Result r = mast("pub", "-h", "127.0.0.1", "-p", port(), "-t", "cli/pub/q" + q, "-m", "at qos " + q,
                        "-q", Integer.toString(q), "-i", "mast-pub-" + q);
                assertThat(r.exit()).as("exit code; stderr: %s", r.err()).isZero();
                assertThat(r.err()).isEmpty();
            }
            List<String> out = sub.awaitSuccess(RUN);
            assertThat(out).contains("cli/pub/q0 at qos 0", "cli/pub/q1 at qos 1", "cli/pub/q2 at qos 2");
            for (int q = 0; q <= 2; q++) {
                int qos = q;
                assertThat(out).anyMatch(l -> l.contains("received PUBLISH (d0, q" + qos + ", r0,"));
            }
        }
    }

    @Test
    void mosquittoPubToMastSubAtEveryQos() throws Exception {
        Mast sub = start("", "sub", "-h", "127.0.0.1", "-p", port(), "-t", "cli/sub/#", "-q", "2", "-v", "-C", "3",
                "-d", "-i", "mast-sub");
        await().atMost(RUN).until(() -> sub.out().contains("received SUBACK"));
        for (int q = 0; q <= 2; q++) {
            mosquittoPub("-t", "cli/sub/q" + q, "-m", "from mosquitto " + q, "-q", Integer.toString(q));
        }
        Result r = sub.await();
        assertThat(r.exit()).as("exit code; stderr: %s", r.err()).isZero();
        assertThat(r.lines()).contains("cli/sub/q0 from mosquitto 0", "cli/sub/q1 from mosquitto 1",
                "cli/sub/q2 from mosquitto 2");
        assertThat(r.lines()).anyMatch(l -> l.startsWith("Client mast-sub received PUBLISH (d0, q2, r0, m"));
        assertThat(r.lines()).contains("Client mast-sub sending DISCONNECT");
    }

    @Test
    void linesFromStandardInputArePublishedInOrder() throws Exception {
        int n = 200;
        String input = IntStream.range(0, n).mapToObj(i -> "line " + i).reduce("", (a, b) -> a + b + "\n");
        try (Proc sub = mosquittoSub("-t", "cli/lines", "-q", "1", "-C", Integer.toString(n))) {
            Result r = start(input, "pub", "-h", "127.0.0.1", "-p", port(), "-t", "cli/lines", "-l", "-q", "1").await();
            assertThat(r.exit()).as("stderr: %s", r.err()).isZero();
            List<String> payloads = sub.awaitSuccess(RUN).stream().filter(l -> l.startsWith("line ")).toList();
            assertThat(payloads).containsExactlyElementsOf(IntStream.range(0, n).mapToObj(i -> "line " + i).toList());
        }
    }

    @Test
    void urlWithCredentialsAndTopicAndV5PropertiesWithD() throws Exception {
        try (Proc sub = mosquittoSub("-V", "5", "-t", "cli/url/#", "-C", "1", "-F", "%t|%p|%P|%C")) {
            Result r = mast("pub", "--url", "mqtt://someone:secret@127.0.0.1:" + port() + "/cli/url/topic", "-V", "5",
                    "-q", "1", "-m", "via url", "-D", "publish", "user-property", "unit", "celsius",
                    "-D", "publish", "content-type", "text/plain", "-D", "connect", "session-expiry-interval", "0");
            assertThat(r.exit()).as("stderr: %s", r.err()).isZero();
            assertThat(sub.awaitSuccess(RUN)).contains("cli/url/topic|via url|unit:celsius|text/plain");
        }
    }

    @Test
    void pubOverWebSocketWithAWsUrl() throws Exception {
        try (Proc sub = mosquittoSub("-t", "cli/ws", "-C", "1", "-q", "1")) {
            Result r = mast("pub", "--url", "ws://127.0.0.1:" + mosquitto.websocketPort + "/mqtt", "-t", "cli/ws",
                    "-m", "over WebSocket", "-q", "1", "-V", "5");
            assertThat(r.exit()).as("stderr: %s", r.err()).isZero();
            assertThat(sub.awaitSuccess(RUN)).contains("over WebSocket");
        }
    }

    @Test
    void tlsOptionsTalkToMosquittosTlsListener() throws Exception {
        String tlsPort = Integer.toString(mosquitto.tlsPort);
        Mast sub = start("", "sub", "-h", "127.0.0.1", "-p", tlsPort, "--cafile", certs.caCert.toString(),
                "--cert", certs.clientCert.toString(), "--key", certs.clientKey.toString(), "-t", "cli/tls",
                "-C", "2", "-d");
        await().atMost(RUN).until(() -> sub.out().contains("received SUBACK"));
        try (Command pub = Command.start(requireCommand("mosquitto_pub"), mosquitto.tlsPort, List.of("-t", "cli/tls",
                "-m", "from mosquitto over TLS", "--cafile", certs.caCert.toString(), "--cert",
                certs.clientCert.toString(), "--key", certs.clientKey.toString(), "--insecure"))) {
            pub.awaitSuccess(RUN);
        }
        Result p = mast("pub", "-h", "127.0.0.1", "-p", tlsPort, "--cafile", certs.caCert.toString(),
                "--cert", certs.clientCert.toString(), "--key", certs.clientKey.toString(), "-t", "cli/tls",
                "-m", "from mast over TLS", "-q", "1");
        assertThat(p.exit()).as("stderr: %s", p.err()).isZero();
        Result r = sub.await();
        assertThat(r.exit()).as("stderr: %s", r.err()).isZero();
        assertThat(r.lines()).contains("from mosquitto over TLS", "from mast over TLS");
    }

    @Test
    void subTimesOutWithExitCode27LikeMosquittoSub() throws Exception {
        Result r = mast("sub", "-h", "127.0.0.1", "-p", port(), "-t", "cli/nothing", "-W", "1");
        assertThat(r.exit()).isEqualTo(27);
        assertThat(r.err()).isEqualTo("Timed out\n");
        assertThat(r.out()).isEmpty();
    }

    @Test
    void refusedConnectionsPrintTheReasonAndExitWithTheReturnCode(@TempDir Path own) throws Exception {
        try (MosquittoBroker closed = MosquittoBroker.start(own, new MosquittoBroker.Options().noAnonymous())) {
            String p = Integer.toString(closed.port);
            Result v3 = mast("pub", "-h", "127.0.0.1", "-p", p, "-t", "t", "-m", "m");
            assertThat(v3.exit()).isEqualTo(5);
            assertThat(v3.err()).isEqualTo("Connection error: Connection Refused: not authorised.\n");
            Result v5 = mast("sub", "-h", "127.0.0.1", "-p", p, "-t", "t", "-V", "mqttv5");
            assertThat(v5.exit()).isEqualTo(135);
            assertThat(v5.err()).isEqualTo("Connection error: Not authorized\n");
        }
        Result none = mast("pub", "-h", "127.0.0.1", "-p", Integer.toString(MosquittoBroker.freePort()), "-t", "t",
                "-m", "m");
        assertThat(none.exit()).isEqualTo(1);
        assertThat(none.err()).isEqualTo("Error: Connection refused\n");
    }

    @Test
    void usageErrorsAreWordedAsMosquittosAndExit1() throws Exception {
        Result topic = mast("pub", "-t", "a/#", "-m", "x");
        assertThat(topic.exit()).isEqualTo(1);
        assertThat(topic.err()).isEqualTo("Error: Invalid publish topic 'a/#', does it contain '+' or '#'?\n"
                + "Use 'mast pub --help' to see usage.\n");
        assertThat(mast("pub", "-t", "a").err()).startsWith("Error: Both topic and message must be supplied.");
        assertThat(mast("pub", "-t", "a", "-m", "x", "-n").err()).startsWith("Error: Only one type of message");
        Result v3props = mast("pub", "-t", "a", "-m", "x", "-D", "publish", "content-type", "text/plain");
        assertThat(v3props.exit()).isEqualTo(1);
        assertThat(v3props.err()).startsWith("Error: --property argument given but protocol version is not v5");
        assertThat(mast("sub", "-V", "5", "-t", "a", "-D", "publish", "colour", "red").err())
                .startsWith("Error: Invalid property name colour");
        assertThat(mast("sub", "-c", "-t", "a").err())
                .startsWith("Error: You must provide a client id if you are using the -c option.");
        Result unknown = mast("sub", "--bogus");
        assertThat(unknown.exit()).isEqualTo(1);
        assertThat(unknown.err()).contains("Unknown option: '--bogus'").contains("Use 'mast sub --help' to see usage.");
    }

    @Test
    void thePackagedCommandSubscribesAndPrints() throws Exception {
        try (MastProcess sub = MastProcess.start("sub", "-h", "127.0.0.1", "-p", port(), "-t", "cli/jar", "-C", "1",
                "-v", "-d")) {
            await().atMost(RUN).until(() -> sub.output.stream().anyMatch(l -> l.contains("received SUBACK")));
            mosquittoPub("-t", "cli/jar", "-m", "to the jar", "-q", "1");
            assertThat(sub.awaitExit(RUN)).isZero();
            assertThat(sub.outputAfterExit()).contains("cli/jar to the jar");
        }
    }
}
