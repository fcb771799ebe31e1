package io.mast.broker.session;

import io.mast.broker.BrokerCore;
import io.mast.broker.connection.Connection;
import io.mast.broker.config.SlowSubscribersConfig;
import io.mast.broker.connection.ConnectionInfo;
import io.mast.broker.message.BrokerMessage;
import io.mast.broker.metrics.BrokerMetrics;
import io.mast.broker.routing.SharedGroup;
import io.mast.broker.routing.Subscriber;
import io.mast.broker.routing.SubscriptionEntry;
import io.mast.broker.routing.Waiters;
import io.mast.broker.session.OutboundFlow.Delivery;
import io.mast.broker.store.Persistence;
import io.mast.codec.MqttVersion;
import io.mast.codec.Qos;
import io.mast.codec.ReasonCode;
import io.mast.plugin.DropReason;
import io.mast.plugin.support.Durations;
import io.netty.util.concurrent.EventExecutor;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The state the broker keeps for one client identifier across connections: subscriptions, messages on their way to
 * the client, QoS 2 messages received from it, its pending will and its expiry. All of it is owned by the session's
 * {@link Mailbox}: methods other than those of {@link Subscriber} must run in it.
 */
public final class Session implements Subscriber {

    private static final Logger log = LoggerFactory.getLogger(Session.class);
    private static final io.mast.plugin.support.RateLimitedLog doorLog =
            new io.mast.plugin.support.RateLimitedLog(log, 10_000);
    /** Deliveries waiting in the mailbox beyond which the session counts as congested. */
    private static final int CONGESTED_BACKLOG = 1024;

    private final BrokerCore core;
    private final String clientId;
    private final Mailbox mailbox;
    private final OutboundFlow outbound = new OutboundFlow(this);
    private final Map<String, SubscriptionEntry> subscriptions = new HashMap<>(4);
    private final AtomicInteger pendingDeliveries = new AtomicInteger();
    /** The outbound queue's size, written in the mailbox and read by publishers for back-pressure. */
    private volatile int queued;
    /** Messages sent to the client, written in the mailbox only: how publishers paused for this session see progress. */
    private volatile long sent;
    /** Publishers paused until the queue drains (created on first use). */
    private final Waiters drainWaiters = new Waiters();
    /** {@code slow_subscribers.pause_publishers}: publishers feeding this session pause while it cannot keep up. */
    private final boolean pausesPublishers;
    /** A publisher's pause for this session ended without progress: it pauses no one until its queue drained. */
    private volatile boolean stalled;
    /** Numbers the QoS 1 and 2 deliveries to this session, in the store and in the order they were routed. */
    private final java.util.concurrent.atomic.AtomicLong sequence = new java.util.concurrent.atomic.AtomicLong();
    private Set<Integer> inboundQos2;
    private Set<Integer> inboundQos2Pending;
    private MqttVersion version;
    private long expiryInterval;
    private Connection connection;
    private volatile Connection current;
    private BrokerMessage delayedWill;
    private ConnectionInfo delayedWillPublisher;
    private ScheduledFuture<?> willTimer;
    private ScheduledFuture<?> expiryTimer;
    private boolean ended;
    private ConnectionInfo lastClient;

    public Session(BrokerCore core, String clientId, EventExecutor home) {
        this.core = core;
        this.clientId = clientId;
        this.mailbox = new Mailbox(clientId, home);
        this.pausesPublishers = core.config().slowSubscribers().pausePublishers();
    }

    @Override
    public String clientId() {
        return clientId;
    }

    public Mailbox mailbox() {
        return mailbox;
    }

    /** Runs a task in this session's mailbox. */
    public void execute(Runnable task) {
        mailbox.execute(task);
    }

    /** The connection of the client, or {@code null} while it is offline. */
    public Connection connection() {
        return connection;
    }

    public MqttVersion version() {
        return version;
    }

    public long expiryInterval() {
        return expiryInterval;
    }

    public boolean isEnded() {
        return ended;
    }

    /** The session's subscriptions by filter. */
    public Collection<SubscriptionEntry> subscriptions() {
        return subscriptions.values();
    }

    // ---- Subscriber: callable from any thread ----

    @Override
    public boolean isOnline() {
        return current != null;
    }

