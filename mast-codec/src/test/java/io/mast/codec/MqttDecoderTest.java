package io.mast.codec;

import static io.mast.codec.CodecTestSupport.ALLOC;
import static io.mast.codec.CodecTestSupport.MAX_PACKET_SIZE;
import static io.mast.codec.CodecTestSupport.concat;
import static io.mast.codec.CodecTestSupport.encode;
import static org.assertj.core.api.Assertions.assertThat;

import io.mast.codec.CodecTestSupport.NoLeaks;
import io.mast.codec.CodecTestSupport.Wire;
import io.mast.codec.MqttDecoder.Role;
import io.mast.codec.packet.Auth;
import io.mast.codec.packet.ConnAck;
import io.mast.codec.packet.Connect;
import io.mast.codec.packet.Disconnect;
import io.mast.codec.packet.MqttPacket;
import io.mast.codec.packet.PingReq;
import io.mast.codec.packet.PubRel;
import io.mast.codec.packet.Publish;
import io.mast.codec.packet.SubAck;
import io.mast.codec.packet.Subscribe;
import io.mast.codec.packet.Subscription;
import io.mast.codec.packet.UnsubAck;
import io.mast.codec.packet.Unsubscribe;
import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Framing, direction and fixed-header checks of {@link MqttDecoder} in a Netty pipeline. */
@ExtendWith(NoLeaks.class)
class MqttDecoderTest {

    private static final MqttVersion V5 = MqttVersion.MQTT_5;
    private static final MqttVersion V311 = MqttVersion.MQTT_3_1_1;

    /** Packet types a server sends; a client never does. */
    private static final Set<PacketType> SERVER_ONLY =
            EnumSet.of(PacketType.CONNACK, PacketType.SUBACK, PacketType.UNSUBACK, PacketType.PINGRESP);

    private final List<EmbeddedChannel> channels = new ArrayList<>();

    @AfterEach
    void closeChannels() {
        for (EmbeddedChannel ch : channels) {
            ch.checkException();
            assertThat(ch.finishAndReleaseAll()).as("messages left unread").isFalse();
        }
    }

    private EmbeddedChannel channel(MqttDecoder decoder) {
        EmbeddedChannel ch = new EmbeddedChannel(decoder);
        channels.add(ch);
        return ch;
    }

    private EmbeddedChannel server() {
        return channel(MqttDecoder.forServer(MAX_PACKET_SIZE));
    }

    /** A server that has decoded a CONNECT of the version. */
    private EmbeddedChannel connectedServer(MqttVersion v) {
        EmbeddedChannel ch = server();
        assertThat(feed(ch, encode(connect(v), v))).containsExactly(connect(v));
        return ch;
    }

    private EmbeddedChannel client(MqttVersion v) {
        return channel(MqttDecoder.forClient(MAX_PACKET_SIZE, v));
    }

    /** Writes the bytes as one read and returns what the decoder emitted. */
    private static List<Object> feed(EmbeddedChannel ch, byte[] bytes) {
        ch.writeInbound(ALLOC.buffer(bytes.length).writeBytes(bytes));
        return drain(ch);
    }

    private static List<Object> drain(EmbeddedChannel ch) {
        List<Object> out = new ArrayList<>();
        for (Object o = ch.readInbound(); o != null; o = ch.readInbound()) {
            out.add(o);
        }
        return out;
    }

    /** Writes the bytes as one read and returns the single failure the decoder must emit. */
    private static DecodeFailure failure(EmbeddedChannel ch, byte[] bytes) {
        List<Object> out = feed(ch, bytes);
        assertThat(out).hasSize(1);
        assertThat(out.getFirst()).isInstanceOf(DecodeFailure.class);
        return (DecodeFailure) out.getFirst();
    }

    private static Connect connect(MqttVersion v) {
        return new Connect(v, true, 30, "client-1", null, null, null,
                v.isV5() ? MqttProperties.builder().receiveMaximum(10).build() : MqttProperties.EMPTY);
    }

    private static Publish publish(MqttVersion v) {
        return new Publish(false, Qos.AT_LEAST_ONCE, false, "a/b", 1,
                v.isV5() ? MqttProperties.builder().messageExpiryInterval(60L).build() : MqttProperties.EMPTY,
                new byte[] {1, 2, 3});
    }

