package io.mast.broker.connection;

import io.mast.broker.client.ClientCertificate;
import io.mast.broker.client.ConnectionInfo;
import io.mast.broker.config.LimitsConfig;
import io.mast.broker.config.ListenerConfig;
import io.mast.broker.message.BrokerMessage;
import io.mast.broker.routing.Congestion;
import io.mast.broker.routing.Waiters;
import io.mast.broker.session.ClientLink;
import io.mast.broker.session.Session;
import io.mast.codec.MqttDecoder;
import io.mast.codec.MqttEncoder;
import io.mast.codec.MqttProperties;
import io.mast.codec.MqttVersion;
import io.mast.codec.PacketType;
import io.mast.codec.Qos;
import io.mast.codec.ReasonCode;
import io.mast.codec.packet.ConnAck;
import io.mast.codec.packet.Disconnect;
import io.mast.codec.packet.MqttPacket;
import io.mast.codec.packet.Publish;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.handler.timeout.IdleStateHandler;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client's network connection: the protocol state that lives as long as the socket (version, limits the client
 * announced, topic aliases, the will of its CONNECT) and the ways to write to it and close it. Everything here runs on
 * the channel's event loop, which is also the home of the attached session's mailbox.
 *
 * <p>Inbound packets are handled strictly in order: while one waits for an asynchronous decision (a plugin checking
 * a database), the following ones wait in a backlog and, past a few, reading from the socket stops ({@link InboundOrder}).
 */
public final class Connection implements ClientLink, InboundOrder.Target {

    private static final Logger log = LoggerFactory.getLogger(Connection.class);

    enum State { CONNECTING, CONNECTED, CLOSING, CLOSED }

    private final Channel channel;
    private final ConnectionServices core;
    private final PacketDispatcher dispatcher;
    private final ListenerConfig listener;
    /** The broker's limits with the listener's overrides. */
    private final LimitsConfig limits;
    private final MqttDecoder decoder;
    private final MqttEncoder encoder;
    private final OutgoingPackets out;

    private State state = State.CONNECTING;
    private ConnectionInfo info;
    private Session session;
    private ScheduledFuture<?> connectTimer;

    // What the client announced in CONNECT (MQTT 5.0).
    private int peerReceiveMaximum = 65535;
    private long sessionExpiry;
    private BrokerMessage will;
    private long willDelay;

    // Inbound ordering.
    private final ReadGate readGate;
    private final InboundOrder inbound;
    private PublishPipeline publishes;
    private Acknowledgements acknowledgements;
    private final InboundQuota quota;

    // Outbound flow control.
    private final Waiters writableWaiters = new Waiters();

    private final Ending ending = new Ending();

    // Closing: once the socket closed, what the client sent before is still handled (InboundOrder drains), then the
    // connection is gone (drained()).
    private boolean socketClosed;
    private Runnable whenGone;
    private ScheduledFuture<?> drainTimer;


    // MQTT 5.0 enhanced authentication: the method of CONNECT, and who waits for the client's next AUTH.
    private String authMethod;
    private java.util.function.Consumer<io.mast.codec.packet.Auth> authWaiter;

    Connection(Channel channel, ConnectionServices core, PacketDispatcher dispatcher, ListenerConfig listener,
               MqttDecoder decoder, MqttEncoder encoder) {
        this.channel = channel;
        this.core = core;
        this.dispatcher = dispatcher;
        this.listener = listener;
        this.limits = listener.limits(core.config().limits());
        this.decoder = decoder;
        this.encoder = encoder;
        this.out = new OutgoingPackets(channel, core, this::info, this::version);
        this.readGate = new ReadGate(channel, this::pausedReadingResumed);
        this.inbound = new InboundOrder(this, readGate);
        this.quota = new InboundQuota(limits.receiveMaximum(), readGate);
    }

    // ---- Accessors ----

    public ConnectionInfo info() {
        return info;
    }

    public Session session() {
        return session;
    }

    public MqttVersion version() {
        return info == null ? decoder.version() : info.version();
    }

    public EventLoop eventLoop() {
        return channel.eventLoop();
    }

    public ListenerConfig listener() {
        return listener;
    }

    /** The limits for this connection: the broker's, with its listener's overrides. */
    public LimitsConfig limits() {
        return limits;
    }

    public ConnectionServices core() {
        return core;
    }

    Channel channel() {
        return channel;
    }

    public boolean isWritable() {
        return channel.isWritable();
    }

    public boolean isConnected() {
        return state == State.CONNECTED;
    }

    boolean isClosing() {
        return state == State.CLOSING || state == State.CLOSED;
    }

    public int peerReceiveMaximum() {
        return peerReceiveMaximum;
    }

    long sessionExpiry() {
        return sessionExpiry;
    }

