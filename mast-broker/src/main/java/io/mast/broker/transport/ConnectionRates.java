package io.mast.broker.transport;

import io.mast.plugin.support.RateLimitedLog;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes a new connection at once when its listener accepted {@code limits.max_connection_rate} connections in the
 * last second, or its source address {@code max_connection_rate_per_address} (token buckets that refill continuously,
 * holding a second's worth). Shared by the channels of one listener.
 */
@ChannelHandler.Sharable
final class ConnectionRates extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(ConnectionRates.class);
    private static final RateLimitedLog refusedLog = new RateLimitedLog(log, 10_000);
    /** Addresses remembered at most; idle buckets beyond are forgotten (a full bucket is the same as none). */
    private static final int MAX_ADDRESSES = 65_536;

    private final String listener;
    private final Bucket all;
    private final int perAddress;
    private final ConcurrentHashMap<InetAddress, Bucket> addresses = new ConcurrentHashMap<>();
    private final LongAdder refused;

    /**
     * @param rate       connections per second on the listener, or -1
     * @param perAddress connections per second from one address, or -1
     */
    ConnectionRates(String listener, int rate, int perAddress, LongAdder refused) {
        this.listener = listener;
        this.all = rate > 0 ? new Bucket(rate) : null;
        this.perAddress = perAddress;
        this.refused = refused;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        InetAddress address = address(ctx.channel().remoteAddress());
        long now = System.nanoTime();
        boolean allowed = (all == null || all.take(now))
                && (perAddress <= 0 || address == null || bucketOf(address, now).take(now));
        if (!allowed) {
            refused.increment();
            refusedLog.warn("Refused a connection from {} on {}: over the connection rate ({} per second{})",
                    ctx.channel().remoteAddress(), listener, all != null && !all.hasToken(now)
                            ? all.rate : perAddress, all != null && !all.hasToken(now) ? "" : " from one address");
            ctx.close();
            return;
        }
        ctx.pipeline().remove(this);
        ctx.fireChannelActive();
    }

    private Bucket bucketOf(InetAddress address, long now) {
        if (addresses.size() >= MAX_ADDRESSES) {
            addresses.values().removeIf(b -> b.isFull(now));
        }
        return addresses.computeIfAbsent(address, a -> new Bucket(perAddress));
    }

    private static InetAddress address(SocketAddress a) {
        return a instanceof InetSocketAddress i ? i.getAddress() : null;
    }

    /** A token bucket of {@code rate} tokens a second, holding at most a second's worth. */
    static final class Bucket {
        private final int rate;
        private double tokens;
        private long refilledAt = System.nanoTime();

        Bucket(int rate) {
            this.rate = rate;
            this.tokens = rate;
        }

        synchronized boolean take(long now) {
            refill(now);
            if (tokens >= 1) {
                tokens -= 1;
                return true;
            }
            return false;
        }

        synchronized boolean hasToken(long now) {
            refill(now);
            return tokens >= 1;
        }

        synchronized boolean isFull(long now) {
            refill(now);
            return tokens >= rate;
        }

        private void refill(long now) {
            tokens = Math.min(rate, tokens + (now - refilledAt) * rate / 1e9);
            refilledAt = now;
        }
    }
}
