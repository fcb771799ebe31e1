package io.mast.broker.transport;

import io.mast.plugin.support.RateLimitedLog;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts the bytes a connection sends before it is authenticated against a cap shared by all such connections
 * ({@code limits.max_unauthenticated_bytes}): the connection whose bytes would go beyond it is closed. With the limit on
 * CONNECT's size and reading held while a CONNECT is authenticated, this bounds what unknown clients can make the
 * broker hold. The connection removes this handler once its client is authenticated; its bytes are then no longer
 * counted. One per channel.
 */
final class UnauthenticatedBytes extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(UnauthenticatedBytes.class);
    private static final RateLimitedLog refusedLog = new RateLimitedLog(log, 10_000);

    private final AtomicLong total;
    private final long cap;
    private final LongAdder refused;
    private long held;

    UnauthenticatedBytes(AtomicLong total, long cap, LongAdder refused) {
        this.total = total;
        this.cap = cap;
        this.refused = refused;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof ByteBuf b) {
            int n = b.readableBytes();
            held += n;
            if (total.addAndGet(n) > cap) {
                ReferenceCountUtil.release(msg);
                refused.increment();
                refusedLog.warn("Closing the connection of {}: connections not yet authenticated hold {} bytes, "
                        + "the most limits.max_unauthenticated_bytes allows", ctx.channel().remoteAddress(), cap);
                ctx.close();
                return;
            }
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        total.addAndGet(-held);
        held = 0;
    }
}
