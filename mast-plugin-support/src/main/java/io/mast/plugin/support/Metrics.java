package io.mast.plugin.support;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import java.util.function.LongConsumer;
import java.util.function.LongSupplier;

/**
 * Named counters and gauges. Counters are {@link LongAdder}s, cheap to bump from any thread; gauges are read on
 * demand. Names are dotted, e.g. {@code messages.dropped.queue_full}.
 */
public final class Metrics {

    private final ConcurrentHashMap<String, LongAdder> counters = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, LongSupplier> gauges = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, LongConsumer> timers = new ConcurrentHashMap<>();
    private volatile Function<String, LongConsumer> timerFactory = name -> nanos -> { };

    /** The counter with this name, created at zero on first use. Keep the result: lookups cost a hash. */
    public LongAdder counter(String name) {
        return counters.computeIfAbsent(name, n -> new LongAdder());
    }

    /** Registers (or replaces) a gauge. */
    public void gauge(String name, LongSupplier value) {
        gauges.put(name, value);
    }

    /**
     * A latency recorder (nanoseconds) with this name, created on first use by the timer factory: a histogram where
     * the broker exports its metrics (Micrometer, {@code /metrics}), nothing otherwise. Keep the result.
     */
    public LongConsumer timer(String name) {
        return timers.computeIfAbsent(name, n -> timerFactory.apply(n));
    }

    /** Makes the timers of names asked for from now on (the broker's exporter sets it before anything records). */
    public void timerFactory(Function<String, LongConsumer> factory) {
        this.timerFactory = factory;
    }

    /** The counters by name (a live view). */
    public Map<String, LongAdder> counters() {
        return java.util.Collections.unmodifiableMap(counters);
    }

    /** The gauges by name (a live view). */
    public Map<String, LongSupplier> gauges() {
        return java.util.Collections.unmodifiableMap(gauges);
    }

    /** The current value of a counter or gauge, 0 when there is none by that name. */
    public long value(String name) {
        LongAdder c = counters.get(name);
        if (c != null) {
            return c.sum();
        }
        LongSupplier g = gauges.get(name);
        return g == null ? 0 : g.getAsLong();
    }

    /** All counters and gauges, sorted by name; a gauge that throws is left out. */
    public Map<String, Long> snapshot() {
        Map<String, Long> all = new TreeMap<>();
        counters.forEach((k, v) -> all.put(k, v.sum()));
        gauges.forEach((k, v) -> {
            try {
                all.put(k, v.getAsLong());
            } catch (RuntimeException e) {
                // a plugin's gauge failing must not hide the others
            }
        });
        return all;
    }
}