    /**
     * Congested, with {@code slow_subscribers.pause_publishers} only: its socket takes no more bytes, deliveries pile
     * up in its mailbox, or its queue and the deliveries on their way to it fill half of it (a client that acknowledges
     * slowly keeps its socket writable while its queue grows); and it has not stalled a publisher's pause since it last
     * drained. Offline sessions are never congested: their queue is bounded and what does not fit is dropped and
     * counted.
     */
    @Override
    public boolean isCongested() {
        if (!pausesPublishers || stalled) {
            return false;
        }
        Connection c = current;
        int pending = pendingDeliveries.get();
        return c != null && (!c.isWritable() || pending > CONGESTED_BACKLOG || queued + pending > maxQueued() / 2);
    }

    @Override
    public void whenRelieved(Runnable action) {
        Connection c = current;
        if (c == null) {
            action.run();
        } else if (backlog() > maxQueued() / 4) {
            drainWaiters.add(action);
            if (backlog() <= maxQueued() / 4 || current == null) {
                drainWaiters.run();
            }
        } else {
            c.whenWritable(action);
        }
    }

    @Override
    public void stalled() {
        stalled = true;
    }

    @Override
    public long progress() {
        return sent;
    }

    /** A message left the queue for the client (called in the mailbox only). */
    void countSent() {
        sent++;
    }

    /** Messages queued, and handed to the mailbox but not yet queued or sent. */
    private int backlog() {
        return queued + pendingDeliveries.get();
    }

    /**
     * The outbound queue's size changed (in the mailbox); publishers waiting for it to drain resume at a quarter, and a
     * session that had stalled a pause may pause publishers again.
     */
    void queueSize(int size) {
        queued = size;
        if (backlog() <= maxQueued() / 4) {
            stalled = false;
            drainWaiters.run();
        }
    }

    @Override
    public void deliver(BrokerMessage message, Qos qos, boolean retainFlag, List<Integer> subscriptionIds, SharedGroup group) {
        if (pendingDeliveries.get() >= maxQueued() + CONGESTED_BACKLOG) {
            // The session's own thread cannot keep up with what is handed to it (a flood from many publishers): what
            // it has not even looked at yet is bounded too. The new message is dropped at the door, counted.
            core.metrics().dropped(DropReason.QUEUE_FULL).increment();
            doorLog.warn("Dropping messages for {} before they reach its queue: {} are waiting to be queued", clientId,
                    pendingDeliveries.get());
            if (core.events().wantsMessages()) {
                core.events().messageDropped(lastClient, message, DropReason.QUEUE_FULL);
            }
            return;
        }
        // Stored here, in the publisher's thread, so that the publisher's acknowledgement (after the store's barrier)
        // means the message is stored for every session it goes to.
        Delivery d = new Delivery(message, qos, retainFlag, subscriptionIds, group, store(message, qos, retainFlag,
                subscriptionIds));
        pendingDeliveries.incrementAndGet();
        mailbox.execute(() -> {
            pendingDeliveries.decrementAndGet();
            if (!ended) {
                outbound.offer(d);
                if (backlog() <= maxQueued() / 4) {
                    drainWaiters.run(); // sent at once, or queued: publishers paused for this session may go on
                }
            }
        });
    }

    // ---- Lifecycle: in the mailbox ----

    /**
     * Attaches a client's new connection, taking over the previous one if it is still open (which is closed with
     * 0x8E Session taken over). Returns false when the session ended meanwhile, or ended now because it had no
     * expiry and so lasted only as long as the connection taken over: the caller must open a new one.
     *
     * @param c              the new connection
     * @param expirySeconds  the session expiry the connection asked for (after the server's limit)
     */
    public boolean attach(Connection c, long expirySeconds) {
        if (ended) {
            return false;
        }
        Connection old = connection;
        if (old != null && old != c && expiryInterval == 0) {
            // A session with no expiry (MQTT 3.1.1 Clean Session 1) lasts as long as its connection and is never
            // reused (MQTT-3.1.2-6, MQTT 5.0 section 3.1.2.11.2): it ends with the connection taken over, and the
            // new connection gets a new session.
            log.info("Client {} took over the connection of {}", c.info().describe(), old.info().describe());
            core.events().sessionTakenOver(this);
            replaced("takenover");
            return false;
        }
        if (old != null && old != c) {
            connection = null;
            current = null;
            core.metrics().sessionsTakenOver.increment();
            log.info("Client {} took over its session from {}", c.info().describe(), old.info().describe());
            core.events().sessionTakenOver(this);
            old.closeTakenOver();
            willOnLoss(old, true);
        }
        cancelTimers();
        if (delayedWill != null) {
            // The client came back before the will delay elapsed: the will is not sent (MQTT-3.1.3-9).
            delayedWill = null;
            delayedWillPublisher = null;
            core.persistence().willRemoved(clientId);
        }
        mailbox.moveTo(c.eventLoop());
        connection = c;
        current = c;
        lastClient = c.info();
        version = c.info().version();
        expiryInterval = expirySeconds;
        core.persistence().sessionSaved(new Persistence.SessionRecord(clientId, version.level(), expiryInterval, 0,
                lastClient.username()));
        BrokerMessage will = c.peekWill();
        if (will != null) {
            // Kept while connected: should the broker stop without the client disconnecting, it is sent at restart.
            core.persistence().willSaved(clientId, new Persistence.StoredWill(will, c.willDelaySeconds(), 0));
        }
        return true;
    }

