package io.mast.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

import io.mast.broker.routing.MatchVisitor;
import io.mast.broker.routing.SharedGroup;
import io.mast.broker.routing.SubscriptionEntry;
import io.mast.broker.session.Session;
import io.mast.codec.MqttProperties;
import io.mast.codec.MqttVersion;
import io.mast.codec.Qos;
import io.mast.codec.ReasonCode;
import io.mast.codec.packet.ConnAck;
import io.mast.codec.packet.Connect;
import io.mast.codec.packet.Publish;
import io.mast.codec.packet.SubAck;
import io.mast.codec.packet.Subscribe;
import io.mast.codec.packet.Subscription;
import io.mast.codec.packet.Will;
import io.mast.testkit.MastBrokerExtension;
import io.mast.testkit.RawMqttClient;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Assumptions;

/**
 * What the MQTT 3.1.1 integration tests share to talk to the embedded broker: Paho clients that collect what they
 * receive, raw clients for the flows a library hides, the {@code mosquitto_pub}/{@code mosquitto_sub} commands, and
 * waits on the broker's own state. Every wait here is bounded.
 */
final class V311Clients {

    /** How long anything that should happen may take. */
    static final Duration TIMEOUT = Duration.ofSeconds(5);

    private V311Clients() {
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    // ---- Paho (MQTT 3.1.1) ----

    /** A message a Paho client received. */
    record Received(String topic, String payload, int qos, boolean retained, boolean dup) {
    }

    /** Paho connect options for MQTT 3.1.1, without automatic reconnect. */
    static MqttConnectOptions options(boolean cleanSession) {
        MqttConnectOptions o = new MqttConnectOptions();
        o.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        o.setCleanSession(cleanSession);
        o.setAutomaticReconnect(false);
        o.setConnectionTimeout((int) TIMEOUT.toSeconds());
        o.setKeepAliveInterval(30);
        // Paho counts a publish as in flight a little after its token completed: with its default of 10, quick
        // sequential publishes fail with "too many publishes in progress".
        o.setMaxInflight(1000);
        return o;
    }

    /** Connects a Paho 3.1.1 client. */
    static Paho paho(MastBrokerExtension broker, String clientId, boolean cleanSession) throws MqttException {
        return paho(broker, clientId, options(cleanSession));
    }

    /** Connects a Paho client with these options. */
    static Paho paho(MastBrokerExtension broker, String clientId, MqttConnectOptions options) throws MqttException {
        Paho p = new Paho(broker.uri(), clientId);
        try {
            p.connect(options);
        } catch (MqttException | RuntimeException e) {
            p.close();
            throw e;
        }
        return p;
    }

    /** A Paho MQTT 3.1.1 client that queues every message it receives (its callback, not per-subscription listeners). */
    static final class Paho implements AutoCloseable, MqttCallback {
        final MqttClient client;
        private final BlockingQueue<Received> inbox = new LinkedBlockingQueue<>();
        private final CountDownLatch lost = new CountDownLatch(1);
        private boolean sessionPresent;

        /** A client that is not yet connected (for tests of the connection itself). */
        Paho(String uri, String clientId) throws MqttException {
            client = new MqttClient(uri, clientId, new MemoryPersistence());
            client.setTimeToWait(TIMEOUT.toMillis());
            client.setCallback(this);
        }

        void connect(MqttConnectOptions options) throws MqttException {
            IMqttToken t = client.connectWithResult(options);
            sessionPresent = t.getSessionPresent();
        }

        /** The session present flag of the CONNACK. */
        boolean sessionPresent() {
            return sessionPresent;
        }

        /** Subscribes and returns the granted QoS (or 128 for a failure). */
        int subscribe(String filter, int qos) throws MqttException {
            IMqttToken t = client.subscribeWithResponse(filter, qos);
            return t.getGrantedQos()[0];
        }

        void unsubscribe(String filter) throws MqttException {
            client.unsubscribe(filter);
        }

        /** Publishes; QoS 1 and 2 return once the broker acknowledged. */
        void publish(String topic, String payload, int qos, boolean retained) throws MqttException {
            client.publish(topic, utf8(payload), qos, retained);
        }

        /** The next message received, failing when none comes within {@link #TIMEOUT}. */
        Received next() throws InterruptedException {
            Received r = inbox.poll(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            if (r == null) {
                fail(client.getClientId() + " received nothing within " + TIMEOUT);
            }
            return r;
        }

        /** Subscribes to a marker topic at QoS 2 (see {@link #until}). */
        void subscribeMarker(String topic) throws MqttException {
            subscribe(topic, 2);
        }

        /** Publishes a marker at QoS 2 (see {@link #until}). */
        void publishMarker(String topic) throws MqttException {
            publish(topic, "marker", 2, false);
        }

        /**
         * The messages received before the first one on {@code markerTopic}, which the caller published after the
         * messages in question: a bounded way to show that something did not arrive. The marker must reach the
         * client at a QoS no lower than theirs: Paho hands a QoS 2 message to the application only on PUBREL, so a
         * QoS 0 or 1 marker can overtake it.
         */
        List<Received> until(String markerTopic) throws InterruptedException {
            List<Received> before = new ArrayList<>();
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (true) {
                long left = deadline - System.nanoTime();
                Received r = left <= 0 ? null : inbox.poll(left, TimeUnit.NANOSECONDS);
                if (r == null) {
                    fail(client.getClientId() + " did not receive the marker on " + markerTopic + " within " + TIMEOUT
                            + "; received before: " + before);
                }
                if (r.topic().equals(markerTopic)) {
                    return before;
                }
                before.add(r);
            }
        }

        /** Messages received so far, without waiting. */
        List<Received> drain() {
            List<Received> out = new ArrayList<>();
            inbox.drainTo(out);
            return out;
        }

        /** True when the broker closed the connection within the timeout. */
        boolean awaitLost(Duration timeout) throws InterruptedException {
            return lost.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
        }

        @Override
        public void connectionLost(Throwable cause) {
            lost.countDown();
        }

        @Override
        public void messageArrived(String topic, MqttMessage message) {
            inbox.add(new Received(topic, new String(message.getPayload(), StandardCharsets.UTF_8), message.getQos(),
                    message.isRetained(), message.isDuplicate()));
        }

        @Override
        public void deliveryComplete(IMqttDeliveryToken token) {
        }

        @Override
        public void close() {
            try {
                if (client.isConnected()) {
                    client.disconnect(0);
                }
            } catch (MqttException e) {
                // already gone
            }
            try {
                client.close(true);
            } catch (MqttException e) {
                // nothing more to release
            }
        }
    }

    // ---- Raw client: packets a library would not let a test send or withhold ----

    /** An MQTT 3.1.1 CONNECT. */
    static Connect connect(String clientId, boolean cleanSession, int keepAlive, Will will) {
        return new Connect(MqttVersion.MQTT_3_1_1, cleanSession, keepAlive, clientId, will, null, null,
                MqttProperties.EMPTY);
    }

    /** A will without properties. */
    static Will will(String topic, String payload, Qos qos, boolean retain) {
        return new Will(topic, utf8(payload), qos, retain, MqttProperties.EMPTY);
    }

    /** A PUBLISH without properties. */
    static Publish publish(String topic, String payload, Qos qos, int packetId, boolean dup, boolean retain) {
        return new Publish(dup, qos, retain, topic, packetId, MqttProperties.EMPTY, utf8(payload));
    }

    /** Opens a raw MQTT 3.1.1 connection and sends CONNECT; returns the connection with its CONNACK. */
    static RawMqttClient raw(MastBrokerExtension broker, Connect connect, ReasonCode expected, boolean sessionPresent)
            throws IOException {
        RawMqttClient c = RawMqttClient.connect(broker.port(), MqttVersion.MQTT_3_1_1);
        try {
            c.send(connect);
            ConnAck ack = c.expect(ConnAck.class, TIMEOUT);
            assertThat(ack.reasonCode()).as("CONNACK of %s", connect.clientId()).isEqualTo(expected);
            assertThat(ack.sessionPresent()).as("session present of %s", connect.clientId()).isEqualTo(sessionPresent);
        } catch (IOException | RuntimeException | AssertionError e) {
            c.close();
            throw e;
        }
        return c;
    }

    /** A raw client connected successfully with a new session. */
    static RawMqttClient raw(MastBrokerExtension broker, Connect connect) throws IOException {
        return raw(broker, connect, ReasonCode.SUCCESS, false);
    }

    /** Subscribes a raw client to one filter and checks the granted QoS. */
    static void subscribe(RawMqttClient c, int packetId, String filter, Qos qos) throws IOException {
        c.send(new Subscribe(packetId, List.of(new Subscription(filter, qos)), MqttProperties.EMPTY));
        SubAck ack = c.expect(SubAck.class, TIMEOUT);
        assertThat(ack.packetId()).isEqualTo(packetId);
        assertThat(ack.reasonCodes()).containsExactly(ReasonCode.granted(qos));
    }

    // ---- The broker's state ----

    /** Waits until the session of this client exists and its client is offline. */
    static void awaitOffline(MastBrokerExtension broker, String clientId) {
        await("session of " + clientId + " offline").atMost(TIMEOUT).until(() -> {
            Session s = broker.broker().core().registry().get(clientId);
            return s != null && !s.isOnline();
        });
    }

    /** Waits until no session of this client is left (a clean session ended). */
    static void awaitNoSession(MastBrokerExtension broker, String clientId) {
        await("session of " + clientId + " ended").atMost(TIMEOUT)
                .until(() -> broker.broker().core().registry().get(clientId) == null);
    }

    /** Waits until a subscription of this client (shared or not) matches the topic. */
    static void awaitSubscribed(MastBrokerExtension broker, String clientId, String topic) {
        await(clientId + " subscribed to " + topic).atMost(TIMEOUT)
                .until(() -> subscribersOf(broker, topic).contains(clientId));
    }

    private static Set<String> subscribersOf(MastBrokerExtension broker, String topic) {
        Set<String> ids = new HashSet<>();
        broker.broker().core().tree().match(topic, new MatchVisitor() {
            @Override
            public void subscriptions(Collection<SubscriptionEntry> entries) {
                entries.forEach(e -> ids.add(e.subscriber().clientId()));
            }

            @Override
            public void sharedGroup(SharedGroup group) {
                group.members().forEach(e -> ids.add(e.subscriber().clientId()));
            }
        });
        return ids;
    }

    /** A counter or gauge of the broker. */
    static long metric(MastBrokerExtension broker, String name) {
        return broker.broker().metrics().value(name);
    }

    // ---- mosquitto_pub / mosquitto_sub ----

    /**
     * The path of a Mosquitto client command. When it is not installed the test is skipped, except on CI
     * ({@code CI=true}), where that is a failure: CI installs the {@code mosquitto-clients} package.
     */
    static Path requireCommand(String command) {
        String path = System.getenv("PATH");
        if (path != null) {
            for (String dir : path.split(File.pathSeparator)) {
                Path p = Path.of(dir, command);
                if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                    return p;
                }
            }
        }
        String why = command + " is not installed (Debian: apt-get install mosquitto-clients)";
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            fail(why + "; CI must run the tests that drive it");
        }
        Assumptions.abort(why + ": skipping");
        return null;
    }

