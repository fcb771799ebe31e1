package io.mast.broker.plugin;

import io.mast.plugin.support.Metrics;
import java.util.concurrent.atomic.LongAdder;

/**
 * Calls, errors, timeouts and time spent of one plugin in one hook (an event or a decision), registered as
 * {@code plugin.<plugin>.<hook>.calls|errors|timeouts|time_us}.
 */
final class HookMetrics {

    final LongAdder calls;
    final LongAdder errors;
    final LongAdder timeouts;
    final LongAdder nanos;

    HookMetrics(Metrics registry, String plugin, String hook) {
        String prefix = "plugin." + plugin + "." + hook + ".";
        calls = registry.counter(prefix + "calls");
        errors = registry.counter(prefix + "errors");
        timeouts = registry.counter(prefix + "timeouts");
        nanos = new LongAdder();
        registry.gauge(prefix + "time_us", () -> nanos.sum() / 1000);
    }

    void record(long startNanos) {
        calls.increment();
        nanos.add(System.nanoTime() - startNanos);
    }
}
