package io.mast.broker.config;

/**
 * One listener.
 *
 * @param name            a name for logs and metrics (default: type and port)
 * @param type            {@code tcp}
 * @param bind            the address to bind (default 127.0.0.1)
 * @param port            the port (default 1883; 0 picks a free one)
 * @param maxConnections  connections this listener accepts at once, -1 unlimited (default)
 */
public record ListenerConfig(String name, String type, String bind, Integer port, Integer maxConnections) {

    public ListenerConfig {
        type = Check.nonEmpty("type", type, "tcp");
        if (!type.equals("tcp")) {
            throw new IllegalArgumentException("type: expected tcp, got " + type);
        }
        bind = Check.nonEmpty("bind", bind, "127.0.0.1");
        port = Check.range("port", port, 1883, 0, 65535);
        maxConnections = Check.limitOrUnlimited("max_connections", maxConnections, -1);
        name = name == null ? type + "/" + port : name;
    }

    /** A TCP listener on an address and port. */
    public static ListenerConfig tcp(String bind, int port) {
        return new ListenerConfig(null, "tcp", bind, port, null);
    }

    /** This listener on another address and port. */
    public ListenerConfig withAddress(String newBind, int newPort) {
        return new ListenerConfig(null, type, newBind, newPort, maxConnections);
    }
}
