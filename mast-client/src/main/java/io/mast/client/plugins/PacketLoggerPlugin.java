package io.mast.client.plugins;

import io.mast.plugin.ClientContext;
import io.mast.plugin.ClientPlugin;
import io.mast.plugin.Default;
import io.mast.plugin.PacketInfo;
import org.slf4j.event.Level;

/**
 * Logs every packet the client sends and receives, one line each, at INFO unless the option {@code level} says
 * otherwise. Passwords and payloads are not printed.
 * <pre>{@code
 * plugins:
 *   io.mast.client.plugins.PacketLoggerPlugin:
 *     level: debug      # trace, debug, info (default), warn or error
 * }</pre>
 * Lines look like {@code client-1 sent PUBLISH Publish[dup=false, qos=AT_LEAST_ONCE, ... payload=5 bytes]}.
 */
public final class PacketLoggerPlugin extends ClientPlugin {

    /**
     * The plugin's options.
     *
     * @param level the log level of the packet lines
     */
    public record Config(@Default("info") Level level) {
    }

    private final Level level;

    public PacketLoggerPlugin(ClientContext context) {
        super(context);
        this.level = config(Config.class).level();
    }

    @Override
    public void onPacketSent(PacketInfo packet) {
        log().atLevel(level).log("{} sent {} {}", context().clientId(), packet.type(), packet.description());
    }

    @Override
    public void onPacketReceived(PacketInfo packet) {
        log().atLevel(level).log("{} received {} {}", context().clientId(), packet.type(), packet.description());
    }
}
