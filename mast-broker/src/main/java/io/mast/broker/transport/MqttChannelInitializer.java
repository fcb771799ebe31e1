package io.mast.broker.transport;

import io.mast.broker.connection.ConnectionServices;
import io.mast.broker.connection.PacketDispatcher;
import io.mast.broker.config.LimitsConfig;
import io.mast.broker.config.ListenerConfig;
import io.mast.broker.connection.ChannelHandlerNames;
import io.mast.broker.connection.MqttConnectionHandler;
import io.mast.codec.MqttDecoder;
import io.mast.codec.MqttEncoder;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.flush.FlushConsolidationHandler;

/**
 * Builds a client channel's pipeline: the transport's own layers (added by a subclass: TLS, HTTP and WebSocket), then
 * the MQTT layers shared by all transports. Handlers are named ({@link ChannelHandlerNames}) so that they can be found
 * and replaced. One instance serves all the channels of a listener.
 */
public abstract class MqttChannelInitializer extends ChannelInitializer<Channel> implements AutoCloseable {

    protected final ConnectionServices core;
    private final PacketDispatcher dispatcher;
    protected final ListenerConfig listener;
    /** The broker's limits with this listener's overrides. */
    protected final LimitsConfig limits;
    private final ConnectionLimiter limiter;
    private final TrafficCounter traffic;
    private final ConnectionRates rates;

    protected MqttChannelInitializer(ConnectionServices core, PacketDispatcher dispatcher, ListenerConfig listener) {
        this.core = core;
        this.dispatcher = dispatcher;
        this.listener = listener;
        this.limits = listener.limits(core.config().limits());
        this.limiter = new ConnectionLimiter(listener.name(), listener.maxConnections(),
                core.config().limits().maxConnections(), core.sockets(),
                core.metrics().connectionsRefused);
        this.traffic = new TrafficCounter(core.metrics().bytesReceived, core.metrics().bytesSent);
        this.rates = limits.maxConnectionRate() > 0 || limits.maxConnectionRatePerAddress() > 0
                ? new ConnectionRates(listener.name(), limits.maxConnectionRate(), limits.maxConnectionRatePerAddress(),
                        core.metrics().connectionsRefusedRate)
                : null;
    }

    /** The right initializer for the listener's type. */
    public static MqttChannelInitializer of(ConnectionServices core, PacketDispatcher dispatcher, ListenerConfig listener) {
        return switch (listener.type()) {
            case "tcp" -> new TcpChannelInitializer(core, dispatcher, listener);
            case "tls" -> new TlsChannelInitializer(core, dispatcher, listener);
            case "ws" -> new WebSocketChannelInitializer(core, dispatcher, listener);
            case "wss" -> new SecureWebSocketChannelInitializer(core, dispatcher, listener);
            default -> throw new IllegalArgumentException("unknown listener type " + listener.type());
        };
    }

    @Override
    protected final void initChannel(Channel ch) {
        ChannelPipeline p = ch.pipeline();
        if (listener.maxConnections() > 0 || core.config().limits().maxConnections() > 0) {
            p.addLast(ChannelHandlerNames.CONNECTION_LIMIT, limiter);
        }
        if (rates != null) {
            p.addLast(ChannelHandlerNames.CONNECTION_RATE, rates);
        }
        addTransportHandlers(ch, p);
        p.addLast(ChannelHandlerNames.TRAFFIC, traffic);
        p.addLast(ChannelHandlerNames.FLUSH, new FlushConsolidationHandler(256, true));
        p.addLast(ChannelHandlerNames.UNAUTHENTICATED, new UnauthenticatedBytes(core.unauthenticatedBytes(),
                limits.maxUnauthenticatedBytes(), core.metrics().connectionsRefusedUnauthenticatedBytes));
        p.addLast(ChannelHandlerNames.DECODER, MqttDecoder.forServer(limits.maxPacketSize(),
                limits.maxConnectPacketSize()));
        p.addLast(ChannelHandlerNames.ENCODER, new MqttEncoder(null));
        p.addLast(ChannelHandlerNames.MQTT, new MqttConnectionHandler(core, dispatcher, listener));
    }

    /** Adds what the transport needs below MQTT (nothing for plain TCP). */
    protected abstract void addTransportHandlers(Channel channel, ChannelPipeline pipeline);

    /** Releases what the listener holds beyond its channels (the TLS files' watch); called when it closes. */
    @Override
    public void close() {
    }
}
