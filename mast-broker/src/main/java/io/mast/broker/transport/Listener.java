package io.mast.broker.transport;

import io.mast.broker.BrokerCore;
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

    /** Binds a listener; the future completes when the socket is bound. */
    public static ChannelFuture bind(BrokerCore core, ListenerConfig config, EventLoopGroup boss, EventLoopGroup workers,
                                     ChannelGroup clients) {
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
                        ch.pipeline().addLast(initializer(core, config));
                    }
                });
        return b.bind(new InetSocketAddress(config.bind(), config.port()));
    }

    private static MqttChannelInitializer initializer(BrokerCore core, ListenerConfig config) {
        return switch (config.type()) {
            case "tcp" -> new TcpChannelInitializer(core, config);
            default -> throw new IllegalArgumentException("unknown listener type " + config.type());
        };
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
