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
import io.mast.codec.packet.PubAck;
import io.mast.codec.packet.PubComp;
import io.mast.codec.packet.PubRec;
import io.mast.codec.packet.PubRel;
import io.mast.codec.packet.PublishAcknowledgement;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/** PUBACK, PUBREC, PUBREL and PUBCOMP, which share one layout. */
@ExtendWith(NoLeaks.class)
class PublishAcknowledgementDecoderTest {

    private static final MqttVersion V5 = MqttVersion.MQTT_5;
    private static final MqttVersion V311 = MqttVersion.MQTT_3_1_1;

    /** The reason codes of each packet per the MQTT 5.0 specification (sections 3.4.2.1 to 3.7.2.1). */
    private static final Map<PacketType, List<Integer>> SPEC_CODES = Map.of(
            PacketType.PUBACK, List.of(0x00, 0x10, 0x80, 0x83, 0x87, 0x90, 0x91, 0x97, 0x99),
            PacketType.PUBREC, List.of(0x00, 0x10, 0x80, 0x83, 0x87, 0x90, 0x91, 0x97, 0x99),
            PacketType.PUBREL, List.of(0x00, 0x92),
            PacketType.PUBCOMP, List.of(0x00, 0x92));

    private static PublishAcknowledgement ack(PacketType type, int packetId, ReasonCode rc, MqttProperties props) {
        return switch (type) {
            case PUBACK -> new PubAck(packetId, rc, props);
            case PUBREC -> new PubRec(packetId, rc, props);
            case PUBREL -> new PubRel(packetId, rc, props);
            case PUBCOMP -> new PubComp(packetId, rc, props);
            default -> throw new IllegalArgumentException(type.toString());
        };
    }

    /** Every property an acknowledgement allows. */
    private static MqttProperties allProperties() {
        return MqttProperties.builder().reasonString("because").addUserProperty("a", "1").addUserProperty("b", "2").build();
    }

    private static int firstByte(PacketType type) {
        return type.value() << 4 | type.requiredFlags();
    }

    static Stream<Arguments> typesAndSpecCodes() {
        return SPEC_CODES.entrySet().stream()
                .flatMap(e -> e.getValue().stream().map(code -> Arguments.of(e.getKey(), code)));
    }

    static Stream<Arguments> typesAndForeignCodes() {
        return SPEC_CODES.entrySet().stream().flatMap(e -> Stream.of(0x01, 0x04, 0x10, 0x11, 0x18, 0x81, 0x82, 0x92, 0xA2, 0xFF)
                .filter(code -> !e.getValue().contains(code))
                .map(code -> Arguments.of(e.getKey(), code)));
    }

    // ---------------------------------------------------------------------------------------- round trips

    @ParameterizedTest
    @EnumSource(names = {"PUBACK", "PUBREC", "PUBREL", "PUBCOMP"})
    void v311AcknowledgementIsFourBytesAndRoundTrips(PacketType type) {
        PublishAcknowledgement a = ack(type, 65_535, ReasonCode.SUCCESS, MqttProperties.EMPTY);
        assertThat(encode(a, V311)).containsExactly(firstByte(type), 2, 0xFF, 0xFF);
        assertThat(roundTrip(a, V311, Role.SERVER)).isEqualTo(a);
        assertThat(roundTrip(a, V311, Role.CLIENT)).isEqualTo(a);
    }

    @ParameterizedTest
    @EnumSource(names = {"PUBACK", "PUBREC", "PUBREL", "PUBCOMP"})
    void v311DropsReasonCodeAndProperties(PacketType type) {
        ReasonCode rc = ReasonCode.of(SPEC_CODES.get(type).get(1), type);
        assertThat(roundTrip(ack(type, 1, rc, allProperties()), V311, Role.SERVER))
                .isEqualTo(ack(type, 1, ReasonCode.SUCCESS, MqttProperties.EMPTY));
    }

