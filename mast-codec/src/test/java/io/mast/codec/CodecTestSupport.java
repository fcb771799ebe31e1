package io.mast.codec;

import static org.assertj.core.api.Assertions.assertThat;

import io.mast.codec.MqttDecoder.Role;
import io.mast.codec.encoder.PacketEncoder;
import io.mast.codec.packet.Auth;
import io.mast.codec.packet.ConnAck;
import io.mast.codec.packet.Connect;
import io.mast.codec.packet.Disconnect;
import io.mast.codec.packet.MqttPacket;
import io.mast.codec.packet.PingReq;
import io.mast.codec.packet.PingResp;
import io.mast.codec.packet.PubAck;
import io.mast.codec.packet.PubComp;
import io.mast.codec.packet.PubRec;
import io.mast.codec.packet.PubRel;
import io.mast.codec.packet.Publish;
import io.mast.codec.packet.PublishAcknowledgement;
import io.mast.codec.packet.RetainHandling;
import io.mast.codec.packet.SubAck;
import io.mast.codec.packet.Subscribe;
import io.mast.codec.packet.Subscription;
import io.mast.codec.packet.UnsubAck;
import io.mast.codec.packet.Unsubscribe;
import io.mast.codec.packet.Will;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnAckVariableHeader;
import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttConnectPayload;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttConnectVariableHeader;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageIdAndPropertiesVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageIdVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttPubReplyMessageVariableHeader;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttPublishVariableHeader;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttReasonCodeAndPropertiesVariableHeader;
import io.netty.handler.codec.mqtt.MqttSubAckMessage;
import io.netty.handler.codec.mqtt.MqttSubAckPayload;
import io.netty.handler.codec.mqtt.MqttSubscribeMessage;
import io.netty.handler.codec.mqtt.MqttSubscribePayload;
import io.netty.handler.codec.mqtt.MqttSubscriptionOption;
import io.netty.handler.codec.mqtt.MqttTopicSubscription;
import io.netty.handler.codec.mqtt.MqttUnsubAckMessage;
import io.netty.handler.codec.mqtt.MqttUnsubAckPayload;
import io.netty.handler.codec.mqtt.MqttUnsubscribeMessage;
import io.netty.handler.codec.mqtt.MqttUnsubscribePayload;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.ResourceLeakDetector;
import io.netty.util.internal.logging.InternalLoggerFactory;
import io.netty.util.internal.logging.JdkLoggerFactory;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Shared helpers of the codec tests: raw packet bytes ({@link Wire}), our encoder and decoder
 * ({@link #encode}, {@link #decode}), Netty's MQTT codec as an independent oracle ({@link NettyPeer},
 * {@link #toNetty}, {@link #fromNetty}), and a leak check ({@link NoLeaks}).
 *
 * <p>Every buffer is taken from {@link #ALLOC}, whose buffers Netty's leak detector tracks, and released here.
 */
public final class CodecTestSupport {

    /** The largest packet MQTT can frame: a four-byte remaining length plus its fixed header. */
    public static final int MAX_PACKET_SIZE = 1 + 4 + 268_435_455;

    /** The allocator of every test buffer; its buffers are leak-tracked. */
    public static final ByteBufAllocator ALLOC = ByteBufAllocator.DEFAULT;

    private CodecTestSupport() {
    }

    // ------------------------------------------------------------------------------------------------------
    // Our codec

    /** Encodes a packet with our encoder and returns its bytes. */
    public static byte[] encode(MqttPacket packet, MqttVersion version) {
        ByteBuf buf = PacketEncoder.encode(ALLOC, packet, version);
        try {
            return ByteBufUtil.getBytes(buf);
        } finally {
            buf.release();
        }
    }

    /** A decoder of the role; on the server side {@code version == null} waits for CONNECT. */
    public static MqttDecoder decoder(Role role, MqttVersion version) {
        return new MqttDecoder(role, MAX_PACKET_SIZE, version);
    }

    /** A server-side decoder that has not yet seen CONNECT. */
    public static MqttDecoder serverBeforeConnect() {
        return MqttDecoder.forServer(MAX_PACKET_SIZE);
    }

    /**
     * Decodes one packet from the bytes with {@link MqttDecoder#decodeOne}: a packet, a failure, or {@code null}.
     * A decoded packet must use up all the bytes.
     */
    public static Object decode(MqttDecoder decoder, byte[] bytes) {
        // A heap buffer: strings are then read through its array (the pipeline tests feed direct buffers).
        ByteBuf buf = ALLOC.heapBuffer(bytes.length).writeBytes(bytes);
        try {
            Object result = decoder.decodeOne(buf);
            if (result instanceof MqttPacket) {
                assertThat(buf.readableBytes()).as("bytes left after %s", result).isZero();
            }
            return result;
        } finally {
            buf.release();
        }
    }

    /** Decodes bytes that must be a valid packet. */
    public static MqttPacket decodePacket(MqttDecoder decoder, byte[] bytes) {
        Object result = decode(decoder, bytes);
        assertThat(result).as("decoded %s", Wire.hex(bytes)).isInstanceOf(MqttPacket.class);
        return (MqttPacket) result;
    }

    /** Decodes bytes that must be rejected. */
    public static DecodeFailure decodeFailure(MqttDecoder decoder, byte[] bytes) {
        Object result = decode(decoder, bytes);
        assertThat(result).as("decoded %s", Wire.hex(bytes)).isInstanceOf(DecodeFailure.class);
        return (DecodeFailure) result;
    }

    /** The reason code a receiver of the role, speaking the version, rejects the bytes with. */
    public static ReasonCode rejection(Role receiver, MqttVersion version, byte[] bytes) {
        MqttDecoder decoder = version == null ? serverBeforeConnect() : decoder(receiver, version);
        return decodeFailure(decoder, bytes).reasonCode();
    }

    /** The reason code a server rejects a CONNECT with. */
    public static ReasonCode connectRejection(byte[] bytes) {
        return decodeFailure(serverBeforeConnect(), bytes).reasonCode();
    }

    /** Encodes with our encoder and decodes with our decoder on the receiver's side. */
    public static MqttPacket roundTrip(MqttPacket packet, MqttVersion version, Role receiver) {
        MqttDecoder decoder = packet instanceof Connect ? serverBeforeConnect() : decoder(receiver, version);
        return decodePacket(decoder, encode(packet, version));
    }

    // ------------------------------------------------------------------------------------------------------
    // Netty's MQTT codec as an oracle

    /** Encodes with our encoder and decodes with Netty's, speaking the version. */
    public static MqttPacket nettyDecodes(MqttPacket packet, MqttVersion version) {
        try (NettyPeer netty = NettyPeer.speaking(packet instanceof Connect ? null : version)) {
            return netty.decode(encode(packet, version), version);
        }
    }

    /** Encodes with Netty's encoder and decodes with ours on the receiver's side. */
    public static MqttPacket weDecodeNettys(MqttPacket packet, MqttVersion version, Role receiver) {
        byte[] bytes;
        try (NettyPeer netty = NettyPeer.speaking(packet instanceof Connect ? null : version)) {
            bytes = netty.encode(toNetty(packet, version));
        }
        MqttDecoder decoder = packet instanceof Connect ? serverBeforeConnect() : decoder(receiver, version);
        return decodePacket(decoder, bytes);
    }

    /** Netty's MQTT decoder and encoder on one embedded channel, which shares the protocol version between them. */
    public static final class NettyPeer implements AutoCloseable {

        private final EmbeddedChannel channel = new EmbeddedChannel(
                new io.netty.handler.codec.mqtt.MqttDecoder(MAX_PACKET_SIZE),
                io.netty.handler.codec.mqtt.MqttEncoder.INSTANCE);

        private NettyPeer() {
        }

        /**
         * A peer speaking the version. Netty's codec learns the version from the CONNECT it decodes and keeps it
         * in a channel attribute that its encoder reads too, so a CONNECT of that version is fed in first.
         * {@code null}: a fresh channel, for a CONNECT.
         */
        public static NettyPeer speaking(MqttVersion version) {
            NettyPeer peer = new NettyPeer();
            if (version != null) {
                Connect connect = new Connect(version, true, 60, "primer", null, null, null, MqttProperties.EMPTY);
                assertThat(peer.decode(CodecTestSupport.encode(connect, version), version)).isEqualTo(connect);
            }
            return peer;
        }

        /** Feeds bytes to Netty's decoder and returns the one message it decodes, as our record. */
        public MqttPacket decode(byte[] bytes, MqttVersion version) {
            MqttMessage message = decodeMessage(bytes);
            try {
                return fromNetty(message, version);
            } finally {
                ReferenceCountUtil.release(message);
            }
        }

        /** Feeds bytes to Netty's decoder and returns the one message it decodes; the caller releases it. */
        public MqttMessage decodeMessage(byte[] bytes) {
            channel.writeInbound(ALLOC.buffer(bytes.length).writeBytes(bytes));
            MqttMessage message = channel.readInbound();
            assertThat(message).as("Netty decoded %s", Wire.hex(bytes)).isNotNull();
            Object extra = channel.readInbound();
            ReferenceCountUtil.release(extra);
            assertThat(extra).as("a second message from Netty").isNull();
            if (message.decoderResult().isFailure()) {
                ReferenceCountUtil.release(message);
                throw new AssertionError("Netty rejected " + Wire.hex(bytes), message.decoderResult().cause());
            }
            return message;
        }

        /** Encodes a message with Netty's encoder (which releases it) and returns the bytes. */
        public byte[] encode(MqttMessage message) {
            assertThat(channel.writeOutbound(message)).isTrue();
            ByteBuf buf = channel.readOutbound();
            try {
                return ByteBufUtil.getBytes(buf);
            } finally {
                buf.release();
            }
        }

        @Override
        public void close() {
            channel.finishAndReleaseAll();
        }
    }

    private static io.netty.handler.codec.mqtt.MqttVersion toNetty(MqttVersion v) {
        return switch (v) {
            case MQTT_3_1 -> io.netty.handler.codec.mqtt.MqttVersion.MQTT_3_1;
            case MQTT_3_1_1 -> io.netty.handler.codec.mqtt.MqttVersion.MQTT_3_1_1;
            case MQTT_5 -> io.netty.handler.codec.mqtt.MqttVersion.MQTT_5;
        };
    }

    private static MqttFixedHeader header(MqttMessageType type, MqttQoS qos) {
        return new MqttFixedHeader(type, false, qos, false, 0);
    }

    /** Our packet as Netty's message, for Netty's encoder. */
    public static MqttMessage toNetty(MqttPacket packet, MqttVersion v) {
        return switch (packet) {
            case Connect c -> {
                Will w = c.will();
                io.netty.handler.codec.mqtt.MqttVersion nv = toNetty(c.version());
                yield new MqttConnectMessage(header(MqttMessageType.CONNECT, MqttQoS.AT_MOST_ONCE),
                        new MqttConnectVariableHeader(nv.protocolName(), nv.protocolLevel(), c.username() != null,
                                c.password() != null, w != null && w.retain(), w == null ? 0 : w.qos().level(),
                                w != null, c.cleanStart(), c.keepAlive(), toNetty(c.properties())),
                        new MqttConnectPayload(c.clientId(),
                                w == null ? io.netty.handler.codec.mqtt.MqttProperties.NO_PROPERTIES : toNetty(w.properties()),
                                w == null ? null : w.topic(), w == null ? null : w.payload(),
                                c.username(), c.password()));
            }
            case ConnAck c -> new MqttConnAckMessage(header(MqttMessageType.CONNACK, MqttQoS.AT_MOST_ONCE),
                    new MqttConnAckVariableHeader(MqttConnectReturnCode.valueOf((byte) (v.isV5()
                            ? c.reasonCode().value() : c.reasonCode().v3ConnAckCode())),
                            c.sessionPresent(), toNetty(c.properties())));
            case Publish p -> new MqttPublishMessage(
                    new MqttFixedHeader(MqttMessageType.PUBLISH, p.dup(), MqttQoS.valueOf(p.qos().level()), p.retain(), 0),
                    new MqttPublishVariableHeader(p.topic(), p.packetId(), toNetty(p.properties())),
                    Unpooled.wrappedBuffer(p.payload()));
            case PublishAcknowledgement a -> new MqttMessage(
                    header(MqttMessageType.valueOf(a.type().value()),
                            a instanceof PubRel ? MqttQoS.AT_LEAST_ONCE : MqttQoS.AT_MOST_ONCE),
                    new MqttPubReplyMessageVariableHeader(a.packetId(), (byte) a.reasonCode().value(),
                            toNetty(a.properties())));
            case Subscribe s -> {
                List<MqttTopicSubscription> topics = new ArrayList<>();
                for (Subscription sub : s.subscriptions()) {
                    topics.add(new MqttTopicSubscription(sub.topicFilter(), new MqttSubscriptionOption(
                            MqttQoS.valueOf(sub.qos().level()), sub.noLocal(), sub.retainAsPublished(),
                            MqttSubscriptionOption.RetainedHandlingPolicy.valueOf(sub.retainHandling().value()))));
                }
                yield new MqttSubscribeMessage(header(MqttMessageType.SUBSCRIBE, MqttQoS.AT_LEAST_ONCE),
                        new MqttMessageIdAndPropertiesVariableHeader(s.packetId(), toNetty(s.properties())),
                        new MqttSubscribePayload(topics));
            }
            case SubAck s -> new MqttSubAckMessage(header(MqttMessageType.SUBACK, MqttQoS.AT_MOST_ONCE),
                    new MqttMessageIdAndPropertiesVariableHeader(s.packetId(), toNetty(s.properties())),
                    new MqttSubAckPayload(s.reasonCodes().stream()
                            .mapToInt(rc -> v.isV5() ? rc.value() : rc.v3SubAckCode()).toArray()));
            case Unsubscribe u -> new MqttUnsubscribeMessage(header(MqttMessageType.UNSUBSCRIBE, MqttQoS.AT_LEAST_ONCE),
                    new MqttMessageIdAndPropertiesVariableHeader(u.packetId(), toNetty(u.properties())),
                    new MqttUnsubscribePayload(u.topicFilters()));
            case UnsubAck u -> {
                List<Short> codes = new ArrayList<>();
                u.reasonCodes().forEach(rc -> codes.add((short) rc.value()));
                yield new MqttUnsubAckMessage(header(MqttMessageType.UNSUBACK, MqttQoS.AT_MOST_ONCE),
                        new MqttMessageIdAndPropertiesVariableHeader(u.packetId(), toNetty(u.properties())),
                        new MqttUnsubAckPayload(codes));
            }
            case PingReq p -> MqttMessage.PINGREQ;
            case PingResp p -> MqttMessage.PINGRESP;
            case Disconnect d -> new MqttMessage(header(MqttMessageType.DISCONNECT, MqttQoS.AT_MOST_ONCE),
                    new MqttReasonCodeAndPropertiesVariableHeader((byte) d.reasonCode().value(), toNetty(d.properties())));
            case Auth a -> new MqttMessage(header(MqttMessageType.AUTH, MqttQoS.AT_MOST_ONCE),
                    new MqttReasonCodeAndPropertiesVariableHeader((byte) a.reasonCode().value(), toNetty(a.properties())));
        };
    }

    /** Netty's decoded message as our record; the packet identifier of a QoS 0 PUBLISH becomes 0. */
    public static MqttPacket fromNetty(MqttMessage m, MqttVersion v) {
        MqttFixedHeader h = m.fixedHeader();
        PacketType type = PacketType.of(h.messageType().value());
        return switch (type) {
            case CONNECT -> {
                MqttConnectMessage c = (MqttConnectMessage) m;
                MqttConnectVariableHeader vh = c.variableHeader();
                MqttConnectPayload p = c.payload();
                Will will = vh.isWillFlag()
                        ? new Will(p.willTopic(), p.willMessageInBytes(), Qos.ofLevel(vh.willQos()), vh.isWillRetain(),
                                fromNetty(p.willProperties()))
                        : null;
                yield new Connect(MqttVersion.of(vh.name(), vh.version()), vh.isCleanSession(),
                        vh.keepAliveTimeSeconds(), p.clientIdentifier(), will,
                        vh.hasUserName() ? p.userName() : null, vh.hasPassword() ? p.passwordInBytes() : null,
                        fromNetty(vh.properties()));
            }
            case CONNACK -> {
                MqttConnAckVariableHeader vh = ((MqttConnAckMessage) m).variableHeader();
                int code = vh.connectReturnCode().byteValue() & 0xFF;
                yield new ConnAck(vh.isSessionPresent(),
                        v.isV5() ? ReasonCode.of(code, PacketType.CONNACK) : ReasonCode.ofV3ConnAckCode(code),
                        fromNetty(vh.properties()));
            }
            case PUBLISH -> {
                MqttPublishMessage p = (MqttPublishMessage) m;
                Qos qos = Qos.ofLevel(h.qosLevel().value());
                yield new Publish(h.isDup(), qos, h.isRetain(), p.variableHeader().topicName(),
                        qos == Qos.AT_MOST_ONCE ? 0 : p.variableHeader().packetId(),
                        fromNetty(p.variableHeader().properties()), ByteBufUtil.getBytes(p.payload()));
            }
            case PUBACK, PUBREC, PUBREL, PUBCOMP -> {
                int id = ((MqttMessageIdVariableHeader) m.variableHeader()).messageId();
                ReasonCode reason = ReasonCode.SUCCESS;
                MqttProperties props = MqttProperties.EMPTY;
                if (m.variableHeader() instanceof MqttPubReplyMessageVariableHeader r) {
                    reason = ReasonCode.of(r.reasonCode() & 0xFF, type);
                    props = fromNetty(r.properties());
                }
                yield switch (type) {
                    case PUBACK -> new PubAck(id, reason, props);
                    case PUBREC -> new PubRec(id, reason, props);
                    case PUBREL -> new PubRel(id, reason, props);
                    default -> new PubComp(id, reason, props);
                };
            }
            case SUBSCRIBE -> {
                MqttSubscribeMessage s = (MqttSubscribeMessage) m;
                List<Subscription> subs = new ArrayList<>();
                for (MqttTopicSubscription t : s.payload().topicSubscriptions()) {
                    MqttSubscriptionOption o = t.option();
                    subs.add(new Subscription(t.topicFilter(), Qos.ofLevel(o.qos().value()), o.isNoLocal(),
                            o.isRetainAsPublished(), RetainHandling.of(o.retainHandling().value())));
                }
                yield new Subscribe(s.variableHeader().messageId(), subs,
                        fromNetty(s.idAndPropertiesVariableHeader().properties()));
            }
            case SUBACK -> {
                MqttSubAckMessage s = (MqttSubAckMessage) m;
                List<ReasonCode> codes = new ArrayList<>();
                s.payload().reasonCodes().forEach(code -> codes.add(ReasonCode.of(code, PacketType.SUBACK)));
                yield new SubAck(s.variableHeader().messageId(), codes,
                        fromNetty(s.idAndPropertiesVariableHeader().properties()));
            }
            case UNSUBSCRIBE -> {
                MqttUnsubscribeMessage u = (MqttUnsubscribeMessage) m;
                yield new Unsubscribe(u.variableHeader().messageId(), u.payload().topics(),
                        fromNetty(u.idAndPropertiesVariableHeader().properties()));
            }
            case UNSUBACK -> {
                MqttUnsubAckMessage u = (MqttUnsubAckMessage) m;
                List<ReasonCode> codes = new ArrayList<>();
                if (u.payload() != null) {
                    u.payload().unsubscribeReasonCodes().forEach(code -> codes.add(ReasonCode.of(code, PacketType.UNSUBACK)));
                }
                yield new UnsubAck(u.variableHeader().messageId(), codes,
                        fromNetty(u.idAndPropertiesVariableHeader().properties()));
            }
            case PINGREQ -> PingReq.INSTANCE;
            case PINGRESP -> PingResp.INSTANCE;
            case DISCONNECT -> {
                MqttReasonCodeAndPropertiesVariableHeader vh = (MqttReasonCodeAndPropertiesVariableHeader) m.variableHeader();
                yield vh == null ? Disconnect.NORMAL : new Disconnect(
                        ReasonCode.of(vh.reasonCode() & 0xFF, PacketType.DISCONNECT), fromNetty(vh.properties()));
            }
            case AUTH -> {
                MqttReasonCodeAndPropertiesVariableHeader vh = (MqttReasonCodeAndPropertiesVariableHeader) m.variableHeader();
                yield new Auth(ReasonCode.of(vh.reasonCode() & 0xFF, PacketType.AUTH), fromNetty(vh.properties()));
            }
        };
    }

    /** Our properties as Netty's. */
    public static io.netty.handler.codec.mqtt.MqttProperties toNetty(MqttProperties p) {
        var n = new io.netty.handler.codec.mqtt.MqttProperties();
        if (p.payloadFormatIndicator() != null) {
            n.add(intProperty(io.netty.handler.codec.mqtt.MqttProperties.PAYLOAD_FORMAT_INDICATOR, p.payloadFormatIndicator()));
        }
        if (p.messageExpiryInterval() != null) {
            n.add(intProperty(io.netty.handler.codec.mqtt.MqttProperties.PUBLICATION_EXPIRY_INTERVAL, (int) (long) p.messageExpiryInterval()));
        }
        if (p.contentType() != null) {
            n.add(stringProperty(io.netty.handler.codec.mqtt.MqttProperties.CONTENT_TYPE, p.contentType()));
        }
        if (p.responseTopic() != null) {
            n.add(stringProperty(io.netty.handler.codec.mqtt.MqttProperties.RESPONSE_TOPIC, p.responseTopic()));
        }
        if (p.correlationData() != null) {
            n.add(new io.netty.handler.codec.mqtt.MqttProperties.BinaryProperty(
                    io.netty.handler.codec.mqtt.MqttProperties.CORRELATION_DATA, p.correlationData()));
        }
        for (int id : p.subscriptionIdentifiers()) {
            n.add(intProperty(io.netty.handler.codec.mqtt.MqttProperties.SUBSCRIPTION_IDENTIFIER, id));
        }
        if (p.sessionExpiryInterval() != null) {
            n.add(intProperty(io.netty.handler.codec.mqtt.MqttProperties.SESSION_EXPIRY_INTERVAL, (int) (long) p.sessionExpiryInterval()));
        }
        if (p.assignedClientIdentifier() != null) {
            n.add(stringProperty(io.netty.handler.codec.mqtt.MqttProperties.ASSIGNED_CLIENT_IDENTIFIER, p.assignedClientIdentifier()));
        }
        if (p.serverKeepAlive() != null) {
            n.add(intProperty(io.netty.handler.codec.mqtt.MqttProperties.SERVER_KEEP_ALIVE, p.serverKeepAlive()));
        }
        if (p.authenticationMethod() != null) {
            n.add(stringProperty(io.netty.handler.codec.mqtt.MqttProperties.AUTHENTICATION_METHOD, p.authenticationMethod()));
        }
        if (p.authenticationData() != null) {
            n.add(new io.netty.handler.codec.mqtt.MqttProperties.BinaryProperty(
                    io.netty.handler.codec.mqtt.MqttProperties.AUTHENTICATION_DATA, p.authenticationData()));
        }
        if (p.requestProblemInformation() != null) {
            n.add(intProperty(io.netty.handler.codec.mqtt.MqttProperties.REQUEST_PROBLEM_INFORMATION, p.requestProblemInformation() ? 1 : 0));
        }
        if (p.willDelayInterval() != null) {
            n.add(intProperty(io.netty.handler.codec.mqtt.MqttProperties.WILL_DELAY_INTERVAL, (int) (long) p.willDelayInterval()));
        }
        if (p.requestResponseInformation() != null) {
            n.add(intProperty(io.netty.handler.codec.mqtt.MqttProperties.REQUEST_RESPONSE_INFORMATION, p.requestResponseInformation() ? 1 : 0));
        }
        if (p.responseInformation() != null) {
            n.add(stringProperty(io.netty.handler.codec.mqtt.MqttProperties.RESPONSE_INFORMATION, p.responseInformation()));
        }
        if (p.serverReference() != null) {
            n.add(stringProperty(io.netty.handler.codec.mqtt.MqttProperties.SERVER_REFERENCE, p.serverReference()));
        }
        if (p.reasonString() != null) {
            n.add(stringProperty(io.netty.handler.codec.mqtt.MqttProperties.REASON_STRING, p.reasonString()));
        }
        if (p.receiveMaximum() != null) {
            n.add(intProperty(io.netty.handler.codec.mqtt.MqttProperties.RECEIVE_MAXIMUM, p.receiveMaximum()));
        }
        if (p.topicAliasMaximum() != null) {
            n.add(intProperty(io.netty.handler.codec.mqtt.MqttProperties.TOPIC_ALIAS_MAXIMUM, p.topicAliasMaximum()));
        }
        if (p.topicAlias() != null) {
            n.add(intProperty(io.netty.handler.codec.mqtt.MqttProperties.TOPIC_ALIAS, p.topicAlias()));
        }
        if (p.maximumQos() != null) {
            n.add(intProperty(io.netty.handler.codec.mqtt.MqttProperties.MAXIMUM_QOS, p.maximumQos().level()));
        }
        if (p.retainAvailable() != null) {
            n.add(intProperty(io.netty.handler.codec.mqtt.MqttProperties.RETAIN_AVAILABLE, p.retainAvailable() ? 1 : 0));
        }
        for (UserProperty u : p.userProperties()) {
            n.add(new io.netty.handler.codec.mqtt.MqttProperties.UserProperty(u.name(), u.value()));
        }
        if (p.maximumPacketSize() != null) {
            n.add(intProperty(io.netty.handler.codec.mqtt.MqttProperties.MAXIMUM_PACKET_SIZE, (int) (long) p.maximumPacketSize()));
        }
        if (p.wildcardSubscriptionAvailable() != null) {
            n.add(intProperty(io.netty.handler.codec.mqtt.MqttProperties.WILDCARD_SUBSCRIPTION_AVAILABLE, p.wildcardSubscriptionAvailable() ? 1 : 0));
        }
        if (p.subscriptionIdentifierAvailable() != null) {
            n.add(intProperty(io.netty.handler.codec.mqtt.MqttProperties.SUBSCRIPTION_IDENTIFIER_AVAILABLE, p.subscriptionIdentifierAvailable() ? 1 : 0));
        }
        if (p.sharedSubscriptionAvailable() != null) {
            n.add(intProperty(io.netty.handler.codec.mqtt.MqttProperties.SHARED_SUBSCRIPTION_AVAILABLE, p.sharedSubscriptionAvailable() ? 1 : 0));
        }
        return n;
    }

    private static io.netty.handler.codec.mqtt.MqttProperties.IntegerProperty intProperty(int id, int value) {
        return new io.netty.handler.codec.mqtt.MqttProperties.IntegerProperty(id, value);
    }

    private static io.netty.handler.codec.mqtt.MqttProperties.StringProperty stringProperty(int id, String value) {
        return new io.netty.handler.codec.mqtt.MqttProperties.StringProperty(id, value);
    }

    /** Netty's decoded properties as ours. */
    public static MqttProperties fromNetty(io.netty.handler.codec.mqtt.MqttProperties n) {
        MqttProperties.Builder b = MqttProperties.builder();
        if (n == null) {
            return b.build();
        }
        for (io.netty.handler.codec.mqtt.MqttProperties.MqttProperty<?> p : n.listAll()) {
            Object value = p.value();
            switch (p.propertyId()) {
                case 0x01 -> b.payloadFormatIndicator((Integer) value);
                case 0x02 -> b.messageExpiryInterval(Integer.toUnsignedLong((Integer) value));
                case 0x03 -> b.contentType((String) value);
                case 0x08 -> b.responseTopic((String) value);
                case 0x09 -> b.correlationData((byte[]) value);
                case 0x0B -> b.addSubscriptionIdentifier((Integer) value);
                case 0x11 -> b.sessionExpiryInterval(Integer.toUnsignedLong((Integer) value));
                case 0x12 -> b.assignedClientIdentifier((String) value);
                case 0x13 -> b.serverKeepAlive((Integer) value);
                case 0x15 -> b.authenticationMethod((String) value);
                case 0x16 -> b.authenticationData((byte[]) value);
                case 0x17 -> b.requestProblemInformation(flag(value));
                case 0x18 -> b.willDelayInterval(Integer.toUnsignedLong((Integer) value));
                case 0x19 -> b.requestResponseInformation(flag(value));
                case 0x1A -> b.responseInformation((String) value);
                case 0x1C -> b.serverReference((String) value);
                case 0x1F -> b.reasonString((String) value);
                case 0x21 -> b.receiveMaximum((Integer) value);
                case 0x22 -> b.topicAliasMaximum((Integer) value);
                case 0x23 -> b.topicAlias((Integer) value);
                case 0x24 -> b.maximumQos(Qos.ofLevel((Integer) value));
                case 0x25 -> b.retainAvailable(flag(value));
                case 0x26 -> {
                    if (value instanceof List<?> pairs) {
                        for (Object pair : pairs) {
                            var sp = (io.netty.handler.codec.mqtt.MqttProperties.StringPair) pair;
                            b.addUserProperty(sp.key, sp.value);
                        }
                    } else {
                        var sp = (io.netty.handler.codec.mqtt.MqttProperties.StringPair) value;
                        b.addUserProperty(sp.key, sp.value);
                    }
                }
                case 0x27 -> b.maximumPacketSize(Integer.toUnsignedLong((Integer) value));
                case 0x28 -> b.wildcardSubscriptionAvailable(flag(value));
                case 0x29 -> b.subscriptionIdentifierAvailable(flag(value));
                case 0x2A -> b.sharedSubscriptionAvailable(flag(value));
                default -> throw new AssertionError("Netty decoded an unknown property " + p.propertyId());
            }
        }
        return b.build();
    }

    private static boolean flag(Object value) {
        int v = (Integer) value;
        assertThat(v).as("a byte flag property").isBetween(0, 1);
        return v == 1;
    }

    // ------------------------------------------------------------------------------------------------------
    // Raw bytes

    /** Builds raw packet bytes: the MQTT data types, and a fixed header around them. */
    public static final class Wire {

        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        private Wire() {
        }

        /** A new builder starting with these bytes. */
        public static Wire of(int... bytes) {
            return new Wire().u8(bytes);
        }

        public Wire u8(int... bytes) {
            for (int b : bytes) {
                out.write(b);
            }
            return this;
        }

        public Wire u16(int v) {
            return u8(v >> 8 & 0xFF, v & 0xFF);
        }

        public Wire u32(long v) {
            return u8((int) (v >> 24 & 0xFF), (int) (v >> 16 & 0xFF), (int) (v >> 8 & 0xFF), (int) (v & 0xFF));
        }

        /** A Variable Byte Integer. */
        public Wire varInt(int v) {
            do {
                int b = v & 0x7F;
                v >>>= 7;
                out.write(v > 0 ? b | 0x80 : b);
            } while (v > 0);
            return this;
        }

        /** A UTF-8 Encoded String: two length bytes and the UTF-8 bytes. */
        public Wire utf8(String s) {
            return binary(s.getBytes(StandardCharsets.UTF_8));
        }

        /** Binary Data (or a string of raw, possibly ill-formed bytes): two length bytes and the bytes. */
        public Wire binary(byte[] b) {
            u16(b.length);
            out.writeBytes(b);
            return this;
        }

        /** Raw bytes. */
        public Wire raw(byte[] b) {
            out.writeBytes(b);
            return this;
        }

        /** A property length and the properties built by {@code props}. */
        public Wire props(Wire props) {
            byte[] b = props.bytes();
            varInt(b.length);
            out.writeBytes(b);
            return this;
        }

        /** A property length of 0. */
        public Wire noProps() {
            return u8(0);
        }

        public byte[] bytes() {
            return out.toByteArray();
        }

        /** These bytes as the variable header and payload of a packet with this first byte. */
        public byte[] packet(int firstByte) {
            byte[] body = bytes();
            return new Wire().u8(firstByte).varInt(body.length).raw(body).bytes();
        }

        /** Hex for messages. */
        public static String hex(byte[] bytes) {
            return ByteBufUtil.hexDump(bytes);
        }
    }

    /** Concatenates byte arrays, for several packets in one read. */
    public static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    /** Replaces the first byte (type and flags) of an encoded packet. */
    public static byte[] withFirstByte(byte[] packet, int firstByte) {
        byte[] copy = packet.clone();
        copy[0] = (byte) firstByte;
        return copy;
    }

    /** Appends bytes to an encoded packet whose remaining length fits one byte, adjusting the remaining length. */
    public static byte[] withTrailingBytes(byte[] packet, int... extra) {
        assertThat(packet[1] & 0x80).as("a one-byte remaining length").isZero();
        Wire body = Wire.of();
        body.raw(java.util.Arrays.copyOfRange(packet, 2, packet.length));
        body.u8(extra);
        return body.packet(packet[0] & 0xFF);
    }

    // ------------------------------------------------------------------------------------------------------
    // Leak check

    /**
     * Fails a test class when Netty's leak detector reports an unreleased buffer while or after it ran. Leak
     * detection is set to paranoid (every buffer tracked); after the class, garbage is collected and buffers are
     * allocated so the detector reports what it found.
     */
    public static final class NoLeaks implements BeforeAllCallback, AfterAllCallback {

        private static final List<String> LEAKS = Collections.synchronizedList(new ArrayList<>());

        /** Held strongly: the JDK keeps loggers only weakly, and the handler would go with a collected logger. */
        private static final Logger LEAK_LOGGER = Logger.getLogger(ResourceLeakDetector.class.getName());

        static {
            // Leaks are reported through Netty's logger: make it the JDK's, which a handler can watch.
            InternalLoggerFactory.setDefaultFactory(JdkLoggerFactory.INSTANCE);
            LEAK_LOGGER.addHandler(new Handler() {
                @Override
                public void publish(LogRecord record) {
                    if (record.getMessage() != null && record.getMessage().contains("LEAK")) {
                        LEAKS.add(record.getMessage());
                    }
                }

                @Override
                public void flush() {
                }

                @Override
                public void close() {
                }
            });
            ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
        }

        @Override
        public void beforeAll(ExtensionContext context) {
            LEAKS.clear();
        }

        @Override
        public void afterAll(ExtensionContext context) throws InterruptedException {
            for (int round = 0; round < 2; round++) {
                System.gc();
                Thread.sleep(20);
                for (int i = 0; i < 8; i++) {
                    ALLOC.buffer(8).release();
                    ALLOC.heapBuffer(8).release();
                }
            }
            List<String> leaks;
            synchronized (LEAKS) {
                leaks = List.copyOf(LEAKS);
                LEAKS.clear();
            }
            assertThat(leaks).as("buffers leaked by %s", context.getDisplayName()).isEmpty();
        }
    }
}
