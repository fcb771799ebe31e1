package io.mast.codec;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.mast.codec.MqttDecoder.Role;
import io.mast.codec.encoder.PacketEncoder;
import io.mast.codec.packet.Connect;
import io.mast.codec.packet.MqttPacket;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * Fuzzes {@link MqttDecoder} on both sides and every version, with the input split at random points over several
 * reads as TCP splits it, and checks its contract:
 * <ul>
 *   <li>it never throws;</li>
 *   <li>it emits packets, then at most one {@link DecodeFailure} (an error reason code, a message), and nothing after
 *       it: further input is discarded, not buffered;</li>
 *   <li>where the input is split makes no difference: the same outputs as from one read;</li>
 *   <li>no buffer is leaked, and a failure holds no buffer;</li>
 *   <li>a server's first packet is CONNECT;</li>
 *   <li>every packet it accepts encodes and decodes back to itself.</li>
 * </ul>
 *
 * <p>The input: byte 0 chooses the side and version ({@code b & 3}: 0 a server, which learns the version from
 * CONNECT; 1, 2, 3 a client speaking MQTT 3.1, 3.1.1, 5.0) and, when bit 2 is set, a small maximum packet size of
 * {@code 8 + 8 * (b >>> 3)} bytes; byte 1 seeds where the stream is split and which reads are direct buffers; the rest
 * is the byte stream. The corpus in {@code MqttDecoderFuzzTestInputs/decode} is written by {@link MqttDecoderFuzzSeedsTest}.
 */
class MqttDecoderFuzzTest {

    /** The largest packet MQTT can frame. */
    private static final int MAX_PACKET_SIZE = 1 + 4 + 268_435_455;

    /** What a decode failure may say: the reasons a malformed or unexpected packet gets, never a success. */
    private static final Set<ReasonCode> FAILURE_REASONS = EnumSet.of(ReasonCode.MALFORMED_PACKET,
            ReasonCode.PROTOCOL_ERROR, ReasonCode.PACKET_TOO_LARGE, ReasonCode.UNSUPPORTED_PROTOCOL_VERSION,
            ReasonCode.TOPIC_NAME_INVALID, ReasonCode.PAYLOAD_FORMAT_INVALID);

    /** One fuzz case: who decodes, with which limit, and how the stream arrives. */
    record Case(Role role, MqttVersion version, int maxPacketSize, int splitSeed, byte[] stream) {

        static Case of(byte[] input) {
            if (input.length < 2) {
                return null;
            }
            int mode = input[0] & 0xFF;
            MqttVersion version = switch (mode & 3) {
                case 1 -> MqttVersion.MQTT_3_1;
                case 2 -> MqttVersion.MQTT_3_1_1;
                case 3 -> MqttVersion.MQTT_5;
                default -> null;
            };
            int limit = (mode & 4) != 0 ? 8 + 8 * (mode >>> 3) : MAX_PACKET_SIZE;
            byte[] stream = new byte[input.length - 2];
            System.arraycopy(input, 2, stream, 0, stream.length);
            return new Case(version == null ? Role.SERVER : Role.CLIENT, version, limit, input[1] & 0xFF, stream);
        }

        MqttDecoder decoder() {
            return new MqttDecoder(role, maxPacketSize, version);
        }
    }

    @FuzzTest
    void decode(byte[] input) {
        Case c = Case.of(input);
        if (c == null) {
            return;
        }
        UnpooledByteBufAllocator alloc = new UnpooledByteBufAllocator(false, true);
        List<Object> whole = decodeInOneRead(c, alloc);
        List<Object> split = decodeSplit(c, alloc);
        assertThat(split).as("outputs of the stream split in reads vs. in one read").isEqualTo(whole);
        checkSequence(c, whole);
        MqttVersion version = c.role == Role.SERVER && !whole.isEmpty() && whole.getFirst() instanceof Connect connect
                ? connect.version() : c.version;
        for (Object o : whole) {
            if (o instanceof MqttPacket p) {
                checkRoundTrip(c.role, version, p, alloc);
            }
        }
        assertThat(alloc.metric().usedHeapMemory() + alloc.metric().usedDirectMemory()).as("bytes leaked").isZero();
    }