    private static Subscribe subscribe() {
        return new Subscribe(2, List.of(new Subscription("a/#", Qos.AT_LEAST_ONCE)), MqttProperties.EMPTY);
    }

    /** The smallest well-formed fixed header of a type (flags as required, remaining length 0). */
    private static byte[] bareHeader(PacketType type) {
        int flags = type == PacketType.PUBLISH ? 0 : type.requiredFlags();
        return new byte[] {(byte) (type.value() << 4 | flags), 0};
    }

    // ---------------------------------------------------------------------------------------- framing

    @ParameterizedTest
    @EnumSource(names = {"MQTT_3_1_1", "MQTT_5"})
    void packetsArrivingByteByByteAreDecodedWhenComplete(MqttVersion v) {
        EmbeddedChannel ch = server();
        byte[] connect = encode(connect(v), v);
        byte[] publish = encode(publish(v), v);
        List<Object> out = new ArrayList<>();
        byte[] all = concat(connect, publish);
        for (int i = 0; i < all.length; i++) {
            out.addAll(feed(ch, new byte[] {all[i]}));
            int expected = i + 1 < connect.length ? 0 : i + 1 < all.length ? 1 : 2;
            assertThat(out).as("after byte %d", i).hasSize(expected);
        }
        assertThat(out).containsExactly(connect(v), publish(v));
    }

    @Test
    void packetsSplitAtEveryPositionAreDecoded() {
        byte[] all = concat(encode(connect(V5), V5), encode(publish(V5), V5), encode(PingReq.INSTANCE, V5));
        for (int split = 1; split < all.length; split++) {
            EmbeddedChannel ch = server();
            List<Object> out = new ArrayList<>(feed(ch, Arrays.copyOfRange(all, 0, split)));
            out.addAll(feed(ch, Arrays.copyOfRange(all, split, all.length)));
            assertThat(out).as("split at %d", split).containsExactly(connect(V5), publish(V5), PingReq.INSTANCE);
        }
    }

    @Test
    void severalPacketsInOneBufferAreAllDecoded() {
        EmbeddedChannel ch = server();
        Unsubscribe unsubscribe = new Unsubscribe(3, List.of("a/#"), MqttProperties.EMPTY);
        PubRel pubRel = new PubRel(1);
        byte[] all = concat(encode(connect(V5), V5), encode(publish(V5), V5), encode(subscribe(), V5),
                encode(PingReq.INSTANCE, V5), encode(pubRel, V5), encode(unsubscribe, V5), encode(Disconnect.NORMAL, V5));
        assertThat(feed(ch, all)).containsExactly(connect(V5), publish(V5), subscribe(), PingReq.INSTANCE, pubRel,
                unsubscribe, Disconnect.NORMAL);
    }

    @Test
    void clientDecodesServerPackets() {
        EmbeddedChannel ch = client(V5);
        ConnAck connAck = new ConnAck(false, ReasonCode.SUCCESS, MqttProperties.builder().topicAliasMaximum(5).build());
        SubAck subAck = new SubAck(2, List.of(ReasonCode.GRANTED_QOS_1), MqttProperties.EMPTY);
        UnsubAck unsubAck = new UnsubAck(3, List.of(ReasonCode.NO_SUBSCRIPTION_EXISTED), MqttProperties.EMPTY);
        Auth auth = new Auth(ReasonCode.CONTINUE_AUTHENTICATION, MqttProperties.builder().authenticationMethod("m").build());
        byte[] all = concat(encode(connAck, V5), encode(subAck, V5), encode(unsubAck, V5), encode(auth, V5),
                encode(io.mast.codec.packet.PingResp.INSTANCE, V5), encode(Disconnect.NORMAL, V5));
        assertThat(feed(ch, all)).containsExactly(connAck, subAck, unsubAck, auth,
                io.mast.codec.packet.PingResp.INSTANCE, Disconnect.NORMAL);
    }

    @Test
    void decodeOneConsumesNothingUntilThePacketIsComplete() {
        MqttDecoder decoder = new MqttDecoder(Role.SERVER, MAX_PACKET_SIZE, V5);
        byte[] bytes = encode(publish(V5), V5);
        for (int n = 0; n < bytes.length; n++) {
            ByteBuf buf = ALLOC.buffer().writeBytes(bytes, 0, n);
            try {
                assertThat(decoder.decodeOne(buf)).as("%d of %d bytes", n, bytes.length).isNull();
                assertThat(buf.readerIndex()).isZero();
            } finally {
                buf.release();
            }
        }
    }

