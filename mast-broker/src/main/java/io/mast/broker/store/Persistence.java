package io.mast.broker.store;

import io.mast.broker.message.BrokerMessage;
import io.mast.codec.Qos;
import io.mast.codec.packet.RetainHandling;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Where session state is made durable. The broker keeps all live state in memory and tells this interface about
 * every change, in order per session; {@link #load()} gives the state back at startup. {@link #MEMORY} keeps nothing.
 *
 * <p>Durability and acknowledgements: a QoS 1 or 2 message is stored for each session it goes to while it is routed,
 * and the publisher is acknowledged once {@link #barrier()} completes, so an acknowledged message is in the store (on
 * disk, with {@code sync: always}).
 */
public interface Persistence extends AutoCloseable {

    /**
     * A session's lasting attributes.
     *
     * @param disconnectedAt epoch milliseconds of the disconnection, or 0 while a client is connected
     */
    record SessionRecord(String clientId, int protocolLevel, long expiryIntervalSeconds, long disconnectedAt,
                         String username) {
    }

    /** A subscription as stored. */
    record StoredSubscription(String filter, Qos qos, boolean noLocal, boolean retainAsPublished,
                              RetainHandling retainHandling, int subscriptionId) {
    }

    /**
     * A message on its way to a session's client.
     *
     * @param sequence the session's order of the message
     * @param packetId the packet identifier it was sent with, 0 while it is queued
     * @param released QoS 2: the client sent PUBREC, only PUBREL/PUBCOMP remain
     */
    record StoredDelivery(long sequence, BrokerMessage message, Qos qos, boolean retainFlag,
                          List<Integer> subscriptionIds, int packetId, boolean released) {
    }

    /**
     * A will waiting to be published: a delayed will of a disconnected client, or the will of a connected one (to be
     * published after a restart, as the connection was lost).
     *
     * @param delaySeconds the will delay interval
     * @param publishAt    epoch milliseconds at which to publish it, or 0 while its client is connected
     */
    record StoredWill(BrokerMessage message, long delaySeconds, long publishAt) {
    }

    /** Everything stored for one session. */
    record StoredSession(SessionRecord record, List<StoredSubscription> subscriptions, List<StoredDelivery> outbound,
                         List<Integer> inboundQos2, StoredWill will) {
    }

    /** What {@link #load()} gives back. */
    record Snapshot(List<StoredSession> sessions, List<BrokerMessage> retained) {
        public static final Snapshot EMPTY = new Snapshot(List.of(), List.of());
    }

    CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

    /** True when the state outlives the process. */
    default boolean durable() {
        return false;
    }

    /** The stored state, read once at startup. */
    default Snapshot load() {
        return Snapshot.EMPTY;
    }

    /** Completes when every change told so far is stored as the sync policy says. */
    default CompletableFuture<Void> barrier() {
        return DONE;
    }

    /** A session was created or its attributes changed. */
    default void sessionSaved(SessionRecord session) {
    }

    /** A session ended: forget it and everything it owns. */
    default void sessionRemoved(String clientId) {
    }

    default void subscriptionAdded(String clientId, StoredSubscription subscription) {
    }

    default void subscriptionRemoved(String clientId, String filter) {
    }

    /** A QoS 1 or 2 message was routed to a session (queued until it is sent). */
    default void deliveryStored(String clientId, long sequence, BrokerMessage message, Qos qos, boolean retainFlag,
                                List<Integer> subscriptionIds) {
    }

    /** It was sent to the client under a packet identifier. */
    default void deliverySent(String clientId, long sequence, int packetId) {
    }

    /** QoS 2: the client received it (PUBREC) under this packet identifier. */
    default void deliveryReleased(String clientId, long sequence, int packetId) {
    }

    /** It is done: acknowledged, dropped, expired, or handed to another member of a shared subscription. */
    default void deliveryRemoved(String clientId, long sequence) {
    }

    /** A QoS 2 message from the client was accepted under a packet identifier; PUBREL will complete it. */
    default void inboundQos2Received(String clientId, int packetId) {
    }

    default void inboundQos2Released(String clientId, int packetId) {
    }

    default void retainedSet(BrokerMessage message) {
    }

    default void retainedCleared(String topic) {
    }

    /** A client's will is kept: while it is connected, or delayed after it left. */
    default void willSaved(String clientId, StoredWill will) {
    }

    default void willRemoved(String clientId) {
    }

    @Override
    default void close() {
    }

    /** Keeps nothing: every session and retained message is lost when the broker stops. */
    Persistence MEMORY = new Persistence() {
    };
}
