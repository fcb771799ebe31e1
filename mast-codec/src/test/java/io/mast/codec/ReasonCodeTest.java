package io.mast.codec;

import static io.mast.codec.PacketType.AUTH;
import static io.mast.codec.PacketType.CONNACK;
import static io.mast.codec.PacketType.DISCONNECT;
import static io.mast.codec.PacketType.PUBACK;
import static io.mast.codec.PacketType.PUBCOMP;
import static io.mast.codec.PacketType.PUBREC;
import static io.mast.codec.PacketType.PUBREL;
import static io.mast.codec.PacketType.SUBACK;
import static io.mast.codec.PacketType.UNSUBACK;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttReasonCodes;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

class ReasonCodeTest {

    private record Row(String name, int value, Set<PacketType> packets) {
        Row(String name, int value, PacketType... packets) {
            this(name, value, EnumSet.copyOf(List.of(packets)));
        }
    }

    /** MQTT 5.0 Table 2-6, Reason Codes: every code with the packets it may appear in. */
    private static final List<Row> SPEC = List.of(
            new Row("SUCCESS", 0x00, CONNACK, PUBACK, PUBREC, PUBREL, PUBCOMP, UNSUBACK, AUTH),
            new Row("NORMAL_DISCONNECTION", 0x00, DISCONNECT),
            new Row("GRANTED_QOS_0", 0x00, SUBACK),
            new Row("GRANTED_QOS_1", 0x01, SUBACK),
            new Row("GRANTED_QOS_2", 0x02, SUBACK),
            new Row("DISCONNECT_WITH_WILL_MESSAGE", 0x04, DISCONNECT),
            new Row("NO_MATCHING_SUBSCRIBERS", 0x10, PUBACK, PUBREC),
            new Row("NO_SUBSCRIPTION_EXISTED", 0x11, UNSUBACK),
            new Row("CONTINUE_AUTHENTICATION", 0x18, AUTH),
            new Row("RE_AUTHENTICATE", 0x19, AUTH),
            new Row("UNSPECIFIED_ERROR", 0x80, CONNACK, PUBACK, PUBREC, SUBACK, UNSUBACK, DISCONNECT),
            new Row("MALFORMED_PACKET", 0x81, CONNACK, DISCONNECT),
            new Row("PROTOCOL_ERROR", 0x82, CONNACK, DISCONNECT),
            new Row("IMPLEMENTATION_SPECIFIC_ERROR", 0x83, CONNACK, PUBACK, PUBREC, SUBACK, UNSUBACK, DISCONNECT),
            new Row("UNSUPPORTED_PROTOCOL_VERSION", 0x84, CONNACK),
            new Row("CLIENT_IDENTIFIER_NOT_VALID", 0x85, CONNACK),
            new Row("BAD_USER_NAME_OR_PASSWORD", 0x86, CONNACK),
            new Row("NOT_AUTHORIZED", 0x87, CONNACK, PUBACK, PUBREC, SUBACK, UNSUBACK, DISCONNECT),
            new Row("SERVER_UNAVAILABLE", 0x88, CONNACK),
            new Row("SERVER_BUSY", 0x89, CONNACK, DISCONNECT),
            new Row("BANNED", 0x8A, CONNACK),
            new Row("SERVER_SHUTTING_DOWN", 0x8B, DISCONNECT),
            new Row("BAD_AUTHENTICATION_METHOD", 0x8C, CONNACK, DISCONNECT),
            new Row("KEEP_ALIVE_TIMEOUT", 0x8D, DISCONNECT),
            new Row("SESSION_TAKEN_OVER", 0x8E, DISCONNECT),
            new Row("TOPIC_FILTER_INVALID", 0x8F, SUBACK, UNSUBACK, DISCONNECT),
            new Row("TOPIC_NAME_INVALID", 0x90, CONNACK, PUBACK, PUBREC, DISCONNECT),
            new Row("PACKET_IDENTIFIER_IN_USE", 0x91, PUBACK, PUBREC, SUBACK, UNSUBACK),
            new Row("PACKET_IDENTIFIER_NOT_FOUND", 0x92, PUBREL, PUBCOMP),
            new Row("RECEIVE_MAXIMUM_EXCEEDED", 0x93, DISCONNECT),
            new Row("TOPIC_ALIAS_INVALID", 0x94, DISCONNECT),
            new Row("PACKET_TOO_LARGE", 0x95, CONNACK, DISCONNECT),
            new Row("MESSAGE_RATE_TOO_HIGH", 0x96, DISCONNECT),
            new Row("QUOTA_EXCEEDED", 0x97, CONNACK, PUBACK, PUBREC, SUBACK, DISCONNECT),
            new Row("ADMINISTRATIVE_ACTION", 0x98, DISCONNECT),
            new Row("PAYLOAD_FORMAT_INVALID", 0x99, CONNACK, PUBACK, PUBREC, DISCONNECT),
            new Row("RETAIN_NOT_SUPPORTED", 0x9A, CONNACK, DISCONNECT),
            new Row("QOS_NOT_SUPPORTED", 0x9B, CONNACK, DISCONNECT),
            new Row("USE_ANOTHER_SERVER", 0x9C, CONNACK, DISCONNECT),
            new Row("SERVER_MOVED", 0x9D, CONNACK, DISCONNECT),
            new Row("SHARED_SUBSCRIPTIONS_NOT_SUPPORTED", 0x9E, SUBACK, DISCONNECT),
            new Row("CONNECTION_RATE_EXCEEDED", 0x9F, CONNACK, DISCONNECT),
            new Row("MAXIMUM_CONNECT_TIME", 0xA0, DISCONNECT),
            new Row("SUBSCRIPTION_IDENTIFIERS_NOT_SUPPORTED", 0xA1, SUBACK, DISCONNECT),
            new Row("WILDCARD_SUBSCRIPTIONS_NOT_SUPPORTED", 0xA2, SUBACK, DISCONNECT));

