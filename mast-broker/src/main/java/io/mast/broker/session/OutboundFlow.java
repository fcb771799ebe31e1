package io.mast.broker.session;

import io.mast.broker.events.BrokerEvents;
import io.mast.broker.policy.Policy;
import io.mast.broker.routing.SubscriptionEntry;
import io.mast.broker.store.Persistence;
import io.mast.codec.MqttProperties;
import io.mast.codec.Qos;
import io.mast.codec.ReasonCode;
import io.mast.codec.packet.PubRel;
import io.mast.plugin.DropReason;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Messages on their way from the broker to one session's client: the QoS 1 and 2 messages sent and not yet
 * acknowledged (the inflight window, in send order for redelivery) and the messages waiting behind them (the
 * {@link OutboundQueue}). Runs in the session's mailbox only.
 *
 * <p>A message is sent at once when the client is connected, its connection can take bytes, nothing waits before it
 * and (for QoS 1 and 2) the window has room; otherwise it is queued. The queue drains as acknowledgements arrive and
 * as the connection becomes writable. What does not fit in the queue is dropped as {@code slow_subscribers.overflow}
 * says; every message not delivered is counted by reason, announced to plugins, and logged at most every 10 s per
 * session; a connected client that took nothing for {@code slow_subscribers.disconnect_after} while its queue
 * overflowed is disconnected.
 */
final class OutboundFlow {

    /** A QoS 1 or 2 message sent and awaiting acknowledgement. */
    static final class Inflight {
        final Delivery delivery;
        boolean released; // QoS 2: PUBREC received, PUBREL sent
        boolean awaitingResend; // not yet sent again on this connection (the client's Receive Maximum was reached)

        Inflight(Delivery delivery) {
            this.delivery = delivery;
        }
    }

    /** How often, at most, the drops of one session are logged. */
    private static final long DROP_LOG_INTERVAL_MS = 10_000;

    private final Session session;
    private final SessionServices services;
    private final OutboundQueue queue;
    private LinkedHashMap<Integer, Inflight> inflight;
    /** When the queue first overflowed since the client last took a message (epoch ms), or 0. */
    private long overflowingSince;
    /** Drops of this session not yet logged, and when they were last logged. */
    private long unloggedDrops;
    private long droppedLoggedAt;
    private int nextPacketId = 1;
    /** Inflight messages not yet sent again since the client reconnected. */
    private int awaitingResend;
    /** Messages were queued without a RECEIVE check because no client had used the session yet. */
    private boolean receiveUnchecked;

    OutboundFlow(Session session) {
        this.session = session;
        this.services = session.services();
        this.queue = new OutboundQueue(services.config().limits(), services.config().slowSubscribers().overflow(),
                services.queueBudget());
    }

    int inflightCount() {
        return inflight == null ? 0 : inflight.size();
    }

    int queuedCount() {
        return queue.size();
    }

    /**
     * Takes a new message for the client. When topic plugins check RECEIVE, the decision is asked first; an answer
     * that is not yet known holds this message (and those after it) in the queue, so their order is kept.
     */
    void offer(Delivery d) {
        long now = System.currentTimeMillis();
        if (d.message().isExpired(now)) {
            dropped(d, DropReason.EXPIRED);
            forget(d);
            return;
        }
        Policy policy = services.policy();
        if (policy.checksReceive() && session.lastClient() == null) {
            // A session a plugin created for a client that never connected: checked when the client comes.
            receiveUnchecked = true;
        } else if (policy.checksReceive()) {
            CompletableFuture<Boolean> check =
                    policy.authorizeReceive(session.lastClient(), d.message()).toCompletableFuture();
            if (check.isDone()) {
                if (check.isCompletedExceptionally() || !check.join()) {
                    dropped(d, DropReason.NOT_AUTHORIZED);
                    forget(d);
                    return;
                }
            } else {
                d = d.withReceiveCheck(check);
                check.whenComplete((r, e) -> session.execute(this::drain));
                enqueue(d);
                return;
            }
        }
        ClientLink c = session.connection();
        if (c == null) {
            if (d.qos() == Qos.AT_MOST_ONCE && !services.config().session().queueQos0Messages()) {
                dropped(d, DropReason.QOS0_OFFLINE);
                return;
            }
            enqueue(d);
            return;
        }
        if (queue.isEmpty() && c.isWritable() && (d.qos() == Qos.AT_MOST_ONCE || inflightCount() < window(c))) {
            send(d, c, now);
        } else {
            enqueue(d);
        }
    }

