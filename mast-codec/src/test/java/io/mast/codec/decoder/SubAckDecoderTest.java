package io.mast.codec.decoder;

import static io.mast.codec.CodecTestSupport.decodePacket;
import static io.mast.codec.CodecTestSupport.decoder;
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
import io.mast.codec.PacketType;
import io.mast.codec.ReasonCode;
import io.mast.codec.packet.SubAck;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

@ExtendWith(NoLeaks.class)
class SubAckDecoderTest {

    private static final MqttVersion V5 = MqttVersion.MQTT_5;
    private static final MqttVersion V311 = MqttVersion.MQTT_3_1_1;

    /** The SUBACK reason codes of MQTT 5.0 section 3.9.3. */
    private static final List<Integer> SPEC_CODES =
            List.of(0x00, 0x01, 0x02, 0x80, 0x83, 0x87, 0x8F, 0x91, 0x97, 0x9E, 0xA1, 0xA2);

    private static List<ReasonCode> everySubAckCode() {
        return SPEC_CODES.stream().map(code -> ReasonCode.of(code, PacketType.SUBACK)).toList();
    }

    private static MqttProperties allProperties() {
        return MqttProperties.builder().reasonString("partly").addUserProperty("x", "y").build();
    }

    private static SubAck v311SubAck() {
        return new SubAck(12, List.of(ReasonCode.GRANTED_QOS_0, ReasonCode.GRANTED_QOS_1, ReasonCode.GRANTED_QOS_2,
                ReasonCode.UNSPECIFIED_ERROR), MqttProperties.EMPTY);
    }

    // ---------------------------------------------------------------------------------------- round trips

    @Test
    void v311SubAckRoundTrips() {
        assertThat(encode(v311SubAck(), V311)).containsExactly(0x90, 6, 0, 12, 0, 1, 2, 0x80);
        assertThat(roundTrip(v311SubAck(), V311, Role.CLIENT)).isEqualTo(v311SubAck());
    }

    @Test
    void v311MapsEveryFailureTo0x80() {
        SubAck s = new SubAck(1, List.of(ReasonCode.NOT_AUTHORIZED, ReasonCode.TOPIC_FILTER_INVALID,
                ReasonCode.GRANTED_QOS_1), allProperties());
        assertThat(encode(s, V311)).containsExactly(0x90, 5, 0, 1, 0x80, 0x80, 1);
        assertThat(roundTrip(s, V311, Role.CLIENT)).isEqualTo(new SubAck(1, List.of(ReasonCode.UNSPECIFIED_ERROR,
                ReasonCode.UNSPECIFIED_ERROR, ReasonCode.GRANTED_QOS_1), MqttProperties.EMPTY));
    }

    @Test
    void everyV5ReasonCodeAndPropertyRoundTrips() {
        SubAck s = new SubAck(65_535, everySubAckCode(), allProperties());
        assertThat(everySubAckCode()).doesNotContainNull();
        assertThat(roundTrip(s, V5, Role.CLIENT)).isEqualTo(s);
    }

    // ---------------------------------------------------------------------------------------- Netty oracle

    @ParameterizedTest
    @EnumSource(names = {"MQTT_3_1_1", "MQTT_5"})
    void nettyDecodesOurSubAck(MqttVersion v) {
        SubAck s = v.isV5() ? new SubAck(2, everySubAckCode(), allProperties()) : v311SubAck();
        assertThat(nettyDecodes(s, v)).isEqualTo(s);
    }

    @ParameterizedTest
    @EnumSource(names = {"MQTT_3_1_1", "MQTT_5"})
    void weDecodeNettysSubAck(MqttVersion v) {
        SubAck s = v.isV5() ? new SubAck(2, everySubAckCode(), allProperties()) : v311SubAck();
        assertThat(weDecodeNettys(s, v, Role.CLIENT)).isEqualTo(s);
    }

    // ---------------------------------------------------------------------------------------- validation

    @ParameterizedTest
    @EnumSource(names = {"MQTT_3_1_1", "MQTT_5"})
    void packetIdentifierZeroIsAProtocolError(MqttVersion v) {
        byte[] bytes = encode(new SubAck(0, List.of(ReasonCode.GRANTED_QOS_0), MqttProperties.EMPTY), v);
        assertThat(rejection(Role.CLIENT, v, bytes)).isEqualTo(ReasonCode.PROTOCOL_ERROR);
    }

    @ParameterizedTest
    @EnumSource(names = {"MQTT_3_1_1", "MQTT_5"})
    void subAckWithoutReasonCodesIsAProtocolError(MqttVersion v) {
        assertThat(rejection(Role.CLIENT, v, encode(new SubAck(1, List.of(), MqttProperties.EMPTY), v)))
                .isEqualTo(ReasonCode.PROTOCOL_ERROR);
    }

    @ParameterizedTest
    @ValueSource(ints = {0x03, 0x81, 0x83, 0x87, 0xFF})
    void v311ReturnCodeOtherThanQosOr0x80IsMalformed(int code) {
        assertThat(rejection(Role.CLIENT, V311, Wire.of().u16(1).u8(code).packet(0x90))).isEqualTo(ReasonCode.MALFORMED_PACKET);
    }

    @ParameterizedTest
    @ValueSource(ints = {0x03, 0x04, 0x10, 0x11, 0x81, 0x82, 0x92, 0x9F, 0xFF})
    void byteThatIsNotAV5SubAckReasonCodeIsMalformed(int code) {
        assertThat(rejection(Role.CLIENT, V5, Wire.of().u16(1).noProps().u8(0, code).packet(0x90)))
                .isEqualTo(ReasonCode.MALFORMED_PACKET);
    }

    @Test
    void duplicateReasonStringIsAProtocolError() {
        byte[] bytes = Wire.of().u16(1).props(Wire.of(0x1F).utf8("a").u8(0x1F).utf8("b")).u8(0).packet(0x90);
        assertThat(rejection(Role.CLIENT, V5, bytes)).isEqualTo(ReasonCode.PROTOCOL_ERROR);
    }

    @ParameterizedTest
    @ValueSource(ints = {0x0B, 0x11, 0x15, 0x21, 0x23})
    void propertyNotAllowedInSubAckIsMalformed(int id) {
        assertThat(rejection(Role.CLIENT, V5, Wire.of().u16(1).props(Wire.of(id, 0, 0, 0, 1)).u8(0).packet(0x90)))
                .isEqualTo(ReasonCode.MALFORMED_PACKET);
    }

    @Test
    void v5SubAckWithoutPropertyLengthIsMalformed() {
        assertThat(rejection(Role.CLIENT, V5, Wire.of().u16(1).packet(0x90))).isEqualTo(ReasonCode.MALFORMED_PACKET);
    }

    @Test
    void reasonStringThatIsNotMqttUtf8IsMalformed() {
        byte[] bytes = Wire.of().u16(1).props(Wire.of(0x1F).binary(new byte[] {(byte) 0xC3})).u8(0).packet(0x90);
        assertThat(rejection(Role.CLIENT, V5, bytes)).isEqualTo(ReasonCode.MALFORMED_PACKET);
    }

    @Test
    void onlyTheReasonCodesFollowTheProperties() {
        SubAck s = (SubAck) decodePacket(decoder(Role.CLIENT, V5), Wire.of().u16(7).noProps().u8(2, 0x80, 0xA2).packet(0x90));
        assertThat(s.reasonCodes()).containsExactly(ReasonCode.GRANTED_QOS_2, ReasonCode.UNSPECIFIED_ERROR,
                ReasonCode.WILDCARD_SUBSCRIPTIONS_NOT_SUPPORTED);
    }
}