    TopicAliases aliases() {
        return out.aliases();
    }

    /** The delay of the will of this connection's CONNECT, in seconds. */
    public long willDelaySeconds() {
        return willDelay;
    }

    /** The will of this connection's CONNECT, if it was not taken yet. */
    public BrokerMessage peekWill() {
        return will;
    }

    /** Takes the will of this connection's CONNECT: it is published at most once. */
    public BrokerMessage takeWill() {
        BrokerMessage w = will;
        will = null;
        return w;
    }

    // ---- Lifecycle ----

    void started() {
        long timeout = limits.connectTimeout().toMillis();
        connectTimer = channel.eventLoop().schedule(() -> {
            if (state == State.CONNECTING) {
                log.debug("Closing {}: no CONNECT within {} ms", channel.remoteAddress(), timeout);
                channel.close();
            }
        }, timeout, TimeUnit.MILLISECONDS);
    }

    /** An auth plugin accepted the client as a superuser; called before its session is opened. */
    void superuser() {
        this.info = info.asSuperuser();
    }

    /** Sets the version packets are encoded with, before CONNECT is fully accepted. */
    void encoderVersion(MqttVersion v) {
        encoder.version(v);
    }

    /** CONNECT was read and checked: remember what it announced. Authentication follows. */
    void connecting(ConnectionInfo connectionInfo, MqttProperties props, long expirySeconds, BrokerMessage willMessage,
                    long willDelaySeconds) {
        this.info = connectionInfo;
        this.encoder.version(connectionInfo.version());
        this.sessionExpiry = expirySeconds;
        this.will = willMessage;
        this.willDelay = willDelaySeconds;
        if (connectionInfo.version().isV5()) {
            if (props.receiveMaximum() != null) {
                peerReceiveMaximum = props.receiveMaximum();
            }
            int outboundAliases = props.topicAliasMaximum() == null ? 0 : props.topicAliasMaximum();
            out.announced(props.maximumPacketSize(), props.requestProblemInformation(),
                    limits.maxTopicAlias() > 0 || outboundAliases > 0
                            ? new TopicAliases(limits.maxTopicAlias(), outboundAliases) : null);
        }
    }

    /** The session is attached: the connection is established. */
    void attached(Session attachedSession) {
        this.session = attachedSession;
        this.state = State.CONNECTED;
        if (connectTimer != null) {
            connectTimer.cancel(false);
        }
        decoder.accepted();
        if (channel.pipeline().get(ChannelHandlerNames.UNAUTHENTICATED) != null) {
            channel.pipeline().remove(ChannelHandlerNames.UNAUTHENTICATED);
        }
        readGate.release(ReadGate.Reason.LOGIN);
        int keepAlive = info.keepAlive();
        if (keepAlive > 0) {
            // MQTT-3.1.2-24: disconnect after one and a half keep-alive periods without a packet.
            channel.pipeline().addBefore(ChannelHandlerNames.MQTT, ChannelHandlerNames.KEEP_ALIVE,
                    new IdleStateHandler(keepAlive * 1500L, 0, 0, TimeUnit.MILLISECONDS));
        }
    }

    // ---- Inbound ----

    /** A decoded packet, in order. */
    void receive(MqttPacket packet) {
        if (isClosing()) {
            if (packet.type() == PacketType.PUBLISH) {
                core.metrics().messagesDroppedConnectionClosed.increment(); // after DISCONNECT, or the broker's close
            }
            return;
        }
        if (core.events().wantsPackets()) {
            core.events().packetReceived(info, packet);
        }
        if (packet instanceof io.mast.codec.packet.Auth auth && authWaiter != null) {
            // The next step of an enhanced authentication in progress: it does not wait behind other packets.
            var waiter = authWaiter;
            authWaiter = null;
            if (state != State.CONNECTED) {
                readGate.hold(ReadGate.Reason.LOGIN); // a re-authentication does not stop reading
            }
            waiter.accept(auth);
            return;
        }
        if (packet instanceof Publish p && p.qos() != Qos.AT_MOST_ONCE && state == State.CONNECTED) {
            if (!quota.arrived(version().isV5())) {
                disconnect(ReasonCode.RECEIVE_MAXIMUM_EXCEEDED, "more than " + limits.receiveMaximum()
                        + " unacknowledged QoS 1 and 2 messages");
                return;
            }
        } else if (packet instanceof io.mast.codec.packet.Connect) {
            // Nothing more is read until the client is authenticated: an unknown client cannot make the broker hold
            // more than its CONNECT (limits.max_connect_packet_size).
            readGate.hold(ReadGate.Reason.LOGIN);
        }
        inbound.offer(packet);
    }

    /** A QoS 1 or 2 message from the client was acknowledged (PUBACK, PUBCOMP, or PUBREC with an error). */
    void inboundAcknowledged() {
        quota.acknowledged();
    }

