package io.mast.client;

import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoEventLoop;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandle;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;

/**
 * The I/O threads clients run on: by default one group shared by every client of the JVM (daemon threads, one per
 * core), so thousands of clients need no more threads than cores. Linux's native epoll transport is used when
 * available (unless {@code -Dmast.transport.nio=true}).
 */
final class EventLoops {

    private static volatile EventLoopGroup shared;

    private EventLoops() {
    }

    static boolean nativeEpoll() {
        try {
            return Epoll.isAvailable() && !Boolean.getBoolean("mast.transport.nio");
        } catch (LinkageError e) {
            return false;
        }
    }

    /** A new group of daemon I/O threads (0 threads: one per core). */
    static EventLoopGroup newGroup(int threads, String name) {
        int n = threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
        return new MultiThreadIoEventLoopGroup(n, new DefaultThreadFactory(name, true),
                nativeEpoll() ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
    }

    /** The group shared by clients that were not given one. */
    static EventLoopGroup shared() {
        EventLoopGroup g = shared;
        if (g == null) {
            synchronized (EventLoops.class) {
                g = shared;
                if (g == null) {
                    g = newGroup(0, "mast-client");
                    shared = g;
                }
            }
        }
        return g;
    }

    /** The socket channel type that can be registered with this event loop. */
    static Class<? extends SocketChannel> channelType(EventLoop loop) {
        try {
            if (loop instanceof IoEventLoop io && io.isCompatible(EpollIoHandle.class)) {
                return EpollSocketChannel.class;
            }
        } catch (LinkageError e) {
            // no epoll classes: NIO
        }
        return NioSocketChannel.class;
    }

    /** The Unix domain socket channel type for this event loop: epoll's, or NIO's (JDK 16+). */
    static Class<? extends io.netty.channel.Channel> domainChannelType(EventLoop loop) {
        try {
            if (loop instanceof IoEventLoop io && io.isCompatible(EpollIoHandle.class)) {
                return io.netty.channel.epoll.EpollDomainSocketChannel.class;
            }
        } catch (LinkageError e) {
            // no epoll classes: NIO
        }
        return io.netty.channel.socket.nio.NioDomainSocketChannel.class;
    }

    /** The address of a Unix domain socket, of the type the channel of {@link #domainChannelType} takes. */
    static java.net.SocketAddress domainAddress(EventLoop loop, java.nio.file.Path path) {
        if (domainChannelType(loop) != io.netty.channel.socket.nio.NioDomainSocketChannel.class) {
            return new io.netty.channel.unix.DomainSocketAddress(path.toString());
        }
        return java.net.UnixDomainSocketAddress.of(path);
    }
}
