package io.mast.broker.connection;

import io.mast.broker.client.ConnectionInfo;
import io.mast.broker.message.BrokerMessage;
import io.mast.codec.MqttProperties;
import io.mast.codec.MqttVersion;
import io.mast.codec.Qos;
import io.mast.codec.encoder.PacketEncoder;
import io.mast.codec.packet.MqttPacket;
import io.mast.codec.packet.Publish;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * How packets go out to one client, shaped by what it announced in CONNECT (MQTT 5.0): its Maximum Packet Size (a
 * message larger is not sent; other packets lose the properties that do not fit), whether it wants Reason Strings,
 * and its topic aliases. A QoS 0 message that needs nothing of this client's own is written as the bytes encoded once
 * for every subscriber. Used on the connection's event loop only.
 */
final class OutgoingPackets {

    /** How long a packet sent before closing (DISCONNECT, CONNACK with an error) may take to get out. */
    private static final long LAST_PACKET_GRACE_MS = 1000;

    private final Channel channel;
    private final ConnectionServices core;
    private final Supplier<ConnectionInfo> info;
    private final Supplier<MqttVersion> version;
    private long peerMaxPacketSize = Long.MAX_VALUE;
    private boolean problemInformation = true;
    private TopicAliases aliases;

    OutgoingPackets(Channel channel, ConnectionServices core, Supplier<ConnectionInfo> info,
                    Supplier<MqttVersion> version) {
        this.channel = channel;
        this.core = core;
        this.info = info;
        this.version = version;
    }

    /** What the client's CONNECT announced (MQTT 5.0). */
    void announced(Long maximumPacketSize, Boolean wantsProblemInformation, TopicAliases topicAliases) {
        if (maximumPacketSize != null) {
            peerMaxPacketSize = maximumPacketSize;
        }
        if (wantsProblemInformation != null) {
            problemInformation = wantsProblemInformation;
        }
        aliases = topicAliases;
    }

    /** The topic aliases of this connection, both ways, or {@code null} when neither side uses any. */
    TopicAliases aliases() {
        return aliases;
    }

    /** Writes a packet; flushes are consolidated by the pipeline. */
    void send(MqttPacket original) {
        MqttPacket packet = fit(original);
        if (core.events().wantsPackets()) {
            core.events().packetSent(info.get(), packet);
        }
        channel.writeAndFlush(packet, channel.voidPromise());
    }

    /**
     * Sends an application message. Returns false when it is larger than the client's Maximum Packet Size: then it
     * was not sent (MQTT-3.1.2-25).
     */
    boolean sendPublish(BrokerMessage m, Qos qos, boolean retainFlag, int packetId, boolean dup,
                        List<Integer> subscriptionIds, long now) {
        MqttVersion v = version.get();
        if (qos == Qos.AT_MOST_ONCE && subscriptionIds.isEmpty() && (aliases == null || !v.isV5())
                && !core.events().wantsPackets()) {
            byte[] shared = m.sharedQos0Encoding(v, retainFlag);
            if (shared != null) {
                if (shared.length > peerMaxPacketSize) {
                    return false;
                }
                channel.writeAndFlush(Unpooled.wrappedBuffer(shared), channel.voidPromise());
                core.metrics().messagesSent.increment();
                return true;
            }
        }
        Publish p = m.toPublish(qos, retainFlag, packetId, dup, subscriptionIds, now);
        if (aliases != null && v.isV5()) {
            p = withTopicAlias(p, v);
        }
        // Checked on the packet as sent: a new alias adds to its size (MQTT-3.1.2-24).
        if (PacketEncoder.publishSize(p, v) > peerMaxPacketSize) {
            return false;
        }
        send(p);
        core.metrics().messagesSent.increment();
        return true;
    }

    /**
     * The PUBLISH with a topic alias: the alias alone when the client knows it; the topic and a newly assigned alias
     * when that still fits the client's Maximum Packet Size; otherwise unchanged, without assigning an alias.
     */
    private Publish withTopicAlias(Publish p, MqttVersion v) {
        int known = aliases.known(p.topic());
        if (known > 0) {
            return aliased(p, "", known);
        }
        if (!aliases.outboundEnabled()
                || PacketEncoder.publishSize(aliased(p, p.topic(), 1), v) > peerMaxPacketSize) {
            return p; // an alias's value does not change the size, so alias 1 stands for any
        }
        return aliased(p, p.topic(), -aliases.outbound(p.topic()));
    }

    private static Publish aliased(Publish p, String topic, int alias) {
        MqttProperties props = p.properties().toBuilder().topicAlias(alias).build();
        return new Publish(p.dup(), p.qos(), p.retain(), topic, p.packetId(), props, p.payload());
    }

    /** Properties carrying a reason string, when the client did not ask to be spared them. */
    MqttProperties reason(String reasonString) {
        MqttVersion v = version.get();
        if (reasonString == null || !problemInformation || v == null || !v.isV5()) {
            return MqttProperties.EMPTY;
        }
        return MqttProperties.builder().reasonString(reasonString).build();
    }

    /**
     * Sends the last packet (DISCONNECT, a refusing CONNACK) and closes: once it is written, or after a grace period
     * whether or not it got out (a client that does not read would otherwise keep the connection open for ever).
     */
    void sendAndClose(MqttPacket last) {
        MqttPacket packet = fit(last);
        if (core.events().wantsPackets()) {
            core.events().packetSent(info.get(), packet);
        }
        channel.writeAndFlush(packet).addListener(ChannelFutureListener.CLOSE);
        channel.eventLoop().schedule(() -> channel.close(), LAST_PACKET_GRACE_MS, TimeUnit.MILLISECONDS);
    }

    /** The packet without the properties that would make it larger than the client accepts. */
    private MqttPacket fit(MqttPacket packet) {
        return peerMaxPacketSize == Long.MAX_VALUE || packet instanceof Publish ? packet
                : PacketFit.fit(packet, version.get(), peerMaxPacketSize);
    }
}
