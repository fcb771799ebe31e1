package io.mast.cli.bench;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * The counters and latency recorders of a run, written from every I/O thread and read once a second by the live
 * line. Latencies are recorded in microseconds with three significant digits.
 */
public final class BenchStats {

    /** Latencies above this many microseconds (one hour) are recorded as this. */
    static final long MAX_MICROS = TimeUnit.HOURS.toMicros(1);

    final LongAdder sent = new LongAdder();
    final LongAdder publishErrors = new LongAdder();
    final LongAdder received = new LongAdder();
    final LongAdder duplicates = new LongAdder();
    final LongAdder stale = new LongAdder();
    final LongAdder foreign = new LongAdder();
    final LongAdder connectFailures = new LongAdder();
    final LongAdder subscribeFailures = new LongAdder();
    final LongAdder connectionsLost = new LongAdder();
    final AtomicInteger connected = new AtomicInteger();
    final Recorder latency = new Recorder(3);
    final Recorder connectLatency = new Recorder(3);

    /** Forgets the message figures (after a warm-up); connection and error counts stay. */
    void resetMessages() {
        sent.reset();
        received.reset();
        duplicates.reset();
        stale.reset();
        foreign.reset();
        latency.reset();
    }

    /** A message arrived that had been sent at {@code sentAt} ({@link BenchClock#now()}), now being {@code now}. */
    void recordLatency(long sentAt, long now) {
        latency.recordValue(Math.min(MAX_MICROS, Math.max(0, (now - sentAt) / 1000)));
    }

    /** A connection was accepted {@code nanos} after it was started. */
    void recordConnect(long nanos) {
        connectLatency.recordValue(Math.min(MAX_MICROS, Math.max(0, nanos / 1000)));
    }

    /** Every kind of error so far: failed connections and subscriptions, lost connections, failed publishes. */
    public long errors() {
        return publishErrors.sum() + connectFailures.sum() + subscribeFailures.sum() + connectionsLost.sum();
    }

    public long sent() {
        return sent.sum();
    }

    public long received() {
        return received.sum();
    }

    public int connected() {
        return connected.get();
    }

    /** Percentiles in milliseconds of a histogram in microseconds: NaN when it holds nothing. */
    static double ms(Histogram h, double percentile) {
        if (h.getTotalCount() == 0) {
            return Double.NaN;
        }
        long v = percentile >= 100 ? h.getMaxValue() : percentile <= 0 ? h.getMinValue()
                : h.getValueAtPercentile(percentile);
        return v / 1000.0;
    }
}
