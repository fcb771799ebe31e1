package io.mast.broker.transport;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes a new connection at once when its listener or the broker already holds its maximum, before any MQTT is read
 * (as Mosquitto's max_connections). Shared by the channels of one listener.
 */
@ChannelHandler.Sharable
public final class ConnectionLimiter extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(ConnectionLimiter.class);
    private static final io.mast.plugin.support.RateLimitedLog refusedLog =
            new io.mast.plugin.support.RateLimitedLog(log, 10_000);

    private final String listener;
    private final int listenerMax;
    private final AtomicInteger listenerCount = new AtomicInteger();
    private final int brokerMax;
    private final AtomicInteger brokerCount;
    private final LongAdder refused;

    ConnectionLimiter(String listener, int listenerMax, int brokerMax, AtomicInteger brokerCount, LongAdder refused) {
        this.listener = listener;
        this.listenerMax = listenerMax;
        this.brokerMax = brokerMax;
        this.brokerCount = brokerCount;
        this.refused = refused;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        int onListener = listenerCount.incrementAndGet();
        int onBroker = brokerCount.incrementAndGet();
        ctx.channel().closeFuture().addListener(f -> {
            listenerCount.decrementAndGet();
            brokerCount.decrementAndGet();
        });
        if ((listenerMax > 0 && onListener > listenerMax) || (brokerMax > 0 && onBroker > brokerMax)) {
            refused.increment();
            refusedLog.warn("Refused a connection from {} on {}: at the maximum of {} connections", ctx.channel().remoteAddress(),
                    listener, onListener > listenerMax && listenerMax > 0 ? listenerMax : brokerMax);
            ctx.close();
            return;
        }
        ctx.pipeline().remove(this);
        ctx.fireChannelActive();
    }
}
