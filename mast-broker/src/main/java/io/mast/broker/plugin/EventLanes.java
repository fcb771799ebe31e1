package io.mast.broker.plugin;

import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * The event queue of one plugin: a few lanes, each a bounded queue drained in order by one virtual thread. A client's
 * events always take the same lane, so they arrive in order; a full lane drops the event and counts it. Network
 * threads only ever offer to a queue.
 */
final class EventLanes {

    private static final Runnable STOP = () -> { };

    private final ArrayBlockingQueue<Runnable>[] lanes;
    private final Thread[] workers;
    private final LongAdder dropped;

    @SuppressWarnings("unchecked")
    EventLanes(String plugin, int laneCount, int capacity, LongAdder dropped) {
        this.dropped = dropped;
        this.lanes = new ArrayBlockingQueue[laneCount];
        this.workers = new Thread[laneCount];
        int perLane = Math.max(16, capacity / laneCount);
        for (int i = 0; i < laneCount; i++) {
            ArrayBlockingQueue<Runnable> q = new ArrayBlockingQueue<>(perLane);
            lanes[i] = q;
            workers[i] = Thread.ofVirtual().name("plugin-events-" + plugin + "-" + i).start(() -> drain(q));
        }
    }

    private static void drain(ArrayBlockingQueue<Runnable> q) {
        while (true) {
            Runnable r;
            try {
                r = q.take();
            } catch (InterruptedException e) {
                return;
            }
            if (r == STOP) {
                return;
            }
            r.run();
        }
    }

    /** Queues an event for a client's lane; returns false (and counts a drop) when the lane is full. */
    boolean submit(String clientId, Runnable event) {
        int lane = clientId == null ? 0 : Math.floorMod(clientId.hashCode(), lanes.length);
        if (lanes[lane].offer(event)) {
            return true;
        }
        dropped.increment();
        return false;
    }

    /** Lets the queued events run (up to the timeout), then stops the lanes. */
    void close(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (ArrayBlockingQueue<Runnable> q : lanes) {
            try {
                if (!q.offer(STOP, Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                    q.clear();
                    q.offer(STOP);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        for (Thread t : workers) {
            try {
                if (!t.join(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())))) {
                    t.interrupt();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
