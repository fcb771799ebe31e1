package io.mast.broker.routing;

import io.mast.broker.message.BrokerMessage;
import io.mast.codec.Qos;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Delivers a published message to every matching subscription: one copy per session at the highest QoS its matching
 * subscriptions grant, with all their subscription identifiers (MQTT-3.3.5-1), and one member per matching shared
 * subscription.
 */
public final class Router {

    /** The outcome of routing one message. */
    public record Result(int deliveries, Congestion congested) {
        static final Result NONE = new Result(0, null);
    }

    private final TopicTree tree;
    private final ThreadLocal<Collector> collectors = ThreadLocal.withInitial(Collector::new);

    public Router(TopicTree tree) {
        this.tree = tree;
    }

    public TopicTree tree() {
        return tree;
    }

    /**
     * Routes a message.
     *
     * @param message   the message, after authorization and plugins
     * @param publisher the publishing session, for No Local; {@code null} for messages of the broker itself
     * @return how many sessions it went to, and one of them that is congested (to pause the publisher), if any
     */
    public Result route(BrokerMessage message, Subscriber publisher) {
        Collector c = collectors.get();
        try {
            tree.match(message.topic(), c);
            if (c.entries.isEmpty() && c.groups.isEmpty()) {
                return Result.NONE;
            }
            int deliveries = 0;
            Congestion congested = null;
            if (c.nodes <= 1) {
                // One matching filter: at most one entry per session, nothing to merge.
                for (SubscriptionEntry e : c.entries) {
                    if (e.noLocal() && e.subscriber() == publisher) {
                        continue;
                    }
                    e.subscriber().deliver(message, Qos.min(message.qos(), e.qos()),
                            e.retainAsPublished() && message.retain(), ids(e.subscriptionId()), null);
                    deliveries++;
                    congested = congested != null || !e.subscriber().isCongested() ? congested : e.subscriber();
                }
            } else {
                for (Merged m : c.merge(message, publisher)) {
                    m.subscriber.deliver(message, m.qos, m.retainFlag, m.ids, null);
                    deliveries++;
                    congested = congested != null || !m.subscriber.isCongested() ? congested : m.subscriber;
                }
            }
            for (SharedGroup g : c.groups) {
                SubscriptionEntry e = g.pick();
                if (e != null) {
                    e.subscriber().deliver(message, Qos.min(message.qos(), e.qos()),
                            e.retainAsPublished() && message.retain(), ids(e.subscriptionId()), g);
                    deliveries++;
                    congested = congested != null || !e.subscriber().isCongested() ? congested : e.subscriber();
                }
            }
            return new Result(deliveries, congested);
        } finally {
            c.clear();
        }
    }

    private static List<Integer> ids(int subscriptionId) {
        return subscriptionId == 0 ? List.of() : List.of(subscriptionId);
    }

    /** One session's merged matches. */
    private static final class Merged {
        final Subscriber subscriber;
        Qos qos = Qos.AT_MOST_ONCE;
        boolean retainFlag;
        List<Integer> ids = List.of();

        Merged(Subscriber subscriber) {
            this.subscriber = subscriber;
        }
    }

    /** Gathers matches for one publish; reused per thread. */
    private static final class Collector implements MatchVisitor {
        final ArrayList<SubscriptionEntry> entries = new ArrayList<>();
        final ArrayList<SharedGroup> groups = new ArrayList<>(2);
        int nodes;

        @Override
        public void subscriptions(Collection<SubscriptionEntry> matched) {
            entries.addAll(matched);
            nodes++;
        }

        @Override
        public void sharedGroup(SharedGroup group) {
            groups.add(group);
        }

        Collection<Merged> merge(BrokerMessage message, Subscriber publisher) {
            Map<Subscriber, Merged> bySession = new HashMap<>();
            for (SubscriptionEntry e : entries) {
                if (e.noLocal() && e.subscriber() == publisher) {
                    continue;
                }
                Merged m = bySession.computeIfAbsent(e.subscriber(), Merged::new);
                m.qos = Qos.max(m.qos, Qos.min(message.qos(), e.qos()));
                m.retainFlag |= e.retainAsPublished() && message.retain();
                if (e.subscriptionId() != 0) {
                    if (m.ids.isEmpty()) {
                        m.ids = new ArrayList<>(2);
                    }
                    m.ids.add(e.subscriptionId());
                }
            }
            return bySession.values();
        }

        void clear() {
            entries.clear();
            groups.clear();
            nodes = 0;
        }
    }
}