    private int window(ClientLink c) {
        return Math.min(services.config().limits().maxInflightMessages(), c.peerReceiveMaximum());
    }

    /** Queues a message; what does not fit is dropped as the overflow policy says. */
    private void enqueue(Delivery d) {
        boolean[] overflowed = new boolean[1];
        boolean queued = queue.offer(d, victim -> {
            overflowed[0] = true;
            dropped(victim, DropReason.QUEUE_FULL);
            forget(victim);
        });
        if (!queued) {
            dropped(d, queue.brokerFull() ? DropReason.OVERLOADED : DropReason.QUEUE_FULL);
            forget(d);
        }
        if (!queued || overflowed[0]) {
            overflowed();
        }
        session.intake().queueSize(queue.size());
    }

    /** The queue overflowed: a connected client that has taken nothing for too long is disconnected. */
    private void overflowed() {
        ClientLink c = session.connection();
        if (c == null || services.config().slowSubscribers().neverDisconnects()) {
            return;
        }
        long now = System.currentTimeMillis();
        long allowed = services.config().slowSubscribers().disconnectAfter().toMillis();
        if (overflowingSince == 0) {
            overflowingSince = now;
        } else if (now - overflowingSince >= allowed) {
            overflowingSince = 0;
            c.disconnect(ReasonCode.QUOTA_EXCEEDED, "slow subscriber: took no message for " + allowed / 1000
                    + " s while its queue was full");
        }
    }

    /** Sends queued messages while the connection takes them and the window has room. */
    void drain() {
        ClientLink c = session.connection();
        if (c == null) {
            return;
        }
        long now = System.currentTimeMillis();
        int window = window(c);
        if (awaitingResend > 0) {
            resendWaiting(c, window, now);
        }
        while (!queue.isEmpty() && c.isWritable()) {
            Delivery head = queue.peek();
            if (!head.decided()) {
                break; // a RECEIVE decision is pending: what follows waits to keep the order
            }
            if (head.refused()) {
                queue.poll();
                forget(head);
                dropped(head, DropReason.NOT_AUTHORIZED);
                continue;
            }
            if (head.qos() != Qos.AT_MOST_ONCE && inflightCount() >= window) {
                break;
            }
            queue.poll();
            if (head.message().isExpired(now)) {
                dropped(head, DropReason.EXPIRED);
                forget(head);
                continue;
            }
            send(head, c, now);
        }
        session.intake().queueSize(queue.size());
    }

    /** The delivery is done without being acknowledged (dropped, expired, handed on): remove it from the store. */
    private void forget(Delivery d) {
        if (d.sequence() != 0) {
            services.persistence().deliveryRemoved(session.clientId(), d.sequence());
        }
    }

    private void send(Delivery d, ClientLink c, long now) {
        session.intake().countSent();
        overflowingSince = 0;
        if (d.qos() == Qos.AT_MOST_ONCE) {
            if (c.sendPublish(d.message(), Qos.AT_MOST_ONCE, d.retainFlag(), 0, false, d.subscriptionIds(), now)) {
                delivered(d);
            } else {
                dropped(d, DropReason.TOO_LARGE);
            }
            return;
        }
        int packetId = allocatePacketId();
        if (inflight == null) {
            inflight = new LinkedHashMap<>();
        }
        inflight.put(packetId, new Inflight(d));
        services.persistence().deliverySent(session.clientId(), d.sequence(), packetId);
        if (!c.sendPublish(d.message(), d.qos(), d.retainFlag(), packetId, false, d.subscriptionIds(), now)) {
            // Too large for the client: behave as if it had been delivered (MQTT-3.1.2-25).
            complete(packetId);
            dropped(d, DropReason.TOO_LARGE);
        } else {
            delivered(d);
        }
    }

    private void delivered(Delivery d) {
        BrokerEvents events = services.events();
        if (events.wantsMessages()) {
            events.messageDelivered(session.lastClient(), d.message());
        }
    }

