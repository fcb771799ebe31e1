package io.mast.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.mast.broker.config.LimitsConfig;
import io.mast.codec.MqttProperties;
import io.mast.codec.MqttVersion;
import io.mast.codec.Qos;
import io.mast.codec.packet.ConnAck;
import io.mast.codec.packet.Connect;
import io.mast.codec.packet.Publish;
import io.mast.codec.packet.SubAck;
import io.mast.codec.packet.Subscribe;
import io.mast.codec.packet.Subscription;
import io.mast.testkit.MastBrokerExtension;
import io.mast.testkit.RawMqttClient;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Under a flood towards a subscriber that cannot keep up, the broker stops reading from the publisher instead of
 * accepting what it cannot deliver: a stuck subscriber loses what does not fit its queue (counted), a slow one that
 * keeps taking messages loses nothing.
 */
class BackpressureIT {

    private static final int MESSAGES = 20_000;
    private static final int PAYLOAD = 2048;

    @RegisterExtension
    static final MastBrokerExtension broker = MastBrokerExtension.withConfig(c -> c.withLimits(
            new LimitsConfig(null, null, null, null, 100, null, null, null, null)));

    private long metric(String name) {
        return broker.broker().metrics().value(name);
    }

    @Test
    void aSubscriberThatStopsReadingSlowsThePublisherAndNothingIsLostSilently() throws Exception {
        long droppedBefore = metric("messages.dropped.queue_full");
        try (RawMqttClient sub = RawMqttClient.connect(broker.port(), MqttVersion.MQTT_5);
             RawMqttClient pub = RawMqttClient.connect(broker.port(), MqttVersion.MQTT_5)) {
            sub.send(new Connect(MqttVersion.MQTT_5, true, 60, "slow-sub", null, null, null, MqttProperties.EMPTY));
            sub.expect(ConnAck.class, Duration.ofSeconds(5));
            sub.send(new Subscribe(1, List.of(new Subscription("flood/#", Qos.AT_MOST_ONCE)), MqttProperties.EMPTY));
            sub.expect(SubAck.class, Duration.ofSeconds(5));
            pub.send(new Connect(MqttVersion.MQTT_5, true, 60, "flooder", null, null, null, MqttProperties.EMPTY));
            pub.expect(ConnAck.class, Duration.ofSeconds(5));

            // The subscriber now reads nothing while the publisher writes as fast as it can.
            byte[] batch = batch(100);
            AtomicInteger written = new AtomicInteger();
            CompletableFuture<Void> flood = CompletableFuture.runAsync(() -> {
                try {
                    for (int i = 0; i < MESSAGES / 100; i++) {
                        pub.send(batch);
                        written.addAndGet(100);
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });

            await().atMost(10, TimeUnit.SECONDS).until(() -> metric("connections.backpressure_pauses") > 0);
            Thread.sleep(2000); // give an unbounded broker the time to swallow the whole flood
            assertThat(flood).as("the publisher is held back while the subscriber reads nothing").isNotDone();
            assertThat(written.get()).isLessThan(MESSAGES);

            // The subscriber reads again: the flood completes and every message is accounted for.
            int received = 0;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (System.nanoTime() < deadline) {
                Object p = sub.read(Duration.ofMillis(500));
                if (p instanceof Publish) {
                    received++;
                } else if (p == null && flood.isDone()
                        && received + metric("messages.dropped.queue_full") - droppedBefore >= MESSAGES) {
                    break;
                }
            }
            flood.get(5, TimeUnit.SECONDS);
            long dropped = metric("messages.dropped.queue_full") - droppedBefore;
            assertThat(received + dropped).as("delivered + dropped (queue full)").isEqualTo(MESSAGES);
            assertThat(received).as("most messages are delivered, not dropped").isGreaterThan(MESSAGES / 2);
        }
    }

    @Test
    void aSlowQos1SubscriberPacesThePublisherAndLosesNothing() throws Exception {
        int messages = 1_000; // ten times the subscriber's queue (max_queued_messages: 100), within Receive Maximum
        long droppedBefore = metric("messages.dropped.queue_full");
        long pausesBefore = metric("connections.backpressure_pauses");
        try (RawMqttClient sub = RawMqttClient.connect(broker.port(), MqttVersion.MQTT_5);
             RawMqttClient pub = RawMqttClient.connect(broker.port(), MqttVersion.MQTT_5)) {
            sub.send(new Connect(MqttVersion.MQTT_5, true, 60, "slow-acker", null, null, null, MqttProperties.EMPTY));
            sub.expect(ConnAck.class, Duration.ofSeconds(5));
            sub.send(new Subscribe(1, List.of(new Subscription("paced/#", Qos.AT_LEAST_ONCE)), MqttProperties.EMPTY));
            sub.expect(SubAck.class, Duration.ofSeconds(5));
            pub.send(new Connect(MqttVersion.MQTT_5, true, 60, "fast-pub", null, null, null, MqttProperties.EMPTY));
            pub.expect(ConnAck.class, Duration.ofSeconds(5));

            // The publisher writes every message at once; the subscriber takes about a millisecond for each.
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            for (int i = 1; i <= messages; i++) {
                all.writeBytes(RawMqttClient.encode(new Publish(false, Qos.AT_LEAST_ONCE, false, "paced/x", i,
                        MqttProperties.EMPTY, Integer.toString(i).getBytes()), MqttVersion.MQTT_5));
            }
            CompletableFuture<Void> burst = CompletableFuture.runAsync(() -> {
                try {
                    pub.send(all.toByteArray());
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });

            java.util.BitSet seen = new java.util.BitSet();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (seen.cardinality() < messages && System.nanoTime() < deadline) {
                Object p = sub.read(Duration.ofMillis(500));
                if (p instanceof Publish m) {
                    seen.set(Integer.parseInt(new String(m.payload())));
                    sub.send(new io.mast.codec.packet.PubAck(m.packetId()));
                    Thread.sleep(1);
                }
            }
            burst.get(5, TimeUnit.SECONDS);
            assertThat(metric("connections.backpressure_pauses")).as("the subscriber was congested")
                    .isGreaterThan(pausesBefore);
            assertThat(metric("messages.dropped.queue_full") - droppedBefore).as("dropped").isZero();
            assertThat(seen.cardinality()).as("distinct messages received").isEqualTo(messages);
        }
    }

    private static byte[] batch(int count) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] payload = new byte[PAYLOAD];
        for (int i = 0; i < count; i++) {
            out.writeBytes(RawMqttClient.encode(new Publish(false, Qos.AT_MOST_ONCE, false, "flood/x", 0,
                    MqttProperties.EMPTY, payload), MqttVersion.MQTT_5));
        }
        return out.toByteArray();
    }
}
