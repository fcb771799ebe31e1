package io.mast.plugin;

import java.util.Objects;
import org.slf4j.Logger;

/**
 * The base of every plugin, for the broker ({@link BrokerPlugin}) or Mast's client ({@link ClientPlugin}).
 *
 * <p>A plugin is a class with a public constructor taking its context. It may declare its options as a nested
 * {@code Config} type, usually a record; the runtime binds the plugin's options from the config file to it, strictly,
 * before the constructor runs, and {@link #config(Class)} returns it:
 * <pre>{@code
 * public final class Greeter extends BrokerPlugin {
 *     public record Config(@Default("hello") String greeting, int repeat) {}
 *
 *     public Greeter(BrokerContext context) {
 *         super(context);
 *     }
 *
 *     @Override
 *     public void onClientConnected(ClientInfo client) {
 *         log().info("{} {}", config(Config.class).greeting(), client.clientId());
 *     }
 * }
 * }</pre>
 *
 * @param <C> the context type: {@link BrokerContext} or {@link ClientContext}
 */
public abstract class Plugin<C extends PluginContext> {

    private final C context;

    protected Plugin(C context) {
        this.context = Objects.requireNonNull(context, "context");
    }

    /** The context the plugin runs in: its logger, its config, and the services of the broker or client. */
    protected final C context() {
        return context;
    }

    /** The plugin's own logger, named after the plugin class. */
    protected final Logger log() {
        return context.logger();
    }

    /** The plugin's options, bound from the config file to its nested {@code Config} type. */
    protected final <T> T config(Class<T> type) {
        return context.config(type);
    }

    /**
     * Called once when the broker or client stops, after the last event. Release connections and threads here.
     * An exception is logged with the plugin's name and does not stop the shutdown.
     */
    public void close() throws Exception {
    }
}
