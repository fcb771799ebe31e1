package io.mast.broker.routing;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Actions waiting for a subscriber to take messages again (see {@link Congestion#whenRelieved}), each run once when
 * {@link #run()} is called. Safe from any thread.
 */
public final class Waiters {

    private volatile Queue<Runnable> waiting;

    /** Adds an action to run at the next {@link #run()}. */
    public void add(Runnable action) {
        Queue<Runnable> q = waiting;
        if (q == null) {
            synchronized (this) {
                q = waiting;
                if (q == null) {
                    q = new ConcurrentLinkedQueue<>();
                    waiting = q;
                }
            }
        }
        q.add(action);
    }

    /** True when no action waits. */
    public boolean isEmpty() {
        Queue<Runnable> q = waiting;
        return q == null || q.isEmpty();
    }

    /** Runs and forgets every waiting action. */
    public void run() {
        Queue<Runnable> q = waiting;
        if (q != null) {
            Runnable r;
            while ((r = q.poll()) != null) {
                r.run();
            }
        }
    }
}
