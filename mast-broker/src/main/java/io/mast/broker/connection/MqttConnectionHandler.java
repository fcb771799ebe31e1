package io.mast.broker.connection;

import io.mast.broker.config.ListenerConfig;
import io.mast.codec.DecodeFailure;
import io.mast.codec.MqttDecoder;
import io.mast.codec.MqttEncoder;
import io.mast.codec.PacketType;
import io.mast.codec.ReasonCode;
import io.mast.codec.packet.ConnAck;
import io.mast.codec.packet.MqttPacket;
import io.mast.plugin.support.RateLimitedLog;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.timeout.IdleStateEvent;
import java.io.IOException;
import java.net.SocketException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last handler of a client channel: turns Netty events into calls on the {@link Connection}. A packet that breaks
 * the protocol gets the answer the specification names (CONNACK or DISCONNECT with the reason code on MQTT 5.0) and
 * the connection is closed; no exception reaches the client.
 */
public final class MqttConnectionHandler extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(MqttConnectionHandler.class);
    private static final RateLimitedLog protocolLog = new RateLimitedLog(log, 5_000);
    private static final RateLimitedLog memoryLog = new RateLimitedLog(log, 10_000);

    /** True when the error (or one of its causes) is an allocation that found no direct memory. */
    static boolean isOutOfDirectMemory(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof io.netty.util.internal.OutOfDirectMemoryError
                    || (c instanceof OutOfMemoryError && String.valueOf(c.getMessage()).contains("irect buffer memory"))) {
                return true;
            }
            if (c.getCause() == c) {
                break;
            }
        }
        return false;
    }

    private static String rootMessage(Throwable t) {
        Throwable c = t;
        while (c.getCause() != null && c.getCause() != c) {
            c = c.getCause();
        }
        return c.toString();
    }

    private final ConnectionServices core;
    private final PacketDispatcher dispatcher;
    private final ListenerConfig listener;
    private Connection connection;

    public MqttConnectionHandler(ConnectionServices core, PacketDispatcher dispatcher, ListenerConfig listener) {
        this.core = core;
        this.dispatcher = dispatcher;
        this.listener = listener;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        MqttDecoder decoder = (MqttDecoder) ctx.pipeline().get(ChannelHandlerNames.DECODER);
        MqttEncoder encoder = (MqttEncoder) ctx.pipeline().get(ChannelHandlerNames.ENCODER);
        connection = new Connection(ctx.channel(), core, dispatcher, listener, decoder, encoder);
        core.connections().incrementAndGet();
        core.listenerConnections(listener.name()).incrementAndGet();
        core.metrics().connectionsAccepted.increment();
        connection.started();
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof MqttPacket packet) {
            connection.receive(packet);
        } else if (msg instanceof DecodeFailure failure) {
            protocolFailure(failure);
        } else {
            ctx.fireChannelRead(msg);
        }
    }

    private void protocolFailure(DecodeFailure f) {
        core.metrics().protocolErrors.increment();
        Connection c = connection;
        if (c.isClosing()) {
            return;
        }
        if (c.info() != null || c.isConnected()) {
            ReasonCode rc = f.reasonCode().isValidFor(PacketType.DISCONNECT) ? f.reasonCode() : ReasonCode.PROTOCOL_ERROR;
            c.disconnect(rc, f.message());
            return;
        }
        // Before the connection is accepted, a CONNACK tells why (MQTT 5.0, or an unsupported version: answered in
        // the 3.1.1 format, which every version can read); otherwise the socket just closes (MQTT-3.1.2-3 and alike).
        protocolLog.warn("Closing {}: {}", c.describe(), f);
        if (f.reasonCode() == ReasonCode.UNSUPPORTED_PROTOCOL_VERSION) {
            c.encoderVersion(null);
            c.channel().writeAndFlush(new ConnAck(false, ReasonCode.UNSUPPORTED_PROTOCOL_VERSION,
                    io.mast.codec.MqttProperties.EMPTY)).addListener(ChannelFutureListener.CLOSE);
        } else if (f.version() != null && f.version().isV5() && f.reasonCode().isValidFor(PacketType.CONNACK)) {
            c.encoderVersion(f.version());
            c.refuse(f.reasonCode(), f.message());
        } else {
            c.channel().close();
        }
    }

    /** The broker is stopping: tell the client (0x8B on MQTT 5.0) and close, without its will. */
    public void shutdown() {
        if (connection != null) {
            connection.shutdown();
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (ctx.channel().isWritable()) {
            connection.writable();
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof IdleStateEvent && connection.isReadingPaused()) {
            return; // the broker is not reading from this client: its silence is the broker's doing
        }
        if (evt instanceof IdleStateEvent) {
            core.metrics().keepAliveTimeouts.increment();
            log.debug("Keep-alive of {} elapsed", connection.describe());
            connection.disconnect(ReasonCode.KEEP_ALIVE_TIMEOUT, "no packet within 1.5 times the keep alive");
        } else {
            ctx.fireUserEventTriggered(evt);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (connection != null) {
            // Counted gone once what the client sent is handled and the disconnection reported: the broker's shutdown
            // waits for this count.
            AtomicBoolean counted = new AtomicBoolean();
            Runnable gone = () -> {
                if (counted.compareAndSet(false, true)) {
                    core.connections().decrementAndGet();
                    core.listenerConnections(listener.name()).decrementAndGet();
                }
            };
            try {
                connection.closed(gone);
            } catch (RuntimeException e) {
                gone.run();
                throw e;
            }
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        String who = connection == null ? String.valueOf(ctx.channel().remoteAddress()) : connection.describe();
        if (isOutOfDirectMemory(cause)) {
            // Many connections may run into it at once: one line per interval, no stack trace, and this one closes.
            core.metrics().outOfDirectMemory.increment();
            memoryLog.warn("Out of direct memory for network buffers: closing the connection of {} ({})", who,
                    rootMessage(cause));
            ctx.close();
            return;
        }
        if (cause instanceof IOException || cause instanceof SocketException) {
            log.debug("Connection of {} failed: {}", who, cause.toString());
            ctx.close();
        } else {
            log.warn("Closing the connection of {} after an unexpected error", who, cause);
            if (connection != null) {
                connection.disconnect(ReasonCode.UNSPECIFIED_ERROR, "internal error");
            } else {
                ctx.close();
            }
        }
    }
}
