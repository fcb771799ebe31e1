package io.mast.codec.encoder;

import static io.mast.codec.encoder.MqttWriter.binarySize;
import static io.mast.codec.encoder.MqttWriter.propertiesSize;
import static io.mast.codec.encoder.MqttWriter.utf8Size;
import static io.mast.codec.encoder.MqttWriter.varIntSize;
import static io.mast.codec.encoder.MqttWriter.writeBinary;
import static io.mast.codec.encoder.MqttWriter.writeProperties;
import static io.mast.codec.encoder.MqttWriter.writeUtf8;
import static io.mast.codec.encoder.MqttWriter.writeVarInt;

import io.mast.codec.MqttProperties;
import io.mast.codec.MqttVersion;
import io.mast.codec.PacketType;
import io.mast.codec.Qos;
import io.mast.codec.ReasonCode;
import io.mast.codec.packet.Auth;
import io.mast.codec.packet.ConnAck;
import io.mast.codec.packet.Connect;
import io.mast.codec.packet.Disconnect;
import io.mast.codec.packet.MqttPacket;
import io.mast.codec.packet.PingReq;
import io.mast.codec.packet.PingResp;
import io.mast.codec.packet.Publish;
import io.mast.codec.packet.PublishAcknowledgement;
import io.mast.codec.packet.SubAck;
import io.mast.codec.packet.Subscribe;
import io.mast.codec.packet.Subscription;
import io.mast.codec.packet.UnsubAck;
import io.mast.codec.packet.Unsubscribe;
import io.mast.codec.packet.Will;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * Encodes packet records into exactly-sized buffers. Properties are written on MQTT 5.0 only; on 3.1.1 the
 * reason codes of CONNACK and SUBACK become return codes and those of other packets are dropped.
 */
public final class PacketEncoder {

    private PacketEncoder() {
    }

    /** Encodes a packet for a protocol version into a new buffer from the allocator. */
    public static ByteBuf encode(ByteBufAllocator alloc, MqttPacket packet, MqttVersion version) {
        return switch (packet) {
            case Connect p -> connect(alloc, p);
            case ConnAck p -> connAck(alloc, p, version);
            case Publish p -> publish(alloc, p, version);
            case PublishAcknowledgement p -> acknowledgement(alloc, p, version);
            case Subscribe p -> subscribe(alloc, p, version);
            case SubAck p -> subAck(alloc, p, version);
            case Unsubscribe p -> unsubscribe(alloc, p, version);
            case UnsubAck p -> unsubAck(alloc, p, version);
            case PingReq p -> empty(alloc, PacketType.PINGREQ, 0);
            case PingResp p -> empty(alloc, PacketType.PINGRESP, 0);
            case Disconnect p -> disconnect(alloc, p, version);
            case Auth p -> auth(alloc, p);
        };
    }

    private static ByteBuf allocate(ByteBufAllocator alloc, PacketType type, int flags, int remaining) {
        ByteBuf buf = alloc.buffer(1 + varIntSize(remaining) + remaining);
        buf.writeByte(type.value() << 4 | flags);
        writeVarInt(buf, remaining);
        return buf;
    }

    private static ByteBuf empty(ByteBufAllocator alloc, PacketType type, int flags) {
        return allocate(alloc, type, flags, 0);
    }

    private static ByteBuf connect(ByteBufAllocator alloc, Connect c) {
        MqttVersion v = c.version();
        Will will = c.will();
        int props = v.isV5() ? propertiesSize(c.properties()) : 0;
        int willProps = v.isV5() && will != null ? propertiesSize(will.properties()) : 0;
        int remaining = utf8Size(v.protocolName()) + 1 + 1 + 2 + utf8Size(c.clientId());
        if (v.isV5()) {
            remaining += varIntSize(props) + props;
        }
        if (will != null) {
            remaining += utf8Size(will.topic()) + binarySize(will.payload());
            if (v.isV5()) {
                remaining += varIntSize(willProps) + willProps;
            }
        }
        if (c.username() != null) {
            remaining += utf8Size(c.username());
        }
        if (c.password() != null) {
            remaining += binarySize(c.password());
        }
        ByteBuf buf = allocate(alloc, PacketType.CONNECT, 0, remaining);
        writeUtf8(buf, v.protocolName());
        buf.writeByte(v.level());
        int flags = (c.cleanStart() ? 0x02 : 0)
                | (will != null ? 0x04 | will.qos().level() << 3 | (will.retain() ? 0x20 : 0) : 0)
                | (c.password() != null ? 0x40 : 0)
                | (c.username() != null ? 0x80 : 0);
        buf.writeByte(flags);
        buf.writeShort(c.keepAlive());
        if (v.isV5()) {
            writeProperties(buf, c.properties(), props);
        }
        writeUtf8(buf, c.clientId());
        if (will != null) {
            if (v.isV5()) {
                writeProperties(buf, will.properties(), willProps);
            }
            writeUtf8(buf, will.topic());
            writeBinary(buf, will.payload());
        }
        if (c.username() != null) {
            writeUtf8(buf, c.username());
        }
        if (c.password() != null) {
            writeBinary(buf, c.password());
        }
        return buf;
    }

