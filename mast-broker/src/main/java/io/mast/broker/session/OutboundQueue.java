package io.mast.broker.session;

import io.mast.broker.config.LimitsConfig;
import io.mast.broker.config.SlowSubscribersConfig.Overflow;
import io.mast.broker.routing.QueueBudget;
import io.mast.codec.Qos;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * The messages waiting for one session's client, bounded by messages ({@code limits.max_queued_messages}) and bytes
 * ({@code max_queued_bytes}), and counted in the broker's {@link QueueBudget}. When a message does not fit, the
 * {@code slow_subscribers.overflow} policy says which gives way. Made on first use (an idle session holds none). Used
 * in the session's mailbox only.
 */
final class OutboundQueue {

    private final int maxMessages;
    private final long maxBytes;
    private final Overflow policy;
    private final QueueBudget budget;
    private ArrayDeque<Delivery> items;
    /** The bytes of the queued messages ({@link io.mast.broker.message.BrokerMessage#size()}). */
    private long bytes;
    private int qos0;

    OutboundQueue(LimitsConfig limits, Overflow policy, QueueBudget budget) {
        this.maxMessages = limits.maxQueuedMessages();
        this.maxBytes = limits.maxQueuedBytes();
        this.policy = policy;
        this.budget = budget;
    }

    int size() {
        return items == null ? 0 : items.size();
    }

    boolean isEmpty() {
        return items == null || items.isEmpty();
    }

    long bytes() {
        return bytes;
    }

    Delivery peek() {
        return items == null ? null : items.peek();
    }

    /** Takes the head off the queue. */
    Delivery poll() {
        Delivery d = items == null ? null : items.poll();
        if (d != null) {
            removed(d);
        }
        return d;
    }

    /** True when the broker's queues together are full: nothing may be queued anywhere. */
    boolean brokerFull() {
        return budget.isFull();
    }

    /**
     * Queues {@code d} when it fits, making room as the overflow policy says; each queued message that gives way is
     * handed to {@code gaveWay}. Returns false when {@code d} itself must go (the broker's queues are full, it is
     * larger than the queue, or the policy drops new messages).
     */
    boolean offer(Delivery d, Consumer<Delivery> gaveWay) {
        int size = d.message().size();
        if (!fits(size)) {
            if (budget.isFull() || maxMessages == 0 || (maxBytes > 0 && size > maxBytes) || policy == Overflow.DROP_NEW
                    || (policy == Overflow.DROP_QOS0_FIRST && d.qos() == Qos.AT_MOST_ONCE)) {
                return false;
            }
            while (!isEmpty() && !fits(size)) {
                Delivery victim = policy == Overflow.DROP_QOS0_FIRST && qos0 > 0 ? removeOldestQos0() : poll();
                gaveWay.accept(victim);
            }
            if (!fits(size)) {
                return false;
            }
        }
        add(d);
        return true;
    }

    /** Queues a message read from the store at startup, whatever the bounds. */
    void add(Delivery d) {
        if (items == null) {
            items = new ArrayDeque<>();
        }
        items.add(d);
        int size = d.message().size();
        bytes += size;
        if (d.qos() == Qos.AT_MOST_ONCE) {
            qos0++;
        }
        budget.add(size);
    }

    /** Removes the messages that match; each was handed on or dropped by the caller. */
    void removeIf(Predicate<Delivery> handedOn) {
        if (items != null) {
            items.removeIf(d -> {
                if (handedOn.test(d)) {
                    removed(d);
                    return true;
                }
                return false;
            });
        }
    }

    /** Replaces each message by another of the same size (one with a RECEIVE decision asked). */
    void replaceAll(UnaryOperator<Delivery> with) {
        if (items != null) {
            ArrayDeque<Delivery> replaced = new ArrayDeque<>(items.size());
            for (Delivery d : items) {
                replaced.add(with.apply(d));
            }
            items = replaced;
        }
    }

    /** Empties the queue, handing each message to {@code each}. */
    void clear(Consumer<Delivery> each) {
        Delivery d;
        while ((d = poll()) != null) {
            each.accept(d);
        }
        items = null;
    }

    private boolean fits(int size) {
        return size() < maxMessages && (maxBytes == 0 || bytes + size <= maxBytes) && !budget.isFull();
    }

    private Delivery removeOldestQos0() {
        for (Iterator<Delivery> it = items.iterator(); it.hasNext(); ) {
            Delivery d = it.next();
            if (d.qos() == Qos.AT_MOST_ONCE) {
                it.remove();
                removed(d);
                return d;
            }
        }
        throw new IllegalStateException("no QoS 0 message queued, counted " + qos0);
    }

    private void removed(Delivery d) {
        int size = d.message().size();
        bytes -= size;
        if (d.qos() == Qos.AT_MOST_ONCE) {
            qos0--;
        }
        budget.remove(size);
    }
}