    @Test
    void everyCodeHasTheSpecsValueAndPackets() {
        assertThat(ReasonCode.values()).hasSize(SPEC.size());
        for (Row row : SPEC) {
            ReasonCode rc = ReasonCode.valueOf(row.name());
            assertThat(rc.value()).as(row.name()).isEqualTo(row.value());
            Set<PacketType> valid = EnumSet.noneOf(PacketType.class);
            for (PacketType t : PacketType.values()) {
                if (rc.isValidFor(t)) {
                    valid.add(t);
                }
            }
            assertThat(valid).as(row.name()).isEqualTo(row.packets());
        }
    }

    @Test
    void ofResolvesEveryByteInEveryPacket() {
        for (PacketType t : PacketType.values()) {
            for (int value = 0; value < 256; value++) {
                final int v = value;
                ReasonCode expected = SPEC.stream().filter(r -> r.value() == v && r.packets().contains(t))
                        .map(r -> ReasonCode.valueOf(r.name())).findFirst().orElse(null);
                assertThat(ReasonCode.of(value, t)).as("0x%02X in %s", value, t).isEqualTo(expected);
            }
        }
        assertThat(ReasonCode.of(-1, CONNACK)).isNull();
        assertThat(ReasonCode.of(256, CONNACK)).isNull();
    }

    @Test
    void theZeroValueDependsOnThePacket() {
        assertThat(ReasonCode.of(0, CONNACK)).isEqualTo(ReasonCode.SUCCESS);
        assertThat(ReasonCode.of(0, DISCONNECT)).isEqualTo(ReasonCode.NORMAL_DISCONNECTION);
        assertThat(ReasonCode.of(0, SUBACK)).isEqualTo(ReasonCode.GRANTED_QOS_0);
        assertThat(ReasonCode.of(0, PacketType.PUBLISH)).isNull();
        assertThat(ReasonCode.of(0, PacketType.SUBSCRIBE)).isNull();
    }

    @ParameterizedTest
    @EnumSource(ReasonCode.class)
    void codesFrom0x80AreErrors(ReasonCode rc) {
        assertThat(rc.isError()).isEqualTo(rc.value() >= 0x80);
    }

    @Test
    void theSpecTableAgreesWithNettysPerPacketCodes() {
        assertThat(specValues(PUBACK)).isEqualTo(nettyValues(MqttReasonCodes.PubAck.values(), MqttReasonCodes.PubAck::byteValue));
        assertThat(specValues(PUBREC)).isEqualTo(nettyValues(MqttReasonCodes.PubRec.values(), MqttReasonCodes.PubRec::byteValue));
        assertThat(specValues(PUBREL)).isEqualTo(nettyValues(MqttReasonCodes.PubRel.values(), MqttReasonCodes.PubRel::byteValue));
        assertThat(specValues(PUBCOMP)).isEqualTo(nettyValues(MqttReasonCodes.PubComp.values(), MqttReasonCodes.PubComp::byteValue));
        assertThat(specValues(SUBACK)).isEqualTo(nettyValues(MqttReasonCodes.SubAck.values(), MqttReasonCodes.SubAck::byteValue));
        assertThat(specValues(UNSUBACK)).isEqualTo(nettyValues(MqttReasonCodes.UnsubAck.values(), MqttReasonCodes.UnsubAck::byteValue));
        assertThat(specValues(AUTH)).isEqualTo(nettyValues(MqttReasonCodes.Auth.values(), MqttReasonCodes.Auth::byteValue));
        // Netty's DISCONNECT codes lack 0x8C Bad authentication method, which Table 2-6 lists for DISCONNECT.
        Set<Integer> nettyDisconnect = nettyValues(MqttReasonCodes.Disconnect.values(), MqttReasonCodes.Disconnect::byteValue);
        nettyDisconnect.add(0x8C);
        assertThat(specValues(DISCONNECT)).isEqualTo(nettyDisconnect);
        // Netty's CONNACK codes mix the 3.1.1 return codes 1 to 5 with the 5.0 reason codes.
        Set<Integer> nettyConnAck = nettyValues(MqttConnectReturnCode.values(), MqttConnectReturnCode::byteValue);
        nettyConnAck.removeAll(Set.of(1, 2, 3, 4, 5));
        assertThat(specValues(CONNACK)).isEqualTo(nettyConnAck);
    }

