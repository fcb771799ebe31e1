package io.mast.broker.metrics;

import io.mast.plugin.support.Metrics;
import java.util.concurrent.atomic.LongAdder;

/** The broker's own counters, held as fields so the hot path does not look them up by name. */
public final class BrokerMetrics {

    public final Metrics registry;

    public final LongAdder connectionsAccepted;
    public final LongAdder connectionsRefused;
    public final LongAdder connectsDenied;
    public final LongAdder protocolErrors;
    public final LongAdder keepAliveTimeouts;
    public final LongAdder sessionsTakenOver;
    public final LongAdder sessionsExpired;
    public final LongAdder messagesReceived;
    public final LongAdder messagesSent;
    public final LongAdder messagesDenied;
    public final LongAdder messagesDroppedQueueFull;
    public final LongAdder messagesDroppedTooLarge;
    public final LongAdder messagesDroppedExpired;
    public final LongAdder messagesDroppedNoSubscriber;
    public final LongAdder messagesDroppedOffline;
    public final LongAdder willsPublished;
    public final LongAdder backpressurePauses;
    public final LongAdder bytesReceived;
    public final LongAdder bytesSent;

    public BrokerMetrics(Metrics registry) {
        this.registry = registry;
        connectionsAccepted = registry.counter("connections.accepted");
        connectionsRefused = registry.counter("connections.refused.limit");
        connectsDenied = registry.counter("connects.denied");
        protocolErrors = registry.counter("protocol.errors");
        keepAliveTimeouts = registry.counter("connections.keepalive_timeouts");
        sessionsTakenOver = registry.counter("sessions.taken_over");
        sessionsExpired = registry.counter("sessions.expired");
        messagesReceived = registry.counter("messages.received");
        messagesSent = registry.counter("messages.sent");
        messagesDenied = registry.counter("messages.denied");
        messagesDroppedQueueFull = registry.counter("messages.dropped.queue_full");
        messagesDroppedTooLarge = registry.counter("messages.dropped.too_large");
        messagesDroppedExpired = registry.counter("messages.dropped.expired");
        messagesDroppedNoSubscriber = registry.counter("messages.dropped.no_subscriber");
        messagesDroppedOffline = registry.counter("messages.dropped.qos0_offline");
        willsPublished = registry.counter("messages.wills_published");
        backpressurePauses = registry.counter("connections.backpressure_pauses");
        bytesReceived = registry.counter("bytes.received");
        bytesSent = registry.counter("bytes.sent");
    }
}
