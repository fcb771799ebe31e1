package io.mast.plugin.support;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * Named counters and gauges. Counters are {@link LongAdder}s, cheap to bump from any thread; gauges are read on
 * demand. Names are dotted, e.g. {@code messages.dropped.queue_full}.
 */
public final class Metrics {

    private final ConcurrentHashMap<String, LongAdder> counters = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, LongSupplier> gauges = new ConcurrentHashMap<>();

    /** The counter with this name, created at zero on first use. Keep the result: lookups cost a hash. */
    public LongAdder counter(String name) {
        return counters.computeIfAbsent(name, n -> new LongAdder());
    }

    /** Registers (or replaces) a gauge. */
    public void gauge(String name, LongSupplier value) {
        gauges.put(name, value);
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