    @ParameterizedTest
    @EnumSource(names = {"PUBACK", "PUBREC", "PUBREL", "PUBCOMP"})
    void v5SuccessWithoutPropertiesUsesTheShortForm(PacketType type) {
        PublishAcknowledgement a = ack(type, 258, ReasonCode.SUCCESS, MqttProperties.EMPTY);
        assertThat(encode(a, V5)).containsExactly(firstByte(type), 2, 1, 2);
        assertThat(roundTrip(a, V5, Role.CLIENT)).isEqualTo(a);
    }

    @ParameterizedTest
    @MethodSource("typesAndSpecCodes")
    void everyReasonCodeOfThePacketRoundTripsWithEveryProperty(PacketType type, int code) {
        ReasonCode rc = ReasonCode.of(code, type);
        assertThat(rc).isNotNull();
        PublishAcknowledgement bare = ack(type, 9, rc, MqttProperties.EMPTY);
        assertThat(roundTrip(bare, V5, Role.SERVER)).isEqualTo(bare);
        PublishAcknowledgement full = ack(type, 9, rc, allProperties());
        assertThat(roundTrip(full, V5, Role.CLIENT)).isEqualTo(full);
    }

    @ParameterizedTest
    @EnumSource(names = {"PUBACK", "PUBREC", "PUBREL", "PUBCOMP"})
    void reasonCodeAndPropertyLengthMayBeOmittedOrEmpty(PacketType type) {
        int fb = firstByte(type);
        PublishAcknowledgement success = ack(type, 5, ReasonCode.SUCCESS, MqttProperties.EMPTY);
        assertThat(decodePacket(decoder(Role.SERVER, V5), Wire.of().u16(5).packet(fb))).isEqualTo(success);
        assertThat(decodePacket(decoder(Role.SERVER, V5), Wire.of().u16(5).u8(0).packet(fb))).isEqualTo(success);
        assertThat(decodePacket(decoder(Role.SERVER, V5), Wire.of().u16(5).u8(0).noProps().packet(fb))).isEqualTo(success);
        int failure = SPEC_CODES.get(type).getLast();
        assertThat(decodePacket(decoder(Role.SERVER, V5), Wire.of().u16(5).u8(failure).packet(fb)))
                .isEqualTo(ack(type, 5, ReasonCode.of(failure, type), MqttProperties.EMPTY));
    }

    // ---------------------------------------------------------------------------------------- Netty oracle

    @ParameterizedTest
    @EnumSource(names = {"PUBACK", "PUBREC", "PUBREL", "PUBCOMP"})
    void nettyDecodesOurAcknowledgements(PacketType type) {
        PublishAcknowledgement v311 = ack(type, 77, ReasonCode.SUCCESS, MqttProperties.EMPTY);
        assertThat(nettyDecodes(v311, V311)).isEqualTo(v311);
        for (int code : SPEC_CODES.get(type)) {
            PublishAcknowledgement a = ack(type, 77, ReasonCode.of(code, type), code == 0 ? MqttProperties.EMPTY : allProperties());
            assertThat(nettyDecodes(a, V5)).isEqualTo(a);
        }
    }

    @ParameterizedTest
    @EnumSource(names = {"PUBACK", "PUBREC", "PUBREL", "PUBCOMP"})
    void weDecodeNettysAcknowledgements(PacketType type) {
        PublishAcknowledgement v311 = ack(type, 77, ReasonCode.SUCCESS, MqttProperties.EMPTY);
        assertThat(weDecodeNettys(v311, V311, Role.SERVER)).isEqualTo(v311);
        for (int code : SPEC_CODES.get(type)) {
            PublishAcknowledgement a = ack(type, 77, ReasonCode.of(code, type), code == 0 ? MqttProperties.EMPTY : allProperties());
            assertThat(weDecodeNettys(a, V5, Role.CLIENT)).isEqualTo(a);
        }
    }

    // ---------------------------------------------------------------------------------------- validation

