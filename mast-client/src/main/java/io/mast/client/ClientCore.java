package io.mast.client;

import io.mast.codec.DecodeFailure;
import io.mast.codec.MqttProperties;
import io.mast.codec.ReasonCode;
import io.mast.codec.packet.Auth;
import io.mast.codec.packet.ConnAck;
import io.mast.codec.packet.Connect;
import io.mast.codec.packet.Disconnect;
import io.mast.codec.packet.MqttPacket;
import io.mast.codec.packet.PingResp;
import io.mast.codec.packet.PubAck;
import io.mast.codec.packet.PubComp;
import io.mast.codec.packet.PubRec;
import io.mast.codec.packet.PubRel;
import io.mast.codec.packet.Publish;
import io.mast.codec.packet.SubAck;
import io.mast.codec.packet.Subscribe;
import io.mast.codec.packet.UnsubAck;
import io.mast.codec.packet.Will;
import io.netty.bootstrap.Bootstrap;
import java.net.InetSocketAddress;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.handler.ssl.SslContext;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client's connection life cycle: connecting (TCP, TLS, WebSocket, CONNECT, enhanced authentication, CONNACK),
 * reconnecting with exponential backoff, disconnecting; and the routing of received packets to {@link Outbound} and
 * {@link Inbound}. Every field is confined to one event loop, chosen when the client is built, so all connections of
 * a client (and its state across reconnects) live on the same thread without locks.
 */
final class ClientCore {

    private static final Logger log = LoggerFactory.getLogger(ClientCore.class);

    enum State { DISCONNECTED, CONNECTING, CONNECTED, RECONNECTING, DISCONNECTING, CLOSED }

    private final ClientOptions o;
    private final EventLoop loop;
    private final SslContext ssl;
    private final ClientPlugins plugins;
    private final PacketListener packetListener;
    private final List<MessageListener> globalListeners;
    private final List<ConnectionListener> connectionListeners;
    private final Outbound outbound;
    private final Inbound inbound;

    private volatile State state = State.DISCONNECTED;
    private volatile String clientId;
    private volatile ConnectResult lastConnect;
    private ClientConnection connection;
    private boolean cleanStartNext;
    private CompletableFuture<ConnectResult> pendingConnect;
    private CompletableFuture<Void> pendingDisconnect;
    private CompletableFuture<Void> pendingReauth;
    private io.netty.util.concurrent.ScheduledFuture<?> reconnectTask;
    private io.netty.util.concurrent.ScheduledFuture<?> connectTimeout;
    private int attempts;

    ClientCore(ClientOptions options, SslContext ssl, ClientPlugins plugins) {
        this.o = options;
        this.loop = (options.eventLoopGroup() != null ? options.eventLoopGroup() : EventLoops.shared()).next();
        this.ssl = ssl;
        this.plugins = plugins;
        this.packetListener = options.packetListener();
        this.globalListeners = new CopyOnWriteArrayList<>(options.messageListeners());
        this.connectionListeners = new CopyOnWriteArrayList<>(options.connectionListeners());
        this.clientId = options.clientId();
        this.outbound = new Outbound(this, options);
        this.inbound = new Inbound(this, options);
    }

    // ---- accessors (any thread) ----

    EventLoop loop() {
        return loop;
    }

    State state() {
        return state;
    }

    String clientId() {
        return clientId;
    }

    ConnectResult lastConnect() {
        return lastConnect;
    }

    ClientOptions options() {
        return o;
    }

    Outbound outbound() {
        return outbound;
    }

    Inbound inbound() {
        return inbound;
    }

    List<MessageListener> globalListeners() {
        return globalListeners;
    }

    List<ConnectionListener> connectionListeners() {
        return connectionListeners;
    }

    ClientPlugins plugins() {
        return plugins;
    }

    /** Runs a task on the client's event loop: at once when called there, queued otherwise. */
    void run(Runnable task) {
        if (loop.inEventLoop()) {
            task.run();
        } else {
            loop.execute(task);
        }
    }

    /** True while publishes and subscriptions are accepted (connected, or about to be). */
    boolean acceptsWork() {
        State s = state;
        return s == State.CONNECTED || s == State.CONNECTING || s == State.RECONNECTING;
    }

    // ---- packet taps ----

    void tapSent(MqttPacket p) {
        if (packetListener != null) {
            packetListener.sent(p);
        }
        if (plugins != null && plugins.wantsPackets()) {
            plugins.packetSent(p);
        }
    }

