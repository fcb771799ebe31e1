package io.mast.codec;

import static org.assertj.core.api.Assertions.assertThat;

import io.mast.codec.MqttDecoder.Role;
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
import io.mast.codec.packet.RetainHandling;
import io.mast.codec.packet.SubAck;
import io.mast.codec.packet.Subscribe;
import io.mast.codec.packet.Subscription;
import io.mast.codec.packet.UnsubAck;
import io.mast.codec.packet.Unsubscribe;
import io.mast.codec.packet.Will;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The seed corpus of {@link MqttDecoderFuzzTest}: real packets of every type and version, each in the fuzz input
 * format, on the side that receives it (a server's stream starts with CONNECT). {@link #seedsAreWellFormed} checks that
 * the committed seeds decode without a failure; {@link #write} writes them again:
 * {@code ./mvnw -pl mast-codec test -Dtest=MqttDecoderFuzzSeedsTest -Dfuzz.writeSeeds=true}.
 */
class MqttDecoderFuzzSeedsTest {

    static final Path DIR = Path.of("src/test/resources/io/mast/codec/MqttDecoderFuzzTestInputs/decode");

    private static final byte[] PAYLOAD = "21.5".getBytes(StandardCharsets.UTF_8);

    private static MqttProperties props(MqttVersion v, MqttProperties p) {
        return v.isV5() ? p : MqttProperties.EMPTY;
    }

    private static MqttProperties.Builder reason() {
        return MqttProperties.builder().reasonString("because").addUserProperty("k", "v");
    }

    private static Connect connect(MqttVersion v) {
        Will will = new Will("clients/c1/status", "offline".getBytes(StandardCharsets.UTF_8), Qos.AT_LEAST_ONCE, true,
                props(v, MqttProperties.builder().willDelayInterval(5L).payloadFormatIndicator(1)
                        .messageExpiryInterval(60L).contentType("text/plain").responseTopic("r/1")
                        .correlationData(new byte[] {1}).addUserProperty("k", "v").build()));
        return new Connect(v, false, 60, "c1", will, "alice", "secret".getBytes(StandardCharsets.UTF_8),
                props(v, MqttProperties.builder().sessionExpiryInterval(3600L).receiveMaximum(20)
                        .maximumPacketSize(65_536L).topicAliasMaximum(10).requestResponseInformation(true)
                        .requestProblemInformation(false).addUserProperty("k", "v").authenticationMethod("SCRAM-SHA-1")
                        .authenticationData(new byte[] {2, 3}).build()));
    }

    private static Publish publish(MqttVersion v, Qos qos, boolean fromServer) {
        MqttProperties.Builder p = MqttProperties.builder().payloadFormatIndicator(1).messageExpiryInterval(30L)
                .topicAlias(3).responseTopic("replies/c1").correlationData(new byte[] {9, 8}).contentType("text/plain")
                .addUserProperty("unit", "C");
        if (fromServer) {
            p.addSubscriptionIdentifier(7);
        }
        return new Publish(qos == Qos.EXACTLY_ONCE, qos, qos != Qos.AT_MOST_ONCE, "sensors/kitchen/temperature",
                qos == Qos.AT_MOST_ONCE ? 0 : 10, props(v, p.build()), PAYLOAD);
    }

    /** The packets a server receives after CONNECT. */
    private static Map<String, MqttPacket> toServer(MqttVersion v) {
        Map<String, MqttPacket> m = new LinkedHashMap<>();
        m.put("publish-qos0", publish(v, Qos.AT_MOST_ONCE, false));
        m.put("publish-qos1", publish(v, Qos.AT_LEAST_ONCE, false));
        m.put("publish-qos2", publish(v, Qos.EXACTLY_ONCE, false));
        m.put("puback", v.isV5() ? new PubAck(10, ReasonCode.NO_MATCHING_SUBSCRIBERS, reason().build()) : new PubAck(10));
        m.put("pubrec", v.isV5() ? new PubRec(11, ReasonCode.QUOTA_EXCEEDED, reason().build()) : new PubRec(11));
        m.put("pubrel", v.isV5() ? new PubRel(12, ReasonCode.PACKET_IDENTIFIER_NOT_FOUND, reason().build()) : new PubRel(12));
        m.put("pubcomp", new PubComp(13));
        List<Subscription> subs = v.isV5()
                ? List.of(new Subscription("sensors/+/temperature", Qos.AT_LEAST_ONCE, true, true,
                        RetainHandling.SEND_IF_NEW_SUBSCRIPTION), new Subscription("$share/g/jobs/#", Qos.EXACTLY_ONCE))
                : List.of(new Subscription("sensors/+/temperature", Qos.AT_LEAST_ONCE), new Subscription("a/#", Qos.AT_MOST_ONCE));
        m.put("subscribe", new Subscribe(14, subs, props(v, MqttProperties.builder().addSubscriptionIdentifier(7)
                .addUserProperty("k", "v").build())));
        m.put("unsubscribe", new Unsubscribe(15, List.of("sensors/+/temperature", "a/#"),
                props(v, MqttProperties.builder().addUserProperty("k", "v").build())));
        m.put("pingreq", PingReq.INSTANCE);
        m.put("disconnect", v.isV5() ? new Disconnect(ReasonCode.DISCONNECT_WITH_WILL_MESSAGE,
                reason().sessionExpiryInterval(0L).build()) : Disconnect.NORMAL);
        if (v.isV5()) {
            m.put("auth", new Auth(ReasonCode.CONTINUE_AUTHENTICATION, MqttProperties.builder()
                    .authenticationMethod("SCRAM-SHA-1").authenticationData(new byte[] {4, 5}).reasonString("r").build()));
        }
        return m;
    }

    /** The packets a client receives. */
    private static Map<String, MqttPacket> toClient(MqttVersion v) {
        Map<String, MqttPacket> m = new LinkedHashMap<>();
        m.put("connack", new ConnAck(true, ReasonCode.SUCCESS, props(v, MqttProperties.builder()
                .sessionExpiryInterval(600L).receiveMaximum(100).maximumQos(Qos.AT_LEAST_ONCE).retainAvailable(false)
                .maximumPacketSize(1_048_576L).assignedClientIdentifier("auto-1").topicAliasMaximum(5)
                .reasonString("welcome").addUserProperty("k", "v").wildcardSubscriptionAvailable(true)
                .subscriptionIdentifierAvailable(true).sharedSubscriptionAvailable(false).serverKeepAlive(30)
                .responseInformation("replies/").serverReference("other:1883").authenticationMethod("SCRAM-SHA-1")
                .authenticationData(new byte[] {6}).build())));
        m.put("connack-refused", new ConnAck(false, ReasonCode.BAD_USER_NAME_OR_PASSWORD, MqttProperties.EMPTY));
        m.put("publish-qos0", publish(v, Qos.AT_MOST_ONCE, true));
        m.put("publish-qos1", publish(v, Qos.AT_LEAST_ONCE, true));
        m.put("publish-qos2", publish(v, Qos.EXACTLY_ONCE, true));
        m.put("puback", new PubAck(20));
        m.put("pubrec", new PubRec(21));
        m.put("pubrel", new PubRel(22));
        m.put("pubcomp", v.isV5() ? new PubComp(23, ReasonCode.PACKET_IDENTIFIER_NOT_FOUND, reason().build()) : new PubComp(23));
        m.put("suback", new SubAck(24, v.isV5()
                ? List.of(ReasonCode.GRANTED_QOS_1, ReasonCode.NOT_AUTHORIZED, ReasonCode.GRANTED_QOS_2)
                : List.of(ReasonCode.GRANTED_QOS_1, ReasonCode.UNSPECIFIED_ERROR), props(v, reason().build())));
        m.put("unsuback", new UnsubAck(25, v.isV5()
                ? List.of(ReasonCode.SUCCESS, ReasonCode.NO_SUBSCRIPTION_EXISTED) : List.of(), props(v, reason().build())));
        m.put("pingresp", PingResp.INSTANCE);
        if (v.isV5()) {
            m.put("disconnect", new Disconnect(ReasonCode.SERVER_MOVED, reason().serverReference("other:1883").build()));
            m.put("auth", new Auth(ReasonCode.SUCCESS, MqttProperties.builder().authenticationMethod("SCRAM-SHA-1")
                    .authenticationData(new byte[] {7}).build()));
        }
        return m;
    }

    private static String name(MqttVersion v) {
        return switch (v) {
            case MQTT_3_1 -> "v31";
            case MQTT_3_1_1 -> "v311";
            case MQTT_5 -> "v5";
        };
    }

    /** The fuzz input: the mode byte, the split seed, then the stream. */
    private static byte[] input(int mode, int splitSeed, byte[]... packets) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(mode);
        out.write(splitSeed);
        for (byte[] p : packets) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    /** Every seed by file name. */
    static Map<String, byte[]> seeds() {
        Map<String, byte[]> seeds = new LinkedHashMap<>();
        int split = 0;
        for (MqttVersion v : MqttVersion.values()) {
            byte[] connect = CodecTestSupport.encode(connect(v), v);
            seeds.put("seed-server-" + name(v) + "-connect", input(0, split++, connect));
            for (Map.Entry<String, MqttPacket> e : toServer(v).entrySet()) {
                seeds.put("seed-server-" + name(v) + "-" + e.getKey(),
                        input(0, split++, connect, CodecTestSupport.encode(e.getValue(), v)));
            }
            int clientMode = v.ordinal() + 1;
            for (Map.Entry<String, MqttPacket> e : toClient(v).entrySet()) {
                seeds.put("seed-client-" + name(v) + "-" + e.getKey(),
                        input(clientMode, split++, CodecTestSupport.encode(e.getValue(), v)));
            }
            // A session's worth of packets in one stream, and the same under a limit of 200 bytes (mode bit 2).
            List<byte[]> session = new ArrayList<>(List.of(connect));
            toServer(v).values().forEach(p -> session.add(CodecTestSupport.encode(p, v)));
            seeds.put("seed-server-" + name(v) + "-session", input(0, split++, session.toArray(byte[][]::new)));
            seeds.put("seed-server-" + name(v) + "-limit-200", input(4 | 24 << 3, split++, session.toArray(byte[][]::new)));
        }
        return seeds;
    }

    @Test
    @EnabledIfSystemProperty(named = "fuzz.writeSeeds", matches = "true")
    void write() throws IOException {
        Files.createDirectories(DIR);
        for (Map.Entry<String, byte[]> e : seeds().entrySet()) {
            Files.write(DIR.resolve(e.getKey()), e.getValue());
        }
    }

    /** Each committed seed decodes into packets without a failure (the limited ones excepted), CONNECT first. */
    @Test
    void seedsAreWellFormed() throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.list(DIR)) {
            files = s.filter(p -> p.getFileName().toString().startsWith("seed-")).sorted().toList();
        }
        assertThat(files).hasSizeGreaterThanOrEqualTo(seeds().size());
        for (Path f : files) {
            byte[] input = Files.readAllBytes(f);
            MqttDecoderFuzzTest.Case c = MqttDecoderFuzzTest.Case.of(input);
            EmbeddedChannel ch = new EmbeddedChannel(c.decoder());
            ch.writeInbound(Unpooled.wrappedBuffer(c.stream()));
            List<Object> out = new ArrayList<>();
            for (Object o = ch.readInbound(); o != null; o = ch.readInbound()) {
                out.add(o);
            }
            ch.finishAndReleaseAll();
            assertThat(out).as("%s decodes", f.getFileName()).isNotEmpty();
            if (c.maxPacketSize() > 1024) {
                assertThat(out).as("%s decodes without a failure", f.getFileName())
                        .allMatch(o -> o instanceof MqttPacket);
            }
            if (c.role() == Role.SERVER) {
                assertThat(out.getFirst()).isInstanceOf(Connect.class);
            }
        }
    }
}
