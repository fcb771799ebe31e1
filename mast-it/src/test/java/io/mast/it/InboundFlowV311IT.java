package io.mast.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.mast.broker.config.StorageConfig;
import io.mast.codec.MqttProperties;
import io.mast.codec.MqttVersion;
import io.mast.codec.Qos;
import io.mast.codec.packet.ConnAck;
import io.mast.codec.packet.Connect;
import io.mast.codec.packet.PingReq;
import io.mast.codec.packet.PingResp;
import io.mast.codec.packet.PubAck;
import io.mast.codec.packet.Publish;
import io.mast.codec.packet.SubAck;
import io.mast.codec.packet.Subscribe;
import io.mast.codec.packet.Subscription;
import io.mast.testkit.MastBrokerExtension;
import io.mast.testkit.RawMqttClient;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * MQTT 3.1.1 has no Receive Maximum: a client that pipelines more QoS 1 messages than {@code limits.receive_maximum}
 * before their PUBACKs come is slowed down by TCP (the broker stops reading from it until its messages are
 * acknowledged), never disconnected. Before, such a client was disconnected silently once its acknowledgements lagged
 * (here behind a store that syncs every write, as {@code ./mast broker} stores by default).
 */
class InboundFlowV311IT {

    private static final Path STORE = tempDir();

    @RegisterExtension
    static final MastBrokerExtension broker = MastBrokerExtension.withConfig(c -> c.withStorage(
            new StorageConfig("rocksdb", STORE.toString(), "always", null)));

    private static Path tempDir() {
        try {
            return Files.createTempDirectory("mast-inbound-flow");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @AfterAll
    static void deleteStore() throws IOException {
        broker.stop();
        try (var files = Files.walk(STORE)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Test
    void aPipelining311ClientIsSlowedDownNotDisconnected() throws Exception {
        int messages = 3_000; // receive_maximum is 1024
        // An offline persistent subscriber: every message is stored before its PUBACK.
        try (RawMqttClient sub = V311Clients.raw(broker, V311Clients.connect("flow-store-sub", false, 60, null))) {
            sub.send(new Subscribe(1, List.of(new Subscription("flow/v3/#", Qos.AT_LEAST_ONCE)), MqttProperties.EMPTY));
            sub.expect(SubAck.class, V311Clients.TIMEOUT);
        }
        long closedBefore = broker.broker().metrics().value("connections.closed.receive_maximum_exceeded");
        try (RawMqttClient pub = RawMqttClient.connect(broker.port(), MqttVersion.MQTT_3_1_1)) {
            pub.send(new Connect(MqttVersion.MQTT_3_1_1, true, 60, "flow-pipeliner", null, null, null,
                    MqttProperties.EMPTY));
            pub.expect(ConnAck.class, V311Clients.TIMEOUT);
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            for (int id = 1; id <= messages; id++) {
                all.writeBytes(RawMqttClient.encode(new Publish(false, Qos.AT_LEAST_ONCE, false, "flow/v3/x", id,
                        MqttProperties.EMPTY, new byte[64]), MqttVersion.MQTT_3_1_1));
            }
            CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
                try {
                    pub.send(all.toByteArray());
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            for (int id = 1; id <= messages; id++) {
                Object p = pub.read(Duration.ofSeconds(30));
                assertThat(p).as("PUBACK %d", id).isInstanceOf(PubAck.class);
                assertThat(((PubAck) p).packetId()).isEqualTo(id);
            }
            writer.get(30, TimeUnit.SECONDS);
            pub.send(PingReq.INSTANCE);
            pub.expect(PingResp.class, V311Clients.TIMEOUT);
        }
        assertThat(broker.broker().metrics().value("connections.closed.receive_maximum_exceeded"))
                .isEqualTo(closedBefore);
    }
}
