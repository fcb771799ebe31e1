package io.mast.broker.session;

import io.mast.broker.client.ConnectionInfo;
import io.mast.broker.events.SessionView;
import io.mast.broker.message.BrokerMessage;
import io.mast.broker.routing.SharedGroup;
import io.mast.broker.routing.Subscriber;
import io.mast.broker.routing.SubscriptionEntry;
import io.mast.broker.store.Persistence;
import io.mast.codec.MqttVersion;
import io.mast.codec.Qos;
import io.mast.codec.ReasonCode;
import io.mast.plugin.DropReason;
import io.mast.plugin.SessionInfo;
import io.mast.plugin.support.Durations;
import io.mast.plugin.support.RateLimitedLog;
import io.netty.util.concurrent.EventExecutor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The state the broker keeps for one client identifier across connections, and its lifecycle: attached to a
 * connection (taking over the previous one), detached, expired, replaced or ended. What it holds is kept by parts of
 * its own: the messages on their way to the client ({@link OutboundFlow}), the deliveries handed to it
 * ({@link SessionIntake}), the QoS 2 messages received from the client ({@link InboundQos2}), its will
 * ({@link SessionWill}), and its subscriptions (here). All of it is owned by the session's {@link Mailbox}: methods other
 * than those of {@link Subscriber} must run in it.
 */
public final class Session implements Subscriber, SessionView {

    private static final Logger log = LoggerFactory.getLogger(Session.class);
    private static final RateLimitedLog doorLog = new RateLimitedLog(log, 10_000);

    private final SessionRegistry registry;
    private final SessionServices services;
    private final String clientId;
    private final Mailbox mailbox;
    private final OutboundFlow outbound;
    private final SessionIntake intake;
    private final InboundQos2 inboundQos2;
    private final SessionWill will;
    private final Map<String, SubscriptionEntry> subscriptions = new HashMap<>(4);
    /** Numbers the QoS 1 and 2 deliveries to this session, in the store and in the order they were routed. */
    private final AtomicLong sequence = new AtomicLong();
    private MqttVersion version;
    private long expiryInterval;
    private ClientLink connection;
    private volatile ClientLink current;
    private ScheduledFuture<?> expiryTimer;
    private boolean ended;
    private ConnectionInfo lastClient;

