package io.mast.broker.connection;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * MQTT 5.0 topic aliases of one connection (they do not survive it). Inbound: the aliases the client set, up to the
 * broker's Topic Alias Maximum. Outbound: aliases the broker assigns to topics it sends, up to the client's Topic
 * Alias Maximum, reusing the least recently used alias when all are taken.
 */
final class TopicAliases {

    private final String[] inbound;
    private final int outboundMax;
    private LinkedHashMap<String, Integer> outbound;

    TopicAliases(int inboundMax, int outboundMax) {
        this.inbound = new String[inboundMax + 1];
        this.outboundMax = outboundMax;
    }

    /** The topic the client set for an alias, or {@code null}. */
    String inbound(int alias) {
        return alias < inbound.length ? inbound[alias] : null;
    }

    void inbound(int alias, String topic) {
        inbound[alias] = topic;
    }

    /** True when the client accepts topic aliases from the broker. */
    boolean outboundEnabled() {
        return outboundMax > 0;
    }

    /** The alias the client already knows for a topic (now the most recently used), or 0 when there is none. */
    int known(String topic) {
        Integer alias = outbound == null ? null : outbound.get(topic);
        return alias == null ? 0 : alias;
    }

    /**
     * The alias to send a topic with: positive when the client already knows it (send an empty topic), negative
     * when newly assigned (send the topic and the alias), 0 when aliases are off.
     */
    int outbound(String topic) {
        if (outboundMax == 0) {
            return 0;
        }
        if (outbound == null) {
            outbound = new LinkedHashMap<>(16, 0.75f, true);
        }
        Integer known = outbound.get(topic);
        if (known != null) {
            return known;
        }
        int alias;
        if (outbound.size() < outboundMax) {
            alias = outbound.size() + 1;
        } else {
            Iterator<Map.Entry<String, Integer>> eldest = outbound.entrySet().iterator();
            alias = eldest.next().getValue();
            eldest.remove();
        }
        outbound.put(topic, alias);
        return -alias;
    }
}
