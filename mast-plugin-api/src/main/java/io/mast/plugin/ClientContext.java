package io.mast.plugin;

/** What a plugin of Mast's client gets: its logger, config, scheduler and metrics, and the client's identity. */
public interface ClientContext extends PluginContext {

    /** The client identifier the client connects with. */
    String clientId();
}
