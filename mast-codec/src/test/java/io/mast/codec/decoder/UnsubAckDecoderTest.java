package io.mast.codec.decoder;

import static io.mast.codec.CodecTestSupport.encode;
import static io.mast.codec.CodecTestSupport.nettyDecodes;
import static io.mast.codec.CodecTestSupport.rejection;
import static io.mast.codec.CodecTestSupport.roundTrip;
import static io.mast.codec.CodecTestSupport.weDecodeNettys;
import static io.mast.codec.CodecTestSupport.withTrailingBytes;
import static org.assertj.core.api.Assertions.assertThat;

import io.mast.codec.CodecTestSupport.NoLeaks;
import io.mast.codec.CodecTestSupport.Wire;
import io.mast.codec.MqttDecoder.Role;
import io.mast.codec.MqttProperties;
import io.mast.codec.MqttVersion;
import io.mast.codec.PacketType;
import io.mast.codec.ReasonCode;
import io.mast.codec.packet.UnsubAck;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

@ExtendWith(NoLeaks.class)
class UnsubAckDecoderTest {

    private static final MqttVersion V5 = MqttVersion.MQTT_5;
    private static final MqttVersion V311 = MqttVersion.MQTT_3_1_1;

    /** The UNSUBACK reason codes of MQTT 5.0 section 3.11.3. */
    private static final List<Integer> SPEC_CODES = List.of(0x00, 0x11, 0x80, 0x83, 0x87, 0x8F, 0x91);

    private static List<ReasonCode> everyUnsubAckCode() {
        return SPEC_CODES.stream().map(code -> ReasonCode.of(code, PacketType.UNSUBACK)).toList();
    }

    private static MqttProperties allProperties() {
        return MqttProperties.builder().reasonString("done").addUserProperty("x", "y").build();
    }

    private static UnsubAck unsubAck(MqttVersion v) {
        return v.isV5()
                ? new UnsubAck(513, everyUnsubAckCode(), allProperties())
                : new UnsubAck(513, List.of(), MqttProperties.EMPTY);
    }

    // ---------------------------------------------------------------------------------------- round trips

    @Test
    void v311UnsubAckIsThePacketIdentifierOnly() {
        UnsubAck sent = new UnsubAck(513, everyUnsubAckCode(), allProperties());
        assertThat(encode(sent, V311)).containsExactly(0xB0, 2, 2, 1);
        assertThat(roundTrip(sent, V311, Role.CLIENT)).isEqualTo(unsubAck(V311));
    }

    @Test
    void everyV5ReasonCodeAndPropertyRoundTrips() {
        assertThat(everyUnsubAckCode()).doesNotContainNull();
        assertThat(roundTrip(unsubAck(V5), V5, Role.CLIENT)).isEqualTo(unsubAck(V5));
        UnsubAck bare = new UnsubAck(1, List.of(ReasonCode.SUCCESS), MqttProperties.EMPTY);
        assertThat(encode(bare, V5)).containsExactly(0xB0, 4, 0, 1, 0, 0);
        assertThat(roundTrip(bare, V5, Role.CLIENT)).isEqualTo(bare);
    }

    // ---------------------------------------------------------------------------------------- Netty oracle

    @ParameterizedTest
    @EnumSource(names = {"MQTT_3_1_1", "MQTT_5"})
    void nettyDecodesOurUnsubAck(MqttVersion v) {
        assertThat(nettyDecodes(unsubAck(v), v)).isEqualTo(unsubAck(v));
    }

    @ParameterizedTest
    @EnumSource(names = {"MQTT_3_1_1", "MQTT_5"})
    void weDecodeNettysUnsubAck(MqttVersion v) {
        assertThat(weDecodeNettys(unsubAck(v), v, Role.CLIENT)).isEqualTo(unsubAck(v));
    }

    // ---------------------------------------------------------------------------------------- validation

    @ParameterizedTest
    @EnumSource(names = {"MQTT_3_1_1", "MQTT_5"})
    void packetIdentifierZeroIsAProtocolError(MqttVersion v) {
        byte[] bytes = encode(new UnsubAck(0, List.of(ReasonCode.SUCCESS), MqttProperties.EMPTY), v);
        assertThat(rejection(Role.CLIENT, v, bytes)).isEqualTo(ReasonCode.PROTOCOL_ERROR);
    }

    @Test
    void v5UnsubAckWithoutReasonCodesIsAProtocolError() {
        assertThat(rejection(Role.CLIENT, V5, Wire.of().u16(1).noProps().packet(0xB0))).isEqualTo(ReasonCode.PROTOCOL_ERROR);
    }

    @Test
    void v311TrailingBytesAreMalformed() {
        assertThat(rejection(Role.CLIENT, V311, withTrailingBytes(encode(unsubAck(V311), V311), 0)))
                .isEqualTo(ReasonCode.MALFORMED_PACKET);
    }

    @ParameterizedTest
    @ValueSource(ints = {0x01, 0x02, 0x10, 0x81, 0x90, 0x92, 0x97, 0xFF})
    void byteThatIsNotAnUnsubAckReasonCodeIsMalformed(int code) {
        assertThat(rejection(Role.CLIENT, V5, Wire.of().u16(1).noProps().u8(0, code).packet(0xB0)))
                .isEqualTo(ReasonCode.MALFORMED_PACKET);
    }

    @Test
    void duplicateReasonStringIsAProtocolError() {
        byte[] bytes = Wire.of().u16(1).props(Wire.of(0x1F).utf8("a").u8(0x1F).utf8("b")).u8(0).packet(0xB0);
        assertThat(rejection(Role.CLIENT, V5, bytes)).isEqualTo(ReasonCode.PROTOCOL_ERROR);
    }

    @ParameterizedTest
    @ValueSource(ints = {0x0B, 0x11, 0x1C, 0x23})
    void propertyNotAllowedInUnsubAckIsMalformed(int id) {
        assertThat(rejection(Role.CLIENT, V5, Wire.of().u16(1).props(Wire.of(id, 0, 0, 0, 1)).u8(0).packet(0xB0)))
                .isEqualTo(ReasonCode.MALFORMED_PACKET);
    }

    @Test
    void v5UnsubAckWithoutPropertyLengthIsMalformed() {
        assertThat(rejection(Role.CLIENT, V5, Wire.of().u16(1).packet(0xB0))).isEqualTo(ReasonCode.MALFORMED_PACKET);
    }

    @Test
    void reasonStringThatIsNotMqttUtf8IsMalformed() {
        byte[] bytes = Wire.of().u16(1).props(Wire.of(0x1F).binary(new byte[] {0})).u8(0).packet(0xB0);
        assertThat(rejection(Role.CLIENT, V5, bytes)).isEqualTo(ReasonCode.MALFORMED_PACKET);
    }
}
