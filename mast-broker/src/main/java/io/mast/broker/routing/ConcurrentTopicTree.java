package io.mast.broker.routing;

import io.mast.plugin.TopicFilters;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A trie of topic filter levels. Lookups run without locks over concurrent maps, so publishes on every event loop
 * match in parallel; changes are serialized by one lock, which keeps pruning of emptied nodes simple and safe. A
 * lookup racing with a change sees the tree either before or after it.
 */
public final class ConcurrentTopicTree implements TopicTree {

    private static final class Node {
        volatile ConcurrentHashMap<String, Node> children;
        volatile ConcurrentHashMap<Subscriber, SubscriptionEntry> subscriptions;
        volatile ConcurrentHashMap<String, SharedGroup> groups;

        Node child(String level) {
            Map<String, Node> c = children;
            return c == null ? null : c.get(level);
        }

        Node childOrCreate(String level) {
            ConcurrentHashMap<String, Node> c = children;
            if (c == null) {
                c = new ConcurrentHashMap<>(4);
                children = c;
            }
            return c.computeIfAbsent(level, l -> new Node());
        }

        boolean isEmpty() {
            return (children == null || children.isEmpty())
                    && (subscriptions == null || subscriptions.isEmpty())
                    && (groups == null || groups.isEmpty());
        }
    }

    private final Node root = new Node();
    private final ReentrantLock writeLock = new ReentrantLock();
    private volatile int size;

    @Override
    public SubscriptionEntry subscribe(SubscriptionEntry entry) {
        writeLock.lock();
        try {
            Node node = root;
            for (String level : entry.topicFilter().split("/", -1)) {
                node = node.childOrCreate(level);
            }
            SubscriptionEntry previous;
            if (entry.shareGroup() == null) {
                ConcurrentHashMap<Subscriber, SubscriptionEntry> subs = node.subscriptions;
                if (subs == null) {
                    subs = new ConcurrentHashMap<>(2);
                    node.subscriptions = subs;
                }
                previous = subs.put(entry.subscriber(), entry);
            } else {
                ConcurrentHashMap<String, SharedGroup> groups = node.groups;
                if (groups == null) {
                    groups = new ConcurrentHashMap<>(2);
                    node.groups = groups;
                }
                previous = groups.computeIfAbsent(entry.shareGroup(), g -> new SharedGroup(g, entry.topicFilter()))
                        .add(entry);
            }
            if (previous == null) {
                size++;
            }
            return previous;
        } finally {
            writeLock.unlock();
        }
    }

    @Override
    public SubscriptionEntry unsubscribe(Subscriber subscriber, String filter) {
        TopicFilters.SharedFilter shared = TopicFilters.parseShared(filter);
        String topicFilter = shared == null ? filter : shared.filter();
        writeLock.lock();
        try {
            Deque<Node> path = new ArrayDeque<>();
            Deque<String> levels = new ArrayDeque<>();
            Node node = root;
            for (String level : topicFilter.split("/", -1)) {
                path.push(node);
                levels.push(level);
                node = node.child(level);
                if (node == null) {
                    return null;
                }
            }
            SubscriptionEntry removed;
            if (shared == null) {
                removed = node.subscriptions == null ? null : node.subscriptions.remove(subscriber);
            } else {
                SharedGroup group = node.groups == null ? null : node.groups.get(shared.group());
                removed = group == null ? null : group.remove(subscriber);
                if (group != null && group.isEmpty()) {
                    node.groups.remove(shared.group());
                }
            }
            if (removed == null) {
                return null;
            }
            size--;
            // Prune nodes left empty, bottom up.
            while (!path.isEmpty() && node.isEmpty()) {
                Node parent = path.pop();
                parent.children.remove(levels.pop());
                node = parent;
            }
            return removed;
        } finally {
            writeLock.unlock();
        }
    }

    @Override
    public void match(String topic, MatchVisitor visitor) {
        boolean dollar = !topic.isEmpty() && topic.charAt(0) == '$';
        match(root, topic, 0, dollar, visitor);
    }

    /**
     * @param node  the node the levels before {@code start} led to
     * @param start where the next level starts, or -1 when the topic is used up
     * @param noWildcards true at the root for topics starting with '$' (MQTT-4.7.2-1)
     */
    private static void match(Node node, String topic, int start, boolean noWildcards, MatchVisitor visitor) {
        if (start < 0) {
            visit(node, visitor);
            Node hash = node.child("#"); // "a/#" also matches "a"
            if (hash != null) {
                visit(hash, visitor);
            }
            return;
        }
        if (node.children == null) {
            return;
        }
        if (!noWildcards) {
            Node hash = node.child("#");
            if (hash != null) {
                visit(hash, visitor);
            }
        }
        int end = topic.indexOf('/', start);
        String level = end < 0 ? topic.substring(start) : topic.substring(start, end);
        int next = end < 0 ? -1 : end + 1;
        if (!noWildcards) {
            Node plus = node.child("+");
            if (plus != null) {
                match(plus, topic, next, false, visitor);
            }
        }
        Node exact = node.child(level);
        if (exact != null) {
            match(exact, topic, next, false, visitor);
        }
    }

    private static void visit(Node node, MatchVisitor visitor) {
        Map<Subscriber, SubscriptionEntry> subs = node.subscriptions;
        if (subs != null && !subs.isEmpty()) {
            visitor.subscriptions(subs.values());
        }
        Map<String, SharedGroup> groups = node.groups;
        if (groups != null) {
            for (SharedGroup g : groups.values()) {
                visitor.sharedGroup(g);
            }
        }
    }

    @Override
    public int size() {
        return size;
    }
}
