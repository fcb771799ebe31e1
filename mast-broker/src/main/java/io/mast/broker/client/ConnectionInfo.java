package io.mast.broker.client;

import io.mast.codec.MqttVersion;
import io.mast.plugin.ClientInfo;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.cert.X509Certificate;
import java.util.List;

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
 * @param clientCertificate the certificate the client presented over TLS (verified by the listener), or {@code null}
 * @param superuser     an auth plugin accepted the client as a superuser: topic plugins are not asked about it
 */
public record ConnectionInfo(String clientId, String username, MqttVersion version, InetSocketAddress remoteAddress,
                             int localPort, String listener, int keepAlive, boolean cleanStart, long connectedAt,
                             ClientCertificate clientCertificate, boolean superuser)
        implements ClientInfo {

    /** A connection being authenticated (not a superuser, until {@link #asSuperuser()}). */
    public ConnectionInfo(String clientId, String username, MqttVersion version, InetSocketAddress remoteAddress,
                          int localPort, String listener, int keepAlive, boolean cleanStart, long connectedAt,
                          ClientCertificate clientCertificate) {
        this(clientId, username, version, remoteAddress, localPort, listener, keepAlive, cleanStart, connectedAt,
                clientCertificate, false);
    }

    /** A connection without a client certificate. */
    public ConnectionInfo(String clientId, String username, MqttVersion version, InetSocketAddress remoteAddress,
                          int localPort, String listener, int keepAlive, boolean cleanStart, long connectedAt) {
        this(clientId, username, version, remoteAddress, localPort, listener, keepAlive, cleanStart, connectedAt, null);
    }

    /** The same connection, accepted as a superuser. */
    public ConnectionInfo asSuperuser() {
        return superuser ? this : new ConnectionInfo(clientId, username, version, remoteAddress, localPort, listener,
                keepAlive, cleanStart, connectedAt, clientCertificate, true);
    }

    @Override
    public int protocolVersion() {
        return version.level();
    }

    @Override
    public String certificateCommonName() {
        return clientCertificate == null ? null : clientCertificate.commonName();
    }

    @Override
    public String certificateSubject() {
        return clientCertificate == null ? null : clientCertificate.subject();
    }

    @Override
    public List<String> certificateSans() {
        return clientCertificate == null ? List.of() : clientCertificate.sans();
    }

    @Override
    public X509Certificate certificate() {
        return clientCertificate == null ? null : clientCertificate.certificate();
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
