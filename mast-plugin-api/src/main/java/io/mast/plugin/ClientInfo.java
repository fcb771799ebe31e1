package io.mast.plugin;

import java.net.InetSocketAddress;

/** What is known of a connected (or connecting) client. Immutable; safe to keep and share. */
public interface ClientInfo {

    String clientId();

    /** The user name, or {@code null} when the client sent none. */
    String username();

    /** True when the client sent no user name. */
    default boolean anonymous() {
        return username() == null;
    }

    /** 3 (MQTT 3.1), 4 (3.1.1) or 5 (5.0). */
    int protocolVersion();

    /** {@code MQTT} or {@code MQIsdp} (3.1). */
    default String protocolName() {
        return protocolVersion() == 3 ? "MQIsdp" : "MQTT";
    }

    /** The client's address. */
    InetSocketAddress remoteAddress();

    /** The broker port the client connected to. */
    int localPort();

    /** The name of the listener it connected through. */
    String listener();

    /** The keep-alive in force, in seconds. */
    int keepAlive();

    /** Clean Start (5.0) or Clean Session (3.1.1). */
    boolean cleanStart();

    /** When CONNECT was received, epoch milliseconds. */
    long connectedAt();

    /** The Common Name of the client's TLS certificate, or {@code null} without one. */
    default String certificateCommonName() {
        return null;
    }

    /** The subject (distinguished name) of the client's TLS certificate, or {@code null} without one. */
    default String certificateSubject() {
        return null;
    }
}
