package io.mast.broker.transport;

import io.mast.broker.connection.ConnectionServices;
import io.mast.broker.connection.PacketDispatcher;
import io.mast.broker.config.LimitsConfig;
import io.mast.broker.config.ListenerConfig;
import io.mast.broker.connection.ChannelHandlerNames;
import io.netty.channel.Channel;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;

/**
 * MQTT over WebSocket ({@code type: ws}), as browsers speak it:
 * {@code http → http-aggregator → websocket-request → websocket → websocket-frames} below the MQTT layers. The
 * handshake must be at the listener's path (default {@code /mqtt}) and selects the subprotocol {@code mqtt} (or
 * {@code mqttv3.1}, which old clients ask for); after it, the HTTP handlers give way to Netty's frame decoder and
 * encoder.
 */
public final class WebSocketChannelInitializer extends MqttChannelInitializer {

    /** The subprotocols accepted, in order of preference (MQTT-6.0.0-3: the server selects "mqtt"). */
    public static final String SUBPROTOCOLS = "mqtt,mqttv3.1";

    private final WebSocketRequestFilter filter;
    private final WebSocketServerProtocolConfig config;

    public WebSocketChannelInitializer(ConnectionServices core, PacketDispatcher dispatcher, ListenerConfig listener) {
        super(core, dispatcher, listener);
        this.filter = filter(listener);
        this.config = protocolConfig(listener, limits);
    }

    @Override
    protected void addTransportHandlers(Channel channel, ChannelPipeline pipeline) {
        addWebSocket(pipeline, filter, config);
    }

    static WebSocketServerProtocolConfig protocolConfig(ListenerConfig listener, LimitsConfig limits) {
        // A frame may hold a whole packet of the largest size allowed (or several smaller ones).
        int maxFrame = Math.max(limits.maxPacketSize(), 65_536);
        return WebSocketServerProtocolConfig.newBuilder()
                .websocketPath(listener.path())
                // The request filter already checked the path; this lets a query string through (/mqtt?token=...).
                .checkStartsWith(true)
                .subprotocols(SUBPROTOCOLS)
                .handshakeTimeoutMillis(limits.connectTimeout().toMillis())
                .decoderConfig(WebSocketDecoderConfig.newBuilder()
                        .maxFramePayloadLength(maxFrame)
                        .allowExtensions(false)
                        .closeOnProtocolViolation(true)
                        .build())
                .handleCloseFrames(true)
                .dropPongFrames(true)
                .build();
    }

    static void addWebSocket(ChannelPipeline pipeline, WebSocketRequestFilter filter,
                             WebSocketServerProtocolConfig config) {
        pipeline.addLast(ChannelHandlerNames.HTTP, new HttpServerCodec());
        pipeline.addLast(ChannelHandlerNames.HTTP_AGGREGATOR, new HttpObjectAggregator(65_536));
        pipeline.addLast(ChannelHandlerNames.WEBSOCKET_REQUEST, filter);
        pipeline.addLast(ChannelHandlerNames.WEBSOCKET, new WebSocketServerProtocolHandler(config));
        pipeline.addLast(ChannelHandlerNames.WEBSOCKET_FRAMES, WebSocketFrames.INSTANCE);
    }

    static WebSocketRequestFilter filter(ListenerConfig listener) {
        return new WebSocketRequestFilter(listener.name(), listener.path(), listener.allowedOrigins());
    }
}
