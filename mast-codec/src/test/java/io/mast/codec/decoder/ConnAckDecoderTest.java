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
import io.mast.codec.Qos;
import io.mast.codec.ReasonCode;
import io.mast.codec.packet.ConnAck;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

@ExtendWith(NoLeaks.class)
class ConnAckDecoderTest {

    private static final MqttVersion V5 = MqttVersion.MQTT_5;
    private static final MqttVersion V311 = MqttVersion.MQTT_3_1_1;

    private static MqttProperties allConnAckProperties() {
        return MqttProperties.builder()
                .sessionExpiryInterval(120L)
                .receiveMaximum(100)
                .maximumQos(Qos.AT_LEAST_ONCE)
                .retainAvailable(false)
                .maximumPacketSize(65_536L)
                .assignedClientIdentifier("auto-1234")
                .topicAliasMaximum(20)
                .reasonString("welcome")
                .addUserProperty("node", "mast-1")
                .wildcardSubscriptionAvailable(true)
                .subscriptionIdentifierAvailable(false)
                .sharedSubscriptionAvailable(true)
                .serverKeepAlive(30)
                .responseInformation("responses/")
                .serverReference("other.example:1883")
                .authenticationMethod("SCRAM-SHA-1")
                .authenticationData(new byte[] {4, 5, 6})
                .build();
    }

    private static ConnAck fullConnAck() {
        return new ConnAck(true, ReasonCode.SUCCESS, allConnAckProperties());
    }

    private static byte[] v5(int flags, int code, Wire props) {
        return Wire.of(flags, code).props(props).packet(0x20);
    }

    // ---------------------------------------------------------------------------------------- round trips

    @Test
    void everyConnAckPropertyRoundTripsOnV5() {
        assertThat(roundTrip(fullConnAck(), V5, Role.CLIENT)).isEqualTo(fullConnAck());
    }

    static Stream<ReasonCode> connAckReasonCodes() {
        return Stream.of(ReasonCode.values()).filter(rc -> rc.isValidFor(PacketType.CONNACK));
    }

    @ParameterizedTest
    @MethodSource("connAckReasonCodes")
    void everyV5ConnAckReasonCodeRoundTrips(ReasonCode rc) {
        ConnAck c = new ConnAck(false, rc, MqttProperties.EMPTY);
        assertThat(roundTrip(c, V5, Role.CLIENT)).isEqualTo(c);
    }

    @ParameterizedTest
    @CsvSource({
        "SUCCESS, 0, SUCCESS",
        "UNSUPPORTED_PROTOCOL_VERSION, 1, UNSUPPORTED_PROTOCOL_VERSION",
        "CLIENT_IDENTIFIER_NOT_VALID, 2, CLIENT_IDENTIFIER_NOT_VALID",
        "SERVER_UNAVAILABLE, 3, SERVER_UNAVAILABLE",
        "SERVER_BUSY, 3, SERVER_UNAVAILABLE",
        "BAD_USER_NAME_OR_PASSWORD, 4, BAD_USER_NAME_OR_PASSWORD",
        "BAD_AUTHENTICATION_METHOD, 4, BAD_USER_NAME_OR_PASSWORD",
        "NOT_AUTHORIZED, 5, NOT_AUTHORIZED",
        "BANNED, 5, NOT_AUTHORIZED",
    })
    void v311ConnAckCarriesTheReturnCode(ReasonCode sent, int wire, ReasonCode received) {
        byte[] bytes = encode(new ConnAck(false, sent, allConnAckProperties()), V311);
        assertThat(bytes).containsExactly(0x20, 0x02, 0x00, wire);
        assertThat(decodePacket(decoder(Role.CLIENT, V311), bytes))
                .isEqualTo(new ConnAck(false, received, MqttProperties.EMPTY));
    }

    @Test
    void sessionPresentRoundTripsOn311() {
        ConnAck c = new ConnAck(true, ReasonCode.SUCCESS, MqttProperties.EMPTY);
        assertThat(encode(c, V311)).containsExactly(0x20, 0x02, 0x01, 0x00);
        assertThat(roundTrip(c, V311, Role.CLIENT)).isEqualTo(c);
    }

