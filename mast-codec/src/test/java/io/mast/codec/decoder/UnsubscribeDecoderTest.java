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
import io.mast.codec.MqttProperties;
import io.mast.codec.MqttVersion;
import io.mast.codec.ReasonCode;
import io.mast.codec.packet.Unsubscribe;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

@ExtendWith(NoLeaks.class)
class UnsubscribeDecoderTest {

    private static final MqttVersion V5 = MqttVersion.MQTT_5;
    private static final MqttVersion V311 = MqttVersion.MQTT_3_1_1;

    /** UNSUBSCRIBE allows only User Properties. */
    private static MqttProperties allProperties() {
        return MqttProperties.builder().addUserProperty("a", "1").addUserProperty("a", "2").build();
    }

    private static Unsubscribe unsubscribe(MqttVersion v) {
        return new Unsubscribe(4_000, List.of("a/+", "b/#", "$share/g/c", "ünï/cødé"),
                v.isV5() ? allProperties() : MqttProperties.EMPTY);
    }

    // ---------------------------------------------------------------------------------------- round trips

    @ParameterizedTest
    @EnumSource(MqttVersion.class)
    void unsubscribeRoundTrips(MqttVersion v) {
        assertThat(roundTrip(unsubscribe(v), v, Role.SERVER)).isEqualTo(unsubscribe(v));
    }

    @Test
    void theKnownLayout() {
        Unsubscribe u = new Unsubscribe(1, List.of("a"), MqttProperties.EMPTY);
        assertThat(encode(u, V311)).containsExactly(0xA2, 5, 0, 1, 0, 1, 'a');
        assertThat(encode(u, V5)).containsExactly(0xA2, 6, 0, 1, 0, 0, 1, 'a');
    }

    @Test
    void v311DropsTheProperties() {
        assertThat(roundTrip(unsubscribe(V5), V311, Role.SERVER)).isEqualTo(unsubscribe(V311));
    }

    // ---------------------------------------------------------------------------------------- Netty oracle

    @ParameterizedTest
    @EnumSource(names = {"MQTT_3_1_1", "MQTT_5"})
    void nettyDecodesOurUnsubscribe(MqttVersion v) {
        assertThat(nettyDecodes(unsubscribe(v), v)).isEqualTo(unsubscribe(v));
    }

    @ParameterizedTest
    @EnumSource(names = {"MQTT_3_1_1", "MQTT_5"})
    void weDecodeNettysUnsubscribe(MqttVersion v) {
        assertThat(weDecodeNettys(unsubscribe(v), v, Role.SERVER)).isEqualTo(unsubscribe(v));
    }

    // ---------------------------------------------------------------------------------------- validation

    @ParameterizedTest
    @EnumSource(names = {"MQTT_3_1_1", "MQTT_5"})
    void packetIdentifierZeroIsAProtocolError(MqttVersion v) {
        byte[] bytes = encode(new Unsubscribe(0, List.of("t"), MqttProperties.EMPTY), v);
        assertThat(rejection(Role.SERVER, v, bytes)).isEqualTo(ReasonCode.PROTOCOL_ERROR);
    }

    @ParameterizedTest
    @EnumSource(names = {"MQTT_3_1_1", "MQTT_5"})
    void unsubscribeWithoutTopicFiltersIsAProtocolError(MqttVersion v) {
        assertThat(rejection(Role.SERVER, v, encode(new Unsubscribe(1, List.of(), MqttProperties.EMPTY), v)))
                .isEqualTo(ReasonCode.PROTOCOL_ERROR);
    }

    @ParameterizedTest
    @ValueSource(ints = {0x0B, 0x11, 0x1F, 0x23})
    void propertyNotAllowedInUnsubscribeIsMalformed(int id) {
        assertThat(rejection(Role.SERVER, V5, Wire.of().u16(1).props(Wire.of(id, 0, 0, 0, 1)).utf8("t").packet(0xA2)))
                .isEqualTo(ReasonCode.MALFORMED_PACKET);
    }

    @ParameterizedTest
    @ValueSource(strings = {"C0 80", "ED A0 80", "F4 90 80 80", "00", "2B 00"})
    void filterThatIsNotMqttUtf8IsMalformed(String hex) {
        byte[] filter = io.netty.buffer.ByteBufUtil.decodeHexDump(hex.replace(" ", ""));
        assertThat(rejection(Role.SERVER, V311, Wire.of().u16(1).binary(filter).packet(0xA2)))
                .isEqualTo(ReasonCode.MALFORMED_PACKET);
        assertThat(rejection(Role.SERVER, V5, Wire.of().u16(1).noProps().binary(filter).packet(0xA2)))
                .isEqualTo(ReasonCode.MALFORMED_PACKET);
    }

    @Test
    void userPropertyThatIsNotMqttUtf8IsMalformed() {
        byte[] bytes = Wire.of().u16(1).props(Wire.of(0x26).utf8("k").binary(new byte[] {'v', 0})).utf8("t").packet(0xA2);
        assertThat(rejection(Role.SERVER, V5, bytes)).isEqualTo(ReasonCode.MALFORMED_PACKET);
    }

    @Test
    void truncatedFilterIsMalformed() {
        assertThat(rejection(Role.SERVER, V311, Wire.of().u16(1).utf8("a").u8(0).packet(0xA2)))
                .isEqualTo(ReasonCode.MALFORMED_PACKET);
        assertThat(rejection(Role.SERVER, V311, Wire.of().u16(1).u16(5).u8('a').packet(0xA2)))
                .isEqualTo(ReasonCode.MALFORMED_PACKET);
    }

    @Test
    void v5UnsubscribeWithoutPropertyLengthIsMalformed() {
        assertThat(rejection(Role.SERVER, V5, Wire.of().u16(1).packet(0xA2))).isEqualTo(ReasonCode.MALFORMED_PACKET);
    }
}
