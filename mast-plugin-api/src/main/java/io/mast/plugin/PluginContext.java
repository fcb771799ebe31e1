package io.mast.plugin;

import java.util.concurrent.ScheduledExecutorService;
import org.slf4j.Logger;

/** What every plugin gets: its name, logger, bound config, a scheduler and metrics. */
public interface PluginContext {

    /** The plugin's name: its class name. */
    String pluginName();

    /** The plugin's logger. */
    Logger logger();

    /**
     * The plugin's options bound to its nested {@code Config} type.
     *
     * @throws IllegalArgumentException when {@code type} is not the plugin's {@code Config} type
     */
    <T> T config(Class<T> type);

    /**
     * A scheduler owned by the broker or client, for periodic work. Tasks must not block for long; blocking work
     * belongs on a thread of the plugin's own (a virtual thread is cheap). Do not shut it down.
     */
    ScheduledExecutorService scheduler();

    /** Counters and gauges published under {@code plugin.<name>.}. */
    PluginMetrics metrics();
}
