package io.mast.codec.decoder;

import static io.mast.codec.CodecTestSupport.connectRejection;
import static io.mast.codec.CodecTestSupport.decodeFailure;
import static io.mast.codec.CodecTestSupport.decodePacket;
import static io.mast.codec.CodecTestSupport.encode;
import static io.mast.codec.CodecTestSupport.nettyDecodes;
import static io.mast.codec.CodecTestSupport.roundTrip;
import static io.mast.codec.CodecTestSupport.serverBeforeConnect;
import static io.mast.codec.CodecTestSupport.weDecodeNettys;
import static io.mast.codec.CodecTestSupport.withTrailingBytes;
import static org.assertj.core.api.Assertions.assertThat;

import io.mast.codec.CodecTestSupport.NettyPeer;
import io.mast.codec.CodecTestSupport.NoLeaks;
import io.mast.codec.CodecTestSupport.Wire;
import io.mast.codec.DecodeFailure;
import io.mast.codec.MqttDecoder;
import io.mast.codec.MqttDecoder.Role;
import io.mast.codec.MqttProperties;
import io.mast.codec.MqttVersion;
import io.mast.codec.Qos;
import io.mast.codec.ReasonCode;
import io.mast.codec.packet.Connect;
import io.mast.codec.packet.Will;
import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

@ExtendWith(NoLeaks.class)
class ConnectDecoderTest {

    private static final byte[] PASSWORD = {1, 2, 3, (byte) 0xFF};

    private static MqttProperties allConnectProperties() {
        return MqttProperties.builder()
                .sessionExpiryInterval(0xFFFF_FFFFL)
                .receiveMaximum(65_535)
                .maximumPacketSize(1_048_576L)
                .topicAliasMaximum(10)
                .requestResponseInformation(true)
                .requestProblemInformation(false)
                .addUserProperty("region", "eu")
                .addUserProperty("region", "us")
                .authenticationMethod("SCRAM-SHA-1")
                .authenticationData(new byte[] {9, 8, 7})
                .build();
    }

    private static MqttProperties allWillProperties() {
        return MqttProperties.builder()
                .willDelayInterval(30L)
                .payloadFormatIndicator(1)
                .messageExpiryInterval(3600L)
                .contentType("text/plain")
                .responseTopic("replies/client-1")
                .correlationData(new byte[] {0, 1, 2})
                .addUserProperty("k", "v")
                .build();
    }

    private static Connect fullConnect(MqttVersion v) {
        boolean v5 = v.isV5();
        Will will = new Will("clients/client-1/status", "gone ✓".getBytes(StandardCharsets.UTF_8), Qos.AT_LEAST_ONCE,
                true, v5 ? allWillProperties() : MqttProperties.EMPTY);
        return new Connect(v, false, 65_535, "client-1", will, "alice", PASSWORD,
                v5 ? allConnectProperties() : MqttProperties.EMPTY);
    }

    private static Connect minimalConnect(MqttVersion v) {
        return new Connect(v, true, 60, "client-1", null, null, null, MqttProperties.EMPTY);
    }

    /** The variable header of a CONNECT up to the keep-alive. */
    private static Wire header(String name, int level, int flags) {
        return Wire.of().utf8(name).u8(level).u8(flags).u16(60);
    }

    /** A 5.0 CONNECT with these properties and client id "c". */
    private static byte[] v5WithProperties(Wire properties) {
        return header("MQTT", 5, 0x02).props(properties).utf8("c").packet(0x10);
    }

    /** A 5.0 CONNECT with a QoS 0 will on topic "w" with these will properties and this payload. */
    private static byte[] v5WithWill(Wire willProperties, byte[] payload) {
        return header("MQTT", 5, 0x06).noProps().utf8("c").props(willProperties).utf8("w").binary(payload).packet(0x10);
    }

    // ---------------------------------------------------------------------------------------- round trips

    @ParameterizedTest
    @EnumSource(MqttVersion.class)
    void minimalConnectRoundTrips(MqttVersion v) {
        assertThat(roundTrip(minimalConnect(v), v, Role.SERVER)).isEqualTo(minimalConnect(v));
    }

    @ParameterizedTest
    @EnumSource(MqttVersion.class)
    void connectWithWillUserNameAndPasswordRoundTrips(MqttVersion v) {
        assertThat(roundTrip(fullConnect(v), v, Role.SERVER)).isEqualTo(fullConnect(v));
    }