    @Test
    void remainingLengthOfFiveBytesIsMalformed() {
        EmbeddedChannel ch = connectedServer(V5);
        DecodeFailure f = failure(ch, new byte[] {0x30, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x01});
        assertThat(f.reasonCode()).isEqualTo(ReasonCode.MALFORMED_PACKET);
        assertThat(f.packetType()).isEqualTo(PacketType.PUBLISH);
        // Decided at the fourth continuation byte, without waiting for a fifth.
        assertThat(failure(connectedServer(V5), new byte[] {0x30, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80})
                .reasonCode()).isEqualTo(ReasonCode.MALFORMED_PACKET);
    }

    /**
     * [MQTT-1.5.5-1]: a Remaining Length must use the fewest bytes. C0 80 00 (a PINGREQ whose length 0 takes two bytes)
     * and a PUBLISH whose length 5 takes four bytes are malformed, on 3.1.1 as on 5.0, and before CONNECT too.
     */
    @ParameterizedTest
    @EnumSource(names = {"MQTT_3_1_1", "MQTT_5"})
    void remainingLengthInMoreBytesThanNeededIsMalformed(MqttVersion v) {
        DecodeFailure ping = failure(connectedServer(v), new byte[] {(byte) 0xC0, (byte) 0x80, 0x00});
        assertThat(ping.reasonCode()).isEqualTo(ReasonCode.MALFORMED_PACKET);
        assertThat(ping.packetType()).isEqualTo(PacketType.PINGREQ);
        assertThat(ping.message()).contains("remaining length 0 encoded in 2 bytes");

        byte[] publish = Wire.of(0x30, 0x85, 0x80, 0x80, 0x00).utf8("a/b").bytes();
        assertThat(failure(connectedServer(v), publish).reasonCode()).isEqualTo(ReasonCode.MALFORMED_PACKET);
        // Decided at the last byte of the length: nothing more is waited for.
        assertThat(failure(client(v), new byte[] {(byte) 0xD0, (byte) 0xFF, 0x00}).reasonCode())
                .isEqualTo(ReasonCode.MALFORMED_PACKET);

        byte[] connect = encode(connect(v), v);
        byte[] longConnect = Wire.of(0x10, (connect[1] & 0x7F) | 0x80, 0x00)
                .raw(Arrays.copyOfRange(connect, 2, connect.length)).bytes();
        assertThat(failure(server(), longConnect).reasonCode()).isEqualTo(ReasonCode.MALFORMED_PACKET);
    }

    /** The fewest bytes are accepted at each size's boundaries: 127 in one byte, 128 in two, 16,384 in three. */
    @Test
    void remainingLengthAtTheBoundariesOfEachSizeIsFramed() {
        for (int size : new int[] {127, 128, 16_383, 16_384}) {
            Publish p = new Publish(false, Qos.AT_MOST_ONCE, false, "t", 0, MqttProperties.EMPTY, new byte[size - 3]);
            assertThat(feed(connectedServer(V311), encode(p, V311))).as("remaining length %d", size).containsExactly(p);
        }
    }

    @Test
    void largestRemainingLengthIsFramed() {
        MqttDecoder decoder = new MqttDecoder(Role.SERVER, MAX_PACKET_SIZE, V311);
        ByteBuf header = ALLOC.buffer().writeBytes(new byte[] {0x30, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x7F, 0, 1, 'a'});
        try {
            assertThat(decoder.decodeOne(header)).as("waits for 268,435,455 bytes").isNull();
        } finally {
            header.release();
        }
    }