    @Test
    void v5ConnAckWithoutPropertiesHasAPropertyLengthOfZero() {
        assertThat(encode(new ConnAck(false, ReasonCode.SUCCESS, MqttProperties.EMPTY), V5))
                .containsExactly(0x20, 0x03, 0x00, 0x00, 0x00);
    }

    // ---------------------------------------------------------------------------------------- Netty oracle

    @ParameterizedTest
    @EnumSource(names = {"MQTT_3_1_1", "MQTT_5"})
    void nettyDecodesOurConnAck(MqttVersion v) {
        ConnAck c = v.isV5() ? fullConnAck() : new ConnAck(true, ReasonCode.SUCCESS, MqttProperties.EMPTY);
        assertThat(nettyDecodes(c, v)).isEqualTo(c);
        ConnAck refused = new ConnAck(false, ReasonCode.NOT_AUTHORIZED, MqttProperties.EMPTY);
        assertThat(nettyDecodes(refused, v)).isEqualTo(refused);
    }

    @ParameterizedTest
    @EnumSource(names = {"MQTT_3_1_1", "MQTT_5"})
    void weDecodeNettysConnAck(MqttVersion v) {
        ConnAck c = v.isV5() ? fullConnAck() : new ConnAck(true, ReasonCode.SUCCESS, MqttProperties.EMPTY);
        assertThat(weDecodeNettys(c, v, Role.CLIENT)).isEqualTo(c);
        ConnAck refused = new ConnAck(false, ReasonCode.BAD_USER_NAME_OR_PASSWORD, MqttProperties.EMPTY);
        assertThat(weDecodeNettys(refused, v, Role.CLIENT)).isEqualTo(refused);
    }

    // ---------------------------------------------------------------------------------------- validation

    @ParameterizedTest
    @ValueSource(ints = {0x02, 0x80, 0xFE})
    void reservedAcknowledgeFlagsAreMalformed(int flags) {
        assertThat(rejection(Role.CLIENT, V311, Wire.of(flags, 0).packet(0x20))).isEqualTo(ReasonCode.MALFORMED_PACKET);
        assertThat(rejection(Role.CLIENT, V5, v5(flags, 0, Wire.of()))).isEqualTo(ReasonCode.MALFORMED_PACKET);
    }

    @Test
    void sessionPresentWithARefusalIsMalformed() {
        assertThat(rejection(Role.CLIENT, V311, Wire.of(1, 5).packet(0x20))).isEqualTo(ReasonCode.MALFORMED_PACKET);
        assertThat(rejection(Role.CLIENT, V5, v5(1, 0x87, Wire.of()))).isEqualTo(ReasonCode.MALFORMED_PACKET);
    }

    @ParameterizedTest
    @ValueSource(ints = {6, 0x80, 0xFF})
    void v311ReturnCodeAboveFiveIsMalformed(int code) {
        assertThat(rejection(Role.CLIENT, V311, Wire.of(0, code).packet(0x20))).isEqualTo(ReasonCode.MALFORMED_PACKET);
    }

    @ParameterizedTest
    @ValueSource(ints = {0x01, 0x04, 0x10, 0x8B, 0x8E, 0x91, 0x92, 0x9E, 0xA0, 0xFF})
    void byteThatIsNotAV5ConnAckReasonCodeIsMalformed(int code) {
        assertThat(rejection(Role.CLIENT, V5, v5(0, code, Wire.of()))).isEqualTo(ReasonCode.MALFORMED_PACKET);
    }

    @Test
    void duplicatePropertyIsAProtocolError() {
        assertThat(rejection(Role.CLIENT, V5, v5(0, 0, Wire.of(0x24, 0, 0x24, 1)))).isEqualTo(ReasonCode.PROTOCOL_ERROR);
        assertThat(rejection(Role.CLIENT, V5, v5(0, 0, Wire.of(0x1F).utf8("a").u8(0x1F).utf8("b"))))
                .isEqualTo(ReasonCode.PROTOCOL_ERROR);
    }

