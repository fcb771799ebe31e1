package io.mast.plugin;

/**
 * A plugin of Mast's client, declared in the client's config like a broker plugin. Events are called in order on a
 * thread of the client's own; an exception is logged with the plugin's name and does not affect the client.
 */
public abstract class ClientPlugin extends Plugin<ClientContext> {

    protected ClientPlugin(ClientContext context) {
        super(context);
    }

    /** The client is connected (CONNACK accepted); {@code sessionPresent} as the broker said. */
    public void onConnected(boolean sessionPresent) throws Exception {
    }

    /** The connection ended; {@code reasonCode} is the DISCONNECT's, or 0x80 for a lost connection. */
    public void onDisconnected(int reasonCode, String reason) throws Exception {
    }

    /** A packet was sent to the broker. */
    public void onPacketSent(PacketInfo packet) throws Exception {
    }

    /** A packet arrived from the broker. */
    public void onPacketReceived(PacketInfo packet) throws Exception {
    }
}
