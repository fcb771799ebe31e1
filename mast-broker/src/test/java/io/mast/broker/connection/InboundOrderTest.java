package io.mast.broker.connection;

import static org.assertj.core.api.Assertions.assertThat;

import io.mast.broker.routing.Congestion;
import io.mast.codec.MqttProperties;
import io.mast.codec.packet.Disconnect;
import io.mast.codec.packet.MqttPacket;
import io.mast.codec.packet.PingReq;
import io.mast.codec.packet.PubAck;
import io.mast.codec.packet.Subscribe;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link InboundOrder} with a fake connection ({@link InboundOrder.Target}) and a {@link ReadGate} on an embedded
 * channel: the order packets are handled in, what waits behind a pending one, the back-pressure of a full backlog, the
 * pause for a congestion, and the drain after the socket closed.
 */
class InboundOrderTest {

    /** A connection that records what it handled and answers later for the packets it was told to. */
    private static final class FakeConnection implements InboundOrder.Target {
        final List<MqttPacket> handled = new ArrayList<>();
        final Map<MqttPacket, CompletableFuture<Void>> pendingFor = new HashMap<>();
        final List<Runnable> loopTasks = new ArrayList<>();
        boolean publishesPending;
        boolean endedByClient;
        boolean socketClosed;
        int drained;

        @Override
        public CompletionStage<?> handle(MqttPacket packet) {
            handled.add(packet);
            if (packet instanceof Disconnect) {
                endedByClient = true;
            }
            return pendingFor.get(packet);
        }

        @Override
        public Executor handler() {
            return Runnable::run;
        }

        @Override
        public void runOnLoop(Runnable task) {
            loopTasks.add(task);
        }

        void runLoop() {
            List<Runnable> tasks = new ArrayList<>(loopTasks);
            loopTasks.clear();
            tasks.forEach(Runnable::run);
        }

        @Override
        public boolean publishesPending() {
            return publishesPending;
        }

        @Override
        public boolean endedByClient() {
            return endedByClient;
        }

        @Override
        public boolean isSocketClosed() {
            return socketClosed;
        }

        @Override
        public void drained() {
            drained++;
        }

        @Override
        public String describe() {
            return "test client";
        }
    }

    private final FakeConnection connection = new FakeConnection();
    private EmbeddedChannel channel;
    private ReadGate gate;
    private InboundOrder order;

    @BeforeEach
    void setUp() {
        channel = new EmbeddedChannel();
        gate = new ReadGate(channel, () -> { });
        order = new InboundOrder(connection, gate);
    }

    private static Subscribe subscribe(int id) {
        return new Subscribe(id, List.of(), MqttProperties.EMPTY);
    }

    @Test
    void packetsAreHandledAtOnceWhileNothingIsPending() {
        Subscribe a = subscribe(1);
        Subscribe b = subscribe(2);
        order.offer(a);
        order.offer(b);
        assertThat(connection.handled).containsExactly(a, b);
        assertThat(order.isIdle()).isTrue();
    }

    @Test
    void aPendingPacketHoldsTheOnesAfterItInOrderUntilItIsDone() {
        Subscribe a = subscribe(1);
        Subscribe b = subscribe(2);
        PubAck ack = new PubAck(7);
        CompletableFuture<Void> decision = new CompletableFuture<>();
        connection.pendingFor.put(a, decision);
        order.offer(a);
        order.offer(b);
        order.offer(ack);
        assertThat(connection.handled).containsExactly(a);
        assertThat(order.isIdle()).isFalse();

        decision.complete(null);
        assertThat(connection.handled).as("not before the loop runs the completion").containsExactly(a);
        connection.runLoop();
        assertThat(connection.handled).containsExactly(a, b, ack);
        assertThat(order.isIdle()).isTrue();
    }

    @Test
    void aFullBacklogStopsReadingAndADrainedOneResumesIt() {
        Subscribe first = subscribe(1);
        CompletableFuture<Void> decision = new CompletableFuture<>();
        connection.pendingFor.put(first, decision);
        order.offer(first);
        for (int i = 2; i <= 64; i++) {
            order.offer(subscribe(i));
            assertThat(channel.config().isAutoRead()).as("reading after %d packets waiting", i - 1).isTrue();
        }
        order.offer(subscribe(65));
        assertThat(channel.config().isAutoRead()).as("reading with 64 packets waiting").isFalse();
        assertThat(gate.holds(ReadGate.Reason.BACKLOG)).isTrue();

        decision.complete(null);
        connection.runLoop();
        assertThat(connection.handled).hasSize(65);
        assertThat(channel.config().isAutoRead()).isTrue();
        assertThat(gate.holds(ReadGate.Reason.BACKLOG)).isFalse();
    }

    @Test
    void whatMakesWorkWaitsBehindPendingPublishesButAcknowledgementsDoNot() {
        connection.publishesPending = true;
        Subscribe sub = subscribe(1);
        PubAck ack = new PubAck(3);
        order.offer(sub);
        order.offer(ack);
        assertThat(connection.handled).as("the SUBSCRIBE waits, the PUBACK behind it waits for it").isEmpty();
        assertThat(order.isIdle()).isFalse();

        connection.publishesPending = false;
        order.pump();
        assertThat(connection.handled).containsExactly(sub, ack);
    }

    @Test
    void whilePausedForACongestionAcknowledgementsAndPingsPassButNotWork() {
        Congestion congestion = new Congestion() {
            @Override
            public long progress() {
                return 0;
            }

            @Override
            public void whenRelieved(Runnable action) {
            }

            @Override
            public void stalled() {
            }
        };
        int pause = gate.pause(congestion);
        assertThat(pause).isNotZero();
        Subscribe sub = subscribe(1);
        PubAck ack = new PubAck(3);
        order.offer(sub);
        order.offer(ack);
        order.offer(PingReq.INSTANCE);
        assertThat(connection.handled).containsExactly(ack, PingReq.INSTANCE);

        gate.resume(pause);
        order.pump();
        assertThat(connection.handled).containsExactly(ack, PingReq.INSTANCE, sub);
    }

    @Test
    void afterTheSocketClosedTheBacklogDrainsInOrderThenDrainedIsCalledOnce() {
        Subscribe a = subscribe(1);
        Subscribe b = subscribe(2);
        CompletableFuture<Void> decision = new CompletableFuture<>();
        connection.pendingFor.put(a, decision);
        order.offer(a);
        order.offer(b);
        connection.socketClosed = true;
        order.pump();
        assertThat(connection.drained).as("not while a packet is pending").isZero();

        decision.complete(null);
        connection.runLoop();
        assertThat(connection.handled).containsExactly(a, b);
        assertThat(connection.drained).isEqualTo(1);
    }

    @Test
    void nothingAfterTheClientsDisconnectIsHandled() {
        Subscribe a = subscribe(1);
        CompletableFuture<Void> decision = new CompletableFuture<>();
        connection.pendingFor.put(a, decision);
        order.offer(a);
        order.offer(Disconnect.NORMAL);
        order.offer(subscribe(2));
        assertThat(order.queuedDisconnect()).isEqualTo(Disconnect.NORMAL);

        decision.complete(null);
        connection.runLoop();
        assertThat(connection.handled).containsExactly(a, Disconnect.NORMAL);
        assertThat(order.isIdle()).isTrue();
        assertThat(order.discard()).isZero();
    }
}