    @Test
    void packetLargerThanTheLimitIsRejectedFromItsHeader() {
        EmbeddedChannel ch = channel(MqttDecoder.forServer(64));
        feed(ch, encode(connect(V311), V311));
        // A PUBLISH announcing 1,000 bytes: only its fixed header and two bytes arrive.
        ByteBuf head = ALLOC.buffer().writeBytes(new byte[] {0x30, (byte) 0xE8, 0x07, 0x00, 0x01});
        head.retain();
        ch.writeInbound(head);
        List<Object> out = drain(ch);
        assertThat(out).hasSize(1);
        DecodeFailure f = (DecodeFailure) out.getFirst();
        assertThat(f.reasonCode()).isEqualTo(ReasonCode.PACKET_TOO_LARGE);
        assertThat(f.packetType()).isEqualTo(PacketType.PUBLISH);
        assertThat(f.version()).isEqualTo(V311);
        assertThat(head.refCnt()).as("the decoder kept nothing of the buffer").isEqualTo(1);
        head.release();
        // The body that follows is discarded, not buffered.
        ByteBuf body = ALLOC.buffer().writeZero(998);
        body.retain();
        ch.writeInbound(body);
        assertThat(drain(ch)).isEmpty();
        assertThat(body.refCnt()).isEqualTo(1);
        body.release();
    }

    @Test
    void packetOfExactlyTheLimitIsAccepted() {
        byte[] connectBytes = encode(connect(V311), V311);
        MqttDecoder atLimit = MqttDecoder.forServer(connectBytes.length);
        assertThat(feed(channel(atLimit), connectBytes)).containsExactly(connect(V311));
        DecodeFailure f = failure(channel(MqttDecoder.forServer(connectBytes.length - 1)), connectBytes);
        assertThat(f.reasonCode()).isEqualTo(ReasonCode.PACKET_TOO_LARGE);
    }

    @Test
    void theLimitCanBeChangedLater() {
        MqttDecoder decoder = MqttDecoder.forClient(MAX_PACKET_SIZE, V5);
        EmbeddedChannel ch = channel(decoder);
        byte[] bytes = encode(publish(V5), V5);
        assertThat(feed(ch, bytes)).containsExactly(publish(V5));
        decoder.maxPacketSize(bytes.length - 1);
        assertThat(failure(ch, bytes).reasonCode()).isEqualTo(ReasonCode.PACKET_TOO_LARGE);
    }

    @Test
    void everythingAfterAFailureIsDiscarded() {
        EmbeddedChannel ch = connectedServer(V5);
        byte[] bad = {0x31 | 0x06, 0};
        byte[] good = encode(PingReq.INSTANCE, V5);
        List<Object> out = feed(ch, concat(bad, good, good));
        assertThat(out).hasSize(1).first().isInstanceOf(DecodeFailure.class);
        ByteBuf later = ALLOC.buffer().writeBytes(concat(good, encode(publish(V5), V5)));
        later.retain();
        ch.writeInbound(later);
        assertThat(drain(ch)).isEmpty();
        assertThat(later.refCnt()).as("discarded, not buffered").isEqualTo(1);
        later.release();
    }

    @Test
    void aFailureInsideAPacketAlsoStopsDecoding() {
        EmbeddedChannel ch = connectedServer(V5);
        byte[] badSubscribe = Wire.of().u16(1).noProps().utf8("t").u8(0x30).packet(0x82);
        List<Object> out = feed(ch, concat(encode(PingReq.INSTANCE, V5), badSubscribe, encode(PingReq.INSTANCE, V5)));
        assertThat(out).hasSize(2);
        assertThat(out.get(0)).isEqualTo(PingReq.INSTANCE);
        assertThat(((DecodeFailure) out.get(1)).reasonCode()).isEqualTo(ReasonCode.PROTOCOL_ERROR);
        assertThat(((DecodeFailure) out.get(1)).version()).isEqualTo(V5);
        assertThat(feed(ch, encode(PingReq.INSTANCE, V5))).isEmpty();
    }

    // ---------------------------------------------------------------------------------------- packet order and direction

    @ParameterizedTest
    @EnumSource(value = PacketType.class, names = "CONNECT", mode = EnumSource.Mode.EXCLUDE)
    void firstPacketMustBeConnect(PacketType type) {
        DecodeFailure f = failure(server(), bareHeader(type));
        assertThat(f.reasonCode()).isEqualTo(ReasonCode.PROTOCOL_ERROR);
        assertThat(f.packetType()).isEqualTo(type);
        assertThat(f.version()).isNull();
    }

    @ParameterizedTest
    @EnumSource(names = {"MQTT_3_1_1", "MQTT_5"})
    void secondConnectIsAProtocolError(MqttVersion v) {
        DecodeFailure f = failure(connectedServer(v), encode(connect(v), v));
        assertThat(f.reasonCode()).isEqualTo(ReasonCode.PROTOCOL_ERROR);
        assertThat(f.packetType()).isEqualTo(PacketType.CONNECT);
    }

