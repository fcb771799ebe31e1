package io.mast.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.Mqtt5ClientBuilder;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import io.mast.broker.session.Session;
import io.mast.codec.MqttProperties;
import io.mast.codec.MqttVersion;
import io.mast.codec.Qos;
import io.mast.codec.ReasonCode;
import io.mast.codec.packet.ConnAck;
import io.mast.codec.packet.Connect;
import io.mast.codec.packet.PubAck;
import io.mast.codec.packet.Publish;
import io.mast.codec.packet.SubAck;
import io.mast.codec.packet.Subscribe;
import io.mast.codec.packet.Subscription;
import io.mast.codec.packet.Will;
import io.mast.plugin.support.Metrics;
import io.mast.testkit.MastBrokerExtension;
import io.mast.testkit.RawMqttClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The MQTT 5.0 clients of the integration tests, made for one broker and closed after each test: Eclipse Paho
 * (mqttv5), the HiveMQ client (blocking API) and {@link RawMqttClient} for what the libraries hide. Register it after
 * the broker:
 * <pre>{@code
 * @RegisterExtension static final MastBrokerExtension broker = MastBrokerExtension.create();
 * @RegisterExtension final V5Clients clients = new V5Clients(broker);
 * }</pre>
 */
public final class V5Clients implements AfterEachCallback {

    /** The longest any single wait for the broker may take. */
    public static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final MastBrokerExtension broker;
    private final Deque<AutoCloseable> open = new ArrayDeque<>();

    public V5Clients(MastBrokerExtension broker) {
        this.broker = broker;
    }

    @Override
    public void afterEach(ExtensionContext context) {
        while (!open.isEmpty()) {
            try {
                open.pop().close();
            } catch (Exception e) {
                // the broker or the test may have closed it already
            }
        }
    }

    // ---- Broker state ----

    /** The broker's counter or gauge. */
    public long metric(String name) {
        Metrics m = broker.broker().metrics();
        return m.value(name);
    }

    /** The session the broker holds for a client identifier, or {@code null}. */
    public Session session(String clientId) {
        return broker.broker().core().registry().get(clientId);
    }

    /** Milliseconds since a {@link System#nanoTime()} reading. */
    public static long millisSince(long nanos) {
        return (System.nanoTime() - nanos) / 1_000_000;
    }

    /** Waits until {@code passed} has gone by since a {@link System#nanoTime()} reading (for expiry to happen). */
    public static void waitPassed(Duration passed, long sinceNanos) {
        await().atMost(passed.plus(TIMEOUT)).until(() -> System.nanoTime() - sinceNanos > passed.toNanos());
    }

    public static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    public static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    // ---- Eclipse Paho ----

    /** A Paho client (not yet connected) that collects what it receives. */
    public Paho paho(String clientId) throws MqttException {
        return paho(broker.uri(), clientId);
    }

    /** A Paho client (not yet connected) for another URI: {@code ssl://}, {@code ws://127.0.0.1:port/mqtt} ... */
    public Paho paho(String uri, String clientId) throws MqttException {
        Paho p = new Paho(uri, clientId);
        open.push(p);
        return p;
    }

    /** Connection options with Clean Start, no session expiry and no automatic reconnect. */
    public static MqttConnectionOptions pahoOptions() {
        MqttConnectionOptions o = new MqttConnectionOptions();
        o.setCleanStart(true);
        o.setAutomaticReconnect(false);
        o.setConnectionTimeout((int) TIMEOUT.toSeconds());
        return o;
    }

    /** A message Paho received. */
    public record Received(String topic, MqttMessage message) {
        public String payload() {
            return text(message.getPayload());
        }
    }

    /** An asynchronous Paho client whose calls wait for their acknowledgement. */
    public static final class Paho implements MqttCallback, AutoCloseable {
        public final MqttAsyncClient client;
        public final BlockingQueue<Received> messages = new LinkedBlockingQueue<>();
        public final CompletableFuture<MqttDisconnectResponse> disconnected = new CompletableFuture<>();

        Paho(String uri, String clientId) throws MqttException {
            client = new MqttAsyncClient(uri, clientId, new MemoryPersistence());
            client.setCallback(this);
        }

