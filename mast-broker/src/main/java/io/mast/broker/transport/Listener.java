package io.mast.broker.transport;

import io.mast.broker.connection.ConnectionServices;
import io.mast.broker.connection.PacketDispatcher;
import io.mast.broker.config.ConfigException;
import io.mast.broker.config.ListenerConfig;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.group.ChannelGroup;
import java.net.InetSocketAddress;

/** One bound listener. */
public final class Listener {

    private final ListenerConfig config;
    private final Channel channel;

    private Listener(ListenerConfig config, Channel channel) {
        this.config = config;
        this.channel = channel;
    }

    /**
     * Binds a listener; the future completes when the socket is bound. One {@link MqttChannelInitializer} serves all
     * the listener's connections (so that its connection limit counts them all) and is closed with the listener.
     *
     * @throws io.mast.broker.config.ConfigException when the listener's TLS files cannot be used (they were checked
     *                                               with the config, so only when they changed since)
     */
    public static ChannelFuture bind(ConnectionServices core, PacketDispatcher dispatcher, ListenerConfig config,
                                     EventLoopGroup boss, EventLoopGroup workers, ChannelGroup clients) {
        MqttChannelInitializer initializer;
        try {
            initializer = MqttChannelInitializer.of(core, dispatcher, config);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("listener " + config.name() + ": " + e.getMessage());
        }
        ServerBootstrap b = new ServerBootstrap()
                .group(boss, workers)
                .channel(Transports.serverChannel())
                .option(ChannelOption.SO_BACKLOG, 1024)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.SO_KEEPALIVE, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(64 * 1024, 256 * 1024))
                .childHandler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        clients.add(ch);
                        ch.pipeline().addLast(initializer);
                    }
                });
        ChannelFuture bound = b.bind(new InetSocketAddress(config.bind(), config.port()));
        bound.channel().closeFuture().addListener(f -> initializer.close());
        return bound;
    }

    /** Wraps a bound server channel. */
    public static Listener of(ListenerConfig config, Channel channel) {
        return new Listener(config, channel);
    }

    public ListenerConfig config() {
        return config;
    }

    /** The address actually bound (the port chosen when the config said 0). */
    public InetSocketAddress address() {
        return (InetSocketAddress) channel.localAddress();
    }

    public Channel channel() {
        return channel;
    }
}
