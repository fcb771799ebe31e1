package io.mast.broker.transport;

import io.mast.broker.connection.ConnectionServices;
import io.mast.broker.connection.PacketDispatcher;
import io.mast.broker.config.ListenerConfig;
import io.netty.channel.Channel;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;

/**
 * MQTT over WebSocket over TLS ({@code type: wss}): the TLS layers of {@link TlsChannelInitializer} under the
 * WebSocket layers of {@link WebSocketChannelInitializer}, with the same certificate reload.
 */
public final class SecureWebSocketChannelInitializer extends MqttChannelInitializer {

    private final ServerTls tls;
    private final TlsHandshakeLog handshakeLog;
    private final WebSocketRequestFilter filter;
    private final WebSocketServerProtocolConfig config;

    public SecureWebSocketChannelInitializer(ConnectionServices core, PacketDispatcher dispatcher, ListenerConfig listener) {
        super(core, dispatcher, listener);
        this.tls = ServerTls.start(listener, limits.connectTimeout().toMillis());
        this.handshakeLog = new TlsHandshakeLog(listener.name());
        this.filter = WebSocketChannelInitializer.filter(listener);
        this.config = WebSocketChannelInitializer.protocolConfig(listener, limits);
    }

    @Override
    protected void addTransportHandlers(Channel channel, ChannelPipeline pipeline) {
        TlsChannelInitializer.addTls(channel, pipeline, tls, handshakeLog);
        WebSocketChannelInitializer.addWebSocket(pipeline, filter, config);
    }

    /** The listener's TLS context and its reloading. */
    public ServerTls tls() {
        return tls;
    }

    @Override
    public void close() {
        tls.close();
    }
}
