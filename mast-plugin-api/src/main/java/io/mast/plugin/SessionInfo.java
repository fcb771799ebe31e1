package io.mast.plugin;

import java.util.List;

/**
 * A snapshot of a session: what it was when asked. Sessions live across connections, until they expire.
 *
 * @param clientId               the client identifier
 * @param connected              whether its client is connected now
 * @param client                 the client of its current (or last) connection, or {@code null} for a session
 *                               created by a plugin that no client has used yet
 * @param expiryIntervalSeconds  how long it outlives a disconnection (4294967295 = never)
 * @param subscriptions          its subscriptions
 * @param queuedMessages         messages waiting to be sent to it
 * @param inflightMessages       messages sent to it and not yet acknowledged
 */
public record SessionInfo(String clientId, boolean connected, ClientInfo client, long expiryIntervalSeconds,
                          List<Subscription> subscriptions, int queuedMessages, int inflightMessages) {
}
