package io.mast.exhook.sdk;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs tasks on virtual threads, one at a time and in submission order per key (a client identifier), concurrently
 * across keys. A key's lane exists only while it has work.
 */
final class Lanes {

    private static final Logger log = LoggerFactory.getLogger(Lanes.class);

    private final ExecutorService threads;
    private final Map<String, ArrayDeque<Runnable>> waiting = new HashMap<>();

    Lanes(ExecutorService threads) {
        this.threads = threads;
    }

    /** Runs {@code task} after every task submitted earlier with the same key. */
    void execute(String key, Runnable task) {
        synchronized (waiting) {
            ArrayDeque<Runnable> queue = waiting.get(key);
            if (queue != null) {
                queue.add(task);
                return;
            }
            waiting.put(key, new ArrayDeque<>());
        }
        try {
            threads.execute(() -> drain(key, task));
        } catch (RuntimeException rejected) {
            // the server is closing: forget the lane, so that it does not hold later tasks of the key
            synchronized (waiting) {
                waiting.remove(key);
            }
            throw rejected;
        }
    }

    private void drain(String key, Runnable first) {
        Runnable next = first;
        while (next != null) {
            try {
                next.run();
            } catch (Throwable t) {
                log.error("hook task failed", t);
            }
            synchronized (waiting) {
                ArrayDeque<Runnable> queue = waiting.get(key);
                next = queue.poll();
                if (next == null) {
                    waiting.remove(key);
                }
            }
        }
    }
}