    private void acked(Inflight f) {
        BrokerEvents events = services.events();
        if (events.wantsMessages()) {
            events.messageAcked(session.lastClient(), f.delivery.message());
        }
    }

    /** A message for this session is not delivered: counted by reason, announced to plugins, logged. */
    private void dropped(Delivery d, DropReason reason) {
        services.metrics().dropped(reason).increment();
        BrokerEvents events = services.events();
        if (events.wantsMessages()) {
            events.messageDropped(session.lastClient(), d.message(), reason);
        }
        if (reason == DropReason.QUEUE_FULL || reason == DropReason.OVERLOADED) {
            logDrop(d, reason);
        }
    }

    /** Logs the drops of this session at most every 10 s, with how many there were meanwhile. */
    private void logDrop(Delivery d, DropReason reason) {
        unloggedDrops++;
        long now = System.currentTimeMillis();
        if (now - droppedLoggedAt < DROP_LOG_INTERVAL_MS) {
            return;
        }
        droppedLoggedAt = now;
        session.logDrops(unloggedDrops, reason, d.message().topic(), queue.size(), queue.bytes());
        unloggedDrops = 0;
    }

    private int allocatePacketId() {
        while (true) {
            int id = nextPacketId;
            nextPacketId = id == 65535 ? 1 : id + 1;
            if (inflight == null || !inflight.containsKey(id)) {
                return id;
            }
        }
    }

    /** PUBACK from the client. */
    void onPubAck(int packetId) {
        Inflight e = inflight == null ? null : inflight.get(packetId);
        if (e != null && e.delivery.qos() == Qos.AT_LEAST_ONCE) {
            complete(packetId);
            acked(e);
            drain();
        }
    }

    /** PUBREC from the client: answer PUBREL, or end the flow when the client refused the message. */
    void onPubRec(int packetId, ReasonCode reason, ClientLink c) {
        Inflight e = inflight == null ? null : inflight.get(packetId);
        if (e == null || e.delivery.qos() != Qos.EXACTLY_ONCE) {
            c.send(new PubRel(packetId, ReasonCode.PACKET_IDENTIFIER_NOT_FOUND, MqttProperties.EMPTY));
            return;
        }
        if (reason.isError()) {
            complete(packetId);
            drain();
            return;
        }
        if (!e.released) {
            e.released = true;
            services.persistence().deliveryReleased(session.clientId(), e.delivery.sequence(), packetId);
        }
        c.send(new PubRel(packetId));
    }

    /** PUBCOMP from the client. */
    void onPubComp(int packetId) {
        Inflight e = inflight == null ? null : inflight.get(packetId);
        if (e != null && e.released) {
            complete(packetId);
            acked(e);
            drain();
        }
    }

    private void complete(int packetId) {
        Inflight f = inflight.remove(packetId);
        if (f == null) {
            return;
        }
        if (f.awaitingResend) {
            awaitingResend--;
        }
        forget(f.delivery);
    }

    /**
     * On a resumed session: sends the unacknowledged messages again, in their original order and with their original
     * packet identifiers, PUBLISH with DUP for those not yet received and PUBREL for those received (MQTT-4.4.0-1),
     * then the queue.
     */
    void resend(ClientLink c) {
        if (inflight != null && !inflight.isEmpty()) {
            for (Inflight f : inflight.values()) {
                f.awaitingResend = true;
            }
            awaitingResend = inflight.size();
        }
        if (receiveUnchecked) {
            receiveUnchecked = false;
            checkQueued(c);
        }
        drain();
    }

    /** Asks the RECEIVE decisions, now that the client is known, for the messages queued before it was. */
    private void checkQueued(ClientLink c) {
        Policy policy = services.policy();
        if (queue.isEmpty() || !policy.checksReceive()) {
            return;
        }
        queue.replaceAll(d -> {
            if (d.receiveCheck() != null) {
                return d;
            }
            CompletableFuture<Boolean> check = policy.authorizeReceive(c.info(), d.message()).toCompletableFuture();
            if (!check.isDone()) {
                check.whenComplete((r, e) -> session.execute(this::drain));
            }
            return d.withReceiveCheck(check);
        });
    }