    @ParameterizedTest
    @EnumSource(names = {"CONNACK", "SUBACK", "UNSUBACK", "PINGRESP"})
    void serverOnlyPacketsFromAClientAreAProtocolError(PacketType type) {
        assertThat(failure(connectedServer(V5), bareHeader(type)).reasonCode()).isEqualTo(ReasonCode.PROTOCOL_ERROR);
        assertThat(failure(connectedServer(V311), bareHeader(type)).reasonCode()).isEqualTo(ReasonCode.PROTOCOL_ERROR);
    }

    @ParameterizedTest
    @EnumSource(names = {"CONNECT", "SUBSCRIBE", "UNSUBSCRIBE", "PINGREQ"})
    void clientOnlyPacketsFromAServerAreAProtocolError(PacketType type) {
        assertThat(failure(client(V5), bareHeader(type)).reasonCode()).isEqualTo(ReasonCode.PROTOCOL_ERROR);
        assertThat(failure(client(V311), bareHeader(type)).reasonCode()).isEqualTo(ReasonCode.PROTOCOL_ERROR);
    }

    @Test
    void disconnectFromA311ServerIsAProtocolError() {
        assertThat(failure(client(V311), bareHeader(PacketType.DISCONNECT)).reasonCode()).isEqualTo(ReasonCode.PROTOCOL_ERROR);
        assertThat(feed(client(V5), bareHeader(PacketType.DISCONNECT))).containsExactly(Disconnect.NORMAL);
    }

    @Test
    void authOn311IsMalformed() {
        DecodeFailure fromClient = failure(connectedServer(V311), bareHeader(PacketType.AUTH));
        assertThat(fromClient.reasonCode()).isEqualTo(ReasonCode.MALFORMED_PACKET);
        assertThat(fromClient.packetType()).isEqualTo(PacketType.AUTH);
        assertThat(failure(client(V311), bareHeader(PacketType.AUTH)).reasonCode()).isEqualTo(ReasonCode.MALFORMED_PACKET);
        assertThat(feed(connectedServer(V5), bareHeader(PacketType.AUTH)))
                .containsExactly(new Auth(ReasonCode.SUCCESS, MqttProperties.EMPTY));
    }

    @Test
    void reservedPacketType0IsMalformed() {
        DecodeFailure f = failure(connectedServer(V5), new byte[] {0x00, 0x00});
        assertThat(f.reasonCode()).isEqualTo(ReasonCode.MALFORMED_PACKET);
        assertThat(f.packetType()).isNull();
        assertThat(failure(server(), new byte[] {0x00, 0x00}).reasonCode()).isEqualTo(ReasonCode.MALFORMED_PACKET);
    }

    // ---------------------------------------------------------------------------------------- fixed-header flags

    @ParameterizedTest
    @EnumSource(value = PacketType.class, names = "PUBLISH", mode = EnumSource.Mode.EXCLUDE)
    void fixedHeaderFlagsOtherThanTheRequiredAreMalformed(PacketType type) {
        int required = type == PacketType.PUBREL || type == PacketType.SUBSCRIBE || type == PacketType.UNSUBSCRIBE
                ? 0b0010 : 0b0000;
        for (int flags = 0; flags < 16; flags++) {
            if (flags == required) {
                continue;
            }
            EmbeddedChannel ch = type == PacketType.CONNECT ? server()
                    : SERVER_ONLY.contains(type) ? client(V5) : connectedServer(V5);
            byte[] header = {(byte) (type.value() << 4 | flags), 0};
            DecodeFailure f = failure(ch, header);
            assertThat(f.reasonCode()).as("%s with flags %d", type, flags).isEqualTo(ReasonCode.MALFORMED_PACKET);
            assertThat(f.packetType()).isEqualTo(type);
        }
    }

    @Test
    void publishQos3AndDupOnQos0AreMalformed() {
        assertThat(failure(connectedServer(V5), encodeWithFirstByte(publish(V5), 0x36)).reasonCode())
                .isEqualTo(ReasonCode.MALFORMED_PACKET);
        assertThat(failure(connectedServer(V5), encodeWithFirstByte(publish(V5), 0x37)).reasonCode())
                .isEqualTo(ReasonCode.MALFORMED_PACKET);
        Publish qos0 = new Publish(false, Qos.AT_MOST_ONCE, false, "t", 0, MqttProperties.EMPTY, new byte[0]);
        assertThat(failure(connectedServer(V311), encodeWithFirstByte(qos0, 0x38)).reasonCode())
                .isEqualTo(ReasonCode.MALFORMED_PACKET);
    }

