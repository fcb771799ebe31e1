package io.emqx.extension.handler.codec;

/** A client's connection in {@code onClientConnect} and {@code onClientConnack}; empty texts are null. */
public class ConnInfo implements HandlerParameter {

    /** The broker node. */
    public final String node;
    public final String clientId;
    public final String userName;
    /** The client's IP address. */
    public final String peerHost;
    /** The broker's listener port. */
    public final int sockPort;
    /** {@code MQTT}. */
    public final String protoName;
    /** 3, 4 (MQTT 3.1.1) or 5. */
    public final int protoVersion;
    /** The keep alive in seconds. */
    public final int keepalive;

    public ConnInfo(String node, String clientId, String userName, String peerHost, int sockPort, String protoName,
                    int protoVersion, int keepalive) {
        this.node = node;
        this.clientId = clientId;
        this.userName = userName;
        this.peerHost = peerHost;
        this.sockPort = sockPort;
        this.protoName = protoName;
        this.protoVersion = protoVersion;
        this.keepalive = keepalive;
    }

    @Override
    public String toString() {
        return "ConnInfo (node=" + node + ", clientId=" + clientId + ", userName=" + userName + ", peerHost="
                + peerHost + ", sockPort=" + sockPort + ", protoName=" + protoName + ", protoVersion=" + protoVersion
                + ", keepalive=" + keepalive + ")";
    }
}
