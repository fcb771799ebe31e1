package io.mast.broker.transport;

import io.mast.broker.BrokerCore;
import io.mast.broker.config.ListenerConfig;
import io.netty.channel.ChannelPipeline;

/** MQTT over plain TCP. */
public final class TcpChannelInitializer extends MqttChannelInitializer {

    public TcpChannelInitializer(BrokerCore core, ListenerConfig listener) {
        super(core, listener);
    }

    @Override
    protected void addTransportHandlers(ChannelPipeline pipeline) {
        // Nothing below MQTT on plain TCP.
    }
}
