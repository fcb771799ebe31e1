package io.mast.broker.metrics;

import io.mast.plugin.DropReason;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;

/**
 * Binds the broker's counters ({@link BrokerMetrics}) and its state (connections, sessions, subscriptions, retained
 * messages, queues and in-flight windows, connections per listener) to the {@link PrometheusExport}.
 */
public final class BrokerMeters {

    private final PrometheusExport export;
    private final ConcurrentHashMap<String, AtomicInteger> perListener = new ConcurrentHashMap<>();

    /**
     * @param queuedMessages   the messages in all sessions' queues (read when scraped)
     * @param inflightMessages the messages in all sessions' in-flight windows (read when scraped)
     */
    public BrokerMeters(PrometheusExport export, BrokerMetrics m, IntSupplier connections, IntSupplier sessionCount,
                        IntSupplier subscriptions, IntSupplier retained, LongSupplier queuedBytes,
                        LongSupplier queuedMessages, LongSupplier inflightMessages) {
        this.export = export;
        export.counter("connections.accepted", "Connections accepted", m.connectionsAccepted);
        String refused = "Connections closed at once, by reason: a max_connections limit, a connection rate, or the "
                + "bytes of unauthenticated connections";
        export.counter("connections.refused", refused, m.connectionsRefused, "reason", "limit");
        export.counter("connections.refused", refused, m.connectionsRefusedRate, "reason", "rate");
        export.counter("connections.refused", refused, m.connectionsRefusedUnauthenticatedBytes, "reason",
                "unauthenticated_bytes");
        export.counter("connects.banned", "CONNECTs refused at once: the address or client identifier is banned",
                m.connectsBanned);
        export.counter("connects.busy", "CONNECTs refused at once: too many logins from the address were waiting",
                m.connectsBusy);
        export.counter("logins.bans", "Bans started after repeated failed logins", m.bans);
        export.counter("direct.memory.exhausted", "Network buffer allocations that found no direct memory",
                m.outOfDirectMemory);
        export.counter("connects.denied", "CONNECTs refused (authentication, or a plugin's decision)", m.connectsDenied);
        export.counter("protocol.errors", "Connections closed for a protocol violation", m.protocolErrors);
        export.counter("keepalive.timeouts", "Connections closed after their keep-alive ran out", m.keepAliveTimeouts);
        export.counter("sessions.taken.over", "Sessions taken over by a new connection of the same client",
                m.sessionsTakenOver);
        export.counter("sessions.expired", "Sessions removed after their expiry interval", m.sessionsExpired);
        export.counter("messages.received", "PUBLISH packets received from clients", m.messagesReceived);
        export.counter("messages.sent", "PUBLISH packets sent to clients", m.messagesSent);
        export.counter("messages.denied", "Messages refused by a plugin's or hook server's decision", m.messagesDenied);
        String dropped = "Messages not delivered, by reason";
        for (DropReason r : DropReason.values()) {
            export.counter("messages.dropped", dropped, m.dropped(r), "reason", BrokerMetrics.dropName(r));
        }
        export.counter("messages.dropped", dropped, m.messagesDroppedConnectionClosed, "reason", "connection_closed");
        export.counter("wills.published", "Will messages published", m.willsPublished);
        export.counter("backpressure.pauses", "Times a client's reading was paused for a slow consumer",
                m.backpressurePauses);
        export.counter("received.bytes", "Bytes of MQTT packets received", m.bytesReceived);
        export.counter("sent.bytes", "Bytes of MQTT packets sent", m.bytesSent);
        export.gauge("connections", "Connections open now", connections::getAsInt);
        export.gauge("sessions", "Sessions, connected or not", sessionCount::getAsInt);
        export.gauge("subscriptions", "Subscriptions of all sessions", subscriptions::getAsInt);
        export.gauge("retained.messages", "Retained messages", retained::getAsInt);
        export.gauge("queued.bytes", "Bytes of the messages in all sessions' queues (limits.max_queued_bytes_total)",
                queuedBytes::getAsLong);
        export.gauge("queued.messages", "Messages waiting in sessions' queues",
                queuedMessages::getAsLong);
        export.gauge("inflight.messages", "QoS 1 and 2 messages sent and not yet acknowledged",
                inflightMessages::getAsLong);
    }

    /** The count of a listener's open connections, registered as {@code mast_listener_connections{listener}}. */
    public AtomicInteger listener(String name) {
        return perListener.computeIfAbsent(name, n -> {
            AtomicInteger count = new AtomicInteger();
            export.gauge("listener.connections", "Connections open now on a listener", count::get, "listener", n);
            return count;
        });
    }
}
