package io.mast.client;

import io.mast.codec.MqttDecoder;
import io.mast.codec.MqttEncoder;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketVersion;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.netty.handler.ssl.SslContext;
import java.net.URI;

/**
 * The client's pipeline, one named handler per step:
 * {@code [tls] → [http → http-aggregator → websocket → websocket-frames] → flush → mqtt-decoder → mqtt-encoder → mqtt-client}.
 */
final class ClientChannelInitializer extends ChannelInitializer<Channel> {

    static final String TLS = "tls";
    static final String HTTP = "http";
    static final String HTTP_AGGREGATOR = "http-aggregator";
    static final String WEBSOCKET = "websocket";
    static final String WEBSOCKET_FRAMES = "websocket-frames";
    static final String FLUSH = "flush";
    static final String DECODER = "mqtt-decoder";
    static final String ENCODER = "mqtt-encoder";
    static final String KEEP_ALIVE = "keep-alive";
    static final String CLIENT = "mqtt-client";

    private final ClientOptions options;
    private final SslContext ssl;
    private final ClientConnection connection;

    ClientChannelInitializer(ClientOptions options, SslContext ssl, ClientConnection connection) {
        this.options = options;
        this.ssl = ssl;
        this.connection = connection;
    }

    @Override
    protected void initChannel(Channel ch) {
        ChannelPipeline p = ch.pipeline();
        if (ssl != null) {
            p.addLast(TLS, ssl.newHandler(ch.alloc(), options.host(), options.port()));
        }
        if (options.websocket()) {
            String scheme = ssl != null ? "wss" : "ws";
            String path = options.websocketPath().startsWith("/") ? options.websocketPath() : "/" + options.websocketPath();
            String host = options.host().contains(":") ? "[" + options.host() + "]" : options.host();
            WebSocketClientProtocolConfig config = WebSocketClientProtocolConfig.newBuilder()
                    .webSocketUri(URI.create(scheme + "://" + host + ":" + options.port() + path))
                    .version(WebSocketVersion.V13)
                    .subprotocol("mqtt")
                    .customHeaders(new DefaultHttpHeaders())
                    .maxFramePayloadLength(ClientOptions.MQTT_MAX_PACKET)
                    .handshakeTimeoutMillis(options.connectTimeout().toMillis())
                    .dropPongFrames(true)
                    .build();
            p.addLast(HTTP, new HttpClientCodec());
            p.addLast(HTTP_AGGREGATOR, new HttpObjectAggregator(65_536));
            p.addLast(WEBSOCKET, new WebSocketClientProtocolHandler(config));
            p.addLast(WEBSOCKET_FRAMES, new WebSocketFrames());
        }
        p.addLast(FLUSH, new FlushConsolidationHandler(256, true));
        int max = options.version().isV5() ? options.maximumPacketSize() : ClientOptions.MQTT_MAX_PACKET;
        p.addLast(DECODER, MqttDecoder.forClient(max, options.version()));
        p.addLast(ENCODER, new MqttEncoder(options.version()));
        p.addLast(CLIENT, connection);
    }
}
