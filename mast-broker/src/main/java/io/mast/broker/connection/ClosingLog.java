package io.mast.broker.connection;

import io.mast.broker.metrics.BrokerMetrics;
import io.mast.codec.ReasonCode;
import io.mast.plugin.support.RateLimitedLog;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts every connection the broker closes or refuses by its reason code ({@code connections.closed.<reason>}) and
 * logs it at most once per 10 s per reason, with the client and how many more there were meanwhile: a flood of bad
 * clients makes a few lines, not one per client. Take-overs and the broker's own shutdown are counted, not logged.
 */
final class ClosingLog {

    private static final Logger log = LoggerFactory.getLogger(ClosingLog.class);
    private static final long INTERVAL_MS = 10_000;
    private static final Map<ReasonCode, RateLimitedLog> logs = new ConcurrentHashMap<>();

    private ClosingLog() {
    }

    /** The broker disconnects a client (DISCONNECT with this reason on MQTT 5.0, or a close). */
    static void closed(BrokerMetrics metrics, ReasonCode reason, String client, String why) {
        metrics.closedByBroker(reason).increment();
        if (reason != ReasonCode.SESSION_TAKEN_OVER && reason != ReasonCode.SERVER_SHUTTING_DOWN) {
            logFor(reason).warn("Disconnected {}: {}{}", client, reason.describe(), why == null ? "" : " (" + why + ")");
        }
    }

    /** The broker refuses a connection (CONNACK with this reason). */
    static void refused(BrokerMetrics metrics, ReasonCode reason, String client, String why) {
        metrics.closedByBroker(reason).increment();
        logFor(reason).warn("Refused {}: {}{}", client, reason.describe(), why == null ? "" : " (" + why + ")");
    }

    private static RateLimitedLog logFor(ReasonCode reason) {
        return logs.computeIfAbsent(reason, r -> new RateLimitedLog(log, INTERVAL_MS));
    }
}
