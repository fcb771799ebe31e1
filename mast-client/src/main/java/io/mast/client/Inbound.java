package io.mast.client;

import io.mast.codec.MqttProperties;
import io.mast.codec.MqttVersion;
import io.mast.codec.ReasonCode;
import io.mast.codec.packet.PubAck;
import io.mast.codec.packet.PubComp;
import io.mast.codec.packet.PubRec;
import io.mast.codec.packet.PubRel;
import io.mast.codec.packet.Publish;
import io.mast.codec.packet.Subscription;
import io.mast.plugin.TopicFilters;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the broker sends the client: PUBLISH at every QoS (a QoS 2 message reaches the listeners once, however often
 * the broker resends it before PUBREL), topic aliases resolved, delivery to the global listeners and to the
 * listeners of matching subscriptions, and the acknowledgements after them. Confined to the I/O thread, except that
 * listeners may run on the callback executor.
 */
final class Inbound {

    private static final Logger log = LoggerFactory.getLogger(Inbound.class);

    /** A subscription's listener: the filter as subscribed and the filter to match topics with. */
    record Entry(Subscription subscription, MqttProperties properties, String match, MessageListener listener) {
    }

    private final ClientCore core;
    private final MqttVersion version;
    private final int topicAliasMaximum;
    private final int receiveMaximum;
    private final Executor executor;
    private final boolean[] qos2 = new boolean[65_536];
    private final List<Entry> entries = new ArrayList<>();
    private String[] aliases;
    private int unacknowledged;

    Inbound(ClientCore core, ClientOptions options) {
        this.core = core;
        this.version = options.version();
        this.topicAliasMaximum = options.version().isV5() ? options.topicAliasMaximum() : 0;
        this.receiveMaximum = options.receiveMaximum();
        this.executor = options.callbackExecutor();
    }

    /** A new connection: aliases start empty; without a session, QoS 2 receipts of the old one are forgotten. */
    void connected(boolean sessionPresent) {
        aliases = topicAliasMaximum > 0 ? new String[topicAliasMaximum + 1] : null;
        unacknowledged = 0;
        if (!sessionPresent) {
            java.util.Arrays.fill(qos2, false);
        }
    }

    // ---- subscriptions' listeners ----

    void register(List<Subscription> subscriptions, MqttProperties properties, MessageListener listener) {
        for (Subscription s : subscriptions) {
            TopicFilters.SharedFilter shared = TopicFilters.parseShared(s.topicFilter());
            entries.add(new Entry(s, properties, shared == null ? s.topicFilter() : shared.filter(), listener));
        }
    }

    void unregister(String filter, MessageListener listener) {
        entries.removeIf(e -> e.listener == listener && e.subscription.topicFilter().equals(filter));
    }

    void unregisterAll(String filter) {
        entries.removeIf(e -> e.subscription.topicFilter().equals(filter));
    }

    /** The subscriptions that have listeners, to subscribe again on a connection without session. */
    List<Entry> subscriptions() {
        return List.copyOf(entries);
    }

    // ---- receiving ----

    void onPublish(ClientConnection c, Publish p) {
        String topic = p.topic();
        MqttProperties props = p.properties();
        Integer alias = props.topicAlias();
        if (alias != null) {
            if (alias == 0 || alias > topicAliasMaximum) {
                core.protocolError(c, ReasonCode.TOPIC_ALIAS_INVALID, "topic alias " + alias
                        + " is outside 1.." + topicAliasMaximum);
                return;
            }
            if (topic.isEmpty()) {
                topic = aliases[alias];
                if (topic == null) {
                    core.protocolError(c, ReasonCode.PROTOCOL_ERROR, "topic alias " + alias + " was never set");
                    return;
                }
            } else {
                aliases[alias] = topic;
            }
            props = props.toBuilder().topicAlias(null).build();
        }
        MqttMessage message = new MqttMessage(topic, p.payload(), p.qos(), p.retain(), p.dup(), props);
        int id = p.packetId();
        switch (p.qos()) {
            case AT_MOST_ONCE -> deliver(c, message, null);
            case AT_LEAST_ONCE -> {
                if (tooMany(c)) {
                    return;
                }
                deliver(c, message, () -> {
                    unacknowledged--;
                    c.send(new PubAck(id));
                });
            }
            case EXACTLY_ONCE -> {
                if (qos2[id]) {
                    c.send(new PubRec(id)); // a resend of a message already delivered
                    return;
                }
                if (tooMany(c)) {
                    return;
                }
                qos2[id] = true;
                deliver(c, message, () -> c.send(new PubRec(id)));
            }
        }
    }

    private boolean tooMany(ClientConnection c) {
        if (++unacknowledged > receiveMaximum && version.isV5()) {
            core.protocolError(c, ReasonCode.RECEIVE_MAXIMUM_EXCEEDED, "the broker sent more than "
                    + receiveMaximum + " unacknowledged QoS 1 and 2 messages");
            return true;
        }
        return false;
    }

    void onPubRel(ClientConnection c, PubRel r) {
        int id = r.packetId();
        if (qos2[id]) {
            qos2[id] = false;
            unacknowledged--;
            c.send(new PubComp(id));
        } else {
            c.send(version.isV5()
                    ? new PubComp(id, ReasonCode.PACKET_IDENTIFIER_NOT_FOUND, MqttProperties.EMPTY)
                    : new PubComp(id));
        }
    }

    private void deliver(ClientConnection c, MqttMessage message, Runnable ack) {
        List<MessageListener> targets = targets(message.topic());
        if (executor == null) {
            call(targets, message);
            if (ack != null) {
                ack.run();
            }
            return;
        }
        executor.execute(() -> {
            call(targets, message);
            if (ack != null) {
                c.channel().eventLoop().execute(() -> {
                    if (c.isActive()) {
                        ack.run();
                    }
                });
            }
        });
    }

    private List<MessageListener> targets(String topic) {
        List<MessageListener> global = core.globalListeners();
        if (entries.isEmpty()) {
            return global;
        }
        List<MessageListener> out = null;
        for (Entry e : entries) {
            if (e.listener != null && TopicFilters.matches(e.match, topic)) {
                if (out == null) {
                    out = new ArrayList<>(global);
                }
                if (!containsSame(out, e.listener)) {
                    out.add(e.listener);
                }
            }
        }
        return out == null ? global : out;
    }

    private static boolean containsSame(List<MessageListener> list, MessageListener l) {
        for (MessageListener x : list) {
            if (x == l) {
                return true;
            }
        }
        return false;
    }

    private void call(List<MessageListener> targets, MqttMessage message) {
        for (MessageListener l : targets) {
            try {
                l.onMessage(message);
            } catch (Throwable t) {
                log.warn("{}: a message listener failed on a message of {}: {}", core.clientId(), message.topic(),
                        t.toString(), t);
            }
        }
    }
}
