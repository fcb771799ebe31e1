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
import io.mast.codec.Qos;
import io.mast.codec.ReasonCode;
import io.mast.codec.packet.RetainHandling;
import io.mast.codec.packet.Subscribe;
import io.mast.codec.packet.Subscription;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

@ExtendWith(NoLeaks.class)
class SubscribeDecoderTest {

    private static final MqttVersion V5 = MqttVersion.MQTT_5;
    private static final MqttVersion V311 = MqttVersion.MQTT_3_1_1;

    /** Every property SUBSCRIBE allows. */
    private static MqttProperties allProperties() {
        return MqttProperties.builder().addSubscriptionIdentifier(268_435_455).addUserProperty("a", "b").build();
    }

    private static List<Subscription> everyOptionCombination() {
        List<Subscription> subs = new ArrayList<>();
        int i = 0;
        for (Qos qos : Qos.values()) {
            for (RetainHandling rh : RetainHandling.values()) {
                for (int flags = 0; flags < 4; flags++) {
                    subs.add(new Subscription("f/" + i++, qos, (flags & 1) != 0, (flags & 2) != 0, rh));
                }
            }
        }
        return subs;
    }

    private static Subscribe v311Subscribe() {
        return new Subscribe(10, List.of(new Subscription("a/+", Qos.AT_MOST_ONCE), new Subscription("b/#", Qos.AT_LEAST_ONCE),
                new Subscription("$share/g/c", Qos.EXACTLY_ONCE)), MqttProperties.EMPTY);
    }

    /** A 5.0 SUBSCRIBE with id 1, these properties and filter "t" with these options. */
    private static byte[] v5(Wire props, int options) {
        return Wire.of().u16(1).props(props).utf8("t").u8(options).packet(0x82);
    }

    // ---------------------------------------------------------------------------------------- round trips

    @Test
    void v311SubscribeRoundTrips() {
        assertThat(roundTrip(v311Subscribe(), V311, Role.SERVER)).isEqualTo(v311Subscribe());
        assertThat(encode(new Subscribe(1, List.of(new Subscription("a", Qos.AT_LEAST_ONCE)), MqttProperties.EMPTY), V311))
                .containsExactly(0x82, 6, 0, 1, 0, 1, 'a', 1);
    }

    @Test
    void everySubscriptionOptionAndPropertyRoundTripsOnV5() {
        Subscribe s = new Subscribe(65_535, everyOptionCombination(), allProperties());
        assertThat(roundTrip(s, V5, Role.SERVER)).isEqualTo(s);
    }

    @Test
    void optionBitsOnTheWire() {
        Subscribe s = new Subscribe(1, List.of(new Subscription("a", Qos.EXACTLY_ONCE, true, true,
                RetainHandling.DO_NOT_SEND)), MqttProperties.EMPTY);
        assertThat(encode(s, V5)).containsExactly(0x82, 7, 0, 1, 0, 0, 1, 'a', 0b0010_1110);
    }

    @Test
    void v311DropsTheV5Options() {
        Subscribe s = new Subscribe(3, List.of(new Subscription("a", Qos.AT_LEAST_ONCE, true, true,
                RetainHandling.DO_NOT_SEND)), allProperties());
        assertThat(roundTrip(s, V311, Role.SERVER))
                .isEqualTo(new Subscribe(3, List.of(new Subscription("a", Qos.AT_LEAST_ONCE)), MqttProperties.EMPTY));
    }

    @ParameterizedTest
    @ValueSource(strings = {"a/#/b", "sport+", "", "$share//x"})
    void filterSyntaxIsLeftToTheReceiver(String filter) {
        Subscribe s = new Subscribe(1, List.of(new Subscription(filter, Qos.AT_MOST_ONCE)), MqttProperties.EMPTY);
        assertThat(roundTrip(s, V5, Role.SERVER)).isEqualTo(s);
    }

    @Test
    void sharedSubscriptionWithoutNoLocalIsAccepted() {
        Subscribe s = new Subscribe(1, List.of(new Subscription("$share/g/t", Qos.AT_LEAST_ONCE, false, true,
                RetainHandling.SEND_IF_NEW_SUBSCRIPTION)), MqttProperties.EMPTY);
        assertThat(roundTrip(s, V5, Role.SERVER)).isEqualTo(s);
    }

    // ---------------------------------------------------------------------------------------- Netty oracle

    @ParameterizedTest
    @EnumSource(names = {"MQTT_3_1_1", "MQTT_5"})
    void nettyDecodesOurSubscribe(MqttVersion v) {
        Subscribe s = v.isV5() ? new Subscribe(300, everyOptionCombination(), allProperties()) : v311Subscribe();
        assertThat(nettyDecodes(s, v)).isEqualTo(s);
    }

    @ParameterizedTest
    @EnumSource(names = {"MQTT_3_1_1", "MQTT_5"})
    void weDecodeNettysSubscribe(MqttVersion v) {
        Subscribe s = v.isV5() ? new Subscribe(300, everyOptionCombination(), allProperties()) : v311Subscribe();
        assertThat(weDecodeNettys(s, v, Role.SERVER)).isEqualTo(s);
    }

    // ---------------------------------------------------------------------------------------- validation

    @ParameterizedTest
    @EnumSource(names = {"MQTT_3_1_1", "MQTT_5"})
    void packetIdentifierZeroIsAProtocolError(MqttVersion v) {
        byte[] bytes = encode(new Subscribe(0, List.of(new Subscription("t", Qos.AT_MOST_ONCE)), MqttProperties.EMPTY), v);
        assertThat(rejection(Role.SERVER, v, bytes)).isEqualTo(ReasonCode.PROTOCOL_ERROR);
    }

