package io.mast.broker.transport;

import io.mast.broker.connection.ConnectionServices;
import io.mast.broker.connection.PacketDispatcher;
import io.mast.broker.config.ListenerConfig;
import io.mast.broker.connection.ChannelHandlerNames;
import io.netty.channel.Channel;
import io.netty.channel.ChannelPipeline;

/**
 * MQTT over TLS ({@code type: tls}): {@code tls → tls-handshake} below the MQTT layers. The certificate comes from
 * the listener's {@link ServerTls}, which reloads it when its files change.
 */
public final class TlsChannelInitializer extends MqttChannelInitializer {

    private final ServerTls tls;
    private final TlsHandshakeLog handshakeLog;

    public TlsChannelInitializer(ConnectionServices core, PacketDispatcher dispatcher, ListenerConfig listener) {
        super(core, dispatcher, listener);
        this.tls = ServerTls.start(listener, limits.connectTimeout().toMillis());
        this.handshakeLog = new TlsHandshakeLog(listener.name());
    }

    @Override
    protected void addTransportHandlers(Channel channel, ChannelPipeline pipeline) {
        addTls(channel, pipeline, tls, handshakeLog);
    }

    /** Adds the TLS handler of a new connection and the handshake log after it. */
    static void addTls(Channel channel, ChannelPipeline pipeline, ServerTls tls, TlsHandshakeLog handshakeLog) {
        pipeline.addLast(ChannelHandlerNames.TLS, tls.newHandler(channel.alloc()));
        pipeline.addLast(ChannelHandlerNames.TLS_HANDSHAKE, handshakeLog);
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