    /** After CONNACK: sends what the client missed (resumed session) and what is queued. */
    public void resume(Connection c) {
        outbound.resend(c);
    }

    /**
     * The client's connection closed. Publishes or schedules its will when {@code withWill}, hands unacknowledged
     * shared-subscription messages to other members, and ends the session now or when it expires.
     */
    public void detach(Connection c, boolean withWill) {
        if (connection != c) {
            return;
        }
        connection = null;
        current = null;
        drainWaiters.run();
        if (withWill) {
            willOnLoss(c, expiryInterval > 0);
        } else if (c.peekWill() != null) {
            core.persistence().willRemoved(clientId);
        }
        outbound.redistributeShared();
        if (expiryInterval == 0) {
            end("disconnected");
            return;
        }
        core.persistence().sessionSaved(new Persistence.SessionRecord(clientId, version.level(), expiryInterval,
                System.currentTimeMillis(), lastClient == null ? null : lastClient.username()));
        if (!Durations.isNever(java.time.Duration.ofSeconds(expiryInterval))) {
            expiryTimer = mailbox.home().schedule(() -> execute(this::expire), expiryInterval, TimeUnit.SECONDS);
        }
    }

    /** The will of a connection that was lost: now, after its delay, or when the session ends, whichever is first. */
    private void willOnLoss(Connection c, boolean sessionContinues) {
        BrokerMessage will = c.takeWill();
        if (will == null) {
            return;
        }
        long delay = c.willDelaySeconds();
        if (delay == 0 || !sessionContinues) {
            core.persistence().willRemoved(clientId);
            publishWill(will, c.info());
            return;
        }
        delayWill(will, c.info(), delay, System.currentTimeMillis() + delay * 1000);
    }

    /** Holds a will until {@code publishAt} (epoch ms), or until the session ends if that comes first. */
    private void delayWill(BrokerMessage will, ConnectionInfo publisher, long delaySeconds, long publishAt) {
        delayedWill = will;
        delayedWillPublisher = publisher;
        core.persistence().willSaved(clientId, new Persistence.StoredWill(will, delaySeconds, publishAt));
        long in = Math.max(0, publishAt - System.currentTimeMillis());
        willTimer = mailbox.home().schedule(() -> execute(this::publishDelayedWill), in, TimeUnit.MILLISECONDS);
    }

    private void publishDelayedWill() {
        if (delayedWill != null && connection == null) {
            BrokerMessage will = delayedWill;
            delayedWill = null;
            core.persistence().willRemoved(clientId);
            publishWill(will, delayedWillPublisher);
        }
    }

    private void publishWill(BrokerMessage will, ConnectionInfo publisher) {
        core.metrics().willsPublished.increment();
        log.debug("Publishing the will of {} to {}", clientId, will.topic());
        if (will.expiresAt() != 0) {
            // Its Message Expiry Interval (held as expiresAt - createdAt) counts from now (MQTT 5.0 3.1.3.2.4).
            long now = System.currentTimeMillis();
            will = new BrokerMessage(will.topic(), will.payload(), will.qos(), will.retain(), will.properties(),
                    will.publisherId(), now, now + (will.expiresAt() - will.createdAt()));
        }
        core.publisher().publish(will, publisher, null);
    }

