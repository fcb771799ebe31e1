package io.mast.broker.transport;

import io.mast.plugin.support.RateLimitedLog;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import java.nio.channels.ClosedChannelException;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sits right after the TLS handler: logs a failed handshake in one line (a client that does not trust the server,
 * or whose certificate is missing or not signed by the listener's CA), at most every 5 s, and keeps TLS errors from
 * reaching the MQTT handler as unexpected ones. The TLS handler closes the connection itself.
 */
@ChannelHandler.Sharable
final class TlsHandshakeLog extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(TlsHandshakeLog.class);
    private static final RateLimitedLog failures = new RateLimitedLog(log, 5_000);

    private final String listener;

    TlsHandshakeLog(String listener) {
        this.listener = listener;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof SslHandshakeCompletionEvent e && !e.isSuccess()) {
            Throwable cause = e.cause();
            String why = describe(cause);
            if (cause instanceof ClosedChannelException || why.contains("closed while")) {
                log.debug("TLS handshake with {} on {} ended: the connection closed", remote(ctx),
                        listener);
            } else {
                failures.warn("TLS handshake with {} on {} failed: {}", remote(ctx), listener, why);
            }
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof SSLException || cause instanceof DecoderException && cause.getCause() instanceof SSLException) {
            log.debug("TLS error on {} from {}: {}", listener, remote(ctx), describe(cause));
            ctx.close();
            return;
        }
        ctx.fireExceptionCaught(cause);
    }

    private static String remote(ChannelHandlerContext ctx) {
        return ctx.channel().remoteAddress() instanceof java.net.InetSocketAddress a
                ? a.getAddress().getHostAddress() + ":" + a.getPort() : String.valueOf(ctx.channel().remoteAddress());
    }

    private static String describe(Throwable t) {
        Throwable c = t instanceof DecoderException && t.getCause() != null ? t.getCause() : t;
        return c == null ? "unknown" : c.getMessage() == null ? c.getClass().getSimpleName() : c.getMessage();
    }
}
