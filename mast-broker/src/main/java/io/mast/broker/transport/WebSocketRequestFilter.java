package io.mast.broker.transport;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks an HTTP request before the WebSocket handshake: another path gets 404, a request that is not a WebSocket
 * upgrade gets 400, and a browser whose {@code Origin} is not among the listener's {@code allowed_origins} gets 403;
 * each answer closes the connection. A request without an Origin header does not come from a browser page and is
 * not checked against the origins.
 */
@ChannelHandler.Sharable
final class WebSocketRequestFilter extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(WebSocketRequestFilter.class);

    private final String listener;
    private final String path;
    /** Lower-case origins, or null for all. */
    private final List<String> origins;

    WebSocketRequestFilter(String listener, String path, List<String> allowedOrigins) {
        this.listener = listener;
        this.path = path;
        this.origins = allowedOrigins == null || allowedOrigins.contains("*") ? null
                : allowedOrigins.stream().map(o -> o.toLowerCase(Locale.ROOT)).toList();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof FullHttpRequest req)) {
            ctx.fireChannelRead(msg);
            return;
        }
        HttpResponseStatus refusal = null;
        String why = null;
        if (req.decoderResult().isFailure()) {
            refusal = HttpResponseStatus.BAD_REQUEST;
            why = "not an HTTP request; MQTT over WebSocket starts with a WebSocket handshake at " + path;
        } else if (!new QueryStringDecoder(req.uri()).path().equals(path)) {
            refusal = HttpResponseStatus.NOT_FOUND;
            why = "MQTT over WebSocket is at " + path;
        } else if (!req.method().equals(HttpMethod.GET)
                || !req.headers().containsValue(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET, true)) {
            refusal = HttpResponseStatus.BAD_REQUEST;
            why = "expected a WebSocket handshake (GET with Upgrade: websocket) for MQTT over WebSocket";
        } else {
            String origin = req.headers().get(HttpHeaderNames.ORIGIN);
            if (origin != null && origins != null && !allowed(origin)) {
                refusal = HttpResponseStatus.FORBIDDEN;
                why = "origin " + origin + " is not allowed";
            }
        }
        if (refusal == null) {
            ctx.fireChannelRead(msg);
            return;
        }
        log.debug("Refused an HTTP request from {} on {}: {} {}: {} {}", ctx.channel().remoteAddress(), listener,
                req.method(), req.uri(), refusal.code(), why);
        ReferenceCountUtil.release(msg);
        respond(ctx, refusal, why);
    }

    private boolean allowed(String origin) {
        String o = origin.trim().toLowerCase(Locale.ROOT);
        if (o.endsWith("/")) {
            o = o.substring(0, o.length() - 1);
        }
        return origins.contains(o);
    }

    /** Answers with a status and a line of text, then closes. */
    static void respond(ChannelHandlerContext ctx, HttpResponseStatus status, String text) {
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                Unpooled.copiedBuffer(text + "\n", StandardCharsets.UTF_8));
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8")
                .setInt(HttpHeaderNames.CONTENT_LENGTH, r.content().readableBytes())
                .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        ctx.writeAndFlush(r).addListener(ChannelFutureListener.CLOSE);
    }
}
