package io.mast.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.mast.codec.DecodeFailure;
import io.mast.codec.MqttDecoder;
import io.mast.codec.MqttEncoder;
import io.mast.codec.MqttProperties;
import io.mast.codec.ReasonCode;
import io.mast.codec.packet.ConnAck;
import io.mast.codec.packet.Connect;
import io.mast.codec.packet.MqttPacket;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A broker the test scripts packet by packet, on 127.0.0.1 and a free port: it accepts connections, queues what each
 * client sends, and sends what the test tells it to. Every wait is bounded by {@link #TIMEOUT}.
 */
final class FakeBroker implements AutoCloseable {

    static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final BlockingQueue<Conn> accepted = new LinkedBlockingQueue<>();
    private final Channel server;
    private final int maxPacketSize;

    private FakeBroker(int maxPacketSize) throws InterruptedException {
        this.maxPacketSize = maxPacketSize;
        server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        Conn c = new Conn(ch);
                        ch.pipeline().addLast(MqttDecoder.forServer(FakeBroker.this.maxPacketSize), c.encoder, c);
                        accepted.add(c);
                    }
                })
                .bind("127.0.0.1", 0).sync().channel();
    }

    static FakeBroker start() throws InterruptedException {
        return new FakeBroker(1 << 20);
    }

    int port() {
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    /** A builder for a client of this broker: MQTT 5.0, short connect timeout. */
    MastClientBuilder client(String id) {
        return MastClient.builder().host("127.0.0.1").port(port()).clientId(id).connectTimeout(TIMEOUT);
    }

    /** The next connection a client made. */
    Conn accept() throws InterruptedException {
        Conn c = accepted.poll(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        if (c == null) {
            fail("no client connected within " + TIMEOUT);
        }
        return c;
    }

    /** Accepts a connection, expects CONNECT and answers CONNACK success with these properties. */
    Conn acceptAndConnAck(boolean sessionPresent, MqttProperties properties) throws InterruptedException {
        Conn c = accept();
        c.connect = c.expect(Connect.class);
        c.send(new ConnAck(sessionPresent, ReasonCode.SUCCESS, properties));
        return c;
    }

    @Override
    public void close() {
        server.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** One client connection. */
    static final class Conn extends ChannelInboundHandlerAdapter {
        final Channel channel;
        final MqttEncoder encoder = new MqttEncoder(null);
        final BlockingQueue<Object> received = new LinkedBlockingQueue<>();
        final CountDownLatch closed = new CountDownLatch(1);
        Connect connect;

        Conn(Channel channel) {
            this.channel = channel;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof Connect c) {
                encoder.version(c.version());
            }
            received.add(msg);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            closed.countDown();
        }

        void send(MqttPacket packet) {
            channel.writeAndFlush(packet).syncUninterruptibly();
        }

        /** The next packet, failing when none arrives in time or it is not of this type. */
        <T> T expect(Class<T> type) throws InterruptedException {
            Object o = received.poll(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            if (o == null) {
                fail("expected " + type.getSimpleName() + " but nothing arrived within " + TIMEOUT);
            }
            if (o instanceof DecodeFailure f) {
                fail("expected " + type.getSimpleName() + " but the client sent bad bytes: " + f);
            }
            assertThat(o).as("the next packet").isInstanceOf(type);
            return type.cast(o);
        }

        /** The next packet, or null when none arrives within {@code wait}. */
        Object poll(Duration wait) throws InterruptedException {
            return received.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
        }

        boolean awaitClosed() throws InterruptedException {
            return closed.await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        }

        void close() {
            channel.close().syncUninterruptibly();
        }
    }
}
