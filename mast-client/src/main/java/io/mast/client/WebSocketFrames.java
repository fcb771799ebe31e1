package io.mast.client;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.util.ReferenceCountUtil;

/**
 * MQTT over WebSocket: the bytes of binary (and continuation) frames go to the MQTT decoder, whose packets may span
 * frames; every encoded packet goes out as one binary frame. A text frame is a protocol error and closes the
 * connection.
 */
final class WebSocketFrames extends ChannelDuplexHandler {

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof BinaryWebSocketFrame || msg instanceof ContinuationWebSocketFrame) {
            ctx.fireChannelRead(((WebSocketFrame) msg).content());
        } else if (msg instanceof WebSocketFrame) {
            ReferenceCountUtil.release(msg);
            ctx.fireExceptionCaught(new MqttClientException("the server sent a WebSocket text frame; MQTT uses binary frames"));
        } else {
            ctx.fireChannelRead(msg);
        }
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof ByteBuf buf) {
            ctx.write(new BinaryWebSocketFrame(buf), promise);
        } else {
            ctx.write(msg, promise);
        }
    }
}
