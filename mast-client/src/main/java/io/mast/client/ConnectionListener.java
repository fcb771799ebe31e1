package io.mast.client;

/**
 * Told when the client connects and when a connection ends. Called on the client's I/O thread (or its callback
 * executor): do not block.
 */
public interface ConnectionListener {

    /** A connection was accepted, first or after an automatic reconnect. */
    default void onConnected(ConnectResult result) {
    }

    /** A connection ended (after it had been accepted). */
    default void onDisconnected(DisconnectEvent event) {
    }
}