    private void expire() {
        if (connection == null && !ended) {
            core.metrics().sessionsExpired.increment();
            log.debug("Session of {} expired", clientId);
            end("expired");
        }
    }

    /**
     * A new connection with Clean Start replaces this session (reason {@code discarded}), or takes over a session that
     * lasted only as long as its connection ({@code takenover}): close its connection and end it.
     */
    public void replaced(String reason) {
        Connection old = connection;
        if (old != null) {
            connection = null;
            current = null;
            core.metrics().sessionsTakenOver.increment();
            old.closeTakenOver();
            willOnLoss(old, false);
        }
        end(reason);
    }

    /**
     * Ends the session: its will (if delayed) goes out, its subscriptions and messages are removed.
     *
     * @param reason why, for plugins: {@code expired}, {@code disconnected} (it had no expiry), {@code discarded},
     *               {@code takenover}
     */
    public void end(String reason) {
        if (ended) {
            return;
        }
        core.events().sessionTerminated(this, reason);
        ended = true;
        cancelTimers();
        for (SubscriptionEntry e : subscriptions.values()) {
            core.tree().unsubscribe(this, e.filter());
        }
        subscriptions.clear();
        outbound.discard();
        inboundQos2 = null;
        inboundQos2Pending = null;
        core.registry().removed(this);
        core.persistence().sessionRemoved(clientId);
        // A will delayed past the end of the session goes out once the session has ended (MQTT 5.0 3.1.3.2.2: "until
        // the Will Delay Interval has passed or the Session ends"): whoever receives it finds the session gone.
        if (delayedWill != null) {
            BrokerMessage will = delayedWill;
            delayedWill = null;
            publishWill(will, delayedWillPublisher);
        }
    }

    private void cancelTimers() {
        if (expiryTimer != null) {
            expiryTimer.cancel(false);
            expiryTimer = null;
        }
        if (willTimer != null) {
            willTimer.cancel(false);
            willTimer = null;
        }
    }

    /** The client changed its session expiry in DISCONNECT. */
    public void expiryInterval(long seconds) {
        this.expiryInterval = seconds;
    }

    // ---- Subscriptions ----

    /** Adds or replaces a subscription; returns true when one with the same filter existed. */
    public boolean subscribe(SubscriptionEntry entry) {
        SubscriptionEntry previous = core.tree().subscribe(entry);
        subscriptions.put(entry.filter(), entry);
        core.persistence().subscriptionAdded(clientId, entry);
        return previous != null;
    }

    /** Removes a subscription; returns false when there was none. */
    public boolean unsubscribe(String filter) {
        if (subscriptions.remove(filter) == null) {
            return false;
        }
        core.tree().unsubscribe(this, filter);
        core.persistence().subscriptionRemoved(clientId, filter);
        return true;
    }

    /** Sends a retained message for a new subscription (RETAIN set, MQTT-3.3.1-8). */
    public void deliverRetained(BrokerMessage message, Qos granted, int subscriptionId) {
        Qos qos = Qos.min(message.qos(), granted);
        List<Integer> ids = subscriptionId == 0 ? List.of() : List.of(subscriptionId);
        outbound.offer(new Delivery(message, qos, true, ids, null, store(message, qos, true, ids)));
    }

    /** Numbers a QoS 1 or 2 delivery and stores it; returns its sequence number (0 for QoS 0, not stored). */
    private long store(BrokerMessage message, Qos qos, boolean retainFlag, List<Integer> subscriptionIds) {
        if (qos == Qos.AT_MOST_ONCE) {
            return 0;
        }
        long seq = sequence.incrementAndGet();
        core.persistence().deliveryStored(clientId, seq, message, qos, retainFlag, subscriptionIds);
        return seq;
    }

    // ---- Messages from the client's acknowledgements ----

    public void onPubAck(int packetId) {
        outbound.onPubAck(packetId);
    }

    public void onPubRec(int packetId, ReasonCode reason, Connection c) {
        outbound.onPubRec(packetId, reason, c);
    }

    public void onPubComp(int packetId) {
        outbound.onPubComp(packetId);
    }

    /** The connection can take bytes again. */
    public void onWritable() {
        outbound.drain();
    }

    // ---- QoS 2 from the client ----

    /** True when a QoS 2 PUBLISH with this packet identifier was accepted and not yet released. */
    public boolean hasInboundQos2(int packetId) {
        return inboundQos2 != null && inboundQos2.contains(packetId);
    }

