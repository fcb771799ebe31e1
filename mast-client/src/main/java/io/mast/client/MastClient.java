package io.mast.client;

import io.mast.codec.MqttProperties;
import io.mast.codec.MqttVersion;
import io.mast.codec.Qos;
import io.mast.codec.ReasonCode;
import io.mast.codec.packet.Subscription;
import io.mast.plugin.TopicFilters;
import io.netty.channel.EventLoopGroup;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * An asynchronous MQTT 3.1.1 and 5.0 client over TCP, TLS and WebSocket. Every operation returns a
 * {@link CompletableFuture} at once and never blocks; {@link #toBlocking()} gives a blocking view.
 * <pre>{@code
 * try (MastClient client = MastClient.builder().host("localhost").port(1883).build()) {
 *     client.connect().join();
 *     client.subscribe("sensors/#", Qos.AT_LEAST_ONCE, m -> System.out.println(m.topic() + " " + m.payloadAsString()))
 *           .join();
 *     client.publish("sensors/room1", "21.5".getBytes(), Qos.AT_LEAST_ONCE)
 *           .thenAccept(r -> System.out.println("acknowledged: " + r.reasonCode()));
 * }
 * }</pre>
 *
 * <p>Each client lives on one I/O thread of its event loop group (shared JVM-wide by default), so thousands of
 * clients need only a few threads. Publishes are pipelined: QoS 1 and 2 messages go out as long as fewer than the
 * server's Receive Maximum are unacknowledged, later ones wait in order in a queue; QoS 0 messages keep their place
 * in that order. A publish completes on PUBACK (QoS 1), PUBCOMP (QoS 2) or once written (QoS 0).
 *
 * <p>Methods may be called from any thread, including listeners.
 */
public final class MastClient implements AutoCloseable {

    private final ClientCore core;

    MastClient(ClientCore core) {
        this.core = core;
    }

    /** A builder with every setting at its default. */
    public static MastClientBuilder builder() {
        return new MastClientBuilder();
    }

    /**
     * A new group of {@code threads} daemon I/O threads (0: one per core) for {@link MastClientBuilder#eventLoopGroup},
     * using Linux's epoll when available. The caller shuts it down after its clients are closed.
     */
    public static EventLoopGroup newEventLoopGroup(int threads) {
        return EventLoops.newGroup(threads, "mast-client-group");
    }

    /**
     * Connects: TCP (TLS, WebSocket), CONNECT, CONNACK. Fails with {@link ConnectionRefusedException} when the broker
     * refuses, or with an {@link MqttClientException} saying why the connection could not be made. A failed first
     * connection is not retried, even with automatic reconnect.
     */
    public CompletableFuture<ConnectResult> connect() {
        CompletableFuture<ConnectResult> f = new CompletableFuture<>();
        submit(f, () -> core.connect(f));
        return f;
    }

    /** Publishes a message; see the class description for when the future completes. */
    public CompletableFuture<PublishResult> publish(MqttMessage message) {
        CompletableFuture<PublishResult> f = new CompletableFuture<>();
        if (!TopicFilters.isTopicName(message.topic())) {
            f.completeExceptionally(new MqttClientException("invalid topic name '" + message.topic()
                    + "': it must not be empty nor contain + or #", ReasonCode.TOPIC_NAME_INVALID, null));
            return f;
        }
        if (core.loop().inEventLoop()) {
            publishHere(message, f); // from the client's own thread (a listener, or a task on executor()): no hand-off
        } else {
            submit(f, () -> publishHere(message, f));
        }
        return f;
    }

    private void publishHere(MqttMessage message, CompletableFuture<PublishResult> f) {
        try {
            if (!core.acceptsWork()) {
                f.completeExceptionally(notConnected());
            } else {
                core.outbound().publish(message, f);
            }
        } catch (RuntimeException e) {
            f.completeExceptionally(e);
        }
    }

    /** Publishes a payload, not retained, without properties. */
    public CompletableFuture<PublishResult> publish(String topic, byte[] payload, Qos qos) {
        return publish(MqttMessage.of(topic, payload, qos));
    }

    /** Publishes a UTF-8 payload, not retained, without properties. */
    public CompletableFuture<PublishResult> publish(String topic, String payload, Qos qos) {
        return publish(MqttMessage.of(topic, payload.getBytes(StandardCharsets.UTF_8), qos));
    }

    /** Subscribes to one filter; messages go to the global listeners. */
    public CompletableFuture<SubscribeResult> subscribe(String filter, Qos qos) {
        return subscribe(List.of(new Subscription(filter, qos)), MqttProperties.EMPTY, null);
    }

    /** Subscribes to one filter; its messages go to {@code listener} (and the global listeners). */
    public CompletableFuture<SubscribeResult> subscribe(String filter, Qos qos, MessageListener listener) {
        return subscribe(List.of(new Subscription(filter, qos)), MqttProperties.EMPTY, listener);
    }

    /**
     * Subscribes to several filters with their MQTT 5.0 options (no local, retain as published, retain handling) and
     * SUBSCRIBE properties (subscription identifier, user properties). Messages matching any of the filters go to
     * {@code listener} (which may be {@code null}) and to the global listeners. The listener is in place before the
     * SUBSCRIBE is sent, so retained messages reach it; it is removed for filters the broker refuses.
     */
    public CompletableFuture<SubscribeResult> subscribe(List<Subscription> subscriptions, MqttProperties properties,
                                                        MessageListener listener) {
        CompletableFuture<SubscribeResult> f = new CompletableFuture<>();
        if (subscriptions.isEmpty()) {
            f.completeExceptionally(new IllegalArgumentException("SUBSCRIBE needs at least one topic filter"));
            return f;
        }
        for (Subscription s : subscriptions) {
            if (!TopicFilters.isTopicFilter(s.topicFilter())) {
                f.completeExceptionally(new MqttClientException("invalid topic filter '" + s.topicFilter() + "'",
                        ReasonCode.TOPIC_FILTER_INVALID, null));
                return f;
            }
        }
        List<Subscription> subs = List.copyOf(subscriptions);
        submit(f, () -> {
            if (!core.acceptsWork()) {
                f.completeExceptionally(notConnected());
                return;
            }
            core.inbound().register(subs, properties, listener);
            core.outbound().subscribe(subs, properties, listener, f);
        });
        return f;
    }

    /** Unsubscribes from filters; their listeners are removed once the broker acknowledges. */
    public CompletableFuture<UnsubscribeResult> unsubscribe(String... filters) {
        return unsubscribe(List.of(filters), MqttProperties.EMPTY);
    }

    /** Unsubscribes from filters, with MQTT 5.0 UNSUBSCRIBE properties (user properties). */
    public CompletableFuture<UnsubscribeResult> unsubscribe(List<String> filters, MqttProperties properties) {
        CompletableFuture<UnsubscribeResult> f = new CompletableFuture<>();
        if (filters.isEmpty()) {
            f.completeExceptionally(new IllegalArgumentException("UNSUBSCRIBE needs at least one topic filter"));
            return f;
        }
        List<String> list = List.copyOf(filters);
        submit(f, () -> {
            if (!core.acceptsWork()) {
                f.completeExceptionally(notConnected());
            } else {
                core.outbound().unsubscribe(list, properties, f);
            }
        });
        return f;
    }

    /** Disconnects normally: DISCONNECT, then the connection closes. The will is not published. */
    public CompletableFuture<Void> disconnect() {
        return disconnect(ReasonCode.NORMAL_DISCONNECTION, MqttProperties.EMPTY);
    }

    /**
     * Disconnects with an MQTT 5.0 reason code ({@link ReasonCode#DISCONNECT_WITH_WILL_MESSAGE} asks the broker to
     * publish the will) and properties (session expiry, reason string, user properties). Messages not yet
     * acknowledged fail.
     */
    public CompletableFuture<Void> disconnect(ReasonCode reason, MqttProperties properties) {
        CompletableFuture<Void> f = new CompletableFuture<>();
        submit(f, () -> core.disconnect(reason, properties, f));
        return f;
    }

    /** MQTT 5.0: authenticates again with the {@link EnhancedAuth} of the builder (AUTH 0x19). */
    public CompletableFuture<Void> reauthenticate() {
        CompletableFuture<Void> f = new CompletableFuture<>();
        submit(f, () -> core.reauthenticate(f));
        return f;
    }

    /** Adds a listener for every message received (from now on). */
    public void onMessage(MessageListener listener) {
        core.globalListeners().add(listener);
    }

    /** Adds a connection listener (from now on). */
    public void connectionListener(ConnectionListener listener) {
        core.connectionListeners().add(listener);
    }

    /** True while connected (CONNACK received and the connection not lost). */
    public boolean isConnected() {
        return core.state() == ClientCore.State.CONNECTED;
    }

    /** The client identifier: as configured, or as assigned by the server. */
    public String clientId() {
        return core.clientId();
    }

    /** The protocol version the client speaks. */
    public MqttVersion version() {
        return core.options().version();
    }

    /** The CONNACK of the current (or last) connection, or {@code null} before the first. */
    public ConnectResult connectResult() {
        return core.lastConnect();
    }

    /** QoS 1 and 2 publishes sent and not yet acknowledged (a snapshot, readable from any thread). */
    public int inflightCount() {
        return core.outbound().inflightCount();
    }

    /** Publishes waiting for room in the inflight window or for the connection (a snapshot). */
    public int queuedCount() {
        return core.outbound().queuedCount();
    }

    /** The client plugins' counters and gauges, by name {@code plugin.<class>.<metric>}. */
    public Map<String, Long> metrics() {
        return core.plugins() == null ? Map.of() : core.plugins().metrics();
    }

    /** A blocking view of this client, each call waiting at most 30 s. */
    public BlockingMastClient toBlocking() {
        return new BlockingMastClient(this, Duration.ofSeconds(30));
    }

    /** A blocking view of this client, each call waiting at most {@code timeout}. */
    public BlockingMastClient toBlocking(Duration timeout) {
        return new BlockingMastClient(this, timeout);
    }

    /**
     * Disconnects when connected, stops reconnecting, fails what is still waiting, and closes the plugins after their
     * last event. Waits at most 10 s, except when called from a listener on the client's I/O thread, where it
     * cannot wait for that thread: it then returns at once and closing goes on in the background.
     */
    @Override
    public void close() {
        CompletableFuture<Void> closed = core.close(Duration.ofSeconds(5));
        if (core.loop().inEventLoop()) {
            return;
        }
        try {
            closed.get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            // closing is best effort
        }
    }

    /**
     * The client's I/O thread as an executor. Tasks run in order with the client's own work; calls made from there
     * (publishing in a loop, for example) run at once, without handing each one to the thread, and the writes of one
     * task are flushed together. Never block in such a task. A load generator publishes and paces itself from here.
     */
    public ScheduledExecutorService executor() {
        return core.loop();
    }

    /** True on the client's I/O thread (in a listener without callback executor). */
    boolean onIoThread() {
        return core.loop().inEventLoop();
    }

    private MqttClientException notConnected() {
        return new MqttClientException(core.state() == ClientCore.State.CLOSED ? "the client is closed"
                : "not connected: call connect() first");
    }

    private void submit(CompletableFuture<?> f, Runnable task) {
        try {
            core.run(() -> {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    f.completeExceptionally(e);
                }
            });
        } catch (RejectedExecutionException e) {
            f.completeExceptionally(new MqttClientException("the client's event loop is shut down", null, e));
        }
    }

    @Override
    public String toString() {
        return "MastClient[" + core.clientId() + " -> " + core.options().host() + ":" + core.options().port() + ", "
                + core.state() + "]";
    }
}
