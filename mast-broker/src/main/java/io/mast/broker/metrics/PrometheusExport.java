package io.mast.broker.metrics;

import io.mast.plugin.support.Metrics;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongConsumer;
import java.util.function.LongSupplier;
import java.util.regex.Pattern;

/**
 * The broker's metrics in Micrometer, exported in Prometheus's text format ({@code /metrics} of the admin listener).
 * The hot path keeps counting in {@link LongAdder}s held as fields ({@link BrokerMetrics}); Micrometer reads them as
 * function counters when scraped, beside the JVM's and the process's own meters and the latency histograms of plugin
 * decisions and events. Names follow Prometheus's conventions: {@code mast_} prefix, base units, {@code _total} for
 * counters, and labels (reason, listener, plugin, hook) rather than names.
 */
public final class PrometheusExport implements AutoCloseable {

    private static final Pattern UNSAFE = Pattern.compile("[^a-zA-Z0-9_]");
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(PrometheusExport.class);

    /** The histogram buckets of latencies: 10 µs to 10 s, three a decade. */
    private static final Duration[] BUCKETS = {Duration.ofNanos(10_000), Duration.ofNanos(25_000),
            Duration.ofNanos(50_000), Duration.ofNanos(100_000), Duration.ofNanos(250_000), Duration.ofNanos(500_000),
            Duration.ofMillis(1), Duration.ofNanos(2_500_000), Duration.ofMillis(5), Duration.ofMillis(10),
            Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250),
            Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofNanos(2_500_000_000L), Duration.ofSeconds(5),
            Duration.ofSeconds(10)};

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Metrics named;
    /** Names of the {@link Metrics} registry already bridged (plugins add theirs while the broker runs). */
    private final Set<String> bridged = ConcurrentHashMap.newKeySet();
    /** Listens to the JVM's collections until closed. */
    private final JvmGcMetrics gc = new JvmGcMetrics();

    public PrometheusExport(Metrics named) {
        this.named = named;
        // Prometheus's conventions (promtool's lint): no abbreviated units, no _count on a gauge
        registry.config().meterFilter(MeterFilter.deny(id -> id.getName().equals("process.cpu.time")
                || id.getName().equals("system.cpu.count")));
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            FunctionCounter.builder("process.cpu", os, o -> o.getProcessCpuTime() / 1e9).baseUnit("seconds")
                    .description("CPU time used by the broker's process").register(registry);
        }
        new JvmMemoryMetrics().bindTo(registry);
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);
        named.timerFactory(this::timer);
    }

    /** Stops listening to the JVM's collections and closes the registry (the broker stopped). */
    @Override
    public void close() {
        gc.close();
        registry.close();
    }

    /** The Micrometer registry, for binding more meters. */
    public MeterRegistry registry() {
        return registry;
    }

    /**
     * A counter of the broker's, read when scraped: {@code mast_<name>_total} with labels. Micrometer holds the adder
     * weakly: it must be held elsewhere (the fields of {@link BrokerMetrics}).
     */
    public void counter(String name, String help, LongAdder adder, String... tags) {
        FunctionCounter.builder("mast." + name, adder, LongAdder::sum).description(help).tags(tags)
                .register(registry);
    }

    /** A gauge of the broker's, read when scraped: {@code mast_<name>} with labels. */
    public void gauge(String name, String help, LongSupplier value, String... tags) {
        // held strongly: Micrometer holds a gauge's object weakly, and these lambdas have no other reference
        Gauge.builder("mast." + name, value, v -> (double) v.getAsLong()).description(help).tags(tags)
                .strongReference(true).register(registry);
    }

    /**
     * A latency histogram for a name of the {@link Metrics} registry ({@code plugin.<plugin>.<hook>.duration}):
     * {@code mast_plugin_hook_duration_seconds{plugin, hook}} with {@link #BUCKETS}.
     */
    private LongConsumer timer(String name) {
        String[] parts = pluginParts(name);
        Timer t = Timer.builder(parts == null ? "mast." + sanitize(name) : "mast.plugin.hook.duration")
                .description("Time of plugin decisions and events (sampled for per-message decisions)")
                .tags(parts == null ? Tags.empty() : Tags.of("plugin", parts[0], "hook", parts[1]))
                .serviceLevelObjectives(BUCKETS).register(registry);
        return nanos -> t.record(nanos, TimeUnit.NANOSECONDS);
    }

    /** {@code plugin.<class>.<hook>.duration} as {class, hook}; null for other names. */
    private static String[] pluginParts(String name) {
        if (!name.startsWith("plugin.") || !name.endsWith(".duration")) {
            return null;
        }
        String middle = name.substring("plugin.".length(), name.length() - ".duration".length());
        int cut = middle.lastIndexOf('.');
        return cut <= 0 ? null : new String[] {middle.substring(0, cut), middle.substring(cut + 1)};
    }

    /** The Prometheus text format (0.0.4) of every meter, plugins' new ones included. */
    public String scrape() {
        bridgePlugins();
        return registry.scrape();
    }

    /**
     * Plugins' counters and gauges ({@code plugin.<class>.<name>} in the {@link Metrics} registry) as
     * {@code mast_plugin_<name>{plugin="<class>"}}; registered when first seen.
     */
    private void bridgePlugins() {
        for (Map.Entry<String, LongAdder> e : named.counters().entrySet()) {
            if (e.getKey().startsWith("plugin.") && bridged.add(e.getKey())) {
                String[] p = split(e.getKey());
                register(e.getKey(), () -> FunctionCounter.builder("mast.plugin." + p[1], e.getValue(), LongAdder::sum)
                        .description("A plugin's counter " + e.getKey()).tag("plugin", p[0]).register(registry));
            }
        }
        for (Map.Entry<String, LongSupplier> e : named.gauges().entrySet()) {
            if (e.getKey().startsWith("plugin.") && bridged.add(e.getKey())) {
                String[] p = split(e.getKey());
                LongSupplier s = e.getValue();
                if (p[1].endsWith("_time_us")) {
                    // the plugin runtime's time spent per hook, a running sum in microseconds: seconds, as a counter
                    String name = "mast.plugin." + p[1].substring(0, p[1].length() - "_us".length());
                    register(e.getKey(), () -> FunctionCounter.builder(name, s, v -> read(v) / 1e6).baseUnit("seconds")
                            .description("Time spent in a plugin's hook " + e.getKey()).tag("plugin", p[0])
                            .register(registry));
                    continue;
                }
                register(e.getKey(), () -> Gauge.builder("mast.plugin." + p[1], s, PrometheusExport::read)
                        .description("A plugin's gauge " + e.getKey()).tag("plugin", p[0]).strongReference(true)
                        .register(registry));
            }
        }
    }

    private static double read(LongSupplier v) {
        try {
            return v.getAsLong();
        } catch (RuntimeException x) {
            return Double.NaN;
        }
    }

    /** Registers a plugin's meter; one whose name clashes with another's (a counter and a gauge) is left out. */
    private static void register(String name, Runnable registration) {
        try {
            registration.run();
        } catch (IllegalArgumentException e) {
            log.warn("metrics: {} is not exported to Prometheus: {}", name, e.getMessage());
        }
    }

    /**
     * {@code plugin.<class>.<rest>} as the class and the rest in Prometheus's alphabet. A class name has upper-case
     * letters after its last dot; what follows is the metric's own name.
     */
    private static String[] split(String key) {
        String rest = key.substring("plugin.".length());
        int classEnd = rest.length();
        String[] parts = rest.split("\\.");
        int consumed = 0;
        for (int i = 0; i < parts.length - 1; i++) {
            consumed += parts[i].length() + 1;
            if (!parts[i].isEmpty() && Character.isUpperCase(parts[i].charAt(0))) {
                classEnd = consumed - 1;
                break;
            }
        }
        if (classEnd == rest.length()) {
            int cut = rest.indexOf('.');
            classEnd = cut < 0 ? rest.length() : cut;
        }
        String plugin = rest.substring(0, classEnd);
        String metric = classEnd >= rest.length() ? "value" : rest.substring(classEnd + 1);
        return new String[] {plugin, sanitize(metric)};
    }

    private static String sanitize(String s) {
        return UNSAFE.matcher(s.replace('.', '_')).replaceAll("_");
    }
}
