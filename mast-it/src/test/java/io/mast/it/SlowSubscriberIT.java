package io.mast.it;

import static io.mast.it.V5Clients.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import io.mast.broker.config.LimitsConfig;
import io.mast.broker.config.SlowSubscribersConfig;
import io.mast.broker.session.Session;
import io.mast.codec.MqttProperties;
import io.mast.codec.MqttVersion;
import io.mast.codec.Qos;
import io.mast.codec.packet.ConnAck;
import io.mast.codec.packet.Connect;
import io.mast.codec.packet.Publish;
import io.mast.codec.packet.SubAck;
import io.mast.codec.packet.Subscribe;
import io.mast.codec.packet.Subscription;
import io.mast.plugin.BrokerContext;
import io.mast.plugin.BrokerPlugin;
import io.mast.plugin.ClientInfo;
import io.mast.plugin.DropReason;
import io.mast.plugin.Message;
import io.mast.testkit.MastBrokerExtension;
import io.mast.testkit.RawMqttClient;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A subscriber that stops reading never slows anyone else (the default): it fills its own bounded queue, what does
 * not fit is dropped, counted by reason and announced to plugins, and after {@code slow_subscribers.disconnect_after}
 * without taking a message it is disconnected. Before, a client subscribed to {@code #} that stopped reading held every
 * publisher to about one message a second for as long as it stayed connected.
 */
class SlowSubscriberIT {

    private static final int MAX_QUEUED = 100;

    /** Drops announced to plugins, by subscriber and reason. */
    static final ConcurrentHashMap<String, AtomicLong> DROPS = new ConcurrentHashMap<>();

    /** Counts the dropped-message events it gets. */
    public static final class DropCounter extends BrokerPlugin {
        public DropCounter(BrokerContext context) {
            super(context);
        }

        @Override
        public void onMessageDropped(ClientInfo subscriber, Message message, DropReason reason) {
            String who = subscriber == null ? "-" : subscriber.clientId();
            DROPS.computeIfAbsent(who + " " + reason, k -> new AtomicLong()).incrementAndGet();
        }
    }

    @RegisterExtension
    static final MastBrokerExtension broker = MastBrokerExtension.withConfig(c -> c
                    .withLimits(LimitsConfig.defaults().withQueues(MAX_QUEUED, 0))
                    .withSlowSubscribers(new SlowSubscribersConfig(null, Duration.ofSeconds(2), null)))
            .plugin(DropCounter.class);

    @RegisterExtension
    final V5Clients clients = new V5Clients(broker);

    /** A persistent session subscribed to {@code filter} whose client then reads nothing, with a tiny buffer. */
    private static RawMqttClient stalledSubscriber(String clientId, String filter, Qos qos) throws Exception {
        RawMqttClient c = RawMqttClient.connect(broker.port(), MqttVersion.MQTT_5, null, 4096);
        c.send(new Connect(MqttVersion.MQTT_5, false, 0, clientId, null, null, null,
                MqttProperties.builder().sessionExpiryInterval(3600L).build()));
        c.expect(ConnAck.class, V5Clients.TIMEOUT);
        c.send(new Subscribe(1, List.of(new Subscription(filter, qos)), MqttProperties.EMPTY));
        c.expect(SubAck.class, V5Clients.TIMEOUT);
        return c;
    }

    @Test
    void aStalledSubscriberToEverythingDoesNotSlowAnUnrelatedPublisher() throws Exception {
        int messages = 3_000;
        long droppedBefore = clients.metric("messages.dropped.queue_full");
        try (RawMqttClient stalled = stalledSubscriber("stalled-all", "#", Qos.AT_LEAST_ONCE)) {
            AtomicInteger received = new AtomicInteger();
            Mqtt5AsyncClient reader = clients.hive("reader").toAsync();
            reader.connect().get(5, TimeUnit.SECONDS);
            // At QoS 0 it reads as fast as its socket takes them (a QoS 1 reader's window of 32 would let a burst
            // overflow its own queue of 100 in this class, and that would be dropped: the default policy).
            reader.subscribeWith().topicFilter("unrelated/#").qos(MqttQos.AT_MOST_ONCE)
                    .callback(p -> received.incrementAndGet()).send().get(5, TimeUnit.SECONDS);
            Mqtt5BlockingClient publisher = clients.hive("unrelated-pub");
            publisher.connect();

            // One message after the other, each acknowledged before the next: held to one message a second, the
            // publisher would need most of an hour for these.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            for (int i = 0; i < messages && System.nanoTime() < deadline; i++) {
                publisher.publishWith().topic("unrelated/x").qos(MqttQos.AT_LEAST_ONCE).payload(utf8("m" + i)).send();
            }
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertThat(received.get()).as("messages the reading subscriber received").isEqualTo(messages));

            assertThat(clients.metric("messages.dropped.queue_full") - droppedBefore)
                    .as("what did not fit the stalled subscriber's queue is counted").isPositive();
            await().atMost(V5Clients.TIMEOUT).untilAsserted(() ->
                    assertThat(DROPS.get("stalled-all QUEUE_FULL")).as("drops announced to plugins").isNotNull());
            Session s = clients.session("stalled-all");
            await().atMost(V5Clients.TIMEOUT).untilAsserted(() ->
                    assertThat(s.queuedCount()).as("the stalled subscriber's queue").isBetween(1, MAX_QUEUED));
        }
    }

    @Test
    void aSubscriberThatTakesNothingWhileItsQueueOverflowsIsDisconnected() throws Exception {
        long closedBefore = clients.metric("connections.closed.quota_exceeded");
        try (RawMqttClient stalled = stalledSubscriber("stalled-long", "overflow/#", Qos.AT_MOST_ONCE);
             RawMqttClient pub = RawProtocol.connected(broker.port(), MqttVersion.MQTT_5)) {
            byte[] batch = batch("overflow/x", 50, 1024);
            AtomicBoolean stop = new AtomicBoolean();
            CompletableFuture<Void> flood = CompletableFuture.runAsync(() -> {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                try {
                    for (int i = 0; i < 20_000 && !stop.get() && System.nanoTime() < deadline; i++) {
                        pub.send(batch);
                        Thread.sleep(1); // a steady stream, so the queue overflows again and again
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            try {
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                    Session s = clients.session("stalled-long");
                    assertThat(s.isOnline()).as("the stalled subscriber is still connected").isFalse();
                });
            } finally {
                stop.set(true);
                flood.get(10, TimeUnit.SECONDS);
            }
            assertThat(clients.metric("connections.closed.quota_exceeded") - closedBefore)
                    .as("disconnected as a slow subscriber (0x97), and counted").isEqualTo(1);
            assertThat(clients.session("stalled-long")).as("its session stays, as its expiry says").isNotNull();
        }
    }

    static byte[] batch(String topic, int count, int payloadSize) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        byte[] payload = new byte[payloadSize];
        for (int i = 0; i < count; i++) {
            out.writeBytes(RawMqttClient.encode(new Publish(false, Qos.AT_MOST_ONCE, false, topic, 0,
                    MqttProperties.EMPTY, payload), MqttVersion.MQTT_5));
        }
        return out.toByteArray();
    }
}
