package io.mast.integration;

import io.mast.plugin.PluginMetrics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;

/**
 * The buffer between the broker and an external system: items are offered without ever waiting (a full buffer
 * refuses them, and they are counted as dropped), and one thread of its own takes them out in batches (up to
 * {@code batch_size}, or what came within {@code batch_time} of the first) and writes each batch, retrying a failed
 * one with exponential backoff. Items are written in the order they were offered, one batch at a time.
 *
 * <p>Metrics, under the plugin's {@code plugin.<class>.} and the prefix given: {@code sent}, {@code failures} (failed
 * attempts), {@code retries}, {@code dropped.buffer_full}, {@code dropped.retries_exhausted}, {@code dropped.shutdown}, and the gauges
 * {@code queued} and {@code inflight}.
 *
 * @param <T> the items
 */
public final class Batcher<T> {

    /** Writes one batch; throws to have it retried (all of it, or only {@link PartialFailure#remaining()}). */
    public interface Sink<T> {
        void write(List<T> batch) throws Exception;
    }

    /** What happens to items, besides the counters. */
    public interface Listener<T> {
        /** The items were written. */
        default void sent(List<T> items) {
        }

        /** An item was given up: the buffer was full, or its batch failed {@code max_retries} times. */
        default void dropped(T item, String reason) {
        }
    }

    /**
     * A write that dealt with some of the batch: only {@code remaining} (in order) is retried; the others count as
     * sent (a sink that gives up an item for good counts and reports that itself).
     */
    public static final class PartialFailure extends Exception {
        private final transient List<?> remaining;

        public PartialFailure(List<?> remaining, Throwable cause) {
            super(cause.getMessage(), cause);
            this.remaining = List.copyOf(remaining);
        }

        /** The items still to write. */
        public List<?> remaining() {
            return remaining;
        }
    }

    /**
     * How the buffer works.
     *
     * @param capacity     items held at most (waiting and being written)
     * @param batchSize    items per batch at most
     * @param batchTime    how long a batch waits for more items after its first
     * @param maxRetries   retries of a failed batch before its items are dropped; negative: retry for ever
     * @param retryInitial the first wait before a retry, doubled after each failure ...
     * @param retryMax     ... up to this
     */
    public record Options(int capacity, int batchSize, Duration batchTime, int maxRetries, Duration retryInitial,
                          Duration retryMax) {
        public Options {
            if (capacity < 1 || batchSize < 1) {
                throw new IllegalArgumentException("buffer and batch sizes must be at least 1");
            }
        }
    }

    private final Options options;
    private final Sink<T> sink;
    private final Listener<T> listener;
    private final Logger log;
    private final String what;
    private final BlockingQueue<T> queue;
    private final PluginMetrics.Counter sent;
    private final PluginMetrics.Counter failures;
    private final PluginMetrics.Counter retries;
    private final PluginMetrics.Counter droppedFull;
    private final PluginMetrics.Counter droppedRetries;
    private final PluginMetrics.Counter droppedShutdown;
    private final Thread worker;
    private volatile List<T> inflight = List.of();
    /** Items offered and not yet written, dropped or given back: the buffer's bound applies to this. */
    private final AtomicInteger held = new AtomicInteger();
    private volatile boolean accepting = true;
    private volatile boolean aborted;
    private long lastWarning;
    private int unloggedFailures;

    /**
     * A buffer writing to {@code sink}; its thread starts at once.
     *
     * @param what    what it writes to, for its thread's name and its log lines ({@code kafka}, {@code webhook})
     * @param metrics the plugin's metrics
     * @param prefix  the prefix of its metric names ({@code ""}, or e.g. {@code "history."})
     */
    public Batcher(String what, Options options, Sink<T> sink, Listener<T> listener, PluginMetrics metrics,
                   String prefix, Logger log) {
        this.what = what;
        this.options = options;
        this.sink = sink;
        this.listener = listener;
        this.log = log;
        this.queue = new ArrayBlockingQueue<>(options.capacity());
        this.sent = metrics.counter(prefix + "sent");
        this.failures = metrics.counter(prefix + "failures");
        this.retries = metrics.counter(prefix + "retries");
        this.droppedFull = metrics.counter(prefix + "dropped.buffer_full");
        this.droppedRetries = metrics.counter(prefix + "dropped.retries_exhausted");
        this.droppedShutdown = metrics.counter(prefix + "dropped.shutdown");
        metrics.gauge(prefix + "queued", queue::size);
        metrics.gauge(prefix + "inflight", () -> inflight.size());
        this.worker = Thread.ofPlatform().name("mast-" + what).daemon().unstarted(this::run);
        worker.start();
    }

