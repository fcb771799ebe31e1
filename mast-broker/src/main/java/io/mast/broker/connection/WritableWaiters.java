package io.mast.broker.connection;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/** Actions waiting for a connection to become writable (or to close), each run once. Safe from any thread. */
final class WritableWaiters {

    private volatile Queue<Runnable> waiting;

    void add(Runnable action) {
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

    /** Runs and forgets every waiting action. */
    void run() {
        Queue<Runnable> q = waiting;
        if (q != null) {
            Runnable r;
            while ((r = q.poll()) != null) {
                r.run();
            }
        }
    }
}