    @ParameterizedTest
    @ValueSource(ints = {0x01, 0x0B, 0x17, 0x18, 0x19, 0x23})
    void propertyNotAllowedInConnAckIsMalformed(int id) {
        assertThat(rejection(Role.CLIENT, V5, v5(0, 0, Wire.of(id, 0, 0, 0, 1)))).isEqualTo(ReasonCode.MALFORMED_PACKET);
    }

    @Test
    void receiveMaximumZeroIsAProtocolError() {
        assertThat(rejection(Role.CLIENT, V5, v5(0, 0, Wire.of(0x21).u16(0)))).isEqualTo(ReasonCode.PROTOCOL_ERROR);
    }

    @ParameterizedTest
    @ValueSource(ints = {0x24, 0x25, 0x28, 0x29, 0x2A})
    void byteFlagsOtherThanZeroOrOneAreAProtocolError(int id) {
        assertThat(rejection(Role.CLIENT, V5, v5(0, 0, Wire.of(id, 2)))).isEqualTo(ReasonCode.PROTOCOL_ERROR);
    }

    @Test
    void maximumQosIsZeroOrOne() {
        ConnAck zero = (ConnAck) decodePacket(decoder(Role.CLIENT, V5), v5(0, 0, Wire.of(0x24, 0)));
        assertThat(zero.properties().maximumQos()).isEqualTo(Qos.AT_MOST_ONCE);
        ConnAck one = (ConnAck) decodePacket(decoder(Role.CLIENT, V5), v5(0, 0, Wire.of(0x24, 1)));
        assertThat(one.properties().maximumQos()).isEqualTo(Qos.AT_LEAST_ONCE);
    }

    @Test
    void maximumQos2IsSentAsAnAbsentProperty() {
        // The property may only be 0 or 1 on the wire; absent means QoS 2 (MQTT 5.0 section 3.2.2.3.4).
        ConnAck c = new ConnAck(false, ReasonCode.SUCCESS, MqttProperties.builder().maximumQos(Qos.EXACTLY_ONCE)
                .receiveMaximum(5).build());
        byte[] bytes = encode(c, V5);
        assertThat(bytes).containsExactly(0x20, 6, 0, 0, 3, 0x21, 0, 5);
        ConnAck decoded = (ConnAck) decodePacket(decoder(Role.CLIENT, V5), bytes);
        assertThat(decoded.properties().maximumQos()).isNull();
        assertThat(decoded.properties().receiveMaximum()).isEqualTo(5);
    }

    @Test
    void invalidUtf8InAStringPropertyIsMalformed() {
        assertThat(rejection(Role.CLIENT, V5, v5(0, 0, Wire.of(0x12).binary(new byte[] {(byte) 0xC1, (byte) 0xBF}))))
                .isEqualTo(ReasonCode.MALFORMED_PACKET);
        assertThat(rejection(Role.CLIENT, V5, v5(0, 0, Wire.of(0x1F).binary(new byte[] {'o', 'k', 0}))))
                .isEqualTo(ReasonCode.MALFORMED_PACKET);
    }

    @ParameterizedTest
    @EnumSource(names = {"MQTT_3_1_1", "MQTT_5"})
    void trailingBytesAreMalformed(MqttVersion v) {
        byte[] bytes = withTrailingBytes(encode(new ConnAck(false, ReasonCode.SUCCESS, MqttProperties.EMPTY), v), 0);
        assertThat(rejection(Role.CLIENT, v, bytes)).isEqualTo(ReasonCode.MALFORMED_PACKET);
    }

    @Test
    void truncatedConnAckIsMalformed() {
        assertThat(rejection(Role.CLIENT, V311, Wire.of(0).packet(0x20))).isEqualTo(ReasonCode.MALFORMED_PACKET);
        byte[] propertiesCut = Wire.of(0, 0).varInt(5).u8(0x24, 1).packet(0x20);
        assertThat(rejection(Role.CLIENT, V5, propertiesCut)).isEqualTo(ReasonCode.MALFORMED_PACKET);
    }
}