    /**
     * Sends the unacknowledged messages again while fewer than the client's Receive Maximum are on the wire on this
     * connection (MQTT-3.3.4-9): a client that reconnects with a lower Receive Maximum gets the rest as it acknowledges.
     */
    private void resendWaiting(ClientLink c, int window, long now) {
        int onWire = inflight.size() - awaitingResend;
        List<Integer> tooLarge = new ArrayList<>(0);
        for (Map.Entry<Integer, Inflight> e : inflight.entrySet()) {
            if (onWire >= window || !c.isWritable()) {
                break;
            }
            Inflight f = e.getValue();
            if (!f.awaitingResend) {
                continue;
            }
            f.awaitingResend = false;
            awaitingResend--;
            onWire++;
            if (f.released) {
                c.send(new PubRel(e.getKey()));
            } else if (!c.sendPublish(f.delivery.message(), f.delivery.qos(), f.delivery.retainFlag(), e.getKey(),
                    true, f.delivery.subscriptionIds(), now)) {
                tooLarge.add(e.getKey());
            }
        }
        for (int packetId : tooLarge) {
            dropped(inflight.get(packetId).delivery, DropReason.TOO_LARGE);
            complete(packetId);
        }
    }

    /**
     * When the client goes away: hands the messages of shared subscriptions that it has not yet received to another
     * member of their group, so a shared subscription does not wait for one member to come back.
     */
    void redistributeShared() {
        if (inflight != null) {
            Iterator<Map.Entry<Integer, Inflight>> it = inflight.entrySet().iterator();
            while (it.hasNext()) {
                Map.Entry<Integer, Inflight> e = it.next();
                Delivery d = e.getValue().delivery;
                if (d.group() != null && !e.getValue().released && redeliver(d)) {
                    if (e.getValue().awaitingResend) {
                        awaitingResend--;
                    }
                    it.remove();
                    forget(d);
                }
            }
        }
        queue.removeIf(d -> {
            if (d.group() != null && redeliver(d)) {
                forget(d);
                return true;
            }
            return false;
        });
        session.intake().queueSize(queue.size());
    }

    private boolean redeliver(Delivery d) {
        SubscriptionEntry other = d.group().pickExcept(session);
        if (other == null || !other.subscriber().isOnline()) {
            return false;
        }
        other.subscriber().deliver(d.message(), Qos.min(d.message().qos(), other.qos()), d.retainFlag(),
                other.subscriptionId() == 0 ? List.of() : List.of(other.subscriptionId()), d.group());
        return true;
    }

    /** When the session ends: shared-subscription messages go to other members, the rest is discarded. */
    void discard() {
        redistributeShared();
        queue.clear(d -> dropped(d, DropReason.SESSION_ENDED));
        inflight = null;
        session.intake().queueSize(0);
        awaitingResend = 0;
    }

    /**
     * Restores the messages on their way to the client from the store (startup), in their order: those sent and not
     * acknowledged back into the window, the others into the queue; queued ones that expired meanwhile are dropped.
     * Returns the highest sequence number read.
     */
    long restore(List<Persistence.StoredDelivery> stored, long now) {
        long maxSequence = 0;
        for (Persistence.StoredDelivery d : stored) {
            maxSequence = Math.max(maxSequence, d.sequence());
            if (d.packetId() == 0 && d.message().isExpired(now)) {
                services.persistence().deliveryRemoved(session.clientId(), d.sequence());
                services.metrics().dropped(DropReason.EXPIRED).increment();
                continue;
            }
            Delivery delivery = new Delivery(d.message(), d.qos(), d.retainFlag(), d.subscriptionIds(), null,
                    d.sequence());
            if (d.packetId() != 0) {
                if (inflight == null) {
                    inflight = new LinkedHashMap<>();
                }
                Inflight f = new Inflight(delivery);
                f.released = d.released();
                inflight.put(d.packetId(), f);
                nextPacketId = d.packetId() == 65535 ? 1 : d.packetId() + 1;
            } else {
                queue.add(delivery);
            }
        }
        session.intake().queueSize(queue.size());
        return maxSequence;
    }
}