    void tapReceived(MqttPacket p) {
        if (packetListener != null) {
            packetListener.received(p);
        }
        if (plugins != null && plugins.wantsPackets()) {
            plugins.packetReceived(p);
        }
    }

    // ---- connecting ----

    void connect(CompletableFuture<ConnectResult> future) {
        switch (state) {
            case CLOSED -> future.completeExceptionally(new MqttClientException("the client is closed"));
            case CONNECTED -> future.complete(lastConnect);
            case CONNECTING -> pendingConnect.whenComplete((r, e) -> {
                if (e != null) {
                    future.completeExceptionally(e);
                } else {
                    future.complete(r);
                }
            });
            case DISCONNECTING -> future.completeExceptionally(new MqttClientException("the client is disconnecting"));
            case RECONNECTING, DISCONNECTED -> {
                if (reconnectTask != null) {
                    reconnectTask.cancel(false);
                }
                if (connection != null) {
                    ClientConnection old = connection;
                    connection = null;
                    old.fail(new MqttClientException("replaced by a new connection attempt"));
                }
                boolean first = state == State.DISCONNECTED;
                state = State.CONNECTING;
                pendingConnect = future;
                attempts = 0;
                cleanStartNext = first ? o.cleanStart() : !o.version().isV5() && o.cleanStart();
                attempt();
            }
        }
    }