    @Test
    void everyValidPublishFlagCombinationIsAccepted() {
        for (int flags = 0; flags < 16; flags++) {
            int qos = flags >> 1 & 3;
            if (qos == 3 || (qos == 0 && (flags & 8) != 0)) {
                continue;
            }
            Publish p = new Publish((flags & 8) != 0, Qos.ofLevel(qos), (flags & 1) != 0, "t", qos == 0 ? 0 : 5,
                    MqttProperties.EMPTY, new byte[] {9});
            byte[] bytes = encode(p, V5);
            assertThat(bytes[0] & 0x0F).isEqualTo(flags);
            assertThat(feed(connectedServer(V5), bytes)).as("flags %d", flags).containsExactly(p);
        }
    }

    private static byte[] encodeWithFirstByte(MqttPacket packet, int firstByte) {
        return CodecTestSupport.withFirstByte(encode(packet, V5), firstByte);
    }

    // ---------------------------------------------------------------------------------------- robustness

    /** Valid packets of every type, each with the side that receives it. */
    private static List<Map.Entry<Role, MqttPacket>> corpus(MqttVersion v) {
        MqttProperties reason = v.isV5()
                ? MqttProperties.builder().reasonString("r").addUserProperty("k", "v").build() : MqttProperties.EMPTY;
        List<Map.Entry<Role, MqttPacket>> packets = new ArrayList<>(List.of(
                Map.entry(Role.SERVER, new Connect(v, false, 5, "c", new io.mast.codec.packet.Will("w", new byte[] {1},
                        Qos.AT_LEAST_ONCE, true, v.isV5() ? MqttProperties.builder().willDelayInterval(3L).build()
                        : MqttProperties.EMPTY), "u", new byte[] {2}, connect(v).properties())),
                Map.entry(Role.CLIENT, new ConnAck(true, ReasonCode.SUCCESS, v.isV5()
                        ? MqttProperties.builder().maximumQos(Qos.AT_LEAST_ONCE).serverKeepAlive(9).build()
                        : MqttProperties.EMPTY)),
                Map.entry(Role.SERVER, publish(v)),
                Map.entry(Role.CLIENT, new Publish(true, Qos.EXACTLY_ONCE, true, "x/y", 3, v.isV5()
                        ? MqttProperties.builder().addSubscriptionIdentifier(7).topicAlias(2).build()
                        : MqttProperties.EMPTY, new byte[] {4, 5})),
                Map.entry(Role.SERVER, new io.mast.codec.packet.PubAck(1, v.isV5() ? ReasonCode.QUOTA_EXCEEDED
                        : ReasonCode.SUCCESS, reason)),
                Map.entry(Role.CLIENT, new io.mast.codec.packet.PubRec(2)),
                Map.entry(Role.SERVER, new PubRel(3, ReasonCode.SUCCESS, reason)),
                Map.entry(Role.CLIENT, new io.mast.codec.packet.PubComp(4)),
                Map.entry(Role.SERVER, new Subscribe(5, List.of(new Subscription("a/+", Qos.EXACTLY_ONCE, v.isV5(),
                        false, v.isV5() ? io.mast.codec.packet.RetainHandling.DO_NOT_SEND
                        : io.mast.codec.packet.RetainHandling.SEND_ON_SUBSCRIBE), new Subscription("$share/g/b", Qos.AT_MOST_ONCE)),
                        v.isV5() ? MqttProperties.builder().addSubscriptionIdentifier(300).build() : MqttProperties.EMPTY)),
                Map.entry(Role.CLIENT, new SubAck(5, List.of(ReasonCode.GRANTED_QOS_2, ReasonCode.UNSPECIFIED_ERROR), reason)),
                Map.entry(Role.SERVER, new Unsubscribe(6, List.of("a/+", "b"), MqttProperties.EMPTY)),
                Map.entry(Role.CLIENT, new UnsubAck(6, v.isV5() ? List.of(ReasonCode.SUCCESS) : List.of(), reason)),
                Map.entry(Role.SERVER, PingReq.INSTANCE),
                Map.entry(Role.CLIENT, io.mast.codec.packet.PingResp.INSTANCE),
                Map.entry(Role.SERVER, v.isV5() ? new Disconnect(ReasonCode.DISCONNECT_WITH_WILL_MESSAGE,
                        MqttProperties.builder().sessionExpiryInterval(1L).build()) : Disconnect.NORMAL)));
        if (v.isV5()) {
            packets.add(Map.entry(Role.CLIENT, new Auth(ReasonCode.CONTINUE_AUTHENTICATION,
                    MqttProperties.builder().authenticationMethod("m").authenticationData(new byte[] {1}).build())));
        }
        return packets;
    }

