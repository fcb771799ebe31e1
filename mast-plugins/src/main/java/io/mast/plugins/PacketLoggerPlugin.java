package io.mast.plugins;

import io.mast.plugin.BrokerContext;
import io.mast.plugin.BrokerPlugin;
import io.mast.plugin.ClientInfo;
import io.mast.plugin.Default;
import io.mast.plugin.PacketInfo;

/**
 * Logs every MQTT packet received and sent, one line each ({@code <- CONNECT} received, {@code -> CONNACK} sent), with
 * the logger {@code io.mast.plugins.PacketLoggerPlugin}. The broker describes each packet's fields without passwords
 * or payloads. For debugging: describing every packet costs even when the line is not written.
 *
 * <pre>{@code
 * plugins:
 *   io.mast.plugins.PacketLoggerPlugin: {level: info}
 * }</pre>
 */
public final class PacketLoggerPlugin extends BrokerPlugin {

    /**
     * The options.
     *
     * @param level {@code level}: {@code info} (default) or {@code debug}
     */
    public record Config(@Default("info") LogLevel level) {
    }

    private final LogLevel level;

    /**
     * Reads the level; called by the broker at startup.
     */
    public PacketLoggerPlugin(BrokerContext context) {
        super(context);
        this.level = config(Config.class).level();
    }

    private static String who(ClientInfo c) {
        return c == null ? "(new connection)" : c.clientId();
    }

    @Override
    public void onPacketReceived(ClientInfo client, PacketInfo packet) {
        level.log(log(), "{} <- {}", who(client), packet.description());
    }

    @Override
    public void onPacketSent(ClientInfo client, PacketInfo packet) {
        level.log(log(), "{} -> {}", who(client), packet.description());
    }
}
