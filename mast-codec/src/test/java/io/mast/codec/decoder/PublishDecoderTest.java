package io.mast.codec.decoder;

import static io.mast.codec.CodecTestSupport.decodePacket;
import static io.mast.codec.CodecTestSupport.decoder;
import static io.mast.codec.CodecTestSupport.encode;
import static io.mast.codec.CodecTestSupport.nettyDecodes;
import static io.mast.codec.CodecTestSupport.rejection;
import static io.mast.codec.CodecTestSupport.roundTrip;
import static io.mast.codec.CodecTestSupport.weDecodeNettys;
import static io.mast.codec.CodecTestSupport.withFirstByte;
import static org.assertj.core.api.Assertions.assertThat;

import io.mast.codec.CodecTestSupport.NettyPeer;
import io.mast.codec.CodecTestSupport.NoLeaks;
import io.mast.codec.CodecTestSupport.Wire;
import io.mast.codec.MqttDecoder.Role;
import io.mast.codec.MqttProperties;
import io.mast.codec.MqttVersion;
import io.mast.codec.Qos;
import io.mast.codec.ReasonCode;
import io.mast.codec.encoder.PacketEncoder;
import io.mast.codec.packet.Publish;
import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

@ExtendWith(NoLeaks.class)
class PublishDecoderTest {

    private static final MqttVersion V5 = MqttVersion.MQTT_5;
    private static final MqttVersion V311 = MqttVersion.MQTT_3_1_1;
    private static final byte[] PAYLOAD = "22.5 °C".getBytes(StandardCharsets.UTF_8);

    /** Every PUBLISH property a server may send (a client may send all but Subscription Identifier). */
    private static MqttProperties allPublishProperties() {
        return MqttProperties.builder()
                .payloadFormatIndicator(1)
                .messageExpiryInterval(0xFFFF_FFFFL)
                .topicAlias(65_535)
                .responseTopic("replies/a")
                .correlationData(new byte[] {1, 2, 3})
                .addUserProperty("trace", "abc")
                .addUserProperty("trace", "def")
                .addSubscriptionIdentifier(1)
                .addSubscriptionIdentifier(268_435_455)
                .contentType("text/plain; charset=utf-8")
                .build();
    }

    private static MqttProperties clientPublishProperties() {
        return allPublishProperties().toBuilder().subscriptionIdentifiers(null).build();
    }

    private static Publish publish(Qos qos, int packetId, MqttProperties props) {
        return new Publish(false, qos, false, "sensors/kitchen/temperature", packetId, props, PAYLOAD);
    }

    /** A 5.0 PUBLISH QoS 1 with id 1 on topic "t", these properties and payload "p". */
    private static byte[] v5(Wire props) {
        return Wire.of().utf8("t").u16(1).props(props).u8('p').packet(0x32);
    }

    // ---------------------------------------------------------------------------------------- round trips

    @ParameterizedTest
    @CsvSource({"0, 0, false, false", "1, 1, false, true", "1, 65535, true, false", "2, 42, true, true"})
    void publishRoundTrips(int qos, int packetId, boolean dup, boolean retain) {
        for (MqttVersion v : MqttVersion.values()) {
            Publish p = new Publish(dup, Qos.ofLevel(qos), retain, "a/b", packetId, MqttProperties.EMPTY, PAYLOAD);
            assertThat(roundTrip(p, v, Role.SERVER)).as("%s", v).isEqualTo(p);
            assertThat(roundTrip(p, v, Role.CLIENT)).as("%s", v).isEqualTo(p);
        }
    }

    @Test
    void everyPublishPropertyRoundTripsOnV5() {
        Publish fromServer = publish(Qos.EXACTLY_ONCE, 7, allPublishProperties());
        assertThat(roundTrip(fromServer, V5, Role.CLIENT)).isEqualTo(fromServer);
        Publish fromClient = publish(Qos.AT_LEAST_ONCE, 7, clientPublishProperties());
        assertThat(roundTrip(fromClient, V5, Role.SERVER)).isEqualTo(fromClient);
    }

    @Test
    void propertiesAreNotSentOn311() {
        Publish p = publish(Qos.AT_LEAST_ONCE, 3, clientPublishProperties());
        assertThat(roundTrip(p, V311, Role.SERVER)).isEqualTo(publish(Qos.AT_LEAST_ONCE, 3, MqttProperties.EMPTY));
    }

    @Test
    void theKnownLayoutOfA311Publish() {
        byte[] expected = {0x3B, 0x08, 0x00, 0x03, 'a', '/', 'b', 0x00, 0x0A, 'x'};
        Publish p = new Publish(true, Qos.AT_LEAST_ONCE, true, "a/b", 10, MqttProperties.EMPTY, new byte[] {'x'});
        assertThat(encode(p, V311)).containsExactly(expected);
    }

