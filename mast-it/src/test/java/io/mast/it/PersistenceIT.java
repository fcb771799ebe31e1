package io.mast.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.mast.codec.MqttProperties;
import io.mast.codec.MqttVersion;
import io.mast.codec.Qos;
import io.mast.codec.ReasonCode;
import io.mast.codec.packet.ConnAck;
import io.mast.codec.packet.Connect;
import io.mast.codec.packet.PubAck;
import io.mast.codec.packet.PubComp;
import io.mast.codec.packet.PubRec;
import io.mast.codec.packet.PubRel;
import io.mast.codec.packet.Publish;
import io.mast.codec.packet.SubAck;
import io.mast.codec.packet.Subscribe;
import io.mast.codec.packet.Subscription;
import io.mast.testkit.RawMqttClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The RocksDB store across a clean restart and a kill -9 of a broker running as its own process: messages for an
 * offline persistent session are all delivered after the restart (QoS 2 exactly once), retained messages survive, and
 * expiry keeps counting.
 */
class PersistenceIT {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    private MastProcess broker(String... extraConfig) throws Exception {
        Path config = dir.resolve("mast.yaml");
        Files.writeString(config, "storage:\n  type: rocksdb\n  path: " + dir.resolve("data") + "\n"
                + String.join("\n", extraConfig) + "\n");
        return MastProcess.startIn(dir, "broker", "--port", "0", "-c", config.toString());
    }

    private static RawMqttClient connect(int port, String id, boolean clean, long expiry) throws IOException {
        RawMqttClient c = RawMqttClient.connect(port, MqttVersion.MQTT_5);
        c.send(new Connect(MqttVersion.MQTT_5, clean, 60, id, null, null, null,
                MqttProperties.builder().sessionExpiryInterval(expiry).build()));
        assertThat(c.expect(ConnAck.class, WAIT).reasonCode()).isEqualTo(ReasonCode.SUCCESS);
        return c;
    }

    private static Publish publish(String topic, Qos qos, int id, String payload, boolean retain, Long expiry) {
        MqttProperties p = expiry == null ? MqttProperties.EMPTY
                : MqttProperties.builder().messageExpiryInterval(expiry).build();
        return new Publish(false, qos, retain, topic, qos == Qos.AT_MOST_ONCE ? 0 : id, p,
                payload.getBytes(StandardCharsets.UTF_8));
    }

    /** Collects what a subscriber receives (acknowledging it fully) until nothing comes for a second. */
    private static Map<String, Integer> drain(RawMqttClient sub) throws IOException {
        Map<String, Integer> got = new HashMap<>();
        while (true) {
            Object p = sub.read(Duration.ofSeconds(1));
            if (p == null) {
                return got;
            }
            if (p instanceof Publish pub) {
                got.merge(pub.topic() + ":" + new String(pub.payload(), StandardCharsets.UTF_8), 1, Integer::sum);
                if (pub.qos() == Qos.AT_LEAST_ONCE) {
                    sub.send(new PubAck(pub.packetId()));
                } else if (pub.qos() == Qos.EXACTLY_ONCE) {
                    sub.send(new PubRec(pub.packetId()));
                }
            } else if (p instanceof PubRel rel) {
                sub.send(new PubComp(rel.packetId()));
            }
        }
    }

