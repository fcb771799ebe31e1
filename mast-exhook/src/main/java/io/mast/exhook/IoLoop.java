package io.mast.exhook;

import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.MultiThreadIoEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.Epoll;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollIoHandler;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.nio.NioIoHandler;
import io.grpc.netty.shaded.io.netty.channel.socket.nio.NioSocketChannel;
import io.grpc.netty.shaded.io.netty.util.concurrent.DefaultThreadFactory;
import io.grpc.netty.shaded.io.netty.util.concurrent.EventExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The one I/O thread of a hook server's gRPC channels (epoll where available, NIO otherwise). Mast's streams build
 * and read their frames on it, beside the transport's own work, so a request crosses threads once per frame rather
 * than once per call.
 */
final class IoLoop implements AutoCloseable {

    private static final boolean EPOLL = Epoll.isAvailable();

    private final EventLoopGroup group;

    IoLoop(String server) {
        this.group = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("exhook-" + server, true),
                EPOLL ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
    }

    /** A channel builder that runs on this loop. */
    NettyChannelBuilder configure(NettyChannelBuilder b) {
        return b.eventLoopGroup(group).channelType(EPOLL ? EpollSocketChannel.class : NioSocketChannel.class);
    }

    /** The loop itself. */
    EventExecutor executor() {
        return group.next();
    }

    /** Stops the thread once the channels are shut down (at most a second). */
    @Override
    public void close() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(2, TimeUnit.SECONDS);
    }
}
