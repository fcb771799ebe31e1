package io.mast.broker.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.mast.broker.client.ConnectionInfo;
import io.mast.broker.config.BrokerConfig;
import io.mast.broker.config.ConfigLoader;
import io.mast.broker.events.BrokerEvents;
import io.mast.broker.message.BrokerMessage;
import io.mast.broker.metrics.BrokerMetrics;
import io.mast.broker.policy.LoopbackPolicy;
import io.mast.broker.policy.Policy;
import io.mast.broker.routing.ConcurrentTopicTree;
import io.mast.broker.routing.QueueBudget;
import io.mast.broker.store.Persistence;
import io.mast.codec.MqttProperties;
import io.mast.codec.MqttVersion;
import io.mast.codec.Qos;
import io.mast.codec.ReasonCode;
import io.mast.codec.packet.MqttPacket;
import io.mast.plugin.DropReason;
import io.mast.plugin.support.Metrics;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.concurrent.EventExecutor;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A {@link Session} and its outbound flow with a fake {@link ClientLink} and the services of {@link SessionServices}
 * (the in-memory store, a real topic tree, the policy of a broker without plugins, no events), its mailbox on an embedded channel's loop: what is
 * sent at once, what waits for the window or for writability, the order of delivery, and what overflows.
 */
class SessionTest {

    /** A client's connection that records what the session sends it. */
    private static final class FakeLink implements ClientLink {
        final EmbeddedChannel channel = new EmbeddedChannel();
        final List<String> sent = new ArrayList<>();
        final List<Integer> packetIds = new ArrayList<>();
        final List<Runnable> whenWritable = new ArrayList<>();
        final int receiveMaximum;
        boolean writable = true;
        ReasonCode disconnectedWith;

        FakeLink(int receiveMaximum) {
            this.receiveMaximum = receiveMaximum;
        }

        @Override
        public ConnectionInfo info() {
            return new ConnectionInfo("c1", null, MqttVersion.MQTT_5, new InetSocketAddress("127.0.0.1", 50000), 1883,
                    "tcp", 60, false, 0, null);
        }

        @Override
        public EventExecutor eventLoop() {
            return channel.eventLoop();
        }

        @Override
        public boolean isWritable() {
            return writable;
        }

        @Override
        public void whenWritable(Runnable action) {
            whenWritable.add(action);
        }

        void becomeWritable() {
            writable = true;
            List<Runnable> actions = new ArrayList<>(whenWritable);
            whenWritable.clear();
            actions.forEach(Runnable::run);
        }

        @Override
        public int peerReceiveMaximum() {
            return receiveMaximum;
        }

        @Override
        public void send(MqttPacket packet) {
        }

        @Override
        public boolean sendPublish(BrokerMessage message, Qos qos, boolean retainFlag, int packetId, boolean dup,
                                   List<Integer> subscriptionIds, long now) {
            sent.add(new String(message.payload(), StandardCharsets.UTF_8));
            packetIds.add(packetId);
            return true;
        }

        @Override
        public BrokerMessage peekWill() {
            return null;
        }

        @Override
        public BrokerMessage takeWill() {
            return null;
        }

        @Override
        public long willDelaySeconds() {
            return 0;
        }

        @Override
        public void disconnect(ReasonCode reason, String reasonString) {
            disconnectedWith = reason;
        }

        @Override
        public void closeTakenOver() {
        }
    }

    @TempDir
    Path dir;

    private BrokerMetrics metrics;
    private SessionRegistry registry;
    private FakeLink link;
    private Session session;

    private final Policy policy = new LoopbackPolicy();

    private void start(String yaml, int receiveMaximum) throws IOException {
        Path file = Files.writeString(dir.resolve("mast.yaml"), yaml);
        BrokerConfig config = new ConfigLoader().load(file, Map.of());
        metrics = new BrokerMetrics(new Metrics());
        QueueBudget budget = new QueueBudget(config.limits().maxQueuedBytesTotal());
        link = new FakeLink(receiveMaximum);
        registry = new SessionRegistry(new SessionServices(config, metrics, Persistence.MEMORY,
                new ConcurrentTopicTree(), null, null, budget, () -> policy, () -> BrokerEvents.NONE,
                () -> link.channel.eventLoop()));
        registry.open(link, false, 3600, (s, present) -> session = s);
        run();
        session.resume(link);
        run();
        assertThat(session).isNotNull();
        assertThat(session.connection()).isSameAs(link);
    }