    /**
     * A QoS 2 PUBLISH arrived: returns false when its packet identifier is already taken, by a message accepted and
     * not yet released or by one whose decision is still under way, so that a re-send (DUP) is not routed twice. Until
     * {@link #addInboundQos2} or {@link #inboundQos2Refused}, the identifier counts as pending (not stored).
     */
    public boolean beginInboundQos2(int packetId) {
        if (hasInboundQos2(packetId) || (inboundQos2Pending != null && inboundQos2Pending.contains(packetId))) {
            return false;
        }
        if (inboundQos2Pending == null) {
            inboundQos2Pending = new HashSet<>(4);
        }
        inboundQos2Pending.add(packetId);
        return true;
    }

    /** The QoS 2 message was accepted (routed): PUBREC goes out, and the receipt is kept until PUBREL. */
    public void addInboundQos2(int packetId) {
        if (inboundQos2Pending != null) {
            inboundQos2Pending.remove(packetId);
        }
        if (inboundQos2 == null) {
            inboundQos2 = new HashSet<>();
        }
        inboundQos2.add(packetId);
        core.persistence().inboundQos2Received(clientId, packetId);
    }

    /** The QoS 2 message was refused (PUBREC with an error): its packet identifier is free again. */
    public void inboundQos2Refused(int packetId) {
        if (inboundQos2Pending != null) {
            inboundQos2Pending.remove(packetId);
        }
    }

    /** PUBREL: returns false when the packet identifier was unknown. */
    public boolean releaseInboundQos2(int packetId) {
        if (inboundQos2 == null || !inboundQos2.remove(packetId)) {
            return false;
        }
        core.persistence().inboundQos2Released(clientId, packetId);
        return true;
    }

    // ---- For the outbound flow ----

    BrokerMetrics metrics() {
        return core.metrics();
    }

    Persistence persistence() {
        return core.persistence();
    }

    io.mast.broker.policy.Policy policy() {
        return core.policy();
    }

    io.mast.broker.BrokerEvents events() {
        return core.events();
    }

    int maxInflight() {
        return core.config().limits().maxInflightMessages();
    }

    int maxQueued() {
        return core.config().limits().maxQueuedMessages();
    }

    boolean queueQos0Offline() {
        return core.config().session().queueQos0Messages();
    }

    long maxQueuedBytes() {
        return core.config().limits().maxQueuedBytes();
    }

    io.mast.broker.routing.QueueBudget budget() {
        return core.queueBudget();
    }

    SlowSubscribersConfig slowSubscribers() {
        return core.config().slowSubscribers();
    }

    SlowSubscribersConfig.Overflow overflow() {
        return core.config().slowSubscribers().overflow();
    }

    /** Logs drops of this session's messages (the outbound flow calls it at most every 10 s per session). */
    void logDrops(long count, io.mast.plugin.DropReason reason, String topic, int queuedMessages, long queuedBytes) {
        log.warn("Dropped {} message(s) for {} ({}), such as one on {}: its queue holds {} messages, {} bytes{}",
                count, clientId, reason.name().toLowerCase(java.util.Locale.ROOT), topic, queuedMessages, queuedBytes,
                connection == null ? " (offline)" : "");
    }

    /** Messages waiting to be sent and sent but unacknowledged, for tests and monitoring. */
    public int inflightCount() {
        return outbound.inflightCount();
    }

    public int queuedCount() {
        return outbound.queuedCount();
    }