    private void attempt() {
        ClientConnection c = new ClientConnection(this, ssl != null, o.websocket());
        connection = c;
        Bootstrap b = new Bootstrap()
                .group(loop)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, o.connectTimeout().toMillis()))
                .handler(new ClientChannelInitializer(o, ssl, c));
        ChannelFuture f;
        if (o.unixSocket() != null) {
            f = b.channel(EventLoops.domainChannelType(loop)).connect(EventLoops.domainAddress(loop, o.unixSocket()));
        } else {
            b.channel(EventLoops.channelType(loop)).option(ChannelOption.TCP_NODELAY, true);
            f = o.localAddress() == null ? b.connect(o.host(), o.port())
                    : b.connect(new InetSocketAddress(o.host(), o.port()), new InetSocketAddress(o.localAddress(), 0));
        }
        f.addListener(done -> {
            if (!done.isSuccess()) {
                c.fail(new MqttClientException("cannot connect to " + o.host() + ":" + o.port() + ": "
                        + ClientConnection.message(done.cause()), null, done.cause()));
                c.reportClosed();
            }
        });
        connectTimeout = loop.schedule(() -> {
            if (connection == c && (state == State.CONNECTING || state == State.RECONNECTING)) {
                c.fail(new MqttClientException("no CONNACK from " + o.host() + ":" + o.port() + " within "
                        + o.connectTimeout().toMillis() + " ms"));
                c.reportClosed();
            }
        }, o.connectTimeout().toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The connection is open (and TLS and WebSocket are established): send CONNECT. */
    void onReady(ClientConnection c) {
        if (c != connection) {
            c.fail(new MqttClientException("stale connection"));
            return;
        }
        MqttProperties.Builder props = o.connectProperties().toBuilder();
        if (o.version().isV5()) {
            if (o.sessionExpirySeconds() > 0) {
                props.sessionExpiryInterval(o.sessionExpirySeconds());
            }
            if (o.receiveMaximum() != 65_535) {
                props.receiveMaximum(o.receiveMaximum());
            }
            if (o.maximumPacketSize() != ClientOptions.MQTT_MAX_PACKET) {
                props.maximumPacketSize((long) o.maximumPacketSize());
            }
            if (o.topicAliasMaximum() > 0) {
                props.topicAliasMaximum(o.topicAliasMaximum());
            }
            if (o.enhancedAuth() != null) {
                props.authenticationMethod(o.enhancedAuth().method());
                props.authenticationData(o.enhancedAuth().initialData());
            }
        }
        Will will = null;
        MqttMessage w = o.will();
        if (w != null) {
            will = new Will(w.topic(), w.payload(), w.qos(), w.retain(),
                    o.version().isV5() ? w.properties() : MqttProperties.EMPTY);
        }
        c.send(new Connect(o.version(), cleanStartNext, o.keepAliveSeconds(), clientId, will, o.username(),
                o.password(), o.version().isV5() ? props.build() : MqttProperties.EMPTY));
    }

    void onPacket(ClientConnection c, MqttPacket packet) {
        if (c != connection) {
            return;
        }
        if (state != State.CONNECTED && state != State.DISCONNECTING && !(packet instanceof ConnAck)
                && !(packet instanceof Auth) && !(packet instanceof Disconnect)) {
            protocolError(c, ReasonCode.PROTOCOL_ERROR, packet.type() + " before CONNACK");
            return;
        }
        switch (packet) {
            case ConnAck a -> onConnAck(c, a);
            case Publish p -> inbound.onPublish(c, p);
            case PubAck a -> outbound.onPubAck(a);
            case PubRec r -> outbound.onPubRec(r);
            case PubRel r -> inbound.onPubRel(c, r);
            case PubComp x -> outbound.onPubComp(x);
            case SubAck a -> outbound.onSubAck(a);
            case UnsubAck a -> outbound.onUnsubAck(a);
            case PingResp p -> { }
            case Disconnect d -> {
                c.serverDisconnect(d);
                c.fail(new MqttClientException("the server disconnected: " + d.reasonCode().describe()
                        + (d.properties().reasonString() == null ? "" : " (" + d.properties().reasonString() + ")"),
                        d.reasonCode(), null));
            }
            case Auth a -> onAuth(c, a);
            default -> protocolError(c, ReasonCode.PROTOCOL_ERROR, "a server must not send " + packet.type());
        }
    }

    private void onConnAck(ClientConnection c, ConnAck ack) {
        if (state != State.CONNECTING && state != State.RECONNECTING) {
            protocolError(c, ReasonCode.PROTOCOL_ERROR, "a second CONNACK");
            return;
        }
        if (connectTimeout != null) {
            connectTimeout.cancel(false);
        }
        if (ack.reasonCode().isError()) {
            c.fail(new ConnectionRefusedException(ack.reasonCode(), ack.properties(), o.version()));
            return;
        }
        MqttProperties p = ack.properties();
        if (p.assignedClientIdentifier() != null) {
            clientId = p.assignedClientIdentifier();
        }
        ConnectResult result = new ConnectResult(ack.sessionPresent(), ack.reasonCode(), p, clientId, o.version());
        boolean reconnect = state == State.RECONNECTING;
        lastConnect = result;
        state = State.CONNECTED;
        attempts = 0;
        cleanStartNext = !o.version().isV5() && o.cleanStart();
        c.startKeepAlive(p.serverKeepAlive() != null ? p.serverKeepAlive() : o.keepAliveSeconds());
        if (o.enhancedAuth() != null && o.version().isV5()) {
            o.enhancedAuth().onSuccess(p.authenticationData());
        }
        inbound.connected(ack.sessionPresent());
        if (reconnect && !ack.sessionPresent() && o.resubscribe()) {
            for (Inbound.Entry e : inbound.subscriptions()) {
                CompletableFuture<SubscribeResult> f = new CompletableFuture<>();
                f.whenComplete((r, err) -> {
                    if (err != null || !r.isSuccess()) {
                        log.warn("{}: subscribing again to {} failed: {}", clientId, e.subscription().topicFilter(),
                                err != null ? err.getMessage() : r.reasonCodes());
                    }
                });
                outbound.subscribe(List.of(e.subscription()), e.properties(), null, f);
            }
        }
        outbound.connected(c, result);
        log.debug("{}: connected to {}:{} (session present: {})", clientId, o.host(), o.port(), ack.sessionPresent());
        if (pendingConnect != null) {
            CompletableFuture<ConnectResult> f = pendingConnect;
            pendingConnect = null;
            f.complete(result);
        }
        for (ConnectionListener l : connectionListeners) {
            callback(() -> l.onConnected(result));
        }
        if (plugins != null) {
            plugins.connected(ack.sessionPresent());
        }
    }

    private void onAuth(ClientConnection c, Auth a) {
        EnhancedAuth auth = o.enhancedAuth();
        if (auth == null || !o.version().isV5() || !auth.method().equals(a.properties().authenticationMethod())) {
            protocolError(c, ReasonCode.PROTOCOL_ERROR, "unexpected AUTH for method "
                    + a.properties().authenticationMethod());
            return;
        }
        if (a.reasonCode() == ReasonCode.SUCCESS) {
            auth.onSuccess(a.properties().authenticationData());
            if (pendingReauth != null) {
                CompletableFuture<Void> f = pendingReauth;
                pendingReauth = null;
                f.complete(null);
            }
            return;
        }
        if (a.reasonCode() != ReasonCode.CONTINUE_AUTHENTICATION) {
            protocolError(c, ReasonCode.PROTOCOL_ERROR, "AUTH with reason code " + a.reasonCode().describe());
            return;
        }
        CompletableFuture<byte[]> answer;
        try {
            answer = auth.onChallenge(a.properties().authenticationData()).toCompletableFuture();
        } catch (RuntimeException e) {
            answer = CompletableFuture.failedFuture(e);
        }
        answer.whenComplete((data, err) -> run(() -> {
            if (c != connection) {
                return;
            }
            if (err != null) {
                c.fail(new MqttClientException("enhanced authentication failed: " + ClientConnection.message(err),
                        ReasonCode.NOT_AUTHORIZED, err));
                return;
            }
            c.send(new Auth(ReasonCode.CONTINUE_AUTHENTICATION, MqttProperties.builder()
                    .authenticationMethod(auth.method()).authenticationData(data).build()));
        }));
    }

    void reauthenticate(CompletableFuture<Void> future) {
        EnhancedAuth auth = o.enhancedAuth();
        if (auth == null || !o.version().isV5()) {
            future.completeExceptionally(new MqttClientException("re-authentication needs MQTT 5.0 and enhanced authentication"));
        } else if (state != State.CONNECTED) {
            future.completeExceptionally(new MqttClientException("not connected"));
        } else {
            if (pendingReauth != null) {
                pendingReauth.completeExceptionally(new MqttClientException("superseded by a new re-authentication"));
            }
            pendingReauth = future;
            connection.send(new Auth(ReasonCode.RE_AUTHENTICATE, MqttProperties.builder()
                    .authenticationMethod(auth.method()).authenticationData(auth.initialData()).build()));
        }
    }

    void onDecodeFailure(ClientConnection c, DecodeFailure f) {
        protocolError(c, f.reasonCode(), f.message());
    }

    /** The server broke the protocol: DISCONNECT with the reason (MQTT 5.0) and close. */
    void protocolError(ClientConnection c, ReasonCode reason, String message) {
        log.warn("{}: closing the connection to {}:{}: {} ({})", clientId, o.host(), o.port(), message, reason.describe());
        MqttClientException cause = new MqttClientException("protocol error by the server: " + message, reason, null);
        if (o.version().isV5() && state == State.CONNECTED && reason.isValidFor(io.mast.codec.PacketType.DISCONNECT)) {
            c.failAfter(new Disconnect(reason, MqttProperties.EMPTY), cause);
        } else {
            c.fail(cause);
        }
    }

    // ---- losing and ending connections ----

    void onClosed(ClientConnection c) {
        if (c != connection) {
            return;
        }
        connection = null;
        if (connectTimeout != null) {
            connectTimeout.cancel(false);
        }
        Throwable cause = c.failure();
        Disconnect d = c.serverDisconnect();
        State was = state;
        outbound.disconnected();
        if (pendingReauth != null) {
            pendingReauth.completeExceptionally(new MqttClientException("the connection was lost", null, cause));
            pendingReauth = null;
        }
        switch (was) {
            case CONNECTING -> {
                state = State.DISCONNECTED;
                Throwable error = cause instanceof ConnectionRefusedException ? cause
                        : new MqttClientException(cause == null ? "the connection to " + o.host() + ":" + o.port()
                                + " closed before CONNACK" : cause.getMessage(),
                        d != null ? d.reasonCode() : null, cause);
                outbound.failAll(error);
                CompletableFuture<ConnectResult> f = pendingConnect;
                pendingConnect = null;
                if (f != null) {
                    f.completeExceptionally(error);
                }
            }
            case CONNECTED -> {
                boolean again = o.reconnect();
                DisconnectEvent event = new DisconnectEvent(d != null ? d.reasonCode() : ReasonCode.UNSPECIFIED_ERROR,
                        d != null ? d.properties() : MqttProperties.EMPTY, true, cause, again);
                log.debug("{}: connection lost: {}", clientId, event.describe());
                notifyDisconnected(event);
                if (again) {
                    state = State.RECONNECTING;
                    scheduleReconnect();
                } else {
                    state = State.DISCONNECTED;
                    outbound.failAll(new MqttClientException("the connection was lost: " + event.describe(),
                            event.reasonCode(), cause));
                }
            }
            case RECONNECTING -> {
                if (cause instanceof ConnectionRefusedException) {
                    log.warn("{}: reconnecting to {}:{} was refused: {}", clientId, o.host(), o.port(), cause.getMessage());
                } else {
                    log.debug("{}: reconnecting failed: {}", clientId, cause == null ? "closed" : cause.getMessage());
                }
                scheduleReconnect();
            }
            case DISCONNECTING -> {
                state = State.DISCONNECTED;
                outbound.failAll(new MqttClientException("the client disconnected"));
                notifyDisconnected(new DisconnectEvent(ReasonCode.NORMAL_DISCONNECTION, MqttProperties.EMPTY, false,
                        null, false));
                completeDisconnect();
            }
            case DISCONNECTED, CLOSED -> outbound.failAll(new MqttClientException("the client disconnected"));
        }
    }

    private void notifyDisconnected(DisconnectEvent event) {
        for (ConnectionListener l : connectionListeners) {
            callback(() -> l.onDisconnected(event));
        }
        if (plugins != null) {
            plugins.disconnected(event.reasonCode().value(), event.describe());
        }
    }

    private void scheduleReconnect() {
        long initial = o.reconnectInitialDelay().toMillis();
        long max = Math.max(initial, o.reconnectMaxDelay().toMillis());
        long delay = initial << Math.min(attempts, 20);
        delay = Math.min(max, delay <= 0 ? max : delay);
        delay = delay / 2 + ThreadLocalRandom.current().nextLong(delay / 2 + 1); // jitter: half to the full delay
        attempts++;
        log.debug("{}: reconnecting in {} ms (attempt {})", clientId, delay, attempts);
        reconnectTask = loop.schedule(() -> {
            if (state == State.RECONNECTING && connection == null) {
                attempt();
            }
        }, delay, TimeUnit.MILLISECONDS);
    }

    void disconnect(ReasonCode reason, MqttProperties properties, CompletableFuture<Void> future) {
        switch (state) {
            case CONNECTED -> {
                state = State.DISCONNECTING;
                pendingDisconnect = future;
                ClientConnection c = connection;
                MqttProperties props = o.version().isV5() ? properties : MqttProperties.EMPTY;
                c.sendAndClose(new Disconnect(reason, props));
            }
            case DISCONNECTING -> pendingDisconnect.whenComplete((v, e) -> future.complete(null));
            case CONNECTING, RECONNECTING -> {
                if (reconnectTask != null) {
                    reconnectTask.cancel(false);
                }
                boolean connecting = state == State.CONNECTING;
                state = State.DISCONNECTED;
                ClientConnection c = connection;
                connection = null;
                if (c != null) {
                    c.fail(new MqttClientException("disconnect requested"));
                }
                MqttClientException e = new MqttClientException("the client disconnected");
                outbound.failAll(e);
                if (connecting && pendingConnect != null) {
                    pendingConnect.completeExceptionally(e);
                    pendingConnect = null;
                }
                future.complete(null);
            }
            case DISCONNECTED, CLOSED -> future.complete(null);
        }
    }

    private void completeDisconnect() {
        if (pendingDisconnect != null) {
            CompletableFuture<Void> f = pendingDisconnect;
            pendingDisconnect = null;
            f.complete(null);
        }
    }

    /** Disconnects (if connected) and stops for good; the plugins are closed after their last event. */
    CompletableFuture<Void> close(Duration timeout) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        run(() -> disconnect(ReasonCode.NORMAL_DISCONNECTION, MqttProperties.EMPTY, done));
        return done.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .exceptionally(e -> null)
                .thenCompose(v -> {
                    CompletableFuture<Void> closed = new CompletableFuture<>();
                    run(() -> {
                        if (connection != null) {
                            connection.fail(new MqttClientException("the client closed"));
                        }
                        state = State.CLOSED;
                        outbound.failAll(new MqttClientException("the client is closed"));
                        closed.complete(null);
                    });
                    return closed;
                })
                .thenCompose(v -> plugins == null ? CompletableFuture.<Void>completedFuture(null) : plugins.close());
    }

    private void callback(Runnable r) {
        Runnable safe = () -> {
            try {
                r.run();
            } catch (Throwable t) {
                log.warn("{}: a connection listener failed: {}", clientId, t.toString(), t);
            }
        };
        if (o.callbackExecutor() != null) {
            o.callbackExecutor().execute(safe);
        } else {
            safe.run();
        }
    }
}