    Session(SessionRegistry registry, String clientId, EventExecutor home) {
        this.registry = registry;
        this.services = registry.services();
        this.clientId = clientId;
        this.mailbox = new Mailbox(clientId, home);
        this.outbound = new OutboundFlow(this);
        this.intake = new SessionIntake(services.config().limits().maxQueuedMessages(),
                services.config().slowSubscribers().pausePublishers(), () -> current);
        this.inboundQos2 = new InboundQos2(clientId, services.persistence());
        this.will = new SessionWill(clientId, services, mailbox, () -> connection == null);
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
    public ClientLink connection() {
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

    /** The QoS 2 messages received from the client and not yet released. */
    public InboundQos2 inboundQos2() {
        return inboundQos2;
    }

    /** The client of the current or last connection, or {@code null} for a session no client has used yet. */
    public ConnectionInfo lastClient() {
        return lastClient;
    }

    // ---- Subscriber: callable from any thread ----

    @Override
    public boolean isOnline() {
        return current != null;
    }

    @Override
    public boolean isCongested() {
        return intake.isCongested();
    }

    @Override
    public void whenRelieved(Runnable action) {
        intake.whenRelieved(action);
    }

    @Override
    public void stalled() {
        intake.stalled();
    }

    @Override
    public long progress() {
        return intake.progress();
    }

    @Override
    public void deliver(BrokerMessage message, Qos qos, boolean retainFlag, List<Integer> subscriptionIds,
                        SharedGroup group) {
        if (!intake.admit()) {
            // The session's own thread cannot keep up with what is handed to it: what it has not even looked at yet
            // is bounded too. The new message is dropped at the door, counted.
            services.metrics().dropped(DropReason.QUEUE_FULL).increment();
            doorLog.warn("Dropping messages for {} before they reach its queue: {} are waiting to be queued", clientId,
                    intake.pending());
            if (services.events().wantsMessages()) {
                services.events().messageDropped(lastClient, message, DropReason.QUEUE_FULL);
            }
            return;
        }
        // Stored here, in the publisher's thread, so that the publisher's acknowledgement (after the store's barrier)
        // means the message is stored for every session it goes to.
        Delivery d = new Delivery(message, qos, retainFlag, subscriptionIds, group,
                store(message, qos, retainFlag, subscriptionIds));
        mailbox.execute(() -> {
            intake.taken();
            if (!ended) {
                outbound.offer(d);
                intake.offered();
            }
        });
    }

    // ---- Lifecycle: in the mailbox ----

    /**
     * Attaches a client's new connection, taking over the previous one if it is still open (which is closed with
     * 0x8E Session taken over). Returns false when the session ended meanwhile, or ended now because it had no
     * expiry and so lasted only as long as the connection taken over: the caller must open a new one.
     *
     * @param c             the new connection
     * @param expirySeconds the session expiry the connection asked for (after the server's limit)
     */
    public boolean attach(ClientLink c, long expirySeconds) {
        if (ended) {
            return false;
        }
        ClientLink old = connection;
        if (old != null && old != c && expiryInterval == 0) {
            // A session with no expiry (MQTT 3.1.1 Clean Session 1) lasts as long as its connection and is never
            // reused (MQTT-3.1.2-6, MQTT 5.0 section 3.1.2.11.2): it ends with the connection taken over, and the
            // new connection gets a new session.
            log.info("Client {} took over the connection of {}", c.info().describe(), old.info().describe());
            services.events().sessionTakenOver(this);
            replaced("takenover");
            return false;
        }
        if (old != null && old != c) {
            connection = null;
            current = null;
            services.metrics().sessionsTakenOver.increment();
            log.info("Client {} took over its session from {}", c.info().describe(), old.info().describe());
            services.events().sessionTakenOver(this);
            old.closeTakenOver();
            will.lost(old, true);
        }
        cancelExpiry();
        mailbox.moveTo(c.eventLoop());
        connection = c;
        current = c;
        lastClient = c.info();
        version = c.info().version();
        expiryInterval = expirySeconds;
        services.persistence().sessionSaved(new Persistence.SessionRecord(clientId, version.level(), expiryInterval, 0,
                lastClient.username()));
        will.connected(c);
        return true;
    }

    /** After CONNACK: sends what the client missed (resumed session) and what is queued. */
    public void resume(ClientLink c) {
        outbound.resend(c);
    }

    /**
     * The client's connection closed. Publishes or schedules its will when {@code withWill}, hands unacknowledged
     * shared-subscription messages to other members, and ends the session now or when it expires.
     */
    public void detach(ClientLink c, boolean withWill) {
        if (connection != c) {
            return;
        }
        connection = null;
        current = null;
        intake.offline();
        if (withWill) {
            will.lost(c, expiryInterval > 0);
        } else {
            will.discarded(c);
        }
        outbound.redistributeShared();
        if (expiryInterval == 0) {
            end("disconnected");
            return;
        }
        services.persistence().sessionSaved(new Persistence.SessionRecord(clientId, version.level(), expiryInterval,
                System.currentTimeMillis(), lastClient == null ? null : lastClient.username()));
        expireIn(expiryInterval * 1000);
    }

    /**
     * A new connection with Clean Start replaces this session (reason {@code discarded}), or takes over a session that
     * lasted only as long as its connection ({@code takenover}): close its connection and end it.
     */
    public void replaced(String reason) {
        ClientLink old = connection;
        if (old != null) {
            connection = null;
            current = null;
            services.metrics().sessionsTakenOver.increment();
            old.closeTakenOver();
            will.lost(old, false);
        }
        end(reason);
    }

    /**
     * Ends the session: its subscriptions and messages are removed, then its will (if delayed) goes out.
     *
     * @param reason why, for plugins: {@code expired}, {@code disconnected} (it had no expiry), {@code discarded},
     *               {@code takenover}
     */
    public void end(String reason) {
        if (ended) {
            return;
        }
        services.events().sessionTerminated(this, reason);
        ended = true;
        cancelExpiry();
        for (SubscriptionEntry e : subscriptions.values()) {
            services.tree().unsubscribe(this, e.filter());
        }
        subscriptions.clear();
        outbound.discard();
        inboundQos2.clear();
        registry.removed(this);
        services.persistence().sessionRemoved(clientId);
        // A will delayed past the end of the session goes out once the session has ended (MQTT 5.0 3.1.3.2.2: "until
        // the Will Delay Interval has passed or the Session ends"): whoever receives it finds the session gone.
        will.sessionEnded();
    }

    /** The client changed its session expiry in DISCONNECT. */
    public void expiryInterval(long seconds) {
        this.expiryInterval = seconds;
    }

    /** A session created without a client (a plugin subscribed on its behalf): it expires unless a client comes. */
    void startOffline(long expirySeconds) {
        expiryInterval = expirySeconds;
        expireIn(expirySeconds * 1000);
    }

    private void expireIn(long millis) {
        if (!Durations.isNever(Duration.ofSeconds(expiryInterval))) {
            expiryTimer = mailbox.home().schedule(() -> execute(this::expire), millis, TimeUnit.MILLISECONDS);
        }
    }

    private void expire() {
        if (connection == null && !ended) {
            services.metrics().sessionsExpired.increment();
            log.debug("Session of {} expired", clientId);
            end("expired");
        }
    }

    private void cancelExpiry() {
        if (expiryTimer != null) {
            expiryTimer.cancel(false);
            expiryTimer = null;
        }
        will.cancelTimer();
    }

    // ---- Subscriptions ----

    /** Adds or replaces a subscription; returns true when one with the same filter existed. */
    public boolean subscribe(SubscriptionEntry entry) {
        SubscriptionEntry previous = services.tree().subscribe(entry);
        subscriptions.put(entry.filter(), entry);
        services.persistence().subscriptionAdded(clientId, new Persistence.StoredSubscription(entry.filter(),
                entry.qos(), entry.noLocal(), entry.retainAsPublished(), entry.retainHandling(),
                entry.subscriptionId()));
        return previous != null;
    }

    /** Removes a subscription; returns false when there was none. */
    public boolean unsubscribe(String filter) {
        if (subscriptions.remove(filter) == null) {
            return false;
        }
        services.tree().unsubscribe(this, filter);
        services.persistence().subscriptionRemoved(clientId, filter);
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
        services.persistence().deliveryStored(clientId, seq, message, qos, retainFlag, subscriptionIds);
        return seq;
    }

    // ---- The client's acknowledgements ----

    public void onPubAck(int packetId) {
        outbound.onPubAck(packetId);
    }

    public void onPubRec(int packetId, ReasonCode reason, ClientLink c) {
        outbound.onPubRec(packetId, reason, c);
    }

    public void onPubComp(int packetId) {
        outbound.onPubComp(packetId);
    }

    /** The connection can take bytes again. */
    public void onWritable() {
        outbound.drain();
    }

    /** Messages sent and not yet acknowledged, for tests and monitoring. */
    public int inflightCount() {
        return outbound.inflightCount();
    }

    /** Messages waiting to be sent, for tests and monitoring. */
    public int queuedCount() {
        return outbound.queuedCount();
    }

    // ---- For the outbound flow ----

    SessionServices services() {
        return services;
    }

    SessionIntake intake() {
        return intake;
    }

    /** Logs drops of this session's messages (the outbound flow calls it at most every 10 s per session). */
    void logDrops(long count, DropReason reason, String topic, int queuedMessages, long queuedBytes) {
        log.warn("Dropped {} message(s) for {} ({}), such as one on {}: its queue holds {} messages, {} bytes{}",
                count, clientId, io.mast.broker.metrics.BrokerMetrics.dropName(reason), topic, queuedMessages, queuedBytes,
                connection == null ? " (offline)" : "");
    }

    // ---- Restore ----

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
            case 3 -> MqttVersion.MQTT_3_1;
            case 5 -> MqttVersion.MQTT_5;
            default -> MqttVersion.MQTT_3_1_1;
        };
        expiryInterval = r.expiryIntervalSeconds();
        lastClient = new ConnectionInfo(clientId, r.username(), version, null, 0, "restored", 0, false, 0);
        long disconnectedAt = r.disconnectedAt() == 0 ? now : r.disconnectedAt();
        boolean never = Durations.isNever(Duration.ofSeconds(expiryInterval));
        long remaining = never ? Long.MAX_VALUE : disconnectedAt + expiryInterval * 1000 - now;
        if (expiryInterval == 0 || remaining <= 0) {
            ended = true;
            services.persistence().sessionRemoved(clientId);
            if (stored.will() != null) {
                will.publishRestored(stored.will(), lastClient); // the session ended: its will goes out
            }
            return false;
        }
        if (r.disconnectedAt() == 0) {
            services.persistence().sessionSaved(new Persistence.SessionRecord(clientId, r.protocolLevel(),
                    expiryInterval, disconnectedAt, r.username()));
        }
        for (Persistence.StoredSubscription sub : stored.subscriptions()) {
            io.mast.plugin.TopicFilters.SharedFilter shared = io.mast.plugin.TopicFilters.parseShared(sub.filter());
            SubscriptionEntry e = new SubscriptionEntry(this, sub.filter(),
                    shared == null ? sub.filter() : shared.filter(), shared == null ? null : shared.group(), sub.qos(),
                    sub.noLocal(), sub.retainAsPublished(), sub.retainHandling(), sub.subscriptionId());
            services.tree().subscribe(e);
            subscriptions.put(e.filter(), e);
        }
        sequence.set(outbound.restore(stored.outbound(), now));
        inboundQos2.restore(stored.inboundQos2());
        if (stored.will() != null) {
            will.restore(stored.will(), lastClient, now);
        }
        expireIn(remaining);
        return true;
    }

    /** A snapshot for plugins and tools; in the mailbox. */
    @Override
    public SessionInfo snapshot() {
        List<io.mast.plugin.Subscription> subs = new ArrayList<>(subscriptions.size());
        for (SubscriptionEntry e : subscriptions.values()) {
            subs.add(new io.mast.plugin.Subscription(e.filter(), e.qos().level(), e.noLocal(), e.retainAsPublished(),
                    e.retainHandling().value(), e.subscriptionId()));
        }
        return new SessionInfo(clientId, connection != null, lastClient, expiryInterval, subs,
                outbound.queuedCount(), outbound.inflightCount());
    }

    @Override
    public String toString() {
        return "Session[" + clientId + (connection == null ? ", offline" : ", online") + "]";
    }
}