    private static Set<Integer> specValues(PacketType t) {
        Set<Integer> values = new TreeSet<>();
        SPEC.stream().filter(r -> r.packets().contains(t)).forEach(r -> values.add(r.value()));
        return values;
    }

    private static <T> Set<Integer> nettyValues(T[] codes, java.util.function.Function<T, Byte> byteValue) {
        Set<Integer> values = new TreeSet<>();
        for (T c : codes) {
            values.add(byteValue.apply(c) & 0xFF);
        }
        return values;
    }

    // ---------------------------------------------------------------------------------------- 3.1.1

    @ParameterizedTest
    @CsvSource({
        "SUCCESS, 0",
        "UNSUPPORTED_PROTOCOL_VERSION, 1",
        "CLIENT_IDENTIFIER_NOT_VALID, 2",
        "SERVER_UNAVAILABLE, 3",
        "BAD_USER_NAME_OR_PASSWORD, 4",
        "BAD_AUTHENTICATION_METHOD, 4",
        "NOT_AUTHORIZED, 5",
        "BANNED, 5",
        "UNSPECIFIED_ERROR, 3",
        "MALFORMED_PACKET, 3",
        "SERVER_BUSY, 3",
        "PACKET_TOO_LARGE, 3",
        "QUOTA_EXCEEDED, 3",
    })
    void v3ConnAckReturnCode(ReasonCode rc, int v3) {
        assertThat(rc.v3ConnAckCode()).isEqualTo(v3);
    }

    @Test
    void everyV5ConnAckCodeMapsToAV3ReturnCode() {
        for (ReasonCode rc : ReasonCode.values()) {
            if (rc.isValidFor(CONNACK)) {
                assertThat(rc.v3ConnAckCode()).as("%s", rc).isBetween(0, 5);
                assertThat(rc.v3ConnAckCode() == 0).as("%s", rc).isEqualTo(rc == ReasonCode.SUCCESS);
            }
        }
    }

    @Test
    void v3ConnAckReturnCodesMapBack() {
        for (int code = 0; code <= 5; code++) {
            ReasonCode rc = ReasonCode.ofV3ConnAckCode(code);
            assertThat(rc).isNotNull();
            assertThat(rc.isValidFor(CONNACK)).isTrue();
            assertThat(rc.v3ConnAckCode()).isEqualTo(code);
        }
        assertThat(ReasonCode.ofV3ConnAckCode(3)).isEqualTo(ReasonCode.SERVER_UNAVAILABLE);
        assertThat(ReasonCode.ofV3ConnAckCode(6)).isNull();
        assertThat(ReasonCode.ofV3ConnAckCode(0x80)).isNull();
        assertThat(ReasonCode.ofV3ConnAckCode(-1)).isNull();
    }

    @Test
    void v3SubAckReturnCodes() {
        assertThat(ReasonCode.GRANTED_QOS_0.v3SubAckCode()).isZero();
        assertThat(ReasonCode.GRANTED_QOS_1.v3SubAckCode()).isEqualTo(1);
        assertThat(ReasonCode.GRANTED_QOS_2.v3SubAckCode()).isEqualTo(2);
        Stream.of(ReasonCode.values()).filter(rc -> rc.isValidFor(SUBACK) && rc.isError())
                .forEach(rc -> assertThat(rc.v3SubAckCode()).as("%s", rc).isEqualTo(0x80));
    }

    @ParameterizedTest
    @EnumSource(Qos.class)
    void grantedQos(Qos qos) {
        ReasonCode rc = ReasonCode.granted(qos);
        assertThat(rc.value()).isEqualTo(qos.level());
        assertThat(rc.isValidFor(SUBACK)).isTrue();
    }

    @Test
    void describeUsesTheSpecWording() {
        assertThat(ReasonCode.NOT_AUTHORIZED.describe()).isEqualTo("0x87 Not authorized");
        assertThat(ReasonCode.SUCCESS.describe()).isEqualTo("0x00 Success");
        assertThat(ReasonCode.WILDCARD_SUBSCRIPTIONS_NOT_SUPPORTED.describe())
                .isEqualTo("0xA2 Wildcard subscriptions not supported");
        Set<String> names = new HashSet<>();
        for (ReasonCode rc : ReasonCode.values()) {
            assertThat(names.add(rc.describe())).as("%s", rc).isTrue();
        }
    }
}