    @Test
    void emptyTopicWithTopicAliasIsAllowedOnV5() {
        Publish p = new Publish(false, Qos.AT_MOST_ONCE, false, "", 0,
                MqttProperties.builder().topicAlias(3).build(), PAYLOAD);
        assertThat(roundTrip(p, V5, Role.SERVER)).isEqualTo(p);
    }

    @Test
    void emptyAndLargePayloadsRoundTrip() {
        Publish empty = new Publish(false, Qos.AT_MOST_ONCE, true, "t", 0, MqttProperties.EMPTY, new byte[0]);
        assertThat(roundTrip(empty, V5, Role.SERVER)).isEqualTo(empty);
        byte[] big = new byte[300_000];
        new Random(1).nextBytes(big);
        Publish large = new Publish(false, Qos.AT_LEAST_ONCE, false, "t", 1, MqttProperties.EMPTY, big);
        byte[] bytes = encode(large, V311);
        assertThat(bytes[1] & 0x80).as("multi-byte remaining length").isNotZero();
        assertThat(decodePacket(decoder(Role.SERVER, V311), bytes)).isEqualTo(large);
    }

    @ParameterizedTest
    @EnumSource(MqttVersion.class)
    void publishSizeIsTheEncodedSize(MqttVersion v) {
        Publish p = publish(Qos.AT_LEAST_ONCE, 9, allPublishProperties());
        assertThat(PacketEncoder.publishSize(p, v)).isEqualTo(encode(p, v).length);
    }

    // ---------------------------------------------------------------------------------------- Netty oracle

    @ParameterizedTest
    @EnumSource(names = {"MQTT_3_1_1", "MQTT_5"})
    void nettyDecodesOurPublish(MqttVersion v) {
        for (Qos qos : Qos.values()) {
            Publish p = new Publish(qos != Qos.AT_MOST_ONCE, qos, true, "a/b/c", qos == Qos.AT_MOST_ONCE ? 0 : 513,
                    v.isV5() ? allPublishProperties() : MqttProperties.EMPTY, PAYLOAD);
            assertThat(nettyDecodes(p, v)).isEqualTo(p);
        }
    }

    @ParameterizedTest
    @EnumSource(names = {"MQTT_3_1_1", "MQTT_5"})
    void weDecodeNettysPublish(MqttVersion v) {
        for (Qos qos : Qos.values()) {
            Publish p = new Publish(qos != Qos.AT_MOST_ONCE, qos, false, "a/b/c", qos == Qos.AT_MOST_ONCE ? 0 : 65_535,
                    v.isV5() ? allPublishProperties() : MqttProperties.EMPTY, PAYLOAD);
            assertThat(weDecodeNettys(p, v, Role.CLIENT)).isEqualTo(p);
        }
        Publish fromClient = publish(Qos.AT_LEAST_ONCE, 2, v.isV5() ? clientPublishProperties() : MqttProperties.EMPTY);
        assertThat(weDecodeNettys(fromClient, v, Role.SERVER)).isEqualTo(fromClient);
    }

    @Test
    void nettySeesTheFieldsOfOurPublish() {
        try (NettyPeer netty = NettyPeer.speaking(V5)) {
            MqttMessage m = netty.decodeMessage(encode(publish(Qos.EXACTLY_ONCE, 300, allPublishProperties()), V5));
            try {
                MqttPublishMessage p = (MqttPublishMessage) m;
                assertThat(p.fixedHeader().qosLevel().value()).isEqualTo(2);
                assertThat(p.variableHeader().topicName()).isEqualTo("sensors/kitchen/temperature");
                assertThat(p.variableHeader().packetId()).isEqualTo(300);
                assertThat(ByteBufUtil.getBytes(p.payload())).containsExactly(PAYLOAD);
                assertThat(p.variableHeader().properties()
                        .getProperties(io.netty.handler.codec.mqtt.MqttProperties.SUBSCRIPTION_IDENTIFIER))
                        .extracting("value").containsExactly(1, 268_435_455);
            } finally {
                ReferenceCountUtil.release(m);
            }
        }
    }

    // ---------------------------------------------------------------------------------------- validation

    @ParameterizedTest
    @EnumSource(names = {"MQTT_3_1_1", "MQTT_5"})
    void qos3IsMalformed(MqttVersion v) {
        byte[] bytes = withFirstByte(encode(publish(Qos.AT_LEAST_ONCE, 1, MqttProperties.EMPTY), v), 0x30 | 0b0110);
        assertThat(rejection(Role.SERVER, v, bytes)).isEqualTo(ReasonCode.MALFORMED_PACKET);
        assertThat(rejection(Role.CLIENT, v, bytes)).isEqualTo(ReasonCode.MALFORMED_PACKET);
    }

