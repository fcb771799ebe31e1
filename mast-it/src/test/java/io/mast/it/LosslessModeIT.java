package io.mast.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.mast.broker.config.LimitsConfig;
import io.mast.broker.config.SlowSubscribersConfig;
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
 * {@code slow_subscribers.pause_publishers} (the opt-in "lossless" mode): under a flood towards a subscriber that
 * cannot keep up, the broker stops reading from the publisher instead of accepting what it cannot deliver. A slow
 * subscriber that keeps taking messages paces the publisher and loses nothing; a stuck one holds the publisher back
 * once, for a second, then no more until it drained: it loses what does not fit its queue (counted), and the publisher
 * goes on.
 */
class LosslessModeIT {

    private static final int MESSAGES = 20_000;
    private static final int PAYLOAD = 2048;

    @RegisterExtension
    static final MastBrokerExtension broker = MastBrokerExtension.withConfig(c -> c
            .withLimits(LimitsConfig.defaults().withQueues(100, 0))
            .withSlowSubscribers(new SlowSubscribersConfig(null, null, true)));

    private long metric(String name) {
        return broker.broker().metrics().value(name);
    }

    @Test
    void aSubscriberThatStopsReadingHoldsThePublisherBackOnceAndNothingIsLostSilently() throws Exception {
        long droppedBefore = metric("messages.dropped.queue_full");
        long pausesBefore = metric("connections.backpressure_pauses");
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

            // The subscriber reads nothing: the publisher is paused until a second passes without the subscriber
            // taking a message, then its flood goes through (what does not fit the subscriber's queue is dropped and
            // counted), instead of being held for as long as the subscriber stays connected.
            flood.get(60, TimeUnit.SECONDS);
            assertThat(written.get()).isEqualTo(MESSAGES);
            assertThat(metric("connections.backpressure_pauses") - pausesBefore).as("pauses").isPositive();
            assertThat(metric("messages.dropped.queue_full") - droppedBefore).as("dropped").isPositive();

            // The subscriber reads again: every message is accounted for.
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