    /**
     * Mutated packets (changed, inserted and removed bytes, the remaining length fixed up or not) never make the
     * decoder throw; whatever it accepts encodes and decodes back to the same record.
     */
    @ParameterizedTest
    @EnumSource(names = {"MQTT_3_1_1", "MQTT_5"})
    void mutatedPacketsNeverThrowAndWhatIsAcceptedRoundTrips(MqttVersion v) {
        Random random = new Random(v.level());
        int accepted = 0;
        int rejected = 0;
        for (Map.Entry<Role, MqttPacket> entry : corpus(v)) {
            Role role = entry.getKey();
            byte[] original = encode(entry.getValue(), v);
            assertThat(decodeOne(role, v, entry.getValue(), original)).isEqualTo(entry.getValue());
            for (int i = 0; i < 400; i++) {
                byte[] mutated = mutate(original, random);
                Object result = decodeOne(role, v, entry.getValue(), mutated);
                if (result instanceof MqttPacket p) {
                    accepted++;
                    assertThat(decodeOne(role, v, p, encode(p, v))).as("re-encoded %s", p).isEqualTo(p);
                } else if (result instanceof DecodeFailure f) {
                    rejected++;
                    assertThat(f.reasonCode().isError()).isTrue();
                }
            }
        }
        assertThat(accepted).isPositive();
        assertThat(rejected).isPositive();
    }

    private static Object decodeOne(Role role, MqttVersion v, MqttPacket kind, byte[] bytes) {
        MqttDecoder decoder = kind instanceof Connect ? MqttDecoder.forServer(MAX_PACKET_SIZE)
                : new MqttDecoder(role, MAX_PACKET_SIZE, v);
        try {
            return CodecTestSupport.decode(decoder, bytes);
        } catch (RuntimeException e) {
            throw new AssertionError("decoder threw on " + Wire.hex(bytes), e);
        }
    }

    private static byte[] mutate(byte[] packet, Random random) {
        byte[] body = Arrays.copyOfRange(packet, packet[1] < 0 ? 3 : 2, packet.length);
        int first = packet[0] & 0xFF;
        List<Byte> bytes = new ArrayList<>();
        for (byte b : body) {
            bytes.add(b);
        }
        int edits = 1 + random.nextInt(3);
        for (int e = 0; e < edits; e++) {
            int op = random.nextInt(bytes.isEmpty() ? 2 : 5);
            switch (op) {
                case 0 -> first = random.nextInt(10) == 0 ? random.nextInt(256) : first ^ 1 << random.nextInt(4);
                case 1 -> bytes.add(random.nextInt(bytes.size() + 1), (byte) random.nextInt(256));
                case 2 -> bytes.remove(random.nextInt(bytes.size()));
                case 3 -> bytes.set(random.nextInt(bytes.size()), (byte) random.nextInt(256));
                default -> {
                    int at = random.nextInt(bytes.size());
                    bytes.set(at, (byte) (bytes.get(at) ^ 1 << random.nextInt(8)));
                }
            }
        }
        Wire w = Wire.of();
        bytes.forEach(b -> w.u8(b & 0xFF));
        byte[] out = w.packet(first);
        if (random.nextInt(8) == 0 && out.length > 2) {
            return Arrays.copyOf(out, out.length - 1 - random.nextInt(out.length - 2));
        }
        return out;
    }

    @Test
    void failureDescribesItself() {
        DecodeFailure f = failure(connectedServer(V5), bareHeader(PacketType.CONNACK));
        assertThat(f.message()).contains("CONNACK");
        assertThat(f.toString()).startsWith("0x82 Protocol error in CONNACK");
    }
}
