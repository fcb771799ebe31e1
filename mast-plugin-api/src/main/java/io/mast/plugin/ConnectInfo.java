package io.mast.plugin;

import java.util.List;

/** A CONNECT being authenticated: the client, its credentials and what it asked for. */
public interface ConnectInfo extends ClientInfo {

    /**
     * True when the client sent an empty client identifier and the broker assigned {@link #clientId()} (MQTT 5.0
     * tells the client in CONNACK; MQTT 3.1.1 allows it with Clean Session only).
     */
    default boolean clientIdAssigned() {
        return false;
    }

    /**
     * Whether the client counts as authenticated when this plugin is asked: true when an earlier plugin of the chain
     * allowed it, or, when this plugin is the only one that authenticates, when Mast's default without
     * authentication would (a client on this machine, without enhanced authentication). For plugins that fold a
     * result through the chain as EMQX's hooks do; a plugin that abstains leaves that result as it is.
     */
    default boolean authenticatedSoFar() {
        return false;
    }

    /** A copy of the password, or {@code null} when the client sent none. */
    byte[] password();

    /** The will message, or {@code null}. */
    Message will();

    /** The will delay interval in seconds (MQTT 5.0), 0 otherwise. */
    long willDelayInterval();

    /** The session expiry interval the client asked for, in seconds (0 for a 3.1.1 clean session). */
    long sessionExpiryInterval();

    /** The client's Receive Maximum (65535 when not given). */
    int receiveMaximum();

    /** The client's Maximum Packet Size, or 0 when not given. */
    long maximumPacketSize();

    /** The client's Topic Alias Maximum. */
    int topicAliasMaximum();

    /** User properties of CONNECT. */
    List<UserProperty> userProperties();

    /** The MQTT 5.0 enhanced authentication method, or {@code null}. */
    String authenticationMethod();

    /** A copy of the enhanced authentication data of CONNECT, or {@code null}. */
    byte[] authenticationData();
}