    @ParameterizedTest
    @EnumSource(names = {"MQTT_3_1_1", "MQTT_5"})
    void dupOnQos0IsMalformed(MqttVersion v) {
        byte[] bytes = withFirstByte(encode(publish(Qos.AT_MOST_ONCE, 0, MqttProperties.EMPTY), v), 0x30 | 0b1000);
        assertThat(rejection(Role.SERVER, v, bytes)).isEqualTo(ReasonCode.MALFORMED_PACKET);
    }

    @ParameterizedTest
    @CsvSource({"MQTT_3_1_1, 0x32", "MQTT_3_1_1, 0x34", "MQTT_5, 0x32", "MQTT_5, 0x34"})
    void packetIdentifierZeroIsAProtocolError(MqttVersion v, String firstByte) {
        Wire body = Wire.of().utf8("t").u16(0);
        if (v.isV5()) {
            body.noProps();
        }
        byte[] bytes = body.u8('p').packet(Integer.decode(firstByte));
        assertThat(rejection(Role.SERVER, v, bytes)).isEqualTo(ReasonCode.PROTOCOL_ERROR);
    }

    @ParameterizedTest
    @ValueSource(strings = {"a/+/c", "a/#", "#", "+", "a+b"})
    void wildcardInTopicName(String topic) {
        Publish p = new Publish(false, Qos.AT_MOST_ONCE, false, topic, 0, MqttProperties.EMPTY, PAYLOAD);
        assertThat(rejection(Role.SERVER, V5, encode(p, V5))).isEqualTo(ReasonCode.TOPIC_NAME_INVALID);
        assertThat(rejection(Role.CLIENT, V5, encode(p, V5))).isEqualTo(ReasonCode.TOPIC_NAME_INVALID);
        assertThat(rejection(Role.SERVER, V311, encode(p, V311))).isEqualTo(ReasonCode.MALFORMED_PACKET);
    }

    @Test
    void emptyTopicWithoutTopicAlias() {
        Publish p = new Publish(false, Qos.AT_MOST_ONCE, false, "", 0, MqttProperties.EMPTY, PAYLOAD);
        assertThat(rejection(Role.SERVER, V5, encode(p, V5))).isEqualTo(ReasonCode.PROTOCOL_ERROR);
        assertThat(rejection(Role.SERVER, V311, encode(p, V311))).isEqualTo(ReasonCode.MALFORMED_PACKET);
    }

    @Test
    void subscriptionIdentifierSentByAClientIsAProtocolError() {
        byte[] bytes = v5(Wire.of(0x0B).varInt(5));
        assertThat(rejection(Role.SERVER, V5, bytes)).isEqualTo(ReasonCode.PROTOCOL_ERROR);
        Publish fromServer = (Publish) decodePacket(decoder(Role.CLIENT, V5), bytes);
        assertThat(fromServer.properties().subscriptionIdentifiers()).containsExactly(5);
    }

    @Test
    void subscriptionIdentifierMayRepeatInAServerPublish() {
        Publish p = (Publish) decodePacket(decoder(Role.CLIENT, V5), v5(Wire.of(0x0B).varInt(1).u8(0x0B).varInt(200)));
        assertThat(p.properties().subscriptionIdentifiers()).isEqualTo(List.of(1, 200));
    }

    /**
     * [MQTT-1.5.5-1] holds for every Variable Byte Integer: a property length, a property identifier or a
     * Subscription Identifier in more bytes than needed is malformed.
     */
    @Test
    void variableByteIntegerInMoreBytesThanNeededIsMalformed() {
        byte[] longPropertyLength = Wire.of().utf8("t").u16(1).u8(0x83, 0x00).u8(0x23).u16(4).u8('p').packet(0x32);
        assertThat(rejection(Role.SERVER, V5, longPropertyLength)).isEqualTo(ReasonCode.MALFORMED_PACKET);
        assertThat(rejection(Role.SERVER, V5, v5(Wire.of(0xA3, 0x00).u16(4)))).isEqualTo(ReasonCode.MALFORMED_PACKET);
        assertThat(rejection(Role.CLIENT, V5, v5(Wire.of(0x0B, 0x85, 0x80, 0x00)))).isEqualTo(ReasonCode.MALFORMED_PACKET);
        // The same values in the fewest bytes are fine.
        Publish p = (Publish) decodePacket(decoder(Role.CLIENT, V5), v5(Wire.of(0x0B, 0x85, 0x01)));
        assertThat(p.properties().subscriptionIdentifiers()).containsExactly(133);
    }