    private void run() {
        link.channel.runPendingTasks();
    }

    private void deliver(String payload, Qos qos) {
        BrokerMessage m = new BrokerMessage("t", payload.getBytes(StandardCharsets.UTF_8), qos, false,
                MqttProperties.EMPTY, "publisher", System.currentTimeMillis(), 0);
        session.deliver(m, qos, false, List.of(), null);
        run();
    }

    @BeforeEach
    void noSession() {
        session = null;
    }

    @Test
    void qos1MessagesGoOutUpToTheClientsReceiveMaximumAndTheRestFollowAcknowledgementsInOrder() throws IOException {
        start("limits:\n  max_queued_messages: 100\n", 2);
        for (int i = 1; i <= 5; i++) {
            deliver("m" + i, Qos.AT_LEAST_ONCE);
        }
        assertThat(link.sent).containsExactly("m1", "m2");
        assertThat(session.inflightCount()).isEqualTo(2);
        assertThat(session.queuedCount()).isEqualTo(3);

        session.onPubAck(link.packetIds.get(0));
        run();
        assertThat(link.sent).containsExactly("m1", "m2", "m3");
        session.onPubAck(link.packetIds.get(1));
        session.onPubAck(link.packetIds.get(2));
        run();
        assertThat(link.sent).containsExactly("m1", "m2", "m3", "m4", "m5");
        assertThat(link.packetIds).doesNotHaveDuplicates();
    }

    @Test
    void aConnectionThatCannotTakeBytesQueuesUntilItCan() throws IOException {
        start("limits:\n  max_queued_messages: 100\n", 100);
        link.writable = false;
        deliver("a", Qos.AT_MOST_ONCE);
        deliver("b", Qos.AT_LEAST_ONCE);
        assertThat(link.sent).isEmpty();
        assertThat(session.queuedCount()).isEqualTo(2);

        link.becomeWritable();
        session.onWritable(); // as the connection does when its channel becomes writable
        run();
        assertThat(link.sent).containsExactly("a", "b");
        assertThat(session.queuedCount()).isZero();
    }

    @Test
    void aFullQueueDropsQos0FirstAndCountsTheDrops() throws IOException {
        start("limits:\n  max_queued_messages: 3\n", 100);
        link.writable = false;
        deliver("q0-a", Qos.AT_MOST_ONCE);
        deliver("q1-b", Qos.AT_LEAST_ONCE);
        deliver("q1-c", Qos.AT_LEAST_ONCE);
        deliver("q1-d", Qos.AT_LEAST_ONCE);
        assertThat(session.queuedCount()).isEqualTo(3);
        assertThat(metrics.dropped(DropReason.QUEUE_FULL).sum()).isEqualTo(1);

        link.becomeWritable();
        session.onWritable(); // as the connection does when its channel becomes writable
        run();
        assertThat(link.sent).as("the QoS 0 message made room for the newer QoS 1 one")
                .containsExactly("q1-b", "q1-c", "q1-d");
    }

    @Test
    void anOfflineSessionKeepsQos1MessagesAndSendsThemInOrderWhenTheClientReturns() throws IOException {
        start("limits:\n  max_queued_messages: 100\n", 100);
        session.detach(link, false);
        run();
        assertThat(session.isOnline()).isFalse();
        deliver("x", Qos.AT_LEAST_ONCE);
        deliver("gone", Qos.AT_MOST_ONCE);
        deliver("y", Qos.AT_LEAST_ONCE);
        assertThat(link.sent).isEmpty();

        FakeLink back = new FakeLink(100);
        // the returning client's loop is the same embedded loop, so that run() drives both
        Session[] again = new Session[1];
        FakeLink old = link;
        link = back;
        registry.open(back, false, 3600, (s, present) -> again[0] = s);
        old.channel.runPendingTasks();
        back.channel.runPendingTasks();
        assertThat(again[0]).isSameAs(session);
        session.resume(back);
        old.channel.runPendingTasks();
        back.channel.runPendingTasks();
        assertThat(back.sent).as("QoS 0 is not kept for an offline client by default").containsExactly("x", "y");
    }
}
