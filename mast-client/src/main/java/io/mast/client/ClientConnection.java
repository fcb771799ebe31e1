package io.mast.client;

import io.mast.codec.DecodeFailure;
import io.mast.codec.packet.Disconnect;
import io.mast.codec.packet.MqttPacket;
import io.mast.codec.packet.PingReq;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler.ClientHandshakeStateEvent;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One network connection of the client (the last handler of its pipeline): tells the core when the connection is
 * ready for CONNECT (after the TLS and WebSocket handshakes), hands it every packet, keeps the connection alive with
 * PINGREQ, and records why it closed. The core replaces it after every reconnect; only its event loop touches it.
 */
final class ClientConnection extends ChannelInboundHandlerAdapter {

    private final ClientCore core;
    private final boolean waitForTls;
    private final boolean waitForWebSocket;
    private Channel channel;
    private boolean ready;
    private boolean closedReported;
    private Throwable failure;
    private Disconnect serverDisconnect;
    private boolean pingOutstanding;
    private ScheduledFuture<?> pingTimeout;
    private int keepAliveSeconds;

    ClientConnection(ClientCore core, boolean tls, boolean websocket) {
        this.core = core;
        this.waitForTls = tls && !websocket;
        this.waitForWebSocket = websocket;
    }

    Channel channel() {
        return channel;
    }

    boolean isActive() {
        return channel != null && channel.isActive();
    }

    /** Why the connection failed, if it did: an I/O error, a handshake failure, a keep-alive timeout ... */
    Throwable failure() {
        return failure;
    }

    /** The DISCONNECT the server sent, or {@code null}. */
    Disconnect serverDisconnect() {
        return serverDisconnect;
    }

    void serverDisconnect(Disconnect d) {
        serverDisconnect = d;
    }

    /** Sends a packet (flushed together with the others of this event-loop turn). */
    void send(MqttPacket packet) {
        if (channel == null) {
            return;
        }
        core.tapSent(packet);
        channel.writeAndFlush(packet, channel.voidPromise());
    }

    /** Sends a packet; the promise tells when it was written. */
    void send(MqttPacket packet, ChannelPromise promise) {
        core.tapSent(packet);
        channel.writeAndFlush(packet, promise);
    }

    ChannelPromise newPromise() {
        return channel.newPromise();
    }

    /** Sends a packet, then closes the connection. */
    void sendAndClose(MqttPacket packet) {
        if (channel == null) {
            return;
        }
        if (channel.isActive()) {
            core.tapSent(packet);
            channel.writeAndFlush(packet).addListener(ChannelFutureListener.CLOSE);
        } else {
            channel.close();
        }
    }

    /** Sends a last packet (a DISCONNECT), then closes the connection because of {@code cause}. */
    void failAfter(MqttPacket packet, Throwable cause) {
        if (failure == null) {
            failure = cause;
        }
        sendAndClose(packet);
    }

    /** Closes the connection because of {@code cause} (kept as the reason unless one is known already). */
    void fail(Throwable cause) {
        if (failure == null) {
            failure = cause;
        }
        if (channel != null) {
            channel.close();
        }
    }

    /** Starts keep-alive: PINGREQ after {@code seconds} without traffic either way; no answer in time closes. */
    void startKeepAlive(int seconds) {
        keepAliveSeconds = seconds;
        if (seconds > 0 && channel != null && channel.pipeline().get(ClientChannelInitializer.KEEP_ALIVE) == null) {
            channel.pipeline().addBefore(ClientChannelInitializer.CLIENT, ClientChannelInitializer.KEEP_ALIVE,
                    new IdleStateHandler(seconds, seconds, 0, TimeUnit.SECONDS));
        }
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        channel = ctx.channel();
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        if (!waitForTls && !waitForWebSocket) {
            becomeReady();
        }
        ctx.fireChannelActive();
    }

    private void becomeReady() {
        if (!ready) {
            ready = true;
            core.onReady(this);
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof SslHandshakeCompletionEvent e) {
            if (!e.isSuccess()) {
                fail(new MqttClientException("TLS handshake failed: " + message(e.cause()), null, e.cause()));
            } else if (waitForTls) {
                becomeReady();
            }
        } else if (evt == ClientHandshakeStateEvent.HANDSHAKE_COMPLETE) {
            becomeReady();
        } else if (evt == ClientHandshakeStateEvent.HANDSHAKE_TIMEOUT) {
            fail(new MqttClientException("the WebSocket handshake timed out"));
        } else if (evt instanceof IdleStateEvent) {
            ping();
        }
        ctx.fireUserEventTriggered(evt);
    }

    private void ping() {
        if (pingOutstanding || !ready) {
            return;
        }
        pingOutstanding = true;
        send(PingReq.INSTANCE);
        int timeout = Math.max(1, keepAliveSeconds);
        pingTimeout = channel.eventLoop().schedule(() -> {
            if (pingOutstanding) {
                fail(new MqttClientException("the broker did not answer PINGREQ within " + timeout
                        + " s: the connection is considered dead"));
            }
        }, timeout, TimeUnit.SECONDS);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (pingOutstanding) {
            pingOutstanding = false;
            if (pingTimeout != null) {
                pingTimeout.cancel(false);
            }
        }
        if (msg instanceof MqttPacket packet) {
            core.tapReceived(packet);
            core.onPacket(this, packet);
        } else if (msg instanceof DecodeFailure f) {
            core.onDecodeFailure(this, f);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        Throwable c = cause;
        if (c instanceof io.netty.handler.codec.DecoderException && c.getCause() != null) {
            c = c.getCause();
        }
        fail(c instanceof MqttClientException ? c : new MqttClientException(message(c), null, c));
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        reportClosed();
        ctx.fireChannelInactive();
    }

    /** Tells the core once that this connection is gone (also for a connection that never became active). */
    void reportClosed() {
        if (closedReported) {
            return;
        }
        closedReported = true;
        if (pingTimeout != null) {
            pingTimeout.cancel(false);
        }
        core.onClosed(this);
    }

    static String message(Throwable t) {
        if (t == null) {
            return "unknown error";
        }
        Throwable c = t;
        while (c.getCause() != null && c.getMessage() != null && c.getCause().getMessage() != null
                && c.getMessage().contains(c.getCause().getClass().getName())) {
            c = c.getCause();
        }
        return c.getMessage() == null ? c.getClass().getSimpleName() : c.getMessage();
    }
}