        /** Connects and returns the token of the CONNACK. */
        public IMqttToken connect(MqttConnectionOptions o) throws MqttException {
            IMqttToken t = client.connect(o);
            t.waitForCompletion(TIMEOUT.toMillis());
            return t;
        }

        public IMqttToken connect() throws MqttException {
            return connect(pahoOptions());
        }

        public IMqttToken subscribe(String filter, int qos) throws MqttException {
            return subscribe(null, new MqttSubscription(filter, qos));
        }

        /** Subscribes with SUBSCRIBE properties (e.g. a subscription identifier), or none when {@code null}. */
        public IMqttToken subscribe(org.eclipse.paho.mqttv5.common.packet.MqttProperties props,
                                    MqttSubscription... subs) throws MqttException {
            IMqttToken t = client.subscribe(subs, null, null,
                    props == null ? new org.eclipse.paho.mqttv5.common.packet.MqttProperties() : props);
            t.waitForCompletion(TIMEOUT.toMillis());
            return t;
        }

        /** Publishes and waits for the acknowledgement (QoS 1 and 2) or the write (QoS 0). */
        public IMqttToken publish(String topic, MqttMessage m) throws MqttException {
            IMqttToken t = client.publish(topic, m);
            t.waitForCompletion(TIMEOUT.toMillis());
            return t;
        }

        public IMqttToken publish(String topic, String payload, int qos, boolean retain) throws MqttException {
            return publish(topic, new MqttMessage(utf8(payload), qos, retain, null));
        }

        /** The next message received; fails when none comes in time. */
        public Received next() throws InterruptedException {
            Received r = messages.poll(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(r).as("a message for %s", client.getClientId()).isNotNull();
            return r;
        }

        /** Disconnects normally (DISCONNECT 0x00). */
        public void disconnect() throws MqttException {
            client.disconnect().waitForCompletion(TIMEOUT.toMillis());
        }

        @Override
        public void disconnected(MqttDisconnectResponse response) {
            disconnected.complete(response);
        }

        @Override
        public void mqttErrorOccurred(MqttException exception) {
        }

        @Override
        public void messageArrived(String topic, MqttMessage message) {
            messages.add(new Received(topic, message));
        }

        @Override
        public void deliveryComplete(IMqttToken token) {
        }

        @Override
        public void connectComplete(boolean reconnect, String serverURI) {
        }

        @Override
        public void authPacketArrived(int reasonCode, org.eclipse.paho.mqttv5.common.packet.MqttProperties properties) {
        }

        @Override
        public void close() throws MqttException {
            try {
                if (client.isConnected()) {
                    client.disconnect().waitForCompletion(1000);
                }
            } catch (MqttException e) {
                client.disconnectForcibly(0, 100, false);
            } finally {
                client.close(true);
            }
        }
    }

    // ---- HiveMQ client ----

    /** A HiveMQ blocking client (not yet connected). */
    public Mqtt5BlockingClient hive(String clientId) {
        return hive(clientId, UnaryOperator.identity());
    }

    /** A HiveMQ blocking client whose builder the function adjusts (listeners, ...); {@code null} id: none. */
    public Mqtt5BlockingClient hive(String clientId, UnaryOperator<Mqtt5ClientBuilder> adjust) {
        Mqtt5ClientBuilder b = Mqtt5Client.builder().serverHost("127.0.0.1").serverPort(broker.port());
        if (clientId != null) {
            b = b.identifier(clientId);
        }
        Mqtt5BlockingClient c = adjust.apply(b).buildBlocking();
        open.push(() -> {
            if (c.getState().isConnected()) {
                c.disconnect();
            }
        });
        return c;
    }

    /**
     * A HiveMQ client connected with a user name and password (either may be {@code null}: not sent); a refusal throws
     * {@link com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException}.
     */
    public Mqtt5BlockingClient hive(String clientId, String username, String password) {
        Mqtt5BlockingClient c = hive(clientId);
        if (username == null && password == null) {
            c.connect();
            return c;
        }
        var b = com.hivemq.client.mqtt.mqtt5.message.auth.Mqtt5SimpleAuth.builder();
        var auth = username == null ? b.password(utf8(password)).build()
                : password == null ? b.username(username).build()
                : b.username(username).password(utf8(password)).build();
        c.connectWith().simpleAuth(auth).send();
        return c;
    }

