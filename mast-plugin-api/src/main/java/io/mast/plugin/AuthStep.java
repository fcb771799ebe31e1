package io.mast.plugin;

/**
 * One AUTH packet of MQTT 5.0 enhanced authentication, as an {@link AuthPlugin} sees it: the client's answer during
 * CONNECT, or the first step of a re-authentication of a connected client.
 *
 * @param client              the client
 * @param method              the authentication method (the same as in CONNECT)
 * @param data                the client's authentication data, or {@code null}
 * @param reauthentication    true when a connected client started a re-authentication (reason 0x19)
 */
public record AuthStep(ClientInfo client, String method, byte[] data, boolean reauthentication) {
}