    /** The acknowledgements of this client's messages that wait for the store, in order. */
    Acknowledgements acknowledgements() {
        if (acknowledgements == null) {
            acknowledgements = new Acknowledgements(this);
        }
        return acknowledgements;
    }

    /** The PUBLISH packets whose decisions are under way, or {@code null} before the first that had to wait. */
    PublishPipeline publishes() {
        return publishes;
    }

    void publishes(PublishPipeline pipeline) {
        publishes = pipeline;
    }

    /** True while PUBLISH packets wait for their decisions: what is not a PUBLISH waits behind them. */
    @Override
    public boolean publishesPending() {
        return publishes != null && !publishes.isEmpty();
    }

    /** The last pending PUBLISH was carried out: the packets that waited for it go on. */
    void publishesDone() {
        inbound.pump();
    }

    /** Handles one packet (called by {@link InboundOrder}, in order); completes when its handling is done. */
    @Override
    public CompletionStage<?> handle(MqttPacket packet) {
        return dispatcher.dispatch(this, packet);
    }

    @Override
    public java.util.concurrent.Executor handler() {
        Session s = session;
        return s == null ? Runnable::run : s::execute;
    }

    /** Runs a task on this connection's loop: its session's mailbox once attached, the channel's loop before. */
    @Override
    public void runOnLoop(Runnable task) {
        Session s = session;
        if (s != null) {
            s.execute(task);
        } else {
            channel.eventLoop().execute(task);
        }
    }

    /** The client for logs: its identifier once known, its address before. */
    @Override
    public String describe() {
        return info == null ? String.valueOf(channel.remoteAddress()) : info.describe();
    }

    // ---- Outbound ----

    /** Writes a packet; flushes are consolidated by the pipeline. */
    @Override
    public void send(MqttPacket packet) {
        if (!socketClosed) {
            out.send(packet);
        }
    }

    /**
     * Sends an application message. Returns false when it is larger than the client's Maximum Packet Size: then it
     * was not sent (MQTT-3.1.2-25).
     */
    @Override
    public boolean sendPublish(BrokerMessage m, Qos qos, boolean retainFlag, int packetId, boolean dup,
                               List<Integer> subscriptionIds, long now) {
        return out.sendPublish(m, qos, retainFlag, packetId, dup, subscriptionIds, now);
    }

    /** Properties carrying a reason string, when the client did not ask to be spared them. */
    MqttProperties reason(String reasonString) {
        return out.reason(reasonString);
    }

    /** The authentication method of CONNECT (MQTT 5.0 enhanced authentication), or {@code null}. */
    String authMethod() {
        return authMethod;
    }

    void authMethod(String method) {
        this.authMethod = method;
    }

    /** Sends AUTH and hands the client's answering AUTH to {@code next}, ahead of any packet waiting. */
    void continueAuthentication(io.mast.codec.packet.Auth challenge, java.util.function.Consumer<io.mast.codec.packet.Auth> next) {
        authWaiter = next;
        send(challenge);
        readGate.release(ReadGate.Reason.LOGIN); // the client's AUTH is read (limited as CONNECT), then held again
    }

    // ---- Closing ----

    /** Refuses the connection with a CONNACK carrying the reason, then closes it. */
    void refuse(ReasonCode reason, String reasonString) {
        if (isClosing()) {
            return;
        }
        state = State.CLOSING;
        ending.refused(reason);
        ClosingLog.refused(core.metrics(), reason, describe(), reasonString);
        MqttProperties props = version() != null && version().isV5() && reasonString != null
                ? MqttProperties.builder().reasonString(reasonString).build() : MqttProperties.EMPTY;
        out.sendAndClose(new ConnAck(false, reason, props));
    }

    /**
     * Closes the connection on the broker's initiative: MQTT 5.0 clients get a DISCONNECT with the reason first. The
     * will is published (the client did not disconnect normally).
     */
    public void disconnect(ReasonCode reason, String reasonString) {
        if (isClosing()) {
            return;
        }
        state = State.CLOSING;
        ending.byBroker(reason);
        ClosingLog.closed(core.metrics(), reason, describe(), reasonString);
        MqttVersion v = version();
        if (v != null && v.isV5() && reason.isValidFor(PacketType.DISCONNECT)) {
            out.sendAndClose(new Disconnect(reason, reason(reasonString)));
        } else {
            channel.close();
        }
    }

    /** The broker is stopping. */
    void shutdown() {
        ending.withoutWill();
        disconnect(ReasonCode.SERVER_SHUTTING_DOWN, "the broker is stopping");
    }

    /** The client sent DISCONNECT: close without its will, unless it asked for it (0x04). */
    void clientDisconnected(ReasonCode reason) {
        ending.byClient(reason);
        state = State.CLOSING;
        channel.close();
    }

