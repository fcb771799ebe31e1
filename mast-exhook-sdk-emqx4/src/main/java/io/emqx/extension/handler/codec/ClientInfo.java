package io.emqx.extension.handler.codec;

/**
 * A client in the client, session and message hooks. Empty texts are null, as in EMQX 4.x's SDK: a client without a
 * user name has {@code userName == null}.
 */
public class ClientInfo implements HandlerParameter {

    /** The broker node the client is connected to. */
    public final String node;
    public final String clientId;
    public final String userName;
    public final String password;
    /** The client's IP address. */
    public final String peerHost;
    /** The broker's listener port. */
    public final int sockPort;
    /** {@code mqtt}. */
    public final String protocol;
    public final String mountPoint;
    public final boolean isSuperUser;
    /** Whether the client connected without a user name. */
    public final boolean anonymous;

    public ClientInfo(String node, String clientId, String userName, String password, String peerHost, int sockPort,
                      String protocol, String mountPoint, boolean isSuperUser, boolean anonymous) {
        this.node = node;
        this.clientId = clientId;
        this.userName = userName;
        this.password = password;
        this.peerHost = peerHost;
        this.sockPort = sockPort;
        this.protocol = protocol;
        this.mountPoint = mountPoint;
        this.isSuperUser = isSuperUser;
        this.anonymous = anonymous;
    }

    /** Everything but the password. */
    @Override
    public String toString() {
        return "ClientInfo (node=" + node + ", clientId=" + clientId + ", userName=" + userName + ", peerHost="
                + peerHost + ", sockPort=" + sockPort + ", protocol=" + protocol + ", mountPoint=" + mountPoint
                + ", isSuperUser=" + isSuperUser + ", anonymous=" + anonymous + ")";
    }
}
