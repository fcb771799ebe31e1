package io.mast.client;

import java.util.HashMap;
import java.util.Map;

/**
 * Topic aliases the client assigns to the server, for one connection: at most the server's Topic Alias Maximum,
 * the least recently used topic giving its alias up when a new topic needs one. Confined to the I/O thread.
 */
final class TopicAliasLru {

    /** What to send: the alias, and whether the topic must go with it (a new or reassigned alias). */
    record Use(int alias, boolean withTopic) {
    }

    private static final class Node {
        final String topic;
        final int alias;
        Node prev;
        Node next;

        Node(String topic, int alias) {
            this.topic = topic;
            this.alias = alias;
        }
    }

    private final int maximum;
    private final Map<String, Node> byTopic = new HashMap<>();
    private final Node head = new Node(null, 0); // head.next = most recently used
    private int assigned;

    TopicAliasLru(int maximum) {
        this.maximum = maximum;
        head.next = head;
        head.prev = head;
    }

    /** The alias to use for a topic, assigning or reassigning one as needed. */
    Use use(String topic) {
        Node n = byTopic.get(topic);
        if (n != null) {
            unlink(n);
            pushFront(n);
            return new Use(n.alias, false);
        }
        int alias;
        if (assigned < maximum) {
            alias = ++assigned;
        } else {
            Node lru = head.prev;
            unlink(lru);
            byTopic.remove(lru.topic);
            alias = lru.alias;
        }
        n = new Node(topic, alias);
        byTopic.put(topic, n);
        pushFront(n);
        return new Use(alias, true);
    }

    private void unlink(Node n) {
        n.prev.next = n.next;
        n.next.prev = n.prev;
    }

    private void pushFront(Node n) {
        n.next = head.next;
        n.prev = head;
        head.next.prev = n;
        head.next = n;
    }
}
