package io.mast.broker.metrics;

import io.mast.codec.ReasonCode;
import io.mast.plugin.DropReason;
import io.mast.plugin.support.Metrics;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** The broker's own counters, held as fields so the hot path does not look them up by name. */
public final class BrokerMetrics {

    public final Metrics registry;

    public final LongAdder connectionsAccepted;
    public final LongAdder connectionsRefused;
    /** New connections closed at once because their listener's or their address's connection rate was exceeded. */
    public final LongAdder connectionsRefusedRate;
    /** Connections closed before authentication because unauthenticated connections held too many bytes together. */
    public final LongAdder connectionsRefusedUnauthenticatedBytes;
    public final LongAdder connectsDenied;
    /** CONNECTs refused at once because their address or client identifier is banned. */
    public final LongAdder connectsBanned;
    /** CONNECTs refused at once because too many logins from their address were waiting. */
    public final LongAdder connectsBusy;
    /** Bans started after repeated failed logins (from one address, or for one client identifier). */
    public final LongAdder bans;
    public final LongAdder protocolErrors;
    public final LongAdder keepAliveTimeouts;
    public final LongAdder sessionsTakenOver;
    public final LongAdder sessionsExpired;
    public final LongAdder messagesReceived;
    public final LongAdder messagesSent;
    public final LongAdder messagesDenied;
    /** PUBLISH packets read from a client but not handled because its connection ended first (after DISCONNECT). */
    public final LongAdder messagesDroppedConnectionClosed;
    public final LongAdder willsPublished;
    public final LongAdder backpressurePauses;
    /** Allocations of network buffers that failed because direct memory ran out. */
    public final LongAdder outOfDirectMemory;
    public final LongAdder bytesReceived;
    public final LongAdder bytesSent;

    private final Map<DropReason, LongAdder> dropped = new EnumMap<>(DropReason.class);
    private final Map<ReasonCode, LongAdder> closed = new ConcurrentHashMap<>();

    public BrokerMetrics(Metrics registry) {
        this.registry = registry;
        connectionsAccepted = registry.counter("connections.accepted");
        connectionsRefused = registry.counter("connections.refused.limit");
        connectionsRefusedRate = registry.counter("connections.refused.rate");
        connectionsRefusedUnauthenticatedBytes = registry.counter("connections.refused.unauthenticated_bytes");
        connectsDenied = registry.counter("connects.denied");
        connectsBanned = registry.counter("connects.banned");
        connectsBusy = registry.counter("connects.busy");
        bans = registry.counter("logins.bans");
        protocolErrors = registry.counter("protocol.errors");
        keepAliveTimeouts = registry.counter("connections.keepalive_timeouts");
        sessionsTakenOver = registry.counter("sessions.taken_over");
        sessionsExpired = registry.counter("sessions.expired");
        messagesReceived = registry.counter("messages.received");
        messagesSent = registry.counter("messages.sent");
        messagesDenied = registry.counter("messages.denied");
        messagesDroppedConnectionClosed = registry.counter("messages.dropped.connection_closed");
        willsPublished = registry.counter("messages.wills_published");
        backpressurePauses = registry.counter("connections.backpressure_pauses");
        outOfDirectMemory = registry.counter("errors.out_of_direct_memory");
        bytesReceived = registry.counter("bytes.received");
        bytesSent = registry.counter("bytes.sent");
        for (DropReason r : DropReason.values()) {
            dropped.put(r, registry.counter("messages.dropped." + dropName(r)));
        }
    }

    /** Messages not delivered to a subscriber (or to anyone), by why: {@code messages.dropped.<reason>}. */
    public LongAdder dropped(DropReason reason) {
        return dropped.get(reason);
    }

    /** Connections the broker closed, by the reason it gave: {@code connections.closed.<reason>}. */
    public LongAdder closedByBroker(ReasonCode reason) {
        return closed.computeIfAbsent(reason,
                r -> registry.counter("connections.closed." + r.name().toLowerCase(Locale.ROOT)));
    }

    /** The name of a drop reason in metrics: {@code queue_full}, {@code no_subscriber} ... */
    public static String dropName(DropReason r) {
        return r == DropReason.NO_SUBSCRIBERS ? "no_subscriber" : r.name().toLowerCase(Locale.ROOT);
    }
}
