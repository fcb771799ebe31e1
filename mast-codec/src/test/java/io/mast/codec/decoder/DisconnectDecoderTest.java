package io.mast.codec.decoder;

import static io.mast.codec.CodecTestSupport.decodePacket;
import static io.mast.codec.CodecTestSupport.decoder;
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
import io.mast.codec.packet.Disconnect;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

@ExtendWith(NoLeaks.class)
class DisconnectDecoderTest {

    private static final MqttVersion V5 = MqttVersion.MQTT_5;
    private static final MqttVersion V311 = MqttVersion.MQTT_3_1_1;

    /** The DISCONNECT reason codes of MQTT 5.0 (Table 2-6). */
    static List<Integer> specCodes() {
        return List.of(0x00, 0x04, 0x80, 0x81, 0x82, 0x83, 0x87, 0x89, 0x8B, 0x8C, 0x8D, 0x8E, 0x8F, 0x90, 0x93,
                0x94, 0x95, 0x96, 0x97, 0x98, 0x99, 0x9A, 0x9B, 0x9C, 0x9D, 0x9E, 0x9F, 0xA0, 0xA1, 0xA2);
    }

    /** Every property DISCONNECT allows. */
    private static MqttProperties allProperties() {
        return MqttProperties.builder().sessionExpiryInterval(0L).reasonString("bye").addUserProperty("k", "v")
                .serverReference("elsewhere:1883").build();
    }

    // ---------------------------------------------------------------------------------------- round trips

    @ParameterizedTest
    @EnumSource(MqttVersion.class)
    void normalDisconnectIsTwoBytes(MqttVersion v) {
        assertThat(encode(Disconnect.NORMAL, v)).containsExactly(0xE0, 0);
        assertThat(roundTrip(Disconnect.NORMAL, v, Role.SERVER)).isEqualTo(Disconnect.NORMAL);
    }

    @Test
    void v311DropsReasonAndProperties() {
        Disconnect d = new Disconnect(ReasonCode.DISCONNECT_WITH_WILL_MESSAGE, allProperties());
        assertThat(encode(d, V311)).containsExactly(0xE0, 0);
    }

    @ParameterizedTest
    @MethodSource("specCodes")
    void everyReasonCodeRoundTripsWithEveryProperty(int code) {
        ReasonCode rc = ReasonCode.of(code, PacketType.DISCONNECT);
        assertThat(rc).isNotNull();
        Disconnect bare = new Disconnect(rc, MqttProperties.EMPTY);
        assertThat(roundTrip(bare, V5, Role.SERVER)).isEqualTo(bare);
        Disconnect full = new Disconnect(rc, allProperties());
        assertThat(roundTrip(full, V5, Role.CLIENT)).isEqualTo(full);
    }

    @Test
    void reasonCodeWithoutPropertiesIsOneByte() {
        assertThat(encode(new Disconnect(ReasonCode.SERVER_SHUTTING_DOWN, MqttProperties.EMPTY), V5))
                .containsExactly(0xE0, 1, 0x8B);
        assertThat(decodePacket(decoder(Role.CLIENT, V5), Wire.of(0x8B).noProps().packet(0xE0)))
                .isEqualTo(new Disconnect(ReasonCode.SERVER_SHUTTING_DOWN, MqttProperties.EMPTY));
        assertThat(decodePacket(decoder(Role.CLIENT, V5), Wire.of(0).packet(0xE0))).isEqualTo(Disconnect.NORMAL);
    }

    // ---------------------------------------------------------------------------------------- Netty oracle

