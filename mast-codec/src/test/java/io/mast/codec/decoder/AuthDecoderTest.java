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
import io.mast.codec.ReasonCode;
import io.mast.codec.packet.Auth;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** AUTH exists in MQTT 5.0 only; on 3.1.1 its packet type is reserved (see {@code MqttDecoderTest}). */
@ExtendWith(NoLeaks.class)
class AuthDecoderTest {

    private static final MqttVersion V5 = MqttVersion.MQTT_5;

    /** Every property AUTH allows. */
    private static MqttProperties allProperties() {
        return MqttProperties.builder().authenticationMethod("SCRAM-SHA-256").authenticationData(new byte[] {0, 1, (byte) 0xFF})
                .reasonString("next step").addUserProperty("a", "b").build();
    }

    // ---------------------------------------------------------------------------------------- round trips

    @ParameterizedTest
    @EnumSource(names = {"SUCCESS", "CONTINUE_AUTHENTICATION", "RE_AUTHENTICATE"})
    void everyReasonCodeRoundTripsWithEveryProperty(ReasonCode rc) {
        Auth a = new Auth(rc, allProperties());
        assertThat(roundTrip(a, V5, Role.SERVER)).isEqualTo(a);
        assertThat(roundTrip(a, V5, Role.CLIENT)).isEqualTo(a);
    }

    @Test
    void successWithoutPropertiesIsTwoBytes() {
        Auth a = new Auth(ReasonCode.SUCCESS, MqttProperties.EMPTY);
        assertThat(encode(a, V5)).containsExactly(0xF0, 0);
        assertThat(roundTrip(a, V5, Role.CLIENT)).isEqualTo(a);
    }

    @Test
    void theKnownLayout() {
        Auth a = new Auth(ReasonCode.CONTINUE_AUTHENTICATION, MqttProperties.builder().authenticationMethod("m").build());
        assertThat(encode(a, V5)).containsExactly(0xF0, 6, 0x18, 4, 0x15, 0, 1, 'm');
    }

    // ---------------------------------------------------------------------------------------- Netty oracle

    @ParameterizedTest
    @EnumSource(names = {"SUCCESS", "CONTINUE_AUTHENTICATION", "RE_AUTHENTICATE"})
    void nettyDecodesOurAuth(ReasonCode rc) {
        Auth a = new Auth(rc, allProperties());
        assertThat(nettyDecodes(a, V5)).isEqualTo(a);
    }

    @ParameterizedTest
    @EnumSource(names = {"SUCCESS", "CONTINUE_AUTHENTICATION", "RE_AUTHENTICATE"})
    void weDecodeNettysAuth(ReasonCode rc) {
        Auth a = new Auth(rc, allProperties());
        assertThat(weDecodeNettys(a, V5, Role.SERVER)).isEqualTo(a);
    }

    // ---------------------------------------------------------------------------------------- validation

    @ParameterizedTest
    @ValueSource(ints = {0x01, 0x04, 0x10, 0x17, 0x1A, 0x80, 0x87, 0x8C, 0xFF})
    void byteThatIsNotAnAuthReasonCodeIsMalformed(int code) {
        byte[] bytes = Wire.of(code).props(Wire.of(0x15).utf8("m")).packet(0xF0);
        assertThat(rejection(Role.SERVER, V5, bytes)).isEqualTo(ReasonCode.MALFORMED_PACKET);
    }

    @Test
    void authWithPropertiesButNoAuthenticationMethodIsAProtocolError() {
        assertThat(rejection(Role.SERVER, V5, Wire.of(0x18).props(Wire.of(0x1F).utf8("r")).packet(0xF0)))
                .isEqualTo(ReasonCode.PROTOCOL_ERROR);
        assertThat(rejection(Role.SERVER, V5, Wire.of(0x18).packet(0xF0))).isEqualTo(ReasonCode.PROTOCOL_ERROR);
    }

    @Test
    void duplicatePropertyIsAProtocolError() {
        assertThat(rejection(Role.SERVER, V5, Wire.of(0x18).props(Wire.of(0x15).utf8("m").u8(0x15).utf8("m")).packet(0xF0)))
                .isEqualTo(ReasonCode.PROTOCOL_ERROR);
        byte[] data = Wire.of(0x18).props(Wire.of(0x15).utf8("m").u8(0x16).binary(new byte[1]).u8(0x16).binary(new byte[1]))
                .packet(0xF0);
        assertThat(rejection(Role.SERVER, V5, data)).isEqualTo(ReasonCode.PROTOCOL_ERROR);
    }

    @ParameterizedTest
    @ValueSource(ints = {0x01, 0x0B, 0x11, 0x12, 0x1C, 0x21, 0x23})
    void propertyNotAllowedInAuthIsMalformed(int id) {
        byte[] bytes = Wire.of(0x18).props(Wire.of(0x15).utf8("m").u8(id, 0, 0, 0, 1)).packet(0xF0);
        assertThat(rejection(Role.SERVER, V5, bytes)).isEqualTo(ReasonCode.MALFORMED_PACKET);
    }

    @Test
    void authenticationMethodThatIsNotMqttUtf8IsMalformed() {
        assertThat(rejection(Role.SERVER, V5, Wire.of(0x18).props(Wire.of(0x15).binary(new byte[] {'m', 0})).packet(0xF0)))
                .isEqualTo(ReasonCode.MALFORMED_PACKET);
        assertThat(rejection(Role.CLIENT, V5, Wire.of(0x18).props(Wire.of(0x15).binary(new byte[] {(byte) 0xC0, (byte) 0x80})).packet(0xF0)))
                .isEqualTo(ReasonCode.MALFORMED_PACKET);
    }

    @Test
    void authOn311IsMalformed() {
        byte[] bytes = encode(new Auth(ReasonCode.CONTINUE_AUTHENTICATION, allProperties()), V5);
        assertThat(rejection(Role.SERVER, MqttVersion.MQTT_3_1_1, bytes)).isEqualTo(ReasonCode.MALFORMED_PACKET);
        assertThat(rejection(Role.CLIENT, MqttVersion.MQTT_3_1_1, bytes)).isEqualTo(ReasonCode.MALFORMED_PACKET);
    }

    @ParameterizedTest
    @ValueSource(ints = {0x01, 0x02, 0x04, 0x08})
    void fixedHeaderFlagsAreMalformed(int flags) {
        byte[] bytes = Wire.of(0x18).props(Wire.of(0x15).utf8("m")).packet(0xF0 | flags);
        assertThat(rejection(Role.SERVER, V5, bytes)).isEqualTo(ReasonCode.MALFORMED_PACKET);
    }

    @Test
    void trailingBytesAreMalformed() {
        byte[] bytes = withTrailingBytes(encode(new Auth(ReasonCode.CONTINUE_AUTHENTICATION, allProperties()), V5), 0);
        assertThat(rejection(Role.SERVER, V5, bytes)).isEqualTo(ReasonCode.MALFORMED_PACKET);
    }

    @Test
    void authDecodesTheMethodAndData() {
        Auth a = (Auth) decodePacket(decoder(Role.CLIENT, V5),
                Wire.of(0x18).props(Wire.of(0x15).utf8("m").u8(0x16).binary(new byte[] {5})).packet(0xF0));
        assertThat(a.reasonCode()).isEqualTo(ReasonCode.CONTINUE_AUTHENTICATION);
        assertThat(a.properties().authenticationMethod()).isEqualTo("m");
        assertThat(a.properties().authenticationData()).containsExactly(5);
    }
}
