package io.mast.broker.routing;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The bytes held in all sessions' queues together, against {@code limits.max_queued_bytes_total}. Above the limit,
 * messages that would be queued are dropped ({@code messages.dropped.overloaded}) and publishers are paused (as a
 * {@link Congestion}) until the queues drained below three quarters of it. Thread-safe.
 */
public final class QueueBudget implements Congestion {

    private final long limit;
    private final long relieved;
    private final AtomicLong bytes = new AtomicLong();
    private final AtomicLong dequeued = new AtomicLong();
    private final Waiters waiters = new Waiters();
    private volatile boolean stalled;

    /** @param limit bytes allowed in all queues together, 0 for no limit */
    public QueueBudget(long limit) {
        this.limit = limit;
        this.relieved = limit / 4 * 3;
    }

    /** A message of {@code size} bytes was queued. */
    public void add(long size) {
        bytes.addAndGet(size);
    }

    /** A message of {@code size} bytes left a queue. */
    public void remove(long size) {
        long now = bytes.addAndGet(-size);
        dequeued.incrementAndGet();
        if (now <= relieved && (stalled || !waiters.isEmpty())) {
            stalled = false;
            waiters.run();
        }
    }

    /** True when the queues hold the limit: nothing more may be queued. */
    public boolean isFull() {
        return limit > 0 && bytes.get() >= limit;
    }

    /** The publisher of a message should pause: the queues are full and have not stalled a pause already. */
    public boolean congests() {
        return !stalled && isFull();
    }

    /** Bytes queued now. */
    public long bytes() {
        return bytes.get();
    }

    @Override
    public long progress() {
        return dequeued.get();
    }

    @Override
    public void whenRelieved(Runnable action) {
        waiters.add(action);
        if (bytes.get() <= relieved) {
            waiters.run();
        }
    }

    @Override
    public void stalled() {
        stalled = true;
    }
}
