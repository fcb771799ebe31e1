package io.mast.broker.transport;

import io.mast.broker.BrokerCore;
import io.mast.broker.config.ListenerConfig;
import io.netty.channel.Channel;
import io.netty.channel.ChannelPipeline;

/** MQTT over plain TCP ({@code type: tcp}). */
public final class TcpChannelInitializer extends MqttChannelInitializer {

    public TcpChannelInitializer(BrokerCore core, ListenerConfig listener) {
        super(core, listener);
    }

    @Override
    protected void addTransportHandlers(Channel channel, ChannelPipeline pipeline) {
        // Nothing below MQTT on plain TCP.
    }
}
