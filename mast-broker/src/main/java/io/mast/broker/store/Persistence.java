package io.mast.broker.store;

import io.mast.broker.message.BrokerMessage;
import io.mast.broker.routing.SubscriptionEntry;
import io.mast.codec.Qos;

/**
 * Where session state is made durable. The broker keeps all live state in memory and tells this interface about
 * every change, in order per session (calls for one session come from its mailbox). {@link #MEMORY} keeps nothing:
 * state lives as long as the process. A durable implementation writes the changes and gives them back at startup.
 */
public interface Persistence extends AutoCloseable {

    /** A session's lasting attributes. */
    record SessionRecord(String clientId, int protocolLevel, long expiryIntervalSeconds, long disconnectedAt) {
    }

    /** A session was created or its attributes changed. */
    default void sessionSaved(SessionRecord session) {
    }

    /** A session ended: forget it and everything it owns. */
    default void sessionRemoved(String clientId) {
    }

    default void subscriptionAdded(String clientId, SubscriptionEntry subscription) {
    }

    default void subscriptionRemoved(String clientId, String filter) {
    }

    /** A message waits in a session's queue under a sequence number that orders the queue. */
    default void messageQueued(String clientId, long sequence, BrokerMessage message, Qos qos, boolean retainFlag) {
    }

    default void messageDequeued(String clientId, long sequence) {
    }

    /** A QoS 1 or 2 message was sent to the client under a packet identifier and awaits acknowledgement. */
    default void outboundInflight(String clientId, int packetId, BrokerMessage message, Qos qos, boolean retainFlag) {
    }

    /** A QoS 2 message sent to the client was received by it (PUBREC): only PUBREL/PUBCOMP remain. */
    default void outboundReleased(String clientId, int packetId) {
    }

    default void outboundCompleted(String clientId, int packetId) {
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

    /** A will waits to be published at a time (epoch milliseconds) because of its delay. */
    default void willScheduled(String clientId, BrokerMessage will, long publishAt) {
    }

    default void willCancelled(String clientId) {
    }

    @Override
    default void close() {
    }

    /** Keeps nothing: every session and retained message is lost when the broker stops. */
    Persistence MEMORY = new Persistence() {
    };
}