    @ParameterizedTest
    @EnumSource(names = {"MQTT_3_1_1", "MQTT_5"})
    void subscribeWithoutTopicFiltersIsAProtocolError(MqttVersion v) {
        assertThat(rejection(Role.SERVER, v, encode(new Subscribe(1, List.of(), MqttProperties.EMPTY), v)))
                .isEqualTo(ReasonCode.PROTOCOL_ERROR);
    }

    @Test
    void subscriptionQos3() {
        assertThat(rejection(Role.SERVER, V311, Wire.of().u16(1).utf8("t").u8(3).packet(0x82)))
                .isEqualTo(ReasonCode.MALFORMED_PACKET);
        // MQTT 5.0 section 3.8.3.1: "It is a Protocol Error if the Maximum QoS field has the value 3."
        assertThat(rejection(Role.SERVER, V5, v5(Wire.of(), 3))).isEqualTo(ReasonCode.PROTOCOL_ERROR);
    }

    @ParameterizedTest
    @ValueSource(ints = {0x04, 0x08, 0x10, 0x20, 0x40, 0x80})
    void reservedOptionBitsOn311AreMalformed(int bit) {
        assertThat(rejection(Role.SERVER, V311, Wire.of().u16(1).utf8("t").u8(bit | 1).packet(0x82)))
                .isEqualTo(ReasonCode.MALFORMED_PACKET);
    }

    @ParameterizedTest
    @ValueSource(ints = {0x40, 0x80, 0xC0})
    void reservedOptionBitsOnV5AreMalformed(int bits) {
        assertThat(rejection(Role.SERVER, V5, v5(Wire.of(), bits | 1))).isEqualTo(ReasonCode.MALFORMED_PACKET);
    }

    @Test
    void retainHandling3IsAProtocolError() {
        assertThat(rejection(Role.SERVER, V5, v5(Wire.of(), 0x30))).isEqualTo(ReasonCode.PROTOCOL_ERROR);
    }

    @Test
    void noLocalOnASharedSubscriptionIsAProtocolError() {
        byte[] bytes = Wire.of().u16(1).noProps().utf8("$share/group/t").u8(0x04).packet(0x82);
        assertThat(rejection(Role.SERVER, V5, bytes)).isEqualTo(ReasonCode.PROTOCOL_ERROR);
    }

    @Test
    void duplicateSubscriptionIdentifierIsAProtocolError() {
        assertThat(rejection(Role.SERVER, V5, v5(Wire.of(0x0B, 1, 0x0B, 2), 0))).isEqualTo(ReasonCode.PROTOCOL_ERROR);
    }

    @Test
    void subscriptionIdentifierZeroIsAProtocolError() {
        assertThat(rejection(Role.SERVER, V5, v5(Wire.of(0x0B, 0), 0))).isEqualTo(ReasonCode.PROTOCOL_ERROR);
    }

    @Test
    void subscriptionIdentifierLongerThanFourBytesIsMalformed() {
        assertThat(rejection(Role.SERVER, V5, v5(Wire.of(0x0B, 0xFF, 0xFF, 0xFF, 0xFF, 0x01), 0)))
                .isEqualTo(ReasonCode.MALFORMED_PACKET);
    }

    @Test
    void repeatedUserPropertiesAreAllowed() {
        Subscribe s = (Subscribe) decodePacket(decoder(Role.SERVER, V5),
                v5(Wire.of(0x26).utf8("k").utf8("1").u8(0x26).utf8("k").utf8("2").u8(0x0B).varInt(128), 0));
        assertThat(s.properties().userProperties()).hasSize(2);
        assertThat(s.properties().subscriptionIdentifiers()).containsExactly(128);
    }

    @ParameterizedTest
    @ValueSource(ints = {0x01, 0x11, 0x1F, 0x23, 0x27})
    void propertyNotAllowedInSubscribeIsMalformed(int id) {
        assertThat(rejection(Role.SERVER, V5, v5(Wire.of(id, 0, 0, 0, 1), 0))).isEqualTo(ReasonCode.MALFORMED_PACKET);
    }

    @ParameterizedTest
    @ValueSource(strings = {"C0 80", "ED B0 80", "F4 90 80 80", "00", "61 2F 00"})
    void filterThatIsNotMqttUtf8IsMalformed(String hex) {
        byte[] filter = io.netty.buffer.ByteBufUtil.decodeHexDump(hex.replace(" ", ""));
        assertThat(rejection(Role.SERVER, V5, Wire.of().u16(1).noProps().binary(filter).u8(0).packet(0x82)))
                .isEqualTo(ReasonCode.MALFORMED_PACKET);
        assertThat(rejection(Role.SERVER, V311, Wire.of().u16(1).binary(filter).u8(0).packet(0x82)))
                .isEqualTo(ReasonCode.MALFORMED_PACKET);
    }

    @Test
    void filterWithoutOptionsIsMalformed() {
        assertThat(rejection(Role.SERVER, V311, Wire.of().u16(1).utf8("a").u8(0).utf8("b").packet(0x82)))
                .isEqualTo(ReasonCode.MALFORMED_PACKET);
    }

    @Test
    void v5SubscribeWithoutPropertyLengthIsMalformed() {
        assertThat(rejection(Role.SERVER, V5, Wire.of().u16(1).packet(0x82))).isEqualTo(ReasonCode.MALFORMED_PACKET);
    }
}