    @Test
    void killMinus9LosesNoAcknowledgedMessageAndDuplicatesNoQos2Message() throws Exception {
        int port;
        Set<String> acknowledged = new HashSet<>();
        List<Integer> qos2AwaitingRelease = new ArrayList<>();
        try (MastProcess mast = broker()) {
            port = mast.awaitPort(Duration.ofSeconds(30));
            try (RawMqttClient sub = connect(port, "keeper", false, 3600)) {
                sub.send(new Subscribe(1, List.of(new Subscription("p/#", Qos.EXACTLY_ONCE)), MqttProperties.EMPTY));
                sub.expect(SubAck.class, WAIT);
            }
            try (RawMqttClient pub = connect(port, "writer", false, 3600)) {
                for (int i = 1; i <= 400; i++) {
                    Qos qos = i % 2 == 0 ? Qos.EXACTLY_ONCE : Qos.AT_LEAST_ONCE;
                    String topic = qos == Qos.EXACTLY_ONCE ? "p/q2" : "p/q1";
                    pub.send(publish(topic, qos, i, "m" + i, false, null));
                    if (qos == Qos.AT_LEAST_ONCE) {
                        pub.expect(PubAck.class, WAIT);
                    } else {
                        pub.expect(PubRec.class, WAIT);
                        qos2AwaitingRelease.add(i);
                    }
                    acknowledged.add(topic + ":m" + i);
                    if (i == 300) {
                        // The broker dies with QoS 2 exchanges half done and messages queued for the offline session.
                        mast.process.destroyForcibly().waitFor();
                        break;
                    }
                    if (qos == Qos.EXACTLY_ONCE && i % 4 == 0) {
                        pub.send(new PubRel(i));
                        pub.expect(PubComp.class, WAIT);
                        qos2AwaitingRelease.remove(Integer.valueOf(i));
                    }
                }
            }
        }
        try (MastProcess mast = broker()) {
            port = mast.awaitPort(Duration.ofSeconds(30));
            // The publisher resumes its session and releases its pending QoS 2 messages, as clients do.
            try (RawMqttClient pub = connect(port, "writer", false, 3600)) {
                for (int id : qos2AwaitingRelease) {
                    pub.send(new PubRel(id));
                    assertThat(pub.expect(PubComp.class, WAIT).reasonCode()).isEqualTo(ReasonCode.SUCCESS);
                }
            }
            try (RawMqttClient sub = connect(port, "keeper", false, 3600)) {
                Map<String, Integer> got = drain(sub);
                assertThat(got.keySet()).as("every acknowledged message is delivered").containsAll(acknowledged);
                got.forEach((k, n) -> {
                    if (k.startsWith("p/q2:")) {
                        assertThat(n).as("QoS 2 message %s delivered once", k).isEqualTo(1);
                    }
                });
            }
        }
    }

    @Test
    void retainedMessagesAndSessionsSurviveACleanRestartAndExpiryKeepsCounting() throws Exception {
        try (MastProcess mast = broker()) {
            int port = mast.awaitPort(Duration.ofSeconds(30));
            try (RawMqttClient sub = connect(port, "short", false, 3)) {
                sub.send(new Subscribe(1, List.of(new Subscription("q/#", Qos.AT_LEAST_ONCE)), MqttProperties.EMPTY));
                sub.expect(SubAck.class, WAIT);
            }
            try (RawMqttClient pub = connect(port, "pub", true, 0)) {
                pub.send(publish("r/kept", Qos.AT_LEAST_ONCE, 1, "stays", true, null));
                pub.expect(PubAck.class, WAIT);
                pub.send(publish("r/brief", Qos.AT_LEAST_ONCE, 2, "expires", true, 2L));
                pub.expect(PubAck.class, WAIT);
                pub.send(publish("q/x", Qos.AT_LEAST_ONCE, 3, "queued", false, null));
                pub.expect(PubAck.class, WAIT);
            }
            mast.process.toHandle().destroy(); // SIGTERM: a clean stop
            assertThat(mast.awaitExit(Duration.ofSeconds(20))).isEqualTo(143);
        }
        Thread.sleep(3_500); // the retained message's 2 s expiry and the session's 3 s expiry pass while it is down
        try (MastProcess mast = broker()) {
            int port = mast.awaitPort(Duration.ofSeconds(30));
            try (RawMqttClient sub = connect(port, "reader", true, 0)) {
                sub.send(new Subscribe(1, List.of(new Subscription("r/#", Qos.AT_LEAST_ONCE)), MqttProperties.EMPTY));
                sub.expect(SubAck.class, WAIT);
                assertThat(drain(sub).keySet()).containsExactly("r/kept:stays");
            }
            RawMqttClient again = RawMqttClient.connect(port, MqttVersion.MQTT_5);
            again.send(new Connect(MqttVersion.MQTT_5, false, 60, "short", null, null, null,
                    MqttProperties.builder().sessionExpiryInterval(3L).build()));
            assertThat(again.expect(ConnAck.class, WAIT).sessionPresent())
                    .as("the 3 s session expired while the broker was down").isFalse();
            again.close();
        }
    }

    @Test
    void aStoreInUseByAnotherBrokerStopsTheSecondWithOneLine() throws Exception {
        try (MastProcess first = broker()) {
            first.awaitPort(Duration.ofSeconds(30));
            try (MastProcess second = broker()) {
                assertThat(second.awaitExit(Duration.ofSeconds(30))).isEqualTo(1);
                assertThat(second.outputAfterExit()).filteredOn(l -> l.startsWith("mast: "))
                        .singleElement().asString().contains("is in use by another process");
            }
        }
    }
}