    /** Another connection took over the session: tell this client (0x8E on MQTT 5.0) and close. */
    public void closeTakenOver() {
        runOnChannelLoop(() -> {
            ending.takenOver();
            disconnect(ReasonCode.SESSION_TAKEN_OVER, "another connection with the same client identifier");
        });
    }

    private void runOnChannelLoop(Runnable task) {
        if (channel.eventLoop().inEventLoop()) {
            task.run();
        } else {
            channel.eventLoop().execute(task);
        }
    }

    /** How long the packets a client sent before its socket closed may take to be handled. */
    private static final long DRAIN_TIMEOUT_MS = 30_000;

    /**
     * The socket closed (for whatever reason). What the client sent before is still handled, in order, as if it were
     * connected (its messages are routed; nothing can be answered); then the connection is gone and {@code gone} runs.
     */
    void closed(Runnable gone) {
        socketClosed = true;
        whenGone = gone;
        if (connectTimer != null) {
            connectTimer.cancel(false);
        }
        readGate.cancelTimer();
        if (session == null || inbound.isIdle()) {
            drained();
            return;
        }
        drainTimer = channel.eventLoop().schedule(() -> runOnLoop(this::drained), DRAIN_TIMEOUT_MS,
                TimeUnit.MILLISECONDS);
        runOnLoop(inbound::pump);
    }

    /** True once the socket closed: the backlog drains, and nothing can be sent. */
    @Override
    public boolean isSocketClosed() {
        return socketClosed;
    }

    /** True once the client's DISCONNECT was handled: nothing it sent after is. */
    @Override
    public boolean endedByClient() {
        return ending.isByClient();
    }

    /**
     * Nothing the client sent is left to handle (or the time for it ran out): reports the disconnection, detaches the
     * session (will, expiry) and lets go of the connection. Once.
     */
    @Override
    public void drained() {
        if (state == State.CLOSED) {
            return;
        }
        state = State.CLOSED;
        if (drainTimer != null) {
            drainTimer.cancel(false);
        }
        Session s = session;
        session = null;
        if (s != null) {
            takeQueuedDisconnect();
            int dropped = inbound.discard();
            if (dropped > 0) {
                core.metrics().messagesDroppedConnectionClosed.add(dropped);
                log.warn("{} message(s) of {} were not handled before its connection ended", dropped, describe());
            }
            boolean withWill = ending.withWill();
            core.events().clientDisconnected(info, ending.reason(), ending.description(), ending.isByClient(),
                    withWill && will != null);
            if (!ending.isTakenOver()) {
                s.execute(() -> s.detach(this, withWill));
            }
        } else {
            inbound.discard();
        }
        writableWaiters.run();
        Runnable gone = whenGone;
        whenGone = null;
        if (gone != null) {
            gone.run();
        }
    }

    /**
     * A DISCONNECT still in the backlog when the socket closed (it came behind a packet whose decision was pending,
     * and the client closed right after sending it, as most clients do) is the client's normal disconnection all the
     * same: reason {@code normal}, no will unless it asked for one (0x04).
     */
    private void takeQueuedDisconnect() {
        Disconnect d = ending.isByClient() ? null : inbound.queuedDisconnect();
        if (d != null) {
            ending.byClient(d.reasonCode());
        }
    }

    // ---- Flow control ----

    /** Runs the action when this connection can take bytes again, or closes. Any thread. */
    public void whenWritable(Runnable action) {
        writableWaiters.add(action);
        if (channel.isWritable() || !channel.isActive()) {
            writableWaiters.run();
        }
    }

    /** The channel became writable. */
    void writable() {
        writableWaiters.run();
        Session s = session;
        if (s != null) {
            s.execute(s::onWritable);
        }
    }

    /**
     * A subscriber this client publishes to cannot keep up (with {@code slow_subscribers.pause_publishers}), or the
     * broker's queues are full: stop reading from this client, and hold what was read already, until the congestion is
     * relieved or makes no progress for a second, so the broker does not accept what it cannot deliver.
     */
    void slowDownFor(Congestion congested) {
        if (state != State.CONNECTED || socketClosed) {
            return;
        }
        int pause = readGate.pause(congested);
        if (pause != 0) {
            core.metrics().backpressurePauses.increment();
            congested.whenRelieved(() -> runOnChannelLoop(() -> readGate.resume(pause)));
        }
    }

    /** The read gate reopened after a pause for a congested subscriber: the messages held meanwhile go on. */
    private void pausedReadingResumed() {
        runOnLoop(inbound::pump);
    }

    /** True while the broker does not read from this client (its keep-alive is not judged meanwhile). */
    boolean isReadingPaused() {
        return readGate.isClosed();
    }
}