    /**
     * Restores the session from the store at startup (in the mailbox, before any client can connect): subscriptions,
     * messages on their way (in their order; expired ones are dropped), QoS 2 receipts, the will, and the expiry,
     * which keeps counting from the disconnection (from now for a client that was connected when the broker stopped,
     * whose will is then published as for a lost connection).
     *
     * @return false when the session had expired: it is removed
     */
    boolean restore(Persistence.StoredSession stored, long now) {
        Persistence.SessionRecord r = stored.record();
        version = switch (r.protocolLevel()) {
            case 3 -> io.mast.codec.MqttVersion.MQTT_3_1;
            case 5 -> io.mast.codec.MqttVersion.MQTT_5;
            default -> io.mast.codec.MqttVersion.MQTT_3_1_1;
        };
        expiryInterval = r.expiryIntervalSeconds();
        lastClient = new ConnectionInfo(clientId, r.username(), version, null, 0, "restored", 0, false, 0);
        long disconnectedAt = r.disconnectedAt() == 0 ? now : r.disconnectedAt();
        boolean never = Durations.isNever(java.time.Duration.ofSeconds(expiryInterval));
        long remaining = never ? Long.MAX_VALUE : disconnectedAt + expiryInterval * 1000 - now;
        if (expiryInterval == 0 || remaining <= 0) {
            ended = true;
            core.persistence().sessionRemoved(clientId);
            Persistence.StoredWill w = stored.will();
            if (w != null) {
                publishWill(w.message(), lastClient); // the session ended: its will goes out
            }
            return false;
        }
        if (r.disconnectedAt() == 0) {
            core.persistence().sessionSaved(new Persistence.SessionRecord(clientId, r.protocolLevel(), expiryInterval,
                    disconnectedAt, r.username()));
        }
        for (Persistence.StoredSubscription sub : stored.subscriptions()) {
            io.mast.plugin.TopicFilters.SharedFilter shared = io.mast.plugin.TopicFilters.parseShared(sub.filter());
            SubscriptionEntry e = new SubscriptionEntry(this, sub.filter(), shared == null ? sub.filter() : shared.filter(),
                    shared == null ? null : shared.group(), sub.qos(), sub.noLocal(), sub.retainAsPublished(),
                    sub.retainHandling(), sub.subscriptionId());
            core.tree().subscribe(e);
            subscriptions.put(e.filter(), e);
        }
        long maxSequence = 0;
        for (Persistence.StoredDelivery d : stored.outbound()) {
            maxSequence = Math.max(maxSequence, d.sequence());
            if (d.packetId() == 0 && d.message().isExpired(now)) {
                core.persistence().deliveryRemoved(clientId, d.sequence());
                core.metrics().dropped(io.mast.plugin.DropReason.EXPIRED).increment();
                continue;
            }
            Delivery delivery = new Delivery(d.message(), d.qos(), d.retainFlag(), d.subscriptionIds(), null, d.sequence());
            if (d.packetId() != 0) {
                outbound.restoreInflight(d.packetId(), delivery, d.released());
            } else {
                outbound.restoreQueued(delivery);
            }
        }
        sequence.set(maxSequence);
        if (!stored.inboundQos2().isEmpty()) {
            inboundQos2 = new HashSet<>(stored.inboundQos2());
        }
        Persistence.StoredWill w = stored.will();
        if (w != null) {
            long publishAt = w.publishAt() != 0 ? w.publishAt() : now + w.delaySeconds() * 1000;
            if (publishAt <= now) {
                core.persistence().willRemoved(clientId);
                publishWill(w.message(), lastClient);
            } else {
                delayWill(w.message(), lastClient, w.delaySeconds(), publishAt);
            }
        }
        if (!never) {
            expiryTimer = mailbox.home().schedule(() -> execute(this::expire), remaining, TimeUnit.MILLISECONDS);
        }
        return true;
    }

    /** A snapshot for plugins and tools; in the mailbox. */
    public io.mast.plugin.SessionInfo snapshot() {
        java.util.List<io.mast.plugin.Subscription> subs = new java.util.ArrayList<>(subscriptions.size());
        for (SubscriptionEntry e : subscriptions.values()) {
            subs.add(new io.mast.plugin.Subscription(e.filter(), e.qos().level(), e.noLocal(), e.retainAsPublished(),
                    e.retainHandling().value(), e.subscriptionId()));
        }
        return new io.mast.plugin.SessionInfo(clientId, connection != null, lastClient, expiryInterval, subs,
                outbound.queuedCount(), outbound.inflightCount());
    }

    /** The client of the current or last connection, or {@code null} for a session no client has used yet. */
    public ConnectionInfo lastClient() {
        return lastClient;
    }

    /** A session created without a client (a plugin subscribed on its behalf): it expires unless a client comes. */
    void startOffline(long expirySeconds) {
        expiryInterval = expirySeconds;
        if (!Durations.isNever(java.time.Duration.ofSeconds(expirySeconds))) {
            expiryTimer = mailbox.home().schedule(() -> execute(this::expire), expirySeconds, TimeUnit.SECONDS);
        }
    }

    @Override
    public String toString() {
        return "Session[" + clientId + (connection == null ? ", offline" : ", online") + "]";
    }
}
