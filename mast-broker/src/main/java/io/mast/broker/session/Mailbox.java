package io.mast.broker.session;

import io.netty.util.concurrent.EventExecutor;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a session's tasks one at a time, in submission order per submitting thread, so session state needs no locks.
 * Tasks run on the session's home event loop: the loop of its client's channel while connected, so reads, session
 * work and writes happen on one thread. A task submitted from the home loop while the mailbox is idle runs inline,
 * which makes the common case (a packet from the session's own client) free of hand-offs. A task only ever starts on
 * the loop that is home when it starts: after {@link #moveTo} the remaining tasks follow the mailbox to its new loop.
 */
public final class Mailbox implements Executor, Runnable {

    private static final Logger log = LoggerFactory.getLogger(Mailbox.class);

    private static final int IDLE = 0;
    private static final int SCHEDULED = 1;
    private static final int RUNNING = 2;
    /** Tasks run per turn before yielding the event loop to other work. */
    private static final int BATCH = 256;

    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final AtomicInteger state = new AtomicInteger(IDLE);
    private final String owner;
    private volatile EventExecutor home;

    public Mailbox(String owner, EventExecutor home) {
        this.owner = owner;
        this.home = home;
    }

    /** Moves the mailbox to another event loop; tasks already scheduled finish on the old one. */
    public void moveTo(EventExecutor newHome) {
        this.home = newHome;
    }

    /** The event loop the mailbox runs on. */
    public EventExecutor home() {
        return home;
    }

    @Override
    public void execute(Runnable task) {
        if (tasks.isEmpty() && home.inEventLoop() && state.compareAndSet(IDLE, RUNNING)) {
            try {
                runSafely(task);
            } finally {
                release();
            }
            return;
        }
        tasks.offer(task);
        schedule();
    }

    private void schedule() {
        if (state.compareAndSet(IDLE, SCHEDULED)) {
            try {
                home.execute(this);
            } catch (RejectedExecutionException e) {
                // The event loop is shutting down: the broker is stopping and the tasks no longer matter.
                state.set(IDLE);
                tasks.clear();
            }
        }
    }

    @Override
    public void run() {
        if (!state.compareAndSet(SCHEDULED, RUNNING)) {
            return;
        }
        try {
            for (int i = 0; i < BATCH; i++) {
                if (!home.inEventLoop()) {
                    break; // moved to another loop: the rest runs there (release() schedules it)
                }
                Runnable task = tasks.poll();
                if (task == null) {
                    break;
                }
                runSafely(task);
            }
        } finally {
            release();
        }
    }

    private void release() {
        state.set(IDLE);
        if (!tasks.isEmpty()) {
            schedule();
        }
    }

    private void runSafely(Runnable task) {
        try {
            task.run();
        } catch (Throwable t) {
            log.error("Session task of {} failed; the session continues", owner, t);
        }
    }
}