    @Test
    void everyConnectAndWillPropertyRoundTripsOnV5() {
        Connect decoded = (Connect) roundTrip(fullConnect(MqttVersion.MQTT_5), MqttVersion.MQTT_5, Role.SERVER);
        assertThat(decoded.properties()).isEqualTo(allConnectProperties());
        assertThat(decoded.properties().userProperties()).extracting("value").containsExactly("eu", "us");
        assertThat(decoded.will().properties()).isEqualTo(allWillProperties());
        assertThat(decoded.password()).containsExactly(PASSWORD);
    }

    @ParameterizedTest
    @CsvSource({"0, false", "1, false", "2, true"})
    void willQosAndRetainRoundTrip(int qos, boolean retain) {
        Connect c = new Connect(MqttVersion.MQTT_3_1_1, true, 0, "c",
                new Will("t", new byte[0], Qos.ofLevel(qos), retain, MqttProperties.EMPTY), null, null, MqttProperties.EMPTY);
        assertThat(roundTrip(c, MqttVersion.MQTT_3_1_1, Role.SERVER)).isEqualTo(c);
    }

    @Test
    void emptyClientIdIsLeftToTheBroker() {
        Connect c = new Connect(MqttVersion.MQTT_5, true, 0, "", null, null, null, MqttProperties.EMPTY);
        assertThat(roundTrip(c, MqttVersion.MQTT_5, Role.SERVER)).isEqualTo(c);
    }

    @Test
    void passwordWithoutUserNameIsAllowedOnV5() {
        Connect c = new Connect(MqttVersion.MQTT_5, true, 0, "c", null, null, PASSWORD, MqttProperties.EMPTY);
        assertThat(roundTrip(c, MqttVersion.MQTT_5, Role.SERVER)).isEqualTo(c);
    }

    @ParameterizedTest
    @EnumSource(MqttVersion.class)
    void decodingConnectFixesTheDecodersVersion(MqttVersion v) {
        MqttDecoder decoder = serverBeforeConnect();
        decodePacket(decoder, encode(minimalConnect(v), v));
        assertThat(decoder.version()).isEqualTo(v);
    }

    @Test
    void theKnownLayoutOfA311Connect() {
        byte[] expected = Wire.of().utf8("MQTT").u8(4).u8(0b1110_1110).u16(10).utf8("id").utf8("w/t").binary(new byte[] {7})
                .utf8("u").binary(new byte[] {1}).packet(0x10);
        Connect c = new Connect(MqttVersion.MQTT_3_1_1, true, 10, "id",
                new Will("w/t", new byte[] {7}, Qos.AT_LEAST_ONCE, true, MqttProperties.EMPTY), "u", new byte[] {1},
                MqttProperties.EMPTY);
        assertThat(encode(c, MqttVersion.MQTT_3_1_1)).containsExactly(expected);
        assertThat(decodePacket(serverBeforeConnect(), expected)).isEqualTo(c);
    }

    // ---------------------------------------------------------------------------------------- Netty oracle

    @ParameterizedTest
    @EnumSource(names = {"MQTT_3_1_1", "MQTT_5"})
    void nettyDecodesOurConnect(MqttVersion v) {
        assertThat(nettyDecodes(fullConnect(v), v)).isEqualTo(fullConnect(v));
        assertThat(nettyDecodes(minimalConnect(v), v)).isEqualTo(minimalConnect(v));
    }

    @ParameterizedTest
    @EnumSource(names = {"MQTT_3_1_1", "MQTT_5"})
    void weDecodeNettysConnect(MqttVersion v) {
        assertThat(weDecodeNettys(fullConnect(v), v, Role.SERVER)).isEqualTo(fullConnect(v));
        assertThat(weDecodeNettys(minimalConnect(v), v, Role.SERVER)).isEqualTo(minimalConnect(v));
    }

