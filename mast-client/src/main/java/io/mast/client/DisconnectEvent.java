package io.mast.client;

import io.mast.codec.MqttProperties;
import io.mast.codec.ReasonCode;

/**
 * Why a connection ended, as {@link ConnectionListener#onDisconnected} reports it.
 *
 * @param reasonCode   the reason code of the DISCONNECT the server sent, or the client sent; for a connection lost
 *                     without DISCONNECT {@link ReasonCode#UNSPECIFIED_ERROR}
 * @param properties   the server's DISCONNECT properties (reason string, server reference), or empty
 * @param byServer     true when the server sent DISCONNECT or closed the connection
 * @param cause        what broke the connection (an I/O error, a keep-alive timeout ...), or {@code null}
 * @param reconnecting true when the client will reconnect by itself
 */
public record DisconnectEvent(ReasonCode reasonCode, MqttProperties properties, boolean byServer, Throwable cause,
                              boolean reconnecting) {

    /** A readable one-line description. */
    public String describe() {
        StringBuilder sb = new StringBuilder(reasonCode.describe());
        if (properties.reasonString() != null) {
            sb.append(" (").append(properties.reasonString()).append(')');
        }
        if (cause != null) {
            sb.append(": ").append(cause.getMessage() == null ? cause.toString() : cause.getMessage());
        }
        return sb.toString();
    }
}
