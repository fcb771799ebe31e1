package io.mast.integration;

import io.mast.plugin.ClientInfo;
import io.mast.plugin.Message;

/**
 * A message as a sink receives it: the message after the broker's decisions, who published it ({@code null} for a
 * message of the broker or a plugin) and the broker's name (the node).
 */
public record Published(ClientInfo publisher, Message message, String node) {

    /** The publisher's client identifier, or the message's, or {@code null}. */
    public String clientId() {
        return publisher != null ? publisher.clientId() : message.publisherId();
    }

    /** The publisher's user name, or {@code null}. */
    public String username() {
        return publisher != null ? publisher.username() : null;
    }

    /** The publisher's IP address as text, or {@code null}. */
    public String peerHost() {
        return publisher != null && publisher.remoteAddress() != null
                ? MessageJson.host(publisher.remoteAddress()) : null;
    }
}