    private static ByteBuf connAck(ByteBufAllocator alloc, ConnAck c, MqttVersion v) {
        boolean v5 = v != null && v.isV5();
        int props = v5 ? propertiesSize(c.properties()) : 0;
        int remaining = 2 + (v5 ? varIntSize(props) + props : 0);
        ByteBuf buf = allocate(alloc, PacketType.CONNACK, 0, remaining);
        buf.writeByte(c.sessionPresent() ? 1 : 0);
        buf.writeByte(v5 ? c.reasonCode().value() : c.reasonCode().v3ConnAckCode());
        if (v5) {
            writeProperties(buf, c.properties(), props);
        }
        return buf;
    }

    /** The encoded size of a PUBLISH, fixed header included, to check a peer's Maximum Packet Size first. */
    public static int publishSize(Publish p, MqttVersion v) {
        int remaining = publishRemaining(p, v, v.isV5() ? propertiesSize(p.properties()) : 0);
        return 1 + varIntSize(remaining) + remaining;
    }

    private static int publishRemaining(Publish p, MqttVersion v, int props) {
        int remaining = utf8Size(p.topic()) + p.payload().length;
        if (p.qos() != Qos.AT_MOST_ONCE) {
            remaining += 2;
        }
        if (v.isV5()) {
            remaining += varIntSize(props) + props;
        }
        return remaining;
    }

    private static ByteBuf publish(ByteBufAllocator alloc, Publish p, MqttVersion v) {
        int props = v.isV5() ? propertiesSize(p.properties()) : 0;
        int remaining = publishRemaining(p, v, props);
        int flags = (p.dup() ? 0x08 : 0) | p.qos().level() << 1 | (p.retain() ? 0x01 : 0);
        ByteBuf buf = allocate(alloc, PacketType.PUBLISH, flags, remaining);
        writeUtf8(buf, p.topic());
        if (p.qos() != Qos.AT_MOST_ONCE) {
            buf.writeShort(p.packetId());
        }
        if (v.isV5()) {
            writeProperties(buf, p.properties(), props);
        }
        buf.writeBytes(p.payload());
        return buf;
    }

    private static ByteBuf acknowledgement(ByteBufAllocator alloc, PublishAcknowledgement a, MqttVersion v) {
        PacketType type = a.type();
        int flags = type.requiredFlags();
        boolean props = v.isV5() && a.properties() != MqttProperties.EMPTY && !a.properties().isEmpty();
        boolean reason = v.isV5() && (props || a.reasonCode() != ReasonCode.SUCCESS);
        int propsSize = props ? propertiesSize(a.properties()) : 0;
        int remaining = 2 + (reason ? 1 : 0) + (props ? varIntSize(propsSize) + propsSize : 0);
        ByteBuf buf = allocate(alloc, type, flags, remaining);
        buf.writeShort(a.packetId());
        if (reason) {
            buf.writeByte(a.reasonCode().value());
        }
        if (props) {
            writeProperties(buf, a.properties(), propsSize);
        }
        return buf;
    }