    /** Starts {@code mosquitto_pub} against the broker, MQTT 3.1.1, with further arguments. */
    static Command mosquittoPub(MastBrokerExtension broker, String... args) throws IOException {
        return Command.start(requireCommand("mosquitto_pub"), broker.port(), List.of(args));
    }

    /** Starts {@code mosquitto_pub -l} against the broker, MQTT 3.1.1, publishing each line of {@code lines}. */
    static Command mosquittoPubLines(MastBrokerExtension broker, Path lines, String... args) throws IOException {
        List<String> all = new ArrayList<>(List.of("-l"));
        all.addAll(List.of(args));
        return Command.start(requireCommand("mosquitto_pub"), broker.port(), all, lines.toFile());
    }

    /**
     * Starts {@code mosquitto_sub} against the broker, MQTT 3.1.1, with debug output (which shows the flags of each
     * received PUBLISH), exiting by itself after {@code seconds} ({@code -W}).
     */
    static Command mosquittoSub(MastBrokerExtension broker, int seconds, String... args) throws IOException {
        List<String> all = new ArrayList<>(List.of("-d", "-W", Integer.toString(seconds)));
        all.addAll(List.of(args));
        return Command.start(requireCommand("mosquitto_sub"), broker.port(), all);
    }

    /** A Mosquitto client process this test started; closing it kills it if it is still running. */
    static final class Command implements AutoCloseable {
        private final Process process;
        private final List<String> output = new ArrayList<>();
        private final Thread reader;