    private static EmbeddedChannel channel(MqttDecoder decoder, UnpooledByteBufAllocator alloc) {
        EmbeddedChannel ch = new EmbeddedChannel(decoder);
        ch.config().setAllocator(alloc);
        return ch;
    }

    private static List<Object> decodeInOneRead(Case c, UnpooledByteBufAllocator alloc) {
        EmbeddedChannel ch = channel(c.decoder(), alloc);
        ch.writeInbound(alloc.heapBuffer(c.stream.length).writeBytes(c.stream));
        List<Object> out = drain(ch);
        ch.finishAndReleaseAll();
        return out;
    }

    /**
     * Feeds the stream in pieces (often single bytes, heap and direct buffers); after a failure, feeds a well-formed
     * PINGREQ that must be discarded without being held.
     */
    private static List<Object> decodeSplit(Case c, UnpooledByteBufAllocator alloc) {
        EmbeddedChannel ch = channel(c.decoder(), alloc);
        Random random = new Random(c.splitSeed * 31L + c.stream.length);
        List<Object> out = new ArrayList<>();
        for (int at = 0; at < c.stream.length; ) {
            int n = random.nextInt(4) == 0 ? 1 : 1 + random.nextInt(c.stream.length - at);
            ByteBuf piece = random.nextBoolean() ? alloc.directBuffer(n) : alloc.heapBuffer(n);
            ch.writeInbound(piece.writeBytes(c.stream, at, n));
            out.addAll(drain(ch));
            at += n;
        }
        if (!out.isEmpty() && out.getLast() instanceof DecodeFailure) {
            ch.writeInbound(alloc.directBuffer(2).writeBytes(new byte[] {(byte) 0xC0, 0x00}));
            assertThat(drain(ch)).as("output after a failure").isEmpty();
            assertThat(alloc.metric().usedHeapMemory() + alloc.metric().usedDirectMemory())
                    .as("bytes held after a failure").isZero();
        }
        ch.finishAndReleaseAll();
        return out;
    }

    private static List<Object> drain(EmbeddedChannel ch) {
        List<Object> out = new ArrayList<>();
        for (Object o = ch.readInbound(); o != null; o = ch.readInbound()) {
            out.add(o);
        }
        return out;
    }

    private static void checkSequence(Case c, List<Object> out) {
        for (int i = 0; i < out.size(); i++) {
            Object o = out.get(i);
            if (o instanceof DecodeFailure f) {
                assertThat(i).as("a failure is the last output").isEqualTo(out.size() - 1);
                assertThat(FAILURE_REASONS).as("reason of %s", f).contains(f.reasonCode());
                assertThat(f.message()).as("message of %s", f).isNotBlank();
            } else {
                assertThat(o).isInstanceOf(MqttPacket.class);
                if (c.role == Role.SERVER) {
                    assertThat(o instanceof Connect).as("%s is CONNECT", o).isEqualTo(i == 0);
                }
            }
        }
    }

    /** Encodes the packet and decodes it again, on the same side and version, without a size limit. */
    private static void checkRoundTrip(Role role, MqttVersion version, MqttPacket p, UnpooledByteBufAllocator alloc) {
        ByteBuf bytes = PacketEncoder.encode(alloc, p, version);
        try {
            MqttDecoder decoder = p instanceof Connect ? MqttDecoder.forServer(MAX_PACKET_SIZE)
                    : new MqttDecoder(role, MAX_PACKET_SIZE, version);
            String hex = ByteBufUtil.hexDump(bytes);
            Object again = decoder.decodeOne(bytes);
            assertThat(again).as("%s re-encoded as %s", p, hex).isEqualTo(p);
            assertThat(bytes.readableBytes()).as("bytes left after %s", hex).isZero();
        } finally {
            bytes.release();
        }
    }
}
