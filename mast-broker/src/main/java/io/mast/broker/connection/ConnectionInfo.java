package io.mast.broker.connection;

import io.mast.codec.MqttVersion;
import io.mast.plugin.ClientInfo;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * What is known of a client connection once CONNECT is read. Immutable: shared with plugins and across threads.
 *
 * @param clientId      the client identifier (the assigned one when the client sent none)
 * @param username      the user name, or {@code null}
 * @param version       the protocol version
 * @param remoteAddress the client's address
 * @param localPort     the broker port it connected to
 * @param listener      the name of the listener it connected to
 * @param keepAlive     the keep-alive in force, in seconds (after the server's limit)
 * @param cleanStart    Clean Start / Clean Session
 * @param connectedAt   epoch milliseconds of CONNECT
 */
public record ConnectionInfo(String clientId, String username, MqttVersion version, InetSocketAddress remoteAddress,
                             int localPort, String listener, int keepAlive, boolean cleanStart, long connectedAt)
        implements ClientInfo {

    @Override
    public int protocolVersion() {
        return version.level();
    }

    /** True when the client connects from this machine. */
    public boolean isLoopback() {
        InetAddress a = remoteAddress == null ? null : remoteAddress.getAddress();
        return a != null && a.isLoopbackAddress();
    }

    /** The client as logs show it: {@code client-1 (alice@127.0.0.1:50123)}. */
    public String describe() {
        String host = remoteAddress == null ? "?" : remoteAddress.getAddress().getHostAddress() + ":" + remoteAddress.getPort();
        return clientId + " (" + (username == null ? "" : username + "@") + host + ")";
    }
}
