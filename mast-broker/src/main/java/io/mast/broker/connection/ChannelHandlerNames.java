package io.mast.broker.connection;

/** The names of the handlers in a client channel's pipeline, in order. */
public final class ChannelHandlerNames {

    /** Refuses connections over a listener's or the broker's limit. */
    public static final String CONNECTION_LIMIT = "connection-limit";
    /** Transport layers before MQTT (TLS, WebSocket) are added by the transport's initializer. */
    public static final String TLS = "tls";
    /** Counts the bytes of MQTT read and written. */
    public static final String TRAFFIC = "traffic";
    /** Consolidates flushes per read batch and per event-loop turn. */
    public static final String FLUSH = "flush";
    public static final String DECODER = "mqtt-decoder";
    public static final String ENCODER = "mqtt-encoder";
    /** Added after CONNECT when the client has a keep-alive. */
    public static final String KEEP_ALIVE = "keep-alive";
    public static final String MQTT = "mqtt";

    private ChannelHandlerNames() {
    }
}
