package io.mast.codec.decoder;

import static io.mast.codec.CodecTestSupport.encode;
import static io.mast.codec.CodecTestSupport.nettyDecodes;
import static io.mast.codec.CodecTestSupport.rejection;
import static io.mast.codec.CodecTestSupport.roundTrip;
import static io.mast.codec.CodecTestSupport.weDecodeNettys;
import static org.assertj.core.api.Assertions.assertThat;

import io.mast.codec.CodecTestSupport.NoLeaks;
import io.mast.codec.CodecTestSupport.Wire;
import io.mast.codec.MqttDecoder.Role;
import io.mast.codec.MqttVersion;
import io.mast.codec.ReasonCode;
import io.mast.codec.packet.PingReq;
import io.mast.codec.packet.PingResp;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** PINGREQ (client to server) and PINGRESP (server to client): a fixed header and nothing else. */
@ExtendWith(NoLeaks.class)
class PingDecoderTest {

    @ParameterizedTest
    @EnumSource(MqttVersion.class)
    void pingReqIsTwoBytesAndRoundTrips(MqttVersion v) {
        assertThat(encode(PingReq.INSTANCE, v)).containsExactly(0xC0, 0x00);
        assertThat(roundTrip(PingReq.INSTANCE, v, Role.SERVER)).isEqualTo(PingReq.INSTANCE);
    }

    @ParameterizedTest
    @EnumSource(MqttVersion.class)
    void pingRespIsTwoBytesAndRoundTrips(MqttVersion v) {
        assertThat(encode(PingResp.INSTANCE, v)).containsExactly(0xD0, 0x00);
        assertThat(roundTrip(PingResp.INSTANCE, v, Role.CLIENT)).isEqualTo(PingResp.INSTANCE);
    }

    @ParameterizedTest
    @EnumSource(names = {"MQTT_3_1_1", "MQTT_5"})
    void nettyDecodesOurPings(MqttVersion v) {
        assertThat(nettyDecodes(PingReq.INSTANCE, v)).isEqualTo(PingReq.INSTANCE);
        assertThat(nettyDecodes(PingResp.INSTANCE, v)).isEqualTo(PingResp.INSTANCE);
    }

    @ParameterizedTest
    @EnumSource(names = {"MQTT_3_1_1", "MQTT_5"})
    void weDecodeNettysPings(MqttVersion v) {
        assertThat(weDecodeNettys(PingReq.INSTANCE, v, Role.SERVER)).isEqualTo(PingReq.INSTANCE);
        assertThat(weDecodeNettys(PingResp.INSTANCE, v, Role.CLIENT)).isEqualTo(PingResp.INSTANCE);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 127})
    void pingWithABodyIsMalformed(int length) {
        byte[] body = new byte[length];
        for (MqttVersion v : new MqttVersion[] {MqttVersion.MQTT_3_1_1, MqttVersion.MQTT_5}) {
            assertThat(rejection(Role.SERVER, v, Wire.of().raw(body).packet(0xC0))).isEqualTo(ReasonCode.MALFORMED_PACKET);
            assertThat(rejection(Role.CLIENT, v, Wire.of().raw(body).packet(0xD0))).isEqualTo(ReasonCode.MALFORMED_PACKET);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {0x01, 0x02, 0x04, 0x08, 0x0F})
    void pingWithFixedHeaderFlagsIsMalformed(int flags) {
        assertThat(rejection(Role.SERVER, MqttVersion.MQTT_5, Wire.of().packet(0xC0 | flags))).isEqualTo(ReasonCode.MALFORMED_PACKET);
        assertThat(rejection(Role.CLIENT, MqttVersion.MQTT_5, Wire.of().packet(0xD0 | flags))).isEqualTo(ReasonCode.MALFORMED_PACKET);
    }

    @ParameterizedTest
    @EnumSource(names = {"MQTT_3_1_1", "MQTT_5"})
    void pingsInTheWrongDirectionAreAProtocolError(MqttVersion v) {
        assertThat(rejection(Role.CLIENT, v, encode(PingReq.INSTANCE, v))).isEqualTo(ReasonCode.PROTOCOL_ERROR);
        assertThat(rejection(Role.SERVER, v, encode(PingResp.INSTANCE, v))).isEqualTo(ReasonCode.PROTOCOL_ERROR);
    }
}