    @Test
    void subscriptionIdentifierZeroIsAProtocolError() {
        assertThat(rejection(Role.CLIENT, V5, v5(Wire.of(0x0B, 0)))).isEqualTo(ReasonCode.PROTOCOL_ERROR);
    }

    @Test
    void duplicatePropertyIsAProtocolError() {
        assertThat(rejection(Role.SERVER, V5, v5(Wire.of(0x23).u16(1).u8(0x23).u16(2)))).isEqualTo(ReasonCode.PROTOCOL_ERROR);
        assertThat(rejection(Role.SERVER, V5, v5(Wire.of(0x09).binary(new byte[1]).u8(0x09).binary(new byte[1]))))
                .isEqualTo(ReasonCode.PROTOCOL_ERROR);
        assertThat(rejection(Role.SERVER, V5, v5(Wire.of(0x01, 0, 0x01, 0)))).isEqualTo(ReasonCode.PROTOCOL_ERROR);
    }

    @ParameterizedTest
    @ValueSource(ints = {0x11, 0x12, 0x15, 0x17, 0x18, 0x1F, 0x21, 0x22, 0x27})
    void propertyNotAllowedInPublishIsMalformed(int id) {
        assertThat(rejection(Role.SERVER, V5, v5(Wire.of(id, 0, 0, 0, 1)))).isEqualTo(ReasonCode.MALFORMED_PACKET);
    }

    @Test
    void payloadFormatIndicatorOtherThanZeroOrOneIsAProtocolError() {
        assertThat(rejection(Role.SERVER, V5, v5(Wire.of(0x01, 2)))).isEqualTo(ReasonCode.PROTOCOL_ERROR);
    }

    @ParameterizedTest
    @ValueSource(strings = {"replies/+", "#", ""})
    void invalidResponseTopicIsAProtocolError(String topic) {
        assertThat(rejection(Role.SERVER, V5, v5(Wire.of(0x08).utf8(topic)))).isEqualTo(ReasonCode.PROTOCOL_ERROR);
    }

    @ParameterizedTest
    @ValueSource(strings = {"C0 AF", "ED A0 80", "F8 88 80 80 80", "61 00"})
    void topicThatIsNotMqttUtf8IsMalformed(String hex) {
        byte[] topic = ByteBufUtil.decodeHexDump(hex.replace(" ", ""));
        assertThat(rejection(Role.SERVER, V5, Wire.of().binary(topic).noProps().packet(0x30)))
                .isEqualTo(ReasonCode.MALFORMED_PACKET);
        assertThat(rejection(Role.SERVER, V311, Wire.of().binary(topic).packet(0x30))).isEqualTo(ReasonCode.MALFORMED_PACKET);
    }

    @Test
    void stringPropertyThatIsNotMqttUtf8IsMalformed() {
        assertThat(rejection(Role.SERVER, V5, v5(Wire.of(0x03).binary(new byte[] {'a', 0}))))
                .isEqualTo(ReasonCode.MALFORMED_PACKET);
        assertThat(rejection(Role.SERVER, V5, v5(Wire.of(0x26).utf8("k").binary(new byte[] {(byte) 0xE0, (byte) 0x80, (byte) 0x80}))))
                .isEqualTo(ReasonCode.MALFORMED_PACKET);
    }

    @Test
    void v5PublishWithoutPropertyLengthIsMalformed() {
        assertThat(rejection(Role.SERVER, V5, Wire.of().utf8("t").packet(0x30))).isEqualTo(ReasonCode.MALFORMED_PACKET);
        assertThat(rejection(Role.SERVER, V5, Wire.of().utf8("t").u16(1).packet(0x32))).isEqualTo(ReasonCode.MALFORMED_PACKET);
    }

    @Test
    void truncatedPublishIsMalformed() {
        assertThat(rejection(Role.SERVER, V311, Wire.of().u16(10).u8('a').packet(0x30))).isEqualTo(ReasonCode.MALFORMED_PACKET);
        assertThat(rejection(Role.SERVER, V311, Wire.of().utf8("t").u8(1).packet(0x32))).isEqualTo(ReasonCode.MALFORMED_PACKET);
        assertThat(rejection(Role.SERVER, V5, Wire.of().utf8("t").varInt(4).u8(0x23).packet(0x30)))
                .isEqualTo(ReasonCode.MALFORMED_PACKET);
    }

    @Test
    void everythingAfterThePropertiesIsThePayload() {
        Publish p = (Publish) decodePacket(decoder(Role.SERVER, V5),
                Wire.of().utf8("t").props(Wire.of(0x23).u16(4)).u8(0, 0x26, 0xFF).packet(0x30));
        assertThat(p.properties().topicAlias()).isEqualTo(4);
        assertThat(p.payload()).containsExactly(0, 0x26, 0xFF);
    }
}
