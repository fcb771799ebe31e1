package io.mast.codec;

import io.mast.codec.encoder.PacketEncoder;
import io.mast.codec.packet.MqttPacket;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;

/**
 * Encodes {@link MqttPacket}s written to the channel; buffers written directly (a PUBLISH encoded once and shared
 * by many subscribers) pass through untouched. The version is set once CONNECT has fixed it.
 */
public final class MqttEncoder extends ChannelOutboundHandlerAdapter {

    private volatile MqttVersion version;

    /** @param version the version to encode for; on a server, the version of CONNECT once known */
    public MqttEncoder(MqttVersion version) {
        this.version = version;
    }

    /** The version packets are encoded for. */
    public MqttVersion version() {
        return version;
    }

    /** Sets the version, on a server once CONNECT has been decoded. */
    public void version(MqttVersion version) {
        this.version = version;
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof MqttPacket packet) {
            MqttVersion v = version == null ? MqttVersion.MQTT_3_1_1 : version;
            ctx.write(PacketEncoder.encode(ctx.alloc(), packet, v), promise);
        } else {
            ctx.write(msg, promise);
        }
    }
}
