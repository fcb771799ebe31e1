package io.mast.plugin;

/**
 * Why a client's connection ended.
 *
 * @param reasonCode  the MQTT 5.0 reason code of the DISCONNECT sent or received (0 normal disconnection; for a
 *                    network loss without DISCONNECT, 0x80)
 * @param reason      a short description: {@code normal}, {@code keepalive_timeout}, {@code takenover},
 *                    {@code protocol_error}, {@code connection_lost}, {@code server_shutdown}, {@code kicked} ...
 * @param byClient    true when the client sent DISCONNECT
 * @param willSent    true when the connection's will was (or will be, after its delay) published
 */
public record DisconnectInfo(int reasonCode, String reason, boolean byClient, boolean willSent) {
}
