package io.mast.plugin.support;

import io.mast.plugin.PluginContext;
import io.mast.plugin.PluginMetrics;
import java.util.concurrent.ScheduledExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every plugin context holds, for the broker's and the client's runtimes: the plugin's name, its logger (named
 * after the plugin class), its bound config, a scheduler, and metrics under {@code plugin.<name>.}.
 */
public abstract class AbstractPluginContext implements PluginContext {

    private final String name;
    private final Logger logger;
    private final Class<?> configType;
    private final Object config;
    private final ScheduledExecutorService scheduler;
    private final PluginMetrics metrics;

    /**
     * @param name        the plugin's name (its class name)
     * @param pluginClass the plugin class, which names the logger
     * @param configType  the plugin's nested Config type, or {@code null}
     * @param config      the bound config, or {@code null}
     * @param scheduler   the scheduler plugins may use
     * @param registry    where the plugin's metrics go
     */
    protected AbstractPluginContext(String name, Class<?> pluginClass, Class<?> configType, Object config,
                                    ScheduledExecutorService scheduler, Metrics registry) {
        this.name = name;
        this.logger = LoggerFactory.getLogger(pluginClass);
        this.configType = configType;
        this.config = config;
        this.scheduler = scheduler;
        this.metrics = new RegistryPluginMetrics(registry, name);
    }

    @Override
    public String pluginName() {
        return name;
    }

    @Override
    public Logger logger() {
        return logger;
    }

    @Override
    public <T> T config(Class<T> type) {
        if (configType == null || !type.isAssignableFrom(configType)) {
            throw new IllegalArgumentException("the Config type of plugin " + name + " is "
                    + (configType == null ? "not declared" : configType.getName()) + ", not " + type.getName());
        }
        return type.cast(config);
    }

    @Override
    public ScheduledExecutorService scheduler() {
        return scheduler;
    }

    @Override
    public PluginMetrics metrics() {
        return metrics;
    }
}
