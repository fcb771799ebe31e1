package io.mast.exhook.sdk;

/**
 * A connected (or connecting) client, as the broker describes it in client, session and message hooks.
 *
 * @param node        the broker node the client is connected to
 * @param clientId    the client identifier (may be empty while authenticating a client that sent none)
 * @param username    the user name, empty when the client sent none
 * @param password    the password as the client sent it (UTF-8), empty when it sent none
 * @param peerHost    the client's IP address
 * @param peerPort    the client's TCP port (0 with protocol v2, which does not carry it)
 * @param sockPort    the broker's listener port the client connected to
 * @param protocol    the protocol, e.g. {@code mqtt}
 * @param mountpoint  the mountpoint of the client's topics, empty for none
 * @param superuser   whether the client is a superuser
 * @param anonymous   whether the client connected without a user name
 * @param cn          the common name of the client's TLS certificate, empty without one
 * @param dn          the subject of the client's TLS certificate, empty without one
 */
public record ClientInfo(String node, String clientId, String username, String password, String peerHost,
        int peerPort, int sockPort, String protocol, String mountpoint, boolean superuser, boolean anonymous,
        String cn, String dn) {
}
