package io.mast.broker.transport;

import io.mast.broker.connection.ConnectionServices;
import io.mast.broker.connection.PacketDispatcher;
import io.mast.broker.config.ListenerConfig;
import io.netty.channel.Channel;
import io.netty.channel.ChannelPipeline;

/** MQTT over plain TCP ({@code type: tcp}). */
public final class TcpChannelInitializer extends MqttChannelInitializer {

    public TcpChannelInitializer(ConnectionServices core, PacketDispatcher dispatcher, ListenerConfig listener) {
        super(core, dispatcher, listener);
    }

    @Override
    protected void addTransportHandlers(Channel channel, ChannelPipeline pipeline) {
        // Nothing below MQTT on plain TCP.
    }
}
