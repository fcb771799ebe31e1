package io.mast.broker.plugin;

import io.mast.plugin.support.Metrics;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongConsumer;

/**
 * Calls, errors, timeouts and time spent of one plugin in one hook (an event or a decision), registered as
 * {@code plugin.<plugin>.<hook>.calls|errors|timeouts|time_us}.
 *
 * <p>The topic decisions of {@code @NonBlocking} plugins are asked for every message and every delivery, and an ACL
 * check held in memory takes about as long as reading the clock twice; their time is therefore measured on one call
 * in {@link #SAMPLE}, chosen at random, and counted {@link #SAMPLE} times (docs/benchmarks.md has the figures).
 */
final class HookMetrics {

    /** One timed call in this many, for the per-message decisions ({@link #sample()}). */
    static final int SAMPLE = 16;

    final LongAdder calls;
    final LongAdder errors;
    final LongAdder timeouts;
    final LongAdder nanos;
    /** The histogram of timed calls ({@code mast_plugin_hook_duration_seconds}). */
    final LongConsumer durations;

    HookMetrics(Metrics registry, String plugin, String hook) {
        String prefix = "plugin." + plugin + "." + hook + ".";
        calls = registry.counter(prefix + "calls");
        errors = registry.counter(prefix + "errors");
        timeouts = registry.counter(prefix + "timeouts");
        nanos = new LongAdder();
        registry.gauge(prefix + "time_us", () -> nanos.sum() / 1000);
        durations = registry.timer(prefix + "duration");
    }

    void record(long startNanos) {
        calls.increment();
        long took = System.nanoTime() - startNanos;
        nanos.add(took);
        durations.accept(took);
    }

    /** The start of a call to time ({@link System#nanoTime()}), one call in {@link #SAMPLE}; 0 for the others. */
    static long sample() {
        return ThreadLocalRandom.current().nextInt(SAMPLE) == 0 ? System.nanoTime() : 0;
    }

    /** A call started with {@link #sample()}: counted, and its time counted {@link #SAMPLE} times when it was timed. */
    void recordSampled(long startNanos) {
        calls.increment();
        if (startNanos != 0) {
            long took = System.nanoTime() - startNanos;
            nanos.add(took * SAMPLE);
            durations.accept(took);
        }
    }
}