    @ParameterizedTest
    @EnumSource(names = {"PUBACK", "PUBREC", "PUBREL", "PUBCOMP"})
    void packetIdentifierZeroIsAProtocolError(PacketType type) {
        assertThat(rejection(Role.SERVER, V311, Wire.of().u16(0).packet(firstByte(type)))).isEqualTo(ReasonCode.PROTOCOL_ERROR);
        assertThat(rejection(Role.CLIENT, V5, Wire.of().u16(0).packet(firstByte(type)))).isEqualTo(ReasonCode.PROTOCOL_ERROR);
    }

    @ParameterizedTest
    @MethodSource("typesAndForeignCodes")
    void byteThatIsNotAReasonCodeOfThePacketIsMalformed(PacketType type, int code) {
        assertThat(rejection(Role.SERVER, V5, Wire.of().u16(1).u8(code).packet(firstByte(type))))
                .isEqualTo(ReasonCode.MALFORMED_PACKET);
    }

    @ParameterizedTest
    @EnumSource(names = {"PUBACK", "PUBREC", "PUBREL", "PUBCOMP"})
    void duplicateReasonStringIsAProtocolError(PacketType type) {
        byte[] bytes = Wire.of().u16(1).u8(0).props(Wire.of(0x1F).utf8("a").u8(0x1F).utf8("b")).packet(firstByte(type));
        assertThat(rejection(Role.SERVER, V5, bytes)).isEqualTo(ReasonCode.PROTOCOL_ERROR);
    }

    @ParameterizedTest
    @EnumSource(names = {"PUBACK", "PUBREC", "PUBREL", "PUBCOMP"})
    void propertyNotAllowedInAcknowledgementIsMalformed(PacketType type) {
        for (int id : new int[] {0x01, 0x0B, 0x11, 0x15, 0x23, 0x1C}) {
            byte[] bytes = Wire.of().u16(1).u8(0).props(Wire.of(id, 0, 0, 0, 1)).packet(firstByte(type));
            assertThat(rejection(Role.SERVER, V5, bytes)).as("property 0x%02X", id).isEqualTo(ReasonCode.MALFORMED_PACKET);
        }
    }

    @ParameterizedTest
    @EnumSource(names = {"PUBACK", "PUBREC", "PUBREL", "PUBCOMP"})
    void reasonStringThatIsNotMqttUtf8IsMalformed(PacketType type) {
        byte[] bytes = Wire.of().u16(1).u8(0).props(Wire.of(0x1F).binary(new byte[] {(byte) 0xF5, (byte) 0x80, (byte) 0x80, (byte) 0x80}))
                .packet(firstByte(type));
        assertThat(rejection(Role.SERVER, V5, bytes)).isEqualTo(ReasonCode.MALFORMED_PACKET);
    }

    @ParameterizedTest
    @EnumSource(names = {"PUBACK", "PUBREC", "PUBREL", "PUBCOMP"})
    void trailingBytesAreMalformed(PacketType type) {
        assertThat(rejection(Role.SERVER, V311, withTrailingBytes(encode(ack(type, 1, ReasonCode.SUCCESS, MqttProperties.EMPTY), V311), 0)))
                .isEqualTo(ReasonCode.MALFORMED_PACKET);
        byte[] v5 = withTrailingBytes(encode(ack(type, 1, ReasonCode.SUCCESS, allProperties()), V5), 0);
        assertThat(rejection(Role.SERVER, V5, v5)).isEqualTo(ReasonCode.MALFORMED_PACKET);
    }

    @ParameterizedTest
    @EnumSource(names = {"PUBACK", "PUBREC", "PUBREL", "PUBCOMP"})
    void truncatedAcknowledgementIsMalformed(PacketType type) {
        assertThat(rejection(Role.SERVER, V311, Wire.of(1).packet(firstByte(type)))).isEqualTo(ReasonCode.MALFORMED_PACKET);
        assertThat(rejection(Role.SERVER, V5, Wire.of().u16(1).u8(0).varInt(3).u8(0x1F).packet(firstByte(type))))
                .isEqualTo(ReasonCode.MALFORMED_PACKET);
    }
}