    @Test
    void nettySeesEachFieldOfOurV5Connect() {
        try (NettyPeer netty = NettyPeer.speaking(null)) {
            MqttMessage m = netty.decodeMessage(encode(fullConnect(MqttVersion.MQTT_5), MqttVersion.MQTT_5));
            try {
                MqttConnectMessage c = (MqttConnectMessage) m;
                assertThat(c.variableHeader().name()).isEqualTo("MQTT");
                assertThat(c.variableHeader().version()).isEqualTo(5);
                assertThat(c.variableHeader().isCleanSession()).isFalse();
                assertThat(c.variableHeader().keepAliveTimeSeconds()).isEqualTo(65_535);
                assertThat(c.variableHeader().willQos()).isEqualTo(1);
                assertThat(c.variableHeader().isWillRetain()).isTrue();
                assertThat(c.payload().clientIdentifier()).isEqualTo("client-1");
                assertThat(c.payload().willTopic()).isEqualTo("clients/client-1/status");
                assertThat(c.payload().userName()).isEqualTo("alice");
                assertThat(c.payload().passwordInBytes()).containsExactly(PASSWORD);
                assertThat(c.variableHeader().properties()
                        .getProperty(io.netty.handler.codec.mqtt.MqttProperties.RECEIVE_MAXIMUM).value())
                        .isEqualTo(65_535);
                assertThat(c.payload().willProperties()
                        .getProperty(io.netty.handler.codec.mqtt.MqttProperties.WILL_DELAY_INTERVAL).value())
                        .isEqualTo(30);
            } finally {
                ReferenceCountUtil.release(m);
            }
        }
    }

    // ---------------------------------------------------------------------------------------- validation

    @ParameterizedTest
    @CsvSource({"4", "5"})
    void reservedConnectFlagIsMalformed(int level) {
        byte[] bytes = level == 5
                ? header("MQTT", 5, 0x03).noProps().utf8("c").packet(0x10)
                : header("MQTT", 4, 0x03).utf8("c").packet(0x10);
        assertThat(connectRejection(bytes)).isEqualTo(ReasonCode.MALFORMED_PACKET);
    }

    @Test
    void willQos3IsMalformed() {
        byte[] bytes = header("MQTT", 4, 0x02 | 0x04 | 0x18).utf8("c").utf8("w").binary(new byte[0]).packet(0x10);
        assertThat(connectRejection(bytes)).isEqualTo(ReasonCode.MALFORMED_PACKET);
    }

    @ParameterizedTest
    @ValueSource(ints = {0x08, 0x10, 0x20})
    void willQosOrWillRetainWithoutWillFlagIsMalformed(int flags) {
        assertThat(connectRejection(header("MQTT", 4, 0x02 | flags).utf8("c").packet(0x10)))
                .isEqualTo(ReasonCode.MALFORMED_PACKET);
        assertThat(connectRejection(header("MQTT", 5, 0x02 | flags).noProps().utf8("c").packet(0x10)))
                .isEqualTo(ReasonCode.MALFORMED_PACKET);
    }

    @Test
    void passwordWithoutUserNameIsMalformedOn311() {
        byte[] bytes = header("MQTT", 4, 0x02 | 0x40).utf8("c").binary(PASSWORD).packet(0x10);
        assertThat(connectRejection(bytes)).isEqualTo(ReasonCode.MALFORMED_PACKET);
    }

    @Test
    void userNameFlagWithoutUserNameIsMalformed() {
        assertThat(connectRejection(header("MQTT", 4, 0x82).utf8("c").packet(0x10))).isEqualTo(ReasonCode.MALFORMED_PACKET);
    }

    @Test
    void willFlagWithoutWillIsMalformed() {
        assertThat(connectRejection(header("MQTT", 4, 0x06).utf8("c").packet(0x10))).isEqualTo(ReasonCode.MALFORMED_PACKET);
    }

