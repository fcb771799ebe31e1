package io.mast.broker.session;

import io.mast.broker.routing.Waiters;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * How much a session is holding, as publishers on other threads see it: the deliveries handed to its mailbox and not
 * yet looked at, its queue's size and how many messages it took off the queue. It bounds the mailbox (a delivery
 * beyond is refused at the door), and decides when the session is congested and when it is relieved, for
 * {@code slow_subscribers.pause_publishers} (see {@link io.mast.broker.routing.Congestion}). Thread-safe.
 */
final class SessionIntake {

    /** Deliveries waiting in the mailbox beyond which the session counts as congested. */
    static final int CONGESTED_BACKLOG = 1024;

    private final int maxQueued;
    private final boolean pausesPublishers;
    private final Supplier<ClientLink> connection;
    private final AtomicInteger pending = new AtomicInteger();
    /** The outbound queue's size, written in the mailbox and read by publishers. */
    private volatile int queued;
    /** Messages sent to the client, written in the mailbox only: how paused publishers see progress. */
    private volatile long sent;
    /** Publishers paused until the queue drains. */
    private final Waiters drainWaiters = new Waiters();
    /** A publisher's pause for this session ended without progress: it pauses no one until its queue drained. */
    private volatile boolean stalled;

    /**
     * @param maxQueued        {@code limits.max_queued_messages}
     * @param pausesPublishers {@code slow_subscribers.pause_publishers}
     * @param connection       the session's connection now, or {@code null} while offline (any thread)
     */
    SessionIntake(int maxQueued, boolean pausesPublishers, Supplier<ClientLink> connection) {
        this.maxQueued = maxQueued;
        this.pausesPublishers = pausesPublishers;
        this.connection = connection;
    }

    /**
     * A delivery is about to be handed to the mailbox: false when the mailbox already holds as many as the queue
     * could plus {@link #CONGESTED_BACKLOG} (the session's thread cannot keep up with a flood from many publishers),
     * and the delivery is to be dropped at the door.
     */
    boolean admit() {
        if (pending.get() >= maxQueued + CONGESTED_BACKLOG) {
            return false;
        }
        pending.incrementAndGet();
        return true;
    }

    /** Deliveries in the mailbox, not yet looked at. */
    int pending() {
        return pending.get();
    }

    /** The mailbox took a delivery (in the mailbox). */
    void taken() {
        pending.decrementAndGet();
    }

    /** A delivery was sent at once or queued (in the mailbox): publishers paused for this session may go on. */
    void offered() {
        if (backlog() <= maxQueued / 4) {
            drainWaiters.run();
        }
    }

    /** A message left the queue for the client (in the mailbox). */
    void countSent() {
        sent++;
    }

    /** Messages sent to the client so far. */
    long progress() {
        return sent;
    }

    /**
     * The outbound queue's size changed (in the mailbox); publishers waiting for it to drain resume at a quarter, and a
     * session that had stalled a pause may pause publishers again.
     */
    void queueSize(int size) {
        queued = size;
        if (backlog() <= maxQueued / 4) {
            stalled = false;
            drainWaiters.run();
        }
    }

    /** The client went away: publishers paused for it go on. */
    void offline() {
        drainWaiters.run();
    }

    /**
     * Congested, with {@code slow_subscribers.pause_publishers} only: its socket takes no more bytes, deliveries pile
     * up in its mailbox, or its queue and the deliveries on their way to it fill half of it (a client that acknowledges
     * slowly keeps its socket writable while its queue grows); and it has not stalled a publisher's pause since it last
     * drained. Offline sessions are never congested: their queue is bounded and what does not fit is dropped.
     */
    boolean isCongested() {
        if (!pausesPublishers || stalled) {
            return false;
        }
        ClientLink c = connection.get();
        int p = pending.get();
        return c != null && (!c.isWritable() || p > CONGESTED_BACKLOG || queued + p > maxQueued / 2);
    }

    /** Runs the action once the session is relieved: its queue drained to a quarter, or its socket writable. */
    void whenRelieved(Runnable action) {
        ClientLink c = connection.get();
        if (c == null) {
            action.run();
        } else if (backlog() > maxQueued / 4) {
            drainWaiters.add(action);
            if (backlog() <= maxQueued / 4 || connection.get() == null) {
                drainWaiters.run();
            }
        } else {
            c.whenWritable(action);
        }
    }

    /** A publisher's pause for this session ended without progress. */
    void stalled() {
        stalled = true;
    }

    /** Messages queued, and handed to the mailbox but not yet queued or sent. */
    private int backlog() {
        return queued + pending.get();
    }
}
