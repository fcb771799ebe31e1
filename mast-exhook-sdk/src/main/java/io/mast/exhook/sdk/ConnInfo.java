package io.mast.exhook.sdk;

/**
 * A client's connection as given to {@link HookProvider#onClientConnect} and {@link HookProvider#onClientConnack},
 * before the client is authenticated.
 *
 * @param node      the broker node the client connects to
 * @param clientId  the client identifier from CONNECT
 * @param username  the user name from CONNECT, empty when there is none
 * @param peerHost  the client's IP address
 * @param peerPort  the client's TCP port (0 with protocol v2, which does not carry it)
 * @param sockPort  the broker's listener port
 * @param protoName the protocol name, e.g. {@code MQTT}
 * @param protoVer  the protocol version, e.g. {@code 5} or {@code 4}
 * @param keepalive the keep alive in seconds
 */
public record ConnInfo(String node, String clientId, String username, String peerHost, int peerPort, int sockPort,
        String protoName, String protoVer, int keepalive) {
}
