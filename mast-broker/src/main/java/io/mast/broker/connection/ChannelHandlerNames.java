package io.mast.broker.connection;

/**
 * The names of the handlers in a client channel's pipeline, in order. The transport's own layers come first, as the
 * listener's type needs them:
 * <pre>
 * tcp:  [connection-limit] → [connection-rate] → traffic → unauthenticated → flush → mqtt-decoder → mqtt-encoder
 *       → [keep-alive] → mqtt
 * tls:  [connection-limit] → [connection-rate] → tls → tls-handshake → traffic → ...
 * ws:   ... → http → http-aggregator → websocket-request → websocket → websocket-frames → traffic → ...
 * wss:  ... → tls → tls-handshake → http → ... → websocket-frames → traffic → ...
 * </pre>
 * {@code unauthenticated} is removed once the client is authenticated.
 * After the WebSocket handshake, Netty replaces {@code http} and {@code http-aggregator} by its frame decoder and
 * encoder ({@code wsdecoder}, {@code wsencoder}).
 */
public final class ChannelHandlerNames {

    /** Refuses connections over a listener's or the broker's limit (present only when a limit is set). */
    public static final String CONNECTION_LIMIT = "connection-limit";
    /** Refuses connections beyond the listener's connection rates, overall and per source address (when set). */
    public static final String CONNECTION_RATE = "connection-rate";
    /** Counts the bytes held for the connection until it is authenticated, against a broker-wide cap. */
    public static final String UNAUTHENTICATED = "unauthenticated";
    /** TLS ({@code tls} and {@code wss} listeners): Netty's {@code SslHandler}. */
    public static final String TLS = "tls";
    /** Logs failed TLS handshakes in one line and keeps TLS errors from the MQTT handler. */
    public static final String TLS_HANDSHAKE = "tls-handshake";
    /** WebSocket listeners: the HTTP request decoder and response encoder, until the WebSocket handshake. */
    public static final String HTTP = "http";
    /** WebSocket listeners: puts the handshake request together, until the WebSocket handshake. */
    public static final String HTTP_AGGREGATOR = "http-aggregator";
    /** WebSocket listeners: 404 for other paths, 400 for what is not a handshake, 403 for origins not allowed. */
    public static final String WEBSOCKET_REQUEST = "websocket-request";
    /** WebSocket listeners: Netty's handshake, close and ping handling. */
    public static final String WEBSOCKET = "websocket";
    /** WebSocket listeners: binary frames to bytes for the MQTT decoder and packets to binary frames. */
    public static final String WEBSOCKET_FRAMES = "websocket-frames";
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