    @ParameterizedTest
    @EnumSource(names = {"MQTT_3_1_1", "MQTT_5"})
    void nettyDecodesOurDisconnect(MqttVersion v) {
        assertThat(nettyDecodes(Disconnect.NORMAL, v)).isEqualTo(Disconnect.NORMAL);
        if (v.isV5()) {
            for (int code : specCodes()) {
                Disconnect d = new Disconnect(ReasonCode.of(code, PacketType.DISCONNECT), allProperties());
                assertThat(nettyDecodes(d, v)).isEqualTo(d);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(names = {"MQTT_3_1_1", "MQTT_5"})
    void weDecodeNettysDisconnect(MqttVersion v) {
        assertThat(weDecodeNettys(Disconnect.NORMAL, v, Role.SERVER)).isEqualTo(Disconnect.NORMAL);
        if (v.isV5()) {
            for (int code : specCodes()) {
                Disconnect d = new Disconnect(ReasonCode.of(code, PacketType.DISCONNECT), allProperties());
                assertThat(weDecodeNettys(d, v, Role.CLIENT)).isEqualTo(d);
            }
        }
    }

    // ---------------------------------------------------------------------------------------- validation

    @Test
    void v311DisconnectWithABodyIsMalformed() {
        assertThat(rejection(Role.SERVER, V311, Wire.of(0).packet(0xE0))).isEqualTo(ReasonCode.MALFORMED_PACKET);
    }

    @Test
    void v311ServerMustNotSendDisconnect() {
        assertThat(rejection(Role.CLIENT, V311, encode(Disconnect.NORMAL, V311))).isEqualTo(ReasonCode.PROTOCOL_ERROR);
    }

    @ParameterizedTest
    @ValueSource(ints = {0x01, 0x02, 0x10, 0x11, 0x18, 0x84, 0x85, 0x86, 0x88, 0x8A, 0x91, 0x92, 0xA3, 0xFF})
    void byteThatIsNotADisconnectReasonCodeIsMalformed(int code) {
        assertThat(rejection(Role.SERVER, V5, Wire.of(code).packet(0xE0))).isEqualTo(ReasonCode.MALFORMED_PACKET);
    }

    @Test
    void duplicatePropertyIsAProtocolError() {
        assertThat(rejection(Role.SERVER, V5, Wire.of(0).props(Wire.of(0x11).u32(0).u8(0x11).u32(0)).packet(0xE0)))
                .isEqualTo(ReasonCode.PROTOCOL_ERROR);
        assertThat(rejection(Role.CLIENT, V5, Wire.of(0x9C).props(Wire.of(0x1C).utf8("a").u8(0x1C).utf8("b")).packet(0xE0)))
                .isEqualTo(ReasonCode.PROTOCOL_ERROR);
    }

    @ParameterizedTest
    @ValueSource(ints = {0x01, 0x0B, 0x12, 0x15, 0x18, 0x21, 0x23, 0x27})
    void propertyNotAllowedInDisconnectIsMalformed(int id) {
        assertThat(rejection(Role.SERVER, V5, Wire.of(0).props(Wire.of(id, 0, 0, 0, 1)).packet(0xE0)))
                .isEqualTo(ReasonCode.MALFORMED_PACKET);
    }

    @Test
    void trailingBytesAreMalformed() {
        byte[] bytes = withTrailingBytes(encode(new Disconnect(ReasonCode.NORMAL_DISCONNECTION, allProperties()), V5), 0);
        assertThat(rejection(Role.SERVER, V5, bytes)).isEqualTo(ReasonCode.MALFORMED_PACKET);
    }

    @Test
    void reasonStringThatIsNotMqttUtf8IsMalformed() {
        byte[] bytes = Wire.of(0x80).props(Wire.of(0x1F).binary(new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80})).packet(0xE0);
        assertThat(rejection(Role.SERVER, V5, bytes)).isEqualTo(ReasonCode.MALFORMED_PACKET);
    }

    @Test
    void propertyLengthBeyondThePacketIsMalformed() {
        assertThat(rejection(Role.SERVER, V5, Wire.of(0).varInt(9).u8(0x11).packet(0xE0))).isEqualTo(ReasonCode.MALFORMED_PACKET);
    }
}
