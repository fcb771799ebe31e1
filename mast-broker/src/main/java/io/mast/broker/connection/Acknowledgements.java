package io.mast.broker.connection;

import io.mast.broker.session.Session;
import io.mast.codec.ReasonCode;
import io.mast.codec.packet.MqttPacket;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;

/**
 * The PUBACK and PUBREC packets of one connection that wait for the store: each goes out once what its message caused
 * is stored (its barrier completed), and never before one that came earlier (MQTT-4.6.0-2), however the barriers'
 * completions and the mailbox's tasks interleave. Used on the connection's loop (its session's mailbox) only.
 */
final class Acknowledgements {

    private record Waiting(MqttPacket ack, CompletableFuture<Void> stored) {
    }

    private final Connection connection;
    private final ArrayDeque<Waiting> waiting = new ArrayDeque<>();

    Acknowledgements(Connection connection) {
        this.connection = connection;
    }

    /** Sends {@code ack} once {@code stored} completed and every acknowledgement before it was sent. */
    void send(MqttPacket ack, CompletableFuture<Void> stored, Session session) {
        if (waiting.isEmpty() && stored.isDone() && !stored.isCompletedExceptionally()) {
            connection.send(ack);
            return;
        }
        waiting.add(new Waiting(ack, stored));
        stored.whenComplete((v, e) -> session.execute(this::drain));
    }

    /** Sends, in order, the acknowledgements at the head whose messages are stored. */
    private void drain() {
        while (!waiting.isEmpty() && waiting.peek().stored().isDone()) {
            Waiting w = waiting.poll();
            if (w.stored().isCompletedExceptionally()) {
                waiting.clear();
                connection.disconnect(ReasonCode.IMPLEMENTATION_SPECIFIC_ERROR,
                        "the broker could not store the message");
                return;
            }
            if (!connection.isClosing()) {
                connection.send(w.ack());
            }
        }
    }
}
