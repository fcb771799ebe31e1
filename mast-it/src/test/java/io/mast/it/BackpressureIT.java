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
 * Under a QoS 0 flood towards a subscriber that cannot keep up, the broker stops reading from the publisher instead
 * of accepting what it cannot deliver, and every message is either delivered or counted as dropped.
 */
class BackpressureIT {

    private static final int MESSAGES = 20_000;
    private static final int PAYLOAD = 2048;

    @RegisterExtension
    static final MastBrokerExtension broker = MastBrokerExtension.withConfig(c -> c.withLimits(
            new LimitsConfig(null, null, null, null, 100, null, null, null)));

    private long metric(String name) {
        return broker.broker().metrics().value(name);
    }

    @Test
    void aSubscriberThatStopsReadingSlowsThePublisherAndNothingIsLostSilently() throws Exception {
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
                        && received + metric("messages.dropped.queue_full") >= MESSAGES) {
                    break;
                }
            }
            flood.get(5, TimeUnit.SECONDS);
            long dropped = metric("messages.dropped.queue_full");
            assertThat(received + dropped).as("delivered + dropped (queue full)").isEqualTo(MESSAGES);
            assertThat(received).as("most messages are delivered, not dropped").isGreaterThan(MESSAGES / 2);
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
