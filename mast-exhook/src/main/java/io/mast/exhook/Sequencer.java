package io.mast.exhook;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the calls about one client in order towards one server: a call starts only when the previous one for the
 * same key has finished (answered, failed or timed out). Calls about different clients run concurrently.
 *
 * <p>The exception are <em>overlapping</em> places ({@code message.publish} with {@code publish_inflight} above 1):
 * consecutive overlapping calls of one key may be under way together, up to {@code overlap}, each started after the
 * one before it. Any other call waits until those before it have finished, and an overlapping call waits behind one
 * that is not.
 *
 * <p>A place in the order is taken with {@link #reserve} when the broker raises the hook, and given its call later
 * with {@link #fill} (or given up with {@link #skip}): a decision asked of several servers one after the other
 * reserves its place at every server at once, so that a notification raised after it never overtakes it. Nothing
 * here blocks a thread; a full queue refuses further notifications rather than grow.
 */
final class Sequencer {

    /** The work of one place: start the call and run {@code done} once when it has finished. */
    @FunctionalInterface
    interface Task {
        void run(Runnable done);
    }

    /** A place in a key's order. */
    static final class Slot {
        private final Sequencer owner;
        private final String key;
        private final boolean overlapping;
        private Task task;

        private Slot(Sequencer owner, String key, boolean overlapping) {
            this.owner = owner;
            this.key = key;
            this.overlapping = overlapping;
        }
    }

    private static final class Lane {
        /** Places reserved and not started, in order. */
        final ArrayDeque<Slot> waiting = new ArrayDeque<>();
        /** Places started and not finished. */
        int running;
        /** Of those, the ones that are not overlapping (0 or 1). */
        int exclusive;
    }

    private static final Logger log = LoggerFactory.getLogger(Sequencer.class);
    private static final Task SKIP = Runnable::run;
    private static final ThreadLocal<ArrayDeque<Slot>> TRAMPOLINE = new ThreadLocal<>();

    private final ConcurrentHashMap<String, Lane> lanes = new ConcurrentHashMap<>();
    private final int maxQueued;
    private final int overlap;
    private final AtomicInteger pending = new AtomicInteger();

    /** @param maxQueued how many calls one key may have waiting before notifications are refused */
    Sequencer(int maxQueued) {
        this(maxQueued, 1);
    }

    /**
     * @param maxQueued how many calls one key may have waiting before notifications are refused
     * @param overlap   how many overlapping calls of one key may be under way at once
     */
    Sequencer(int maxQueued, int overlap) {
        this.maxQueued = maxQueued;
        this.overlap = overlap;
    }

    /**
     * Takes the next place in a key's order ({@code null} key: no order, the call starts when filled). Returns
     * {@code null} when {@code refusable} and the key already has {@code maxQueued} calls waiting.
     */
    Slot reserve(String key, boolean refusable) {
        return reserve(key, refusable, false);
    }

    /** {@link #reserve(String, boolean)}, for a call that may overlap its key's other overlapping calls. */
    Slot reserve(String key, boolean refusable, boolean overlapping) {
        Slot s = new Slot(this, key, overlapping && overlap > 1);
        if (key == null) {
            pending.incrementAndGet();
            return s;
        }
        boolean[] refused = {false};
        lanes.compute(key, (k, lane) -> {
            if (lane == null) {
                lane = new Lane();
            } else if (refusable && lane.waiting.size() + lane.running >= maxQueued) {
                refused[0] = true;
                return lane;
            }
            lane.waiting.addLast(s);
            return lane;
        });
        if (refused[0]) {
            return null;
        }
        pending.incrementAndGet();
        return s;
    }

    /**
     * Takes the next place in a key's order and gives it its call at once: {@link #reserve} and {@link #fill} in one
     * step (one update of the key's lane). Returns {@code null} when {@code refusable} and the key already has
     * {@code maxQueued} calls waiting.
     */
    Slot submit(String key, boolean refusable, boolean overlapping, Task task) {
        Slot s = new Slot(this, key, overlapping && overlap > 1);
        s.task = task;
        if (key == null) {
            pending.incrementAndGet();
            run(s);
            return s;
        }
        int[] outcome = {0}; // 0 waits, 1 starts now, 2 refused
        // counted before it is queued: another thread may start and finish it before compute returns
        pending.incrementAndGet();
        lanes.compute(key, (k, lane) -> {
            if (lane == null) {
                lane = new Lane();
            } else if (refusable && lane.waiting.size() + lane.running >= maxQueued) {
                outcome[0] = 2;
                return lane;
            }
            if (lane.waiting.isEmpty()
                    && (s.overlapping ? lane.exclusive == 0 && lane.running < overlap : lane.running == 0)) {
                lane.running++;
                if (!s.overlapping) {
                    lane.exclusive++;
                }
                outcome[0] = 1;
            } else {
                lane.waiting.addLast(s);
            }
            return lane;
        });
        if (outcome[0] == 2) {
            pending.decrementAndGet();
            return null;
        }
        if (outcome[0] == 1) {
            run(s);
        }
        return s;
    }

    /** Gives a place its call; it starts at once when its turn has come. */
    void fill(Slot s, Task task) {
        if (s.key == null) {
            s.task = task;
            run(s);
            return;
        }
        List<Slot> start = new ArrayList<>(1);
        lanes.computeIfPresent(s.key, (k, lane) -> {
            s.task = task;
            ready(lane, start);
            return lane;
        });
        start.forEach(Sequencer::run);
    }

    /** Takes from the head of a lane the places whose turn has come and that have their call. */
    private void ready(Lane lane, List<Slot> out) {
        for (Slot head = lane.waiting.peekFirst(); head != null && head.task != null; head = lane.waiting.peekFirst()) {
            boolean may = head.overlapping ? lane.exclusive == 0 && lane.running < overlap : lane.running == 0;
            if (!may) {
                return;
            }
            lane.waiting.pollFirst();
            lane.running++;
            if (!head.overlapping) {
                lane.exclusive++;
            }
            out.add(head);
        }
    }

    /** True when a key has no call reserved or running: a call may then start without taking a place. */
    boolean idle(String key) {
        return !lanes.containsKey(key);
    }

    /** Gives up a place: the calls after it go on. */
    void skip(Slot s) {
        fill(s, SKIP);
    }

    /** Calls reserved and not finished. */
    int pending() {
        return pending.get();
    }

    /** Waits (polling, for shutdown only) until no call is pending or the time is up; true when idle. */
    boolean awaitIdle(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (pending.get() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return pending.get() == 0;
    }

    /**
     * Runs a place's task. Tasks that finish at once, and the tasks they start (of any sequencer), continue on this
     * thread in a loop rather than by recursion.
     */
    private static void run(Slot s) {
        ArrayDeque<Slot> trampoline = TRAMPOLINE.get();
        if (trampoline != null) {
            trampoline.addLast(s);
            return;
        }
        trampoline = new ArrayDeque<>();
        TRAMPOLINE.set(trampoline);
        try {
            for (Slot cur = s; cur != null; cur = trampoline.pollFirst()) {
                cur.owner.start(cur);
            }
        } finally {
            TRAMPOLINE.remove();
        }
    }

    private void start(Slot s) {
        AtomicBoolean finished = new AtomicBoolean();
        Runnable done = () -> {
            if (finished.compareAndSet(false, true)) {
                finished(s);
            }
        };
        try {
            s.task.run(done);
        } catch (RuntimeException e) {
            log.warn("ExHook call failed to start", e);
            done.run();
        }
    }

    private void finished(Slot s) {
        pending.decrementAndGet();
        if (s.key == null) {
            return;
        }
        List<Slot> next = new ArrayList<>(1);
        lanes.computeIfPresent(s.key, (k, lane) -> {
            lane.running--;
            if (!s.overlapping) {
                lane.exclusive--;
            }
            ready(lane, next);
            return lane.waiting.isEmpty() && lane.running == 0 ? null : lane;
        });
        next.forEach(Sequencer::run);
    }

    /** How many keys have calls reserved or running. */
    int activeKeys() {
        return lanes.size();
    }
}
