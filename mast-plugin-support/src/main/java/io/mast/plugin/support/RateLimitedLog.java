package io.mast.plugin.support;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;

/**
 * Logs a recurring condition at most once per interval, with how many times it happened since the last line, so a
 * flood of drops produces a few lines rather than one per message.
 */
public final class RateLimitedLog {

    private final Logger log;
    private final long intervalNanos;
    private final AtomicLong nextAllowed = new AtomicLong();
    private final LongAdder suppressed = new LongAdder();

    /** Writes to {@code log}, at most one line per {@code intervalMillis}. */
    public RateLimitedLog(Logger log, long intervalMillis) {
        this.log = log;
        this.intervalNanos = intervalMillis * 1_000_000L;
        this.nextAllowed.set(System.nanoTime());
    }

    /** Logs at WARN, or counts the occurrence when a line was written less than an interval ago. */
    public void warn(String format, Object... args) {
        long now = System.nanoTime();
        long next = nextAllowed.get();
        if (now - next >= 0 && nextAllowed.compareAndSet(next, now + intervalNanos)) {
            long others = suppressed.sumThenReset();
            if (others > 0) {
                log.warn(format + " (and {} more like it since the last report)", append(args, others));
            } else {
                log.warn(format, args);
            }
        } else {
            suppressed.increment();
        }
    }

    private static Object[] append(Object[] args, long value) {
        Object[] all = java.util.Arrays.copyOf(args, args.length + 1);
        all[args.length] = value;
        return all;
    }
}
