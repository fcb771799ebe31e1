package io.mast.broker.connection;

import io.mast.codec.PacketType;
import io.mast.codec.packet.Disconnect;
import io.mast.codec.packet.MqttPacket;
import java.util.ArrayDeque;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Handles a client's packets one at a time, in the order they arrived: a packet whose handling is pending (a plugin's
 * decision, a store's barrier) holds the ones after it in a backlog, and a full backlog stops reading from the
 * socket. PUBLISH packets are the exception: their decisions overlap ({@link PublishPipeline}) until its window is
 * full, and the other packets wait until the PUBLISH packets before them are carried out. While reading is paused for
 * a congestion ({@link ReadGate#isPaused()}), what makes work waits too, but not the acknowledgements of messages the
 * client receives, nor PINGREQ, so that a paused client still drains its own queue and stays alive.
 *
 * <p>When the socket closes, what the client sent before is still handled, in order: the backlog drains (a pause no
 * longer holds it), and {@link Connection#drained()} is called once nothing is left or pending. Nothing is handled
 * after a DISCONNECT. Used on the connection's loop only (the channel's event loop, or its session's mailbox, which
 * runs there).
 */
final class InboundOrder {

    /** What the packets are handled by: the connection. */
    interface Target {
        /** Handles one packet; returns {@code null} when done, or a stage that completes when it is. */
        CompletionStage<?> handle(MqttPacket packet);

        /** Where the next packet is handled: the session's mailbox once there is one, at once before. */
        Executor handler();

        /** Runs a task where packets are handled, later. */
        void runOnLoop(Runnable task);

        /** True while PUBLISH packets wait for their decisions: what is not a PUBLISH waits behind them. */
        boolean publishesPending();

        /** True once the client's DISCONNECT was handled: nothing it sent after is. */
        boolean endedByClient();

        /** True once the socket closed: the backlog drains without regard to a pause. */
        boolean isSocketClosed();

        /** Nothing the client sent is left to handle, after its socket closed. */
        void drained();

        /** The client for logs. */
        String describe();
    }

    private static final Logger log = LoggerFactory.getLogger(InboundOrder.class);
    private static final int BACKLOG_HIGH = 64;
    private static final int BACKLOG_LOW = 16;

    private final Target connection;
    private final ReadGate readGate;
    private boolean busy;
    private boolean pumping;
    private ArrayDeque<MqttPacket> backlog;

    InboundOrder(Target connection, ReadGate readGate) {
        this.connection = connection;
        this.readGate = readGate;
    }

    /** A decoded packet: handled now, or after those before it. */
    void offer(MqttPacket packet) {
        boolean paused = readGate.isPaused();
        if (!busy && !waitsForPublishes(packet) && (paused ? !isHeld(packet) : backlog == null || backlog.isEmpty())) {
            dispatch(packet); // while paused, acknowledgements and pings pass the messages held
            return;
        }
        if (backlog == null) {
            backlog = new ArrayDeque<>();
        }
        backlog.add(packet);
        if (backlog.size() == BACKLOG_HIGH) {
            readGate.hold(ReadGate.Reason.BACKLOG);
        }
    }

    /** Dispatches backlogged packets until one is pending, or a held one meets a paused read. */
    void pump() {
        if (pumping) {
            return;
        }
        if (backlog != null) {
            pumping = true;
            try {
                while (!busy && !connection.endedByClient() && !backlog.isEmpty() && !waitsForPublishes(backlog.peek())
                        && !(readGate.isPaused() && isHeld(backlog.peek()) && !connection.isSocketClosed())) {
                    dispatch(backlog.poll());
                }
            } finally {
                pumping = false;
            }
            if (backlog.size() < BACKLOG_LOW) {
                readGate.release(ReadGate.Reason.BACKLOG);
            }
        }
        if (connection.isSocketClosed() && isIdle()) {
            connection.drained();
        }
    }

    /** True when nothing is being handled, pending or waiting (or the client's DISCONNECT ended the handling). */
    boolean isIdle() {
        return !busy && (connection.endedByClient() || ((backlog == null || backlog.isEmpty())
                && !connection.publishesPending()));
    }

    /** Forgets the packets still waiting; returns how many of them were PUBLISH packets. */
    int discard() {
        int publishes = 0;
        if (backlog != null) {
            for (MqttPacket p : backlog) {
                if (p.type() == PacketType.PUBLISH) {
                    publishes++;
                }
            }
            backlog.clear();
        }
        return publishes;
    }

    /** A DISCONNECT still waiting in the backlog, or {@code null}. */
    Disconnect queuedDisconnect() {
        if (backlog != null) {
            for (MqttPacket p : backlog) {
                if (p instanceof Disconnect d) {
                    return d;
                }
            }
        }
        return null;
    }

    /**
     * True for a packet that must wait until the PUBLISH packets before it are decided and carried out: anything that
     * makes work and is not itself a PUBLISH (a SUBSCRIBE, a DISCONNECT); PUBLISH packets join the pipeline.
     */
    private boolean waitsForPublishes(MqttPacket packet) {
        return packet.type() != PacketType.PUBLISH && isHeld(packet) && connection.publishesPending();
    }

    private static boolean isHeld(MqttPacket packet) {
        return switch (packet.type()) {
            case PUBACK, PUBREC, PUBREL, PUBCOMP, PINGREQ -> false;
            default -> true;
        };
    }

    private void dispatch(MqttPacket packet) {
        busy = true;
        connection.handler().execute(() -> finish(connection.handle(packet)));
    }

    private void finish(CompletionStage<?> pending) {
        if (pending == null || pending.toCompletableFuture().isDone()) {
            done();
        } else {
            pending.whenComplete((r, e) -> {
                if (e != null) {
                    log.warn("Handling a packet of {} failed", connection.describe(), e);
                }
                connection.runOnLoop(this::done);
            });
        }
    }

    private void done() {
        busy = false;
        pump();
    }
}
