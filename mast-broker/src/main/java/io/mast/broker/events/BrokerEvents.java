package io.mast.broker.events;

import io.mast.broker.client.ConnectionInfo;
import io.mast.broker.message.BrokerMessage;
import io.mast.broker.routing.SubscriptionEntry;
import io.mast.codec.ReasonCode;
import io.mast.codec.packet.Connect;
import io.mast.codec.packet.MqttPacket;
import io.mast.plugin.DropReason;

/**
 * What happens in the broker, told to whoever listens (the plugin runtime). Called on network threads and in session
 * mailboxes: implementations must only queue. {@link #NONE} listens to nothing; the {@code wants...} checks let the
 * broker skip preparing arguments nobody reads.
 */
public interface BrokerEvents {

    /** Listens to nothing. */
    BrokerEvents NONE = new BrokerEvents() {
    };

    /** True when someone listens to message events (received, published, delivered, acked, dropped). */
    default boolean wantsMessages() {
        return false;
    }

    /** True when someone listens to packet events. */
    default boolean wantsPackets() {
        return false;
    }

    default void clientConnect(Connect connect, ConnectionInfo client) {
    }

    default void clientConnack(Connect connect, ConnectionInfo client, ReasonCode reasonCode) {
    }

    default void clientConnected(ConnectionInfo client) {
    }

    /**
     * @param reasonCode the DISCONNECT reason (sent or received), or UNSPECIFIED_ERROR for a lost connection
     * @param reason     a short description: normal, keepalive_timeout, takenover, protocol_error, connection_lost ...
     */
    default void clientDisconnected(ConnectionInfo client, ReasonCode reasonCode, String reason, boolean byClient,
                                    boolean willSent) {
    }

    /** Session events; called in the session's mailbox, so the session may be read. */
    default void sessionCreated(SessionView session) {
    }

    default void sessionResumed(SessionView session) {
    }

    default void sessionDiscarded(SessionView session) {
    }

    default void sessionTakenOver(SessionView session) {
    }

    default void sessionTerminated(SessionView session, String reason) {
    }

    default void subscribed(ConnectionInfo client, SubscriptionEntry subscription) {
    }

    default void unsubscribed(ConnectionInfo client, String filter) {
    }

    /** {@code client} is {@code null} when the broker or a plugin set it. */
    default void retainedSet(ConnectionInfo client, BrokerMessage message) {
    }

    default void retainedCleared(ConnectionInfo client, String topic) {
    }

    default void messageReceived(ConnectionInfo publisher, BrokerMessage message) {
    }

    default void messagePublished(ConnectionInfo publisher, BrokerMessage message) {
    }

    default void messageDelivered(ConnectionInfo subscriber, BrokerMessage message) {
    }

    default void messageAcked(ConnectionInfo subscriber, BrokerMessage message) {
    }

    /** {@code subscriber} is {@code null} when no particular subscriber is concerned. */
    default void messageDropped(ConnectionInfo subscriber, BrokerMessage message, DropReason reason) {
    }

    default void packetReceived(ConnectionInfo client, MqttPacket packet) {
    }

    default void packetSent(ConnectionInfo client, MqttPacket packet) {
    }
}