    /**
     * The reason code of the CONNACK a HiveMQ client gets for these credentials ({@code null}: not sent); an accepted
     * client is disconnected again.
     */
    public Mqtt5ConnAckReasonCode connack(String clientId, String username, String password) {
        try {
            hive(clientId, username, password).disconnect();
            return Mqtt5ConnAckReasonCode.SUCCESS;
        } catch (com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException e) {
            return e.getMqttMessage().getReasonCode();
        }
    }

    /** The next message of a HiveMQ stream; fails when none comes in time. */
    public static Mqtt5Publish next(Mqtt5BlockingClient.Mqtt5Publishes publishes) throws InterruptedException {
        Optional<Mqtt5Publish> p = publishes.receive(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(p).as("a message").isPresent();
        return p.get();
    }

    // ---- Raw client ----

    /** An open socket to the broker that speaks MQTT 5.0 packets as given. */
    public RawMqttClient raw() throws IOException {
        RawMqttClient r = RawMqttClient.connect(broker.port(), MqttVersion.MQTT_5);
        open.push(r);
        return r;
    }

    /** Closes a raw client's socket without DISCONNECT, as a client that vanishes. */
    public void vanish(RawMqttClient r) throws IOException {
        open.remove(r);
        r.close();
    }

    /** A CONNECT with Clean Start, keep-alive 60 and no will. */
    public static Connect connect(String clientId, MqttProperties props) {
        return new Connect(MqttVersion.MQTT_5, true, 60, clientId, null, null, null, props);
    }

    /** A raw client connected with this CONNECT; fails unless the CONNACK is a success. */
    public RawMqttClient raw(Connect connect) throws IOException {
        RawMqttClient r = raw();
        r.send(connect);
        ConnAck ack = r.expect(ConnAck.class, TIMEOUT);
        assertThat(ack.reasonCode()).isEqualTo(ReasonCode.SUCCESS);
        return r;
    }

    /** A raw client connected with Clean Start, no will and these CONNECT properties. */
    public RawMqttClient raw(String clientId, MqttProperties props) throws IOException {
        return raw(connect(clientId, props));
    }

    /** A raw client connected with a will of the given properties (delay, ...) and session expiry. */
    public RawMqttClient rawWithWill(String clientId, long sessionExpiry, String willTopic, String willPayload,
                                     MqttProperties willProps) throws IOException {
        Will will = new Will(willTopic, utf8(willPayload), Qos.AT_LEAST_ONCE, false, willProps);
        return raw(new Connect(MqttVersion.MQTT_5, true, 60, clientId, will, null, null,
                MqttProperties.builder().sessionExpiryInterval(sessionExpiry).build()));
    }

    /** Subscribes a raw client and checks that every filter was granted. */
    public static SubAck subscribe(RawMqttClient r, int packetId, MqttProperties props, Subscription... subs)
            throws IOException {
        r.send(new Subscribe(packetId, List.of(subs), props));
        SubAck ack = r.expect(SubAck.class, TIMEOUT);
        assertThat(ack.packetId()).isEqualTo(packetId);
        assertThat(ack.reasonCodes()).allMatch(rc -> !rc.isError());
        return ack;
    }

    /** Publishes QoS 1 from a raw client and returns the PUBACK. */
    public static PubAck publishQos1(RawMqttClient r, int packetId, String topic, MqttProperties props, byte[] payload)
            throws IOException {
        r.send(new Publish(false, Qos.AT_LEAST_ONCE, false, topic, packetId, props, payload));
        PubAck ack = r.expect(PubAck.class, TIMEOUT);
        assertThat(ack.packetId()).isEqualTo(packetId);
        return ack;
    }

    /** The next PUBLISH to a raw client; fails when something else or nothing comes. */
    public static Publish nextPublish(RawMqttClient r) throws IOException {
        return r.expect(Publish.class, TIMEOUT);
    }
}
