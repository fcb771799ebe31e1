package io.mast.cli.bench;

import io.mast.client.MessageListener;
import io.mast.client.MqttMessage;
import java.util.HashMap;
import java.util.Map;

/**
 * One subscribing client's accounting, called on its I/O thread for every message: first arrivals and duplicates
 * per publisher, and the end-to-end latency of first arrivals. With a known run identifier ({@code pubsub}),
 * messages of other runs (kept by a persistent session) are counted as stale; without one ({@code sub}), every
 * run's messages count, each publisher of each run tracked on its own.
 */
final class Subscriber implements MessageListener {

    private final BenchStats stats;
    private final int runId;
    private final boolean anyRun;
    private final SequenceTracker[] byPublisher;
    private final Map<Long, SequenceTracker> byRunAndPublisher = new HashMap<>();

    /** A subscriber of this run's {@code publishers} publishers. */
    Subscriber(BenchStats stats, int runId, int publishers) {
        this.stats = stats;
        this.runId = runId;
        this.anyRun = false;
        this.byPublisher = new SequenceTracker[publishers];
    }

    /** A subscriber of any run's messages. */
    Subscriber(BenchStats stats) {
        this.stats = stats;
        this.runId = 0;
        this.anyRun = true;
        this.byPublisher = new SequenceTracker[0];
    }

    @Override
    public void onMessage(MqttMessage m) {
        long now = BenchClock.now();
        byte[] p = m.payload();
        if (!Payload.isBench(p)) {
            stats.foreign.increment();
            return;
        }
        int run = Payload.runId(p);
        int publisher = Payload.publisher(p);
        SequenceTracker t;
        if (anyRun) {
            t = byRunAndPublisher.computeIfAbsent((long) run << 32 | publisher & 0xFFFF_FFFFL,
                    k -> new SequenceTracker());
        } else {
            if (run != runId || publisher < 0 || publisher >= byPublisher.length) {
                stats.stale.increment();
                return;
            }
            t = byPublisher[publisher];
            if (t == null) {
                t = new SequenceTracker();
                byPublisher[publisher] = t;
            }
        }
        if (t.record(Payload.sequence(p))) {
            stats.received.increment();
            stats.recordLatency(Payload.sentAt(p), now);
        } else {
            stats.duplicates.increment();
        }
    }

    /** Distinct messages received from this run's publisher (call on the subscriber's I/O thread). */
    long unique(int publisher) {
        SequenceTracker t = byPublisher[publisher];
        return t == null ? 0 : t.unique();
    }
}