        private Command(Process process) {
            this.process = process;
            this.reader = new Thread(this::read, "output of " + process.pid());
            reader.setDaemon(true);
            reader.start();
        }

        static Command start(Path command, int port, List<String> args) throws IOException {
            return start(command, port, args, new File("/dev/null"));
        }

        static Command start(Path command, int port, List<String> args, File input) throws IOException {
            List<String> cmd = new ArrayList<>(List.of(command.toString(), "-h", "127.0.0.1", "-p",
                    Integer.toString(port), "-V", "mqttv311"));
            cmd.addAll(args);
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(input));
            return new Command(pb.start());
        }

        private void read() {
            try (BufferedReader r = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    synchronized (output) {
                        output.add(line);
                    }
                }
            } catch (IOException e) {
                // the process went away
            }
        }

        /** Waits for the process to exit by itself and returns its exit code; kills it and fails after the timeout. */
        int awaitExit(Duration timeout) throws InterruptedException {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                kill();
                fail("the Mosquitto client did not exit within " + timeout + "; output: " + output());
            }
            reader.join(TIMEOUT.toMillis());
            return process.exitValue();
        }

        /** Waits for a successful exit; fails with the output otherwise. */
        List<String> awaitSuccess(Duration timeout) throws InterruptedException {
            int code = awaitExit(timeout);
            assertThat(code).as("exit code; output: %s", output()).isZero();
            return output();
        }

        /** Kills the process (SIGKILL: its socket is closed by the system, without DISCONNECT) and waits for it. */
        void kill() throws InterruptedException {
            process.destroyForcibly();
            process.waitFor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        }

        List<String> output() {
            synchronized (output) {
                return List.copyOf(output);
            }
        }

        @Override
        public void close() throws InterruptedException {
            if (process.isAlive()) {
                kill();
            }
        }
    }
}
