package io.mast.codec;

import static io.mast.codec.CodecTestSupport.ALLOC;
import static org.assertj.core.api.Assertions.assertThat;

import io.mast.codec.CodecTestSupport.NoLeaks;
import io.mast.codec.packet.Disconnect;
import io.mast.codec.packet.PingReq;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The outbound handler around {@link io.mast.codec.encoder.PacketEncoder}. */
@ExtendWith(NoLeaks.class)
class MqttEncoderTest {

    private static final Disconnect SHUTDOWN = new Disconnect(ReasonCode.SERVER_SHUTTING_DOWN, MqttProperties.EMPTY);

    private static byte[] write(EmbeddedChannel ch, Object msg) {
        assertThat(ch.writeOutbound(msg)).isTrue();
        ByteBuf out = ch.readOutbound();
        try {
            return ByteBufUtil.getBytes(out);
        } finally {
            out.release();
        }
    }

    @Test
    void encodesPacketsForItsVersion() {
        EmbeddedChannel ch = new EmbeddedChannel(new MqttEncoder(MqttVersion.MQTT_5));
        assertThat(write(ch, PingReq.INSTANCE)).containsExactly(0xC0, 0);
        assertThat(write(ch, SHUTDOWN)).containsExactly(0xE0, 1, 0x8B);
        assertThat(ch.finishAndReleaseAll()).isFalse();
    }

    @Test
    void encodesFor311UntilTheVersionIsKnown() {
        MqttEncoder encoder = new MqttEncoder(null);
        EmbeddedChannel ch = new EmbeddedChannel(encoder);
        assertThat(write(ch, SHUTDOWN)).containsExactly(0xE0, 0);
        encoder.version(MqttVersion.MQTT_5);
        assertThat(encoder.version()).isEqualTo(MqttVersion.MQTT_5);
        assertThat(write(ch, SHUTDOWN)).containsExactly(0xE0, 1, 0x8B);
        assertThat(ch.finishAndReleaseAll()).isFalse();
    }

    @Test
    void buffersPassThroughUntouched() {
        EmbeddedChannel ch = new EmbeddedChannel(new MqttEncoder(MqttVersion.MQTT_5));
        ByteBuf encoded = ALLOC.buffer().writeBytes(new byte[] {0x30, 3, 0, 1, 't'});
        assertThat(ch.writeOutbound(encoded)).isTrue();
        ByteBuf out = ch.readOutbound();
        assertThat(out).isSameAs(encoded);
        out.release();
        assertThat(ch.finishAndReleaseAll()).isFalse();
    }
}
