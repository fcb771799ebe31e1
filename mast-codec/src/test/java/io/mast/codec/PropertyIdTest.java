package io.mast.codec;

import static io.mast.codec.PacketType.AUTH;
import static io.mast.codec.PacketType.CONNACK;
import static io.mast.codec.PacketType.CONNECT;
import static io.mast.codec.PacketType.DISCONNECT;
import static io.mast.codec.PacketType.PUBACK;
import static io.mast.codec.PacketType.PUBCOMP;
import static io.mast.codec.PacketType.PUBLISH;
import static io.mast.codec.PacketType.PUBREC;
import static io.mast.codec.PacketType.PUBREL;
import static io.mast.codec.PacketType.SUBACK;
import static io.mast.codec.PacketType.SUBSCRIBE;
import static io.mast.codec.PacketType.UNSUBACK;
import static io.mast.codec.PacketType.UNSUBSCRIBE;
import static org.assertj.core.api.Assertions.assertThat;

import io.mast.codec.PropertyId.Type;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Where each property may appear, against MQTT 5.0 Table 2-4 (Properties). */
class PropertyIdTest {

    private record Row(int id, String name, Type type, boolean inWill, Set<PacketType> packets) {
        Row(int id, String name, Type type, boolean inWill, PacketType... packets) {
            this(id, name, type, inWill, packets.length == 0 ? EnumSet.noneOf(PacketType.class) : EnumSet.copyOf(List.of(packets)));
        }
    }

    private static final List<Row> SPEC = List.of(
            new Row(0x01, "PAYLOAD_FORMAT_INDICATOR", Type.BYTE, true, PUBLISH),
            new Row(0x02, "MESSAGE_EXPIRY_INTERVAL", Type.FOUR_BYTE, true, PUBLISH),
            new Row(0x03, "CONTENT_TYPE", Type.UTF8, true, PUBLISH),
            new Row(0x08, "RESPONSE_TOPIC", Type.UTF8, true, PUBLISH),
            new Row(0x09, "CORRELATION_DATA", Type.BINARY, true, PUBLISH),
            new Row(0x0B, "SUBSCRIPTION_IDENTIFIER", Type.VARIABLE_BYTE, false, PUBLISH, SUBSCRIBE),
            new Row(0x11, "SESSION_EXPIRY_INTERVAL", Type.FOUR_BYTE, false, CONNECT, CONNACK, DISCONNECT),
            new Row(0x12, "ASSIGNED_CLIENT_IDENTIFIER", Type.UTF8, false, CONNACK),
            new Row(0x13, "SERVER_KEEP_ALIVE", Type.TWO_BYTE, false, CONNACK),
            new Row(0x15, "AUTHENTICATION_METHOD", Type.UTF8, false, CONNECT, CONNACK, AUTH),
            new Row(0x16, "AUTHENTICATION_DATA", Type.BINARY, false, CONNECT, CONNACK, AUTH),
            new Row(0x17, "REQUEST_PROBLEM_INFORMATION", Type.BYTE, false, CONNECT),
            new Row(0x18, "WILL_DELAY_INTERVAL", Type.FOUR_BYTE, true),
            new Row(0x19, "REQUEST_RESPONSE_INFORMATION", Type.BYTE, false, CONNECT),
            new Row(0x1A, "RESPONSE_INFORMATION", Type.UTF8, false, CONNACK),
            new Row(0x1C, "SERVER_REFERENCE", Type.UTF8, false, CONNACK, DISCONNECT),
            new Row(0x1F, "REASON_STRING", Type.UTF8, false, CONNACK, PUBACK, PUBREC, PUBREL, PUBCOMP, SUBACK, UNSUBACK,
                    DISCONNECT, AUTH),
            new Row(0x21, "RECEIVE_MAXIMUM", Type.TWO_BYTE, false, CONNECT, CONNACK),
            new Row(0x22, "TOPIC_ALIAS_MAXIMUM", Type.TWO_BYTE, false, CONNECT, CONNACK),
            new Row(0x23, "TOPIC_ALIAS", Type.TWO_BYTE, false, PUBLISH),
            new Row(0x24, "MAXIMUM_QOS", Type.BYTE, false, CONNACK),
            new Row(0x25, "RETAIN_AVAILABLE", Type.BYTE, false, CONNACK),
            new Row(0x26, "USER_PROPERTY", Type.UTF8_PAIR, true, CONNECT, CONNACK, PUBLISH, PUBACK, PUBREC, PUBREL,
                    PUBCOMP, SUBSCRIBE, SUBACK, UNSUBSCRIBE, UNSUBACK, DISCONNECT, AUTH),
            new Row(0x27, "MAXIMUM_PACKET_SIZE", Type.FOUR_BYTE, false, CONNECT, CONNACK),
            new Row(0x28, "WILDCARD_SUBSCRIPTION_AVAILABLE", Type.BYTE, false, CONNACK),
            new Row(0x29, "SUBSCRIPTION_IDENTIFIER_AVAILABLE", Type.BYTE, false, CONNACK),
            new Row(0x2A, "SHARED_SUBSCRIPTION_AVAILABLE", Type.BYTE, false, CONNACK));

    @Test
    void everyPropertyHasTheSpecsIdentifierTypeAndPlaces() {
        assertThat(PropertyId.values()).hasSize(SPEC.size());
        for (Row row : SPEC) {
            PropertyId p = PropertyId.valueOf(row.name());
            assertThat(p.id()).as(row.name()).isEqualTo(row.id());
            assertThat(p.type()).as(row.name()).isEqualTo(row.type());
            assertThat(PropertyId.of(row.id())).isEqualTo(p);
            assertThat(p.allowedIn(PropertyId.WILL)).as("%s in the will", row.name()).isEqualTo(row.inWill());
            for (PacketType t : PacketType.values()) {
                assertThat(p.allowedIn(PropertyId.scopeOf(t))).as("%s in %s", row.name(), t)
                        .isEqualTo(row.packets().contains(t));
            }
        }
    }

    @Test
    void identifiersWithoutAPropertyAreUnknown() {
        for (int id = -1; id < 300; id++) {
            final int i = id;
            boolean known = SPEC.stream().anyMatch(r -> r.id() == i);
            assertThat(PropertyId.of(id) != null).as("0x%02X", id).isEqualTo(known);
        }
    }
}
