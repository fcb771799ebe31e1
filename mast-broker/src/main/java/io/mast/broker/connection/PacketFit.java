package io.mast.broker.connection;

import io.mast.codec.MqttProperties;
import io.mast.codec.MqttVersion;
import io.mast.codec.encoder.PacketEncoder;
import io.mast.codec.packet.Auth;
import io.mast.codec.packet.ConnAck;
import io.mast.codec.packet.Disconnect;
import io.mast.codec.packet.MqttPacket;
import io.mast.codec.packet.PubAck;
import io.mast.codec.packet.PubComp;
import io.mast.codec.packet.PubRec;
import io.mast.codec.packet.PubRel;
import io.mast.codec.packet.SubAck;
import io.mast.codec.packet.UnsubAck;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.util.List;

/**
 * Keeps a packet other than PUBLISH within the client's Maximum Packet Size: the Reason String and the User Properties
 * are left out when they would make it larger (MQTT 5.0: MQTT-3.2.2-19, -3.2.2-20, -3.4.2-2, -3.4.2-3 and their
 * counterparts for PUBREC, PUBREL, PUBCOMP, SUBACK, UNSUBACK, DISCONNECT and AUTH).
 */
final class PacketFit {

    private PacketFit() {
    }

    /** The packet as it may be sent to a client that accepts at most {@code maxPacketSize} bytes. */
    static MqttPacket fit(MqttPacket packet, MqttVersion version, long maxPacketSize) {
        MqttProperties props = properties(packet);
        if (props == null || (props.reasonString() == null && props.userProperties().isEmpty())) {
            return packet;
        }
        ByteBuf encoded = PacketEncoder.encode(UnpooledByteBufAllocator.DEFAULT, packet, version);
        int size = encoded.readableBytes();
        encoded.release();
        if (size <= maxPacketSize) {
            return packet;
        }
        MqttProperties fitted = props.toBuilder().reasonString(null).userProperties(List.of()).build();
        return switch (packet) {
            case ConnAck p -> new ConnAck(p.sessionPresent(), p.reasonCode(), fitted);
            case PubAck p -> new PubAck(p.packetId(), p.reasonCode(), fitted);
            case PubRec p -> new PubRec(p.packetId(), p.reasonCode(), fitted);
            case PubRel p -> new PubRel(p.packetId(), p.reasonCode(), fitted);
            case PubComp p -> new PubComp(p.packetId(), p.reasonCode(), fitted);
            case SubAck p -> new SubAck(p.packetId(), p.reasonCodes(), fitted);
            case UnsubAck p -> new UnsubAck(p.packetId(), p.reasonCodes(), fitted);
            case Disconnect p -> new Disconnect(p.reasonCode(), fitted);
            case Auth p -> new Auth(p.reasonCode(), fitted);
            default -> packet;
        };
    }

    private static MqttProperties properties(MqttPacket packet) {
        return switch (packet) {
            case ConnAck p -> p.properties();
            case PubAck p -> p.properties();
            case PubRec p -> p.properties();
            case PubRel p -> p.properties();
            case PubComp p -> p.properties();
            case SubAck p -> p.properties();
            case UnsubAck p -> p.properties();
            case Disconnect p -> p.properties();
            case Auth p -> p.properties();
            default -> null;
        };
    }
}
