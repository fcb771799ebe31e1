package io.mast.plugin.support;

import io.mast.plugin.PluginMetrics;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/** A plugin's own metrics in the broker's registry, under {@code plugin.<name>.}. */
public final class RegistryPluginMetrics implements PluginMetrics {

    private final Metrics registry;
    private final String prefix;

    public RegistryPluginMetrics(Metrics registry, String plugin) {
        this.registry = registry;
        this.prefix = "plugin." + plugin + ".";
    }

    @Override
    public Counter counter(String name) {
        LongAdder adder = registry.counter(prefix + name);
        return new Counter() {
            @Override
            public void increment() {
                adder.increment();
            }

            @Override
            public void add(long delta) {
                adder.add(delta);
            }

            @Override
            public long count() {
                return adder.sum();
            }
        };
    }

    @Override
    public void gauge(String name, LongSupplier value) {
        registry.gauge(prefix + name, value);
    }
}
