package io.mast.exhook;

import io.mast.plugin.PluginMetrics;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.LongSupplier;

/**
 * The metrics of one hook server, published with the plugin's ({@code plugin.io.mast.exhook.ExHookPlugin.}):
 * {@code exhook.<server>.<hook>.succeeded|failed|timed_out|dropped|latency_us} per hook (created on first use;
 * {@code latency_us} is the total time of answered calls, so the mean is latency_us / succeeded), and the gauge
 * {@code exhook.<server>.status} ({@link ServerStatus#gaugeValue()}).
 */
final class ServerMetrics {

    /** The counters of one hook. */
    static final class Counters {
        final PluginMetrics.Counter succeeded;
        final PluginMetrics.Counter failed;
        final PluginMetrics.Counter timedOut;
        final PluginMetrics.Counter dropped;
        final PluginMetrics.Counter latencyMicros;

        Counters(PluginMetrics m, String prefix) {
            succeeded = m.counter(prefix + "succeeded");
            failed = m.counter(prefix + "failed");
            timedOut = m.counter(prefix + "timed_out");
            dropped = m.counter(prefix + "dropped");
            latencyMicros = m.counter(prefix + "latency_us");
        }
    }

    private final PluginMetrics metrics;
    private final String prefix;
    private final AtomicReferenceArray<Counters> hooks = new AtomicReferenceArray<>(Hook.values().length);

    ServerMetrics(PluginMetrics metrics, String server, LongSupplier status) {
        this.metrics = metrics;
        this.prefix = "exhook." + server + ".";
        metrics.gauge(prefix + "status", status);
    }

    /** The counters of a hook, or null when it was never counted. */
    Counters peek(Hook hook) {
        return hooks.get(hook.ordinal());
    }

    Counters of(Hook hook) {
        Counters c = hooks.get(hook.ordinal());
        if (c == null) {
            String name = hook.hookName != null ? hook.hookName
                    : hook == Hook.PROVIDER_LOADED ? "provider.loaded" : "provider.unloaded";
            hooks.compareAndSet(hook.ordinal(), null, new Counters(metrics, prefix + name + "."));
            c = hooks.get(hook.ordinal());
        }
        return c;
    }

    void succeeded(Hook hook, long startNanos) {
        Counters c = of(hook);
        c.succeeded.increment();
        c.latencyMicros.add(TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - startNanos));
    }

    void failed(Hook hook) {
        of(hook).failed.increment();
    }

    void timedOut(Hook hook) {
        of(hook).timedOut.increment();
    }

    void dropped(Hook hook) {
        of(hook).dropped.increment();
    }
}