    /** Adds an item, never waiting: false (and counted, and told to the listener) when the buffer is full. */
    public boolean offer(T item) {
        if (accepting) {
            if (held.incrementAndGet() <= options.capacity() && queue.offer(item)) {
                return true;
            }
            held.decrementAndGet();
        }
        droppedFull.increment();
        listener.dropped(item, accepting ? "buffer_full" : "closed");
        return false;
    }

    /** Items waiting or being written. */
    public int pending() {
        return held.get();
    }

    /**
     * Stops taking items, lets the thread write what it holds for up to {@code drain}, then stops it; answers the
     * items that were not written, in order (for a spool, or to be told as lost).
     */
    public List<T> close(Duration drain) {
        accepting = false;
        long deadline = System.nanoTime() + drain.toNanos();
        while (pending() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        aborted = true;
        worker.interrupt();
        try {
            worker.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        List<T> left = new ArrayList<>(inflight);
        queue.drainTo(left);
        inflight = List.of();
        held.addAndGet(-left.size());
        return left;
    }

    /**
     * {@link #close(Duration)} for a sink that keeps nothing across a restart: what was not written is counted in
     * {@code dropped.shutdown} and logged.
     */
    public void closeAndCountLost(Duration drain) {
        List<T> left = close(drain);
        if (!left.isEmpty()) {
            droppedShutdown.add(left.size());
            log.warn("{}: {} item(s) not yet written are lost at shutdown", what, left.size());
        }
    }

    private void run() {
        List<T> batch = new ArrayList<>(options.batchSize());
        while (!aborted) {
            try {
                T first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                long deadline = System.nanoTime() + options.batchTime().toNanos();
                while (batch.size() < options.batchSize()) {
                    queue.drainTo(batch, options.batchSize() - batch.size());
                    long wait = deadline - System.nanoTime();
                    if (batch.size() >= options.batchSize() || wait <= 0 || !accepting) {
                        break;
                    }
                    T next = queue.poll(wait, TimeUnit.NANOSECONDS);
                    if (next == null) {
                        break;
                    }
                    batch.add(next);
                }
                inflight = List.copyOf(batch);
                batch.clear();
                deliver();
            } catch (InterruptedException e) {
                if (aborted) {
                    if (!batch.isEmpty()) {
                        inflight = List.copyOf(batch);   // taken from the queue, not yet written: close() gives it back
                    }
                    return;
                }
            }
        }
    }

    /** Writes {@link #inflight} until it is written, given up or the buffer is aborted (then it stays for close). */
    @SuppressWarnings("unchecked")
    private void deliver() throws InterruptedException {
        int attempt = 0;
        while (true) {
            List<T> items = inflight;
            try {
                sink.write(items);
                sent.add(items.size());
                inflight = List.of();
                held.addAndGet(-items.size());
                listener.sent(items);
                return;
            } catch (InterruptedException e) {
                throw e;
            } catch (PartialFailure e) {
                Set<Object> left = Collections.newSetFromMap(new IdentityHashMap<>());
                left.addAll(e.remaining());
                List<T> done = items.stream().filter(item -> !left.contains(item)).toList();
                sent.add(done.size());
                held.addAndGet(-done.size());
                if (!done.isEmpty()) {
                    listener.sent(done);
                }
                inflight = (List<T>) e.remaining();
                failed(e.getCause());
            } catch (Exception e) {
                failed(e);
            }
            if (aborted) {
                throw new InterruptedException();
            }
            attempt++;
            if (options.maxRetries() >= 0 && attempt > options.maxRetries()) {
                List<T> lost = inflight;
                droppedRetries.add(lost.size());
                inflight = List.of();
                held.addAndGet(-lost.size());
                log.warn("{}: gave up {} item(s) after {} retries", what, lost.size(), options.maxRetries());
                lost.forEach(item -> listener.dropped(item, "retries_exhausted"));
                return;
            }
            retries.increment();
            long wait = Math.min(options.retryMax().toMillis(),
                    options.retryInitial().toMillis() << Math.min(attempt - 1, 20));
            Thread.sleep(Math.max(1, wait));
        }
    }

    private void failed(Throwable e) {
        failures.increment();
        long now = System.nanoTime();
        if (lastWarning == 0 || now - lastWarning > TimeUnit.SECONDS.toNanos(10)) {
            log.warn("{}: writing {} item(s) failed, will retry: {}{}", what, inflight.size(), e,
                    unloggedFailures > 0 ? " (" + unloggedFailures + " more failures since the last line)" : "");
            lastWarning = now;
            unloggedFailures = 0;
        } else {
            unloggedFailures++;
        }
    }
}