    @ParameterizedTest
    @CsvSource({"MQTT, 3", "MQTT, 6", "MQTT, 0", "MQIsdp, 4", "MQIsdp, 5"})
    void unsupportedProtocolLevel(String name, int level) {
        DecodeFailure f = decodeFailure(serverBeforeConnect(), header(name, level, 0x02).utf8("c").packet(0x10));
        assertThat(f.reasonCode()).isEqualTo(ReasonCode.UNSUPPORTED_PROTOCOL_VERSION);
        assertThat(f.version()).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"MQTX", "mqtt", "HTTP/1.1", ""})
    void unknownProtocolNameIsAProtocolError(String name) {
        assertThat(connectRejection(header(name, 4, 0x02).utf8("c").packet(0x10))).isEqualTo(ReasonCode.PROTOCOL_ERROR);
    }

    @Test
    void aFailureAfterTheProtocolLevelCarriesTheVersion() {
        DecodeFailure f = decodeFailure(serverBeforeConnect(), v5WithProperties(Wire.of(0x21).u16(0)));
        assertThat(f.version()).isEqualTo(MqttVersion.MQTT_5);
        assertThat(f.packetType()).isEqualTo(io.mast.codec.PacketType.CONNECT);
    }

    @Test
    void duplicatePropertyIsAProtocolError() {
        assertThat(connectRejection(v5WithProperties(Wire.of(0x11).u32(1).u8(0x11).u32(2))))
                .isEqualTo(ReasonCode.PROTOCOL_ERROR);
        assertThat(connectRejection(v5WithProperties(Wire.of(0x15).utf8("a").u8(0x15).utf8("b"))))
                .isEqualTo(ReasonCode.PROTOCOL_ERROR);
    }

    @Test
    void duplicateWillPropertyIsAProtocolError() {
        assertThat(connectRejection(v5WithWill(Wire.of(0x18).u32(1).u8(0x18).u32(1), new byte[0])))
                .isEqualTo(ReasonCode.PROTOCOL_ERROR);
    }

    @Test
    void repeatedUserPropertiesAreAllowed() {
        Connect c = (Connect) decodePacket(serverBeforeConnect(),
                v5WithProperties(Wire.of(0x26).utf8("a").utf8("1").u8(0x26).utf8("a").utf8("2")));
        assertThat(c.properties().userProperties()).extracting("value").containsExactly("1", "2");
    }

    @ParameterizedTest
    @ValueSource(ints = {0x01, 0x02, 0x0B, 0x12, 0x18, 0x1F, 0x23, 0x24, 0x2A})
    void propertyNotAllowedInConnectIsMalformed(int id) {
        assertThat(connectRejection(v5WithProperties(Wire.of(id, 0, 0, 0, 1)))).isEqualTo(ReasonCode.MALFORMED_PACKET);
    }

    @ParameterizedTest
    @ValueSource(ints = {0x11, 0x15, 0x21, 0x23, 0x0B})
    void propertyNotAllowedInWillIsMalformed(int id) {
        assertThat(connectRejection(v5WithWill(Wire.of(id, 0, 1, 0, 1), new byte[0]))).isEqualTo(ReasonCode.MALFORMED_PACKET);
    }

    @ParameterizedTest
    @ValueSource(ints = {0x00, 0x04, 0x2B, 0x7F})
    void unknownPropertyIdentifierIsMalformed(int id) {
        assertThat(connectRejection(v5WithProperties(Wire.of(id, 0)))).isEqualTo(ReasonCode.MALFORMED_PACKET);
    }

    @Test
    void receiveMaximumZeroIsAProtocolError() {
        assertThat(connectRejection(v5WithProperties(Wire.of(0x21).u16(0)))).isEqualTo(ReasonCode.PROTOCOL_ERROR);
    }

    @Test
    void maximumPacketSizeZeroIsAProtocolError() {
        assertThat(connectRejection(v5WithProperties(Wire.of(0x27).u32(0)))).isEqualTo(ReasonCode.PROTOCOL_ERROR);
    }

    @ParameterizedTest
    @ValueSource(ints = {0x17, 0x19})
    void requestFlagsOtherThanZeroOrOneAreAProtocolError(int id) {
        assertThat(connectRejection(v5WithProperties(Wire.of(id, 2)))).isEqualTo(ReasonCode.PROTOCOL_ERROR);
    }

    @Test
    void payloadFormatIndicatorOtherThanZeroOrOneIsAProtocolError() {
        assertThat(connectRejection(v5WithWill(Wire.of(0x01, 2), new byte[0]))).isEqualTo(ReasonCode.PROTOCOL_ERROR);
    }

    @Test
    void authenticationDataWithoutMethodIsAProtocolError() {
        assertThat(connectRejection(v5WithProperties(Wire.of(0x16).binary(new byte[] {1}))))
                .isEqualTo(ReasonCode.PROTOCOL_ERROR);
    }

    @Test
    void willPayloadThatIsNotTheUtf8ItClaimsIsPayloadFormatInvalid() {
        assertThat(connectRejection(v5WithWill(Wire.of(0x01, 1), new byte[] {(byte) 0xC0, (byte) 0x80})))
                .isEqualTo(ReasonCode.PAYLOAD_FORMAT_INVALID);
        Connect ok = (Connect) decodePacket(serverBeforeConnect(), v5WithWill(Wire.of(0x01, 0), new byte[] {(byte) 0xC0}));
        assertThat(ok.will().payload()).containsExactly(0xC0);
    }

    @ParameterizedTest
    @ValueSource(strings = {"a/+", "#", "a/#", ""})
    void invalidWillTopic(String topic) {
        byte[] v5 = header("MQTT", 5, 0x06).noProps().utf8("c").noProps().utf8(topic).binary(new byte[0]).packet(0x10);
        assertThat(connectRejection(v5)).isEqualTo(ReasonCode.TOPIC_NAME_INVALID);
        byte[] v311 = header("MQTT", 4, 0x06).utf8("c").utf8(topic).binary(new byte[0]).packet(0x10);
        assertThat(connectRejection(v311)).isEqualTo(ReasonCode.MALFORMED_PACKET);
    }

    @ParameterizedTest
    @ValueSource(strings = {"C0 80", "ED A0 80", "F4 90 80 80", "FF", "E2 82", "00", "61 00 62"})
    void clientIdThatIsNotMqttUtf8IsMalformed(String hex) {
        byte[] id = io.netty.buffer.ByteBufUtil.decodeHexDump(hex.replace(" ", ""));
        assertThat(connectRejection(header("MQTT", 4, 0x02).binary(id).packet(0x10))).isEqualTo(ReasonCode.MALFORMED_PACKET);
        assertThat(connectRejection(header("MQTT", 5, 0x02).noProps().binary(id).packet(0x10)))
                .isEqualTo(ReasonCode.MALFORMED_PACKET);
    }

    @Test
    void userNameOrUserPropertyWithU0000IsMalformed() {
        byte[] nul = {'a', 0};
        assertThat(connectRejection(header("MQTT", 4, 0x82).utf8("c").binary(nul).packet(0x10)))
                .isEqualTo(ReasonCode.MALFORMED_PACKET);
        assertThat(connectRejection(v5WithProperties(Wire.of(0x26).binary(nul).utf8("v"))))
                .isEqualTo(ReasonCode.MALFORMED_PACKET);
        assertThat(connectRejection(v5WithProperties(Wire.of(0x26).utf8("k").binary(new byte[] {(byte) 0xED, (byte) 0xBF, (byte) 0xBF}))))
                .isEqualTo(ReasonCode.MALFORMED_PACKET);
    }

    @ParameterizedTest
    @EnumSource(names = {"MQTT_3_1_1", "MQTT_5"})
    void trailingBytesAreMalformed(MqttVersion v) {
        assertThat(connectRejection(withTrailingBytes(encode(minimalConnect(v), v), 0))).isEqualTo(ReasonCode.MALFORMED_PACKET);
    }

    @Test
    void truncatedConnectIsMalformed() {
        byte[] bytes = Wire.of().utf8("MQTT").u8(4).u8(0x02).u16(60).u16(10).raw("abc".getBytes(StandardCharsets.UTF_8))
                .packet(0x10);
        assertThat(connectRejection(bytes)).isEqualTo(ReasonCode.MALFORMED_PACKET);
        assertThat(connectRejection(Wire.of().utf8("MQTT").u8(4).packet(0x10))).isEqualTo(ReasonCode.MALFORMED_PACKET);
    }

    @Test
    void propertyLengthBeyondThePacketIsMalformed() {
        assertThat(connectRejection(header("MQTT", 5, 0x02).varInt(100).utf8("c").packet(0x10)))
                .isEqualTo(ReasonCode.MALFORMED_PACKET);
    }

    @Test
    void aPropertyRunningPastThePropertyLengthIsMalformed() {
        // The property length covers only the identifier and the first byte of Receive Maximum; its second
        // byte would be read from the client identifier's length: 0x00 0x00 makes it 0.
        byte[] bytes = header("MQTT", 5, 0x02).varInt(2).u8(0x21, 0x00).utf8("").packet(0x10);
        assertThat(connectRejection(bytes)).isEqualTo(ReasonCode.MALFORMED_PACKET);
        // A flag property cut off the same way would read its value from the client identifier.
        byte[] flag = header("MQTT", 5, 0x02).varInt(1).u8(0x17).u8(0x05, 0x00).packet(0x10);
        assertThat(connectRejection(flag)).isEqualTo(ReasonCode.MALFORMED_PACKET);
    }
}
