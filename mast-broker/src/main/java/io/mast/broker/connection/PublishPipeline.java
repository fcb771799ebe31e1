package io.mast.broker.connection;

import io.mast.broker.message.BrokerMessage;
import io.mast.broker.policy.Policy.PublishVerdict;
import io.mast.codec.packet.Publish;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * One client's PUBLISH packets whose decisions (plugins, hook servers) are under way. Up to {@code window} decisions
 * run at once, each started as its packet arrives; their results are carried out one after the other in the order
 * the packets came, so the messages are routed, and acknowledged (MQTT-4.6.0-2), in that order whatever order the
 * answers come in. A full window makes the following packets wait (the stage {@link #add} returns), and packets other
 * than PUBLISH wait until the pipeline is empty ({@link InboundOrder}). Used on the connection's loop only.
 */
final class PublishPipeline {

    /** A PUBLISH whose decision was asked; {@code verdict} completes on any thread. */
    record Pending(Publish publish, BrokerMessage message, CompletableFuture<PublishVerdict> verdict) {
    }

    private final Executor session;
    private final int window;
    private final Consumer<Pending> apply;
    private final Runnable emptied;
    private final ArrayDeque<Pending> pending = new ArrayDeque<>();
    private CompletableFuture<Void> room;
    private boolean draining;

    /**
     * @param session where the results are carried out: the publisher's session's mailbox
     * @param window  decisions under way at most
     * @param apply   carries out a decided PUBLISH (routing and acknowledgement)
     * @param emptied run when the last pending PUBLISH was carried out
     */
    PublishPipeline(Executor session, int window, Consumer<Pending> apply, Runnable emptied) {
        this.session = session;
        this.window = window;
        this.apply = apply;
        this.emptied = emptied;
    }

    boolean isEmpty() {
        return pending.isEmpty();
    }

    /**
     * Adds a PUBLISH whose decision was asked. Returns {@code null} while the window has room for the next packet,
     * or a stage that completes once it has.
     */
    CompletableFuture<Void> add(Pending p) {
        pending.add(p);
        if (p.verdict().isDone()) {
            drain();
        } else {
            p.verdict().whenComplete((v, e) -> session.execute(this::drain));
        }
        if (pending.size() < window) {
            return null;
        }
        room = new CompletableFuture<>();
        return room;
    }

    /** Carries out, in order, the decided PUBLISH packets at the head. */
    private void drain() {
        if (draining) {
            return;
        }
        draining = true;
        try {
            while (!pending.isEmpty() && pending.peek().verdict().isDone()) {
                apply.accept(pending.poll());
            }
        } finally {
            draining = false;
        }
        if (room != null && pending.size() < window) {
            CompletableFuture<Void> r = room;
            room = null;
            r.complete(null);
        }
        if (pending.isEmpty()) {
            emptied.run();
        }
    }
}
