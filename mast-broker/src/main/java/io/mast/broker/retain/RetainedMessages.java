package io.mast.broker.retain;

import io.mast.broker.message.BrokerMessage;
import io.mast.broker.store.Persistence;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The retained message of every topic, in a trie of topic levels so a subscription's filter (wildcards included)
 * finds its retained messages without scanning all of them. Reads are lock-free; changes are serialized. Expired
 * messages are skipped on read and removed.
 */
public final class RetainedMessages {

    private static final class Node {
        final ConcurrentHashMap<String, Node> children = new ConcurrentHashMap<>(2);
        volatile BrokerMessage message;
    }

    private final Node root = new Node();
    private final ReentrantLock writeLock = new ReentrantLock();
    private final AtomicInteger count = new AtomicInteger();
    private final Persistence persistence;

    public RetainedMessages(Persistence persistence) {
        this.persistence = persistence;
    }

    /** Sets the retained message of its topic; an empty payload clears it (MQTT-3.3.1-10). */
    public void retain(BrokerMessage message) {
        if (message.payload().length == 0) {
            clear(message.topic());
            return;
        }
        writeLock.lock();
        try {
            Node node = root;
            for (String level : message.topic().split("/", -1)) {
                node = node.children.computeIfAbsent(level, l -> new Node());
            }
            if (node.message == null) {
                count.incrementAndGet();
            }
            node.message = message;
            persistence.retainedSet(message);
        } finally {
            writeLock.unlock();
        }
    }

    /** Removes the retained message of a topic; returns true when there was one. */
    public boolean clear(String topic) {
        writeLock.lock();
        try {
            List<Node> path = new ArrayList<>();
            String[] levels = topic.split("/", -1);
            Node node = root;
            for (String level : levels) {
                path.add(node);
                node = node.children.get(level);
                if (node == null) {
                    return false;
                }
            }
            if (node.message == null) {
                return false;
            }
            node.message = null;
            count.decrementAndGet();
            persistence.retainedCleared(topic);
            for (int i = levels.length - 1; i >= 0 && node.message == null && node.children.isEmpty(); i--) {
                Node parent = path.get(i);
                parent.children.remove(levels[i]);
                node = parent;
            }
            return true;
        } finally {
            writeLock.unlock();
        }
    }

    /** The retained message of one topic, or {@code null}. */
    public BrokerMessage get(String topic) {
        Node node = root;
        for (String level : topic.split("/", -1)) {
            node = node.children.get(level);
            if (node == null) {
                return null;
            }
        }
        return node.message;
    }

    /** The unexpired retained messages whose topic matches a (non-shared) filter. */
    public List<BrokerMessage> match(String filter, long now) {
        List<BrokerMessage> out = new ArrayList<>();
        String[] levels = filter.split("/", -1);
        collect(root, levels, 0, true, out);
        List<BrokerMessage> live = new ArrayList<>(out.size());
        for (BrokerMessage m : out) {
            if (m.isExpired(now)) {
                clearIfSame(m);
            } else {
                live.add(m);
            }
        }
        return live;
    }

    private void clearIfSame(BrokerMessage expired) {
        if (get(expired.topic()) == expired) {
            clear(expired.topic());
        }
    }

    private static void collect(Node node, String[] levels, int i, boolean atRoot, List<BrokerMessage> out) {
        if (i == levels.length) {
            BrokerMessage m = node.message;
            if (m != null) {
                out.add(m);
            }
            return;
        }
        String level = levels[i];
        if (level.equals("#")) {
            BrokerMessage m = node.message; // "a/#" matches "a" itself
            if (m != null && !atRoot) {
                out.add(m);
            }
            for (Map.Entry<String, Node> e : node.children.entrySet()) {
                if (!(atRoot && e.getKey().startsWith("$"))) {
                    collectAll(e.getValue(), out);
                }
            }
        } else if (level.equals("+")) {
            for (Map.Entry<String, Node> e : node.children.entrySet()) {
                if (!(atRoot && e.getKey().startsWith("$"))) {
                    collect(e.getValue(), levels, i + 1, false, out);
                }
            }
        } else {
            Node child = node.children.get(level);
            if (child != null) {
                collect(child, levels, i + 1, false, out);
            }
        }
    }

    private static void collectAll(Node node, List<BrokerMessage> out) {
        BrokerMessage m = node.message;
        if (m != null) {
            out.add(m);
        }
        for (Node child : node.children.values()) {
            collectAll(child, out);
        }
    }

    /** The number of retained messages. */
    public int size() {
        return count.get();
    }

    /** Puts a message recovered from the store without writing it back. */
    public void restore(BrokerMessage message) {
        writeLock.lock();
        try {
            Node node = root;
            for (String level : message.topic().split("/", -1)) {
                node = node.children.computeIfAbsent(level, l -> new Node());
            }
            if (node.message == null) {
                count.incrementAndGet();
            }
            node.message = message;
        } finally {
            writeLock.unlock();
        }
    }
}