    private static ByteBuf subscribe(ByteBufAllocator alloc, Subscribe s, MqttVersion v) {
        int props = v.isV5() ? propertiesSize(s.properties()) : 0;
        int remaining = 2 + (v.isV5() ? varIntSize(props) + props : 0);
        for (Subscription sub : s.subscriptions()) {
            remaining += utf8Size(sub.topicFilter()) + 1;
        }
        ByteBuf buf = allocate(alloc, PacketType.SUBSCRIBE, PacketType.SUBSCRIBE.requiredFlags(), remaining);
        buf.writeShort(s.packetId());
        if (v.isV5()) {
            writeProperties(buf, s.properties(), props);
        }
        for (Subscription sub : s.subscriptions()) {
            writeUtf8(buf, sub.topicFilter());
            int options = sub.qos().level();
            if (v.isV5()) {
                options |= (sub.noLocal() ? 0x04 : 0) | (sub.retainAsPublished() ? 0x08 : 0)
                        | sub.retainHandling().value() << 4;
            }
            buf.writeByte(options);
        }
        return buf;
    }

    private static ByteBuf subAck(ByteBufAllocator alloc, SubAck s, MqttVersion v) {
        int props = v.isV5() ? propertiesSize(s.properties()) : 0;
        int remaining = 2 + (v.isV5() ? varIntSize(props) + props : 0) + s.reasonCodes().size();
        ByteBuf buf = allocate(alloc, PacketType.SUBACK, 0, remaining);
        buf.writeShort(s.packetId());
        if (v.isV5()) {
            writeProperties(buf, s.properties(), props);
        }
        for (ReasonCode rc : s.reasonCodes()) {
            buf.writeByte(v.isV5() ? rc.value() : rc.v3SubAckCode());
        }
        return buf;
    }

    private static ByteBuf unsubscribe(ByteBufAllocator alloc, Unsubscribe u, MqttVersion v) {
        int props = v.isV5() ? propertiesSize(u.properties()) : 0;
        int remaining = 2 + (v.isV5() ? varIntSize(props) + props : 0);
        for (String f : u.topicFilters()) {
            remaining += utf8Size(f);
        }
        ByteBuf buf = allocate(alloc, PacketType.UNSUBSCRIBE, PacketType.UNSUBSCRIBE.requiredFlags(), remaining);
        buf.writeShort(u.packetId());
        if (v.isV5()) {
            writeProperties(buf, u.properties(), props);
        }
        for (String f : u.topicFilters()) {
            writeUtf8(buf, f);
        }
        return buf;
    }

    private static ByteBuf unsubAck(ByteBufAllocator alloc, UnsubAck u, MqttVersion v) {
        if (!v.isV5()) {
            ByteBuf buf = allocate(alloc, PacketType.UNSUBACK, 0, 2);
            buf.writeShort(u.packetId());
            return buf;
        }
        int props = propertiesSize(u.properties());
        int remaining = 2 + varIntSize(props) + props + u.reasonCodes().size();
        ByteBuf buf = allocate(alloc, PacketType.UNSUBACK, 0, remaining);
        buf.writeShort(u.packetId());
        writeProperties(buf, u.properties(), props);
        for (ReasonCode rc : u.reasonCodes()) {
            buf.writeByte(rc.value());
        }
        return buf;
    }

    private static ByteBuf disconnect(ByteBufAllocator alloc, Disconnect d, MqttVersion v) {
        if (!v.isV5() || (d.reasonCode() == ReasonCode.NORMAL_DISCONNECTION && d.properties().isEmpty())) {
            return empty(alloc, PacketType.DISCONNECT, 0);
        }
        return reasonAndProperties(alloc, PacketType.DISCONNECT, d.reasonCode(), d.properties());
    }

    private static ByteBuf auth(ByteBufAllocator alloc, Auth a) {
        if (a.reasonCode() == ReasonCode.SUCCESS && a.properties().isEmpty()) {
            return empty(alloc, PacketType.AUTH, 0);
        }
        return reasonAndProperties(alloc, PacketType.AUTH, a.reasonCode(), a.properties());
    }

    private static ByteBuf reasonAndProperties(ByteBufAllocator alloc, PacketType type, ReasonCode rc, MqttProperties p) {
        int props = propertiesSize(p);
        int remaining = 1 + (props > 0 ? varIntSize(props) + props : 0);
        ByteBuf buf = allocate(alloc, type, 0, remaining);
        buf.writeByte(rc.value());
        if (props > 0) {
            writeProperties(buf, p, props);
        }
        return buf;
    }
}
