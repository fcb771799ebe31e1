package io.mast.broker.transport;

import io.mast.broker.BrokerCore;
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
 * Builds a client channel's pipeline: the transport's own layers (added by a subclass), then the MQTT layers shared
 * by all transports. Handlers are named ({@link ChannelHandlerNames}) so that they can be found and replaced.
 */
public abstract class MqttChannelInitializer extends ChannelInitializer<Channel> {

    protected final BrokerCore core;
    protected final ListenerConfig listener;
    private final ConnectionLimiter limiter;
    private final TrafficCounter traffic;

    protected MqttChannelInitializer(BrokerCore core, ListenerConfig listener) {
        this.core = core;
        this.listener = listener;
        this.limiter = new ConnectionLimiter(listener.name(), listener.maxConnections(),
                core.config().limits().maxConnections(), core.sockets(),
                core.metrics().connectionsRefused);
        this.traffic = new TrafficCounter(core.metrics().bytesReceived, core.metrics().bytesSent);
    }

    @Override
    protected final void initChannel(Channel ch) {
        ChannelPipeline p = ch.pipeline();
        if (listener.maxConnections() > 0 || core.config().limits().maxConnections() > 0) {
            p.addLast(ChannelHandlerNames.CONNECTION_LIMIT, limiter);
        }
        addTransportHandlers(p);
        p.addLast(ChannelHandlerNames.TRAFFIC, traffic);
        p.addLast(ChannelHandlerNames.FLUSH, new FlushConsolidationHandler(256, true));
        p.addLast(ChannelHandlerNames.DECODER, MqttDecoder.forServer(core.config().limits().maxPacketSize()));
        p.addLast(ChannelHandlerNames.ENCODER, new MqttEncoder(null));
        p.addLast(ChannelHandlerNames.MQTT, new MqttConnectionHandler(core, listener));
    }

    /** Adds what the transport needs below MQTT (nothing for plain TCP). */
    protected abstract void addTransportHandlers(ChannelPipeline pipeline);
}
