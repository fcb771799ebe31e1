package io.mast.plugin;

import java.util.function.LongSupplier;

/** A plugin's own metrics, listed with the broker's under {@code plugin.<plugin name>.<metric name>}. */
public interface PluginMetrics {

    /** A counter, created at zero on first use. */
    Counter counter(String name);

    /** A gauge read when metrics are collected. */
    void gauge(String name, LongSupplier value);

    /** A monotonically increasing count. */
    interface Counter {
        void increment();

        void add(long delta);

        long count();
    }
}
