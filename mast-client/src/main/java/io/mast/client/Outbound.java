package io.mast.client;

import io.mast.codec.MqttProperties;
import io.mast.codec.MqttVersion;
import io.mast.codec.Qos;
import io.mast.codec.ReasonCode;
import io.mast.codec.encoder.PacketEncoder;
import io.mast.codec.packet.PubAck;
import io.mast.codec.packet.PubComp;
import io.mast.codec.packet.PubRec;
import io.mast.codec.packet.PubRel;
import io.mast.codec.packet.Publish;
import io.mast.codec.packet.SubAck;
import io.mast.codec.packet.Subscribe;
import io.mast.codec.packet.Subscription;
import io.mast.codec.packet.UnsubAck;
import io.mast.codec.packet.Unsubscribe;
import io.netty.channel.ChannelPromise;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the client sends that needs an answer: PUBLISH at QoS 1 and 2 (the inflight window, bounded by the server's
 * Receive Maximum, and the queue behind it), QoS 0 PUBLISH in order with them, SUBSCRIBE and UNSUBSCRIBE. Packet
 * identifiers are given when a packet is first sent and kept until its flow ends, across reconnects: a resumed
 * session gets its unacknowledged PUBLISH again (DUP) and its PUBREL, with their original identifiers, in order.
 * Confined to the client's I/O thread.
 */
final class Outbound {

    private static final Logger log = LoggerFactory.getLogger(Outbound.class);

    /** A publish waiting for room in the window (or for the connection). */
    private record Pending(MqttMessage message, CompletableFuture<PublishResult> future) {
    }

    /** A QoS 1 or 2 publish in flight, by packet identifier. */
    private static final class Flight {
        final Publish packet;
        final CompletableFuture<PublishResult> future;
        boolean released; // QoS 2: PUBREC received, PUBREL sent, waiting for PUBCOMP
        PublishResult received;

        Flight(Publish packet, CompletableFuture<PublishResult> future) {
            this.packet = packet;
            this.future = future;
        }
    }

    /** A SUBSCRIBE or UNSUBSCRIBE waiting for its acknowledgement (or for the connection). */
    private static final class Control {
        final List<Subscription> subscriptions; // SUBSCRIBE, or null
        final List<String> filters;              // UNSUBSCRIBE, or null
        final MqttProperties properties;
        final CompletableFuture<SubscribeResult> subscribed;
        final CompletableFuture<UnsubscribeResult> unsubscribed;
        final MessageListener listener;
        int packetId;

        Control(List<Subscription> subscriptions, List<String> filters, MqttProperties properties,
                CompletableFuture<SubscribeResult> subscribed, CompletableFuture<UnsubscribeResult> unsubscribed,
                MessageListener listener) {
            this.subscriptions = subscriptions;
            this.filters = filters;
            this.properties = properties;
            this.subscribed = subscribed;
            this.unsubscribed = unsubscribed;
            this.listener = listener;
        }
    }

    private final ClientCore core;
    private final MqttVersion version;
    private final int maxQueued;
    private final boolean useAliases;
    private final PacketIds ids = new PacketIds();
    private final LinkedHashMap<Integer, Flight> inflight = new LinkedHashMap<>();
    private final ArrayDeque<Flight> resend = new ArrayDeque<>();
    private final ArrayDeque<Pending> queue = new ArrayDeque<>();
    private final Map<Integer, Control> controls = new HashMap<>();
    private final ArrayDeque<Control> controlQueue = new ArrayDeque<>();

    private ClientConnection connection;
    private int quota;
    /** The client's own cap on QoS 1 and 2 messages in flight (below the server's receive maximum). */
    private final int maxInflight;
    private long maxPacketSize = Long.MAX_VALUE;
    private Qos maxQos = Qos.EXACTLY_ONCE;
    private boolean retainAvailable = true;
    private TopicAliasLru aliases;
    private MqttProperties[] aliasOnly;

    /** Counts readable from any thread, for monitoring and back-pressure in callers. */
    private volatile int inflightCount;
    private volatile int queuedCount;

    Outbound(ClientCore core, ClientOptions options) {
        this.core = core;
        this.version = options.version();
        this.maxQueued = options.maxQueuedMessages();
        this.useAliases = options.outgoingTopicAliases() && version.isV5();
        this.maxInflight = options.maxInflight();
    }

    int inflightCount() {
        return inflightCount;
    }

    int queuedCount() {
        return queuedCount;
    }

    private void counts() {
        inflightCount = inflight.size();
        queuedCount = queue.size() + resend.size();
    }

    // ---- connection lifecycle ----

    /** A connection was accepted: apply the server's limits, resend what the session still owes, then the queue. */
    void connected(ClientConnection c, ConnectResult result) {
        connection = c;
        quota = Math.min(result.receiveMaximum(), maxInflight);
        maxPacketSize = result.maximumPacketSize();
        maxQos = result.maximumQos();
        retainAvailable = result.retainAvailable();
        aliases = useAliases && result.topicAliasMaximum() > 0 ? new TopicAliasLru(result.topicAliasMaximum()) : null;
        resend.clear();
        for (Iterator<Flight> it = inflight.values().iterator(); it.hasNext(); ) {
            Flight f = it.next();
            if (f.released && !result.sessionPresent()) {
                // The new session has no record of it, and the old one had accepted it (PUBREC): it is done.
                it.remove();
                ids.release(f.packet.packetId());
                f.future.complete(f.received);
            } else if (quota > 0) {
                quota--;
                sendFlight(f, true);
            } else {
                resend.add(f);
            }
        }
        while (!controlQueue.isEmpty()) {
            sendControl(controlQueue.poll());
        }
        drain();
    }

    /** The connection is gone. SUBSCRIBE and UNSUBSCRIBE without answer go back to the queue for the next one. */
    void disconnected() {
        connection = null;
        aliases = null;
        List<Control> waiting = new ArrayList<>(controls.values());
        waiting.sort((a, b) -> Integer.compare(a.packetId, b.packetId));
        for (Control c : waiting) {
            ids.release(c.packetId);
            controlQueue.add(c);
        }
        controls.clear();
        counts();
    }

    /** Fails everything waiting: the client will not reconnect. */
    void failAll(Throwable cause) {
        List<CompletableFuture<?>> futures = new ArrayList<>();
        inflight.values().forEach(f -> futures.add(f.future));
        queue.forEach(p -> futures.add(p.future));
        controls.values().forEach(c -> futures.add(c.subscribed != null ? c.subscribed : c.unsubscribed));
        controlQueue.forEach(c -> futures.add(c.subscribed != null ? c.subscribed : c.unsubscribed));
        for (Control c : controls.values()) {
            removeListeners(c);
        }
        for (Control c : controlQueue) {
            removeListeners(c);
        }
        inflight.keySet().forEach(ids::release);
        controls.keySet().forEach(ids::release);
        inflight.clear();
        resend.clear();
        queue.clear();
        controls.clear();
        controlQueue.clear();
        counts();
        futures.forEach(f -> f.completeExceptionally(cause));
    }

    private void removeListeners(Control c) {
        if (c.subscriptions != null) {
            for (Subscription s : c.subscriptions) {
                core.inbound().unregister(s.topicFilter(), c.listener);
            }
        }
    }

    // ---- publishing ----

    /** Sends the message now if the window allows, or queues it. */
    void publish(MqttMessage message, CompletableFuture<PublishResult> future) {
        if (connection != null && queue.isEmpty() && resend.isEmpty()
                && (message.qos() == Qos.AT_MOST_ONCE || quota > 0)) {
            send(message, future);
        } else if (queue.size() >= maxQueued) {
            future.completeExceptionally(new MqttClientException("the publish queue is full (" + maxQueued
                    + " messages wait for the connection or the inflight window)", ReasonCode.QUOTA_EXCEEDED, null));
        } else {
            queue.add(new Pending(message, future));
            counts();
        }
    }

    /** Sends queued messages while the window has room. */
    private void drain() {
        while (connection != null && quota > 0 && !resend.isEmpty()) {
            quota--;
            sendFlight(resend.poll(), true);
        }
        while (connection != null && resend.isEmpty() && !queue.isEmpty()) {
            Pending p = queue.peek();
            if (p.message.qos() != Qos.AT_MOST_ONCE && quota <= 0) {
                break;
            }
            queue.poll();
            if (!send(p.message, p.future)) {
                queue.addFirst(p);
                break;
            }
        }
        counts();
    }

    /** Sends one message; false when no packet identifier is free (it must wait). */
    private boolean send(MqttMessage m, CompletableFuture<PublishResult> future) {
        if (m.qos().ordinal() > maxQos.ordinal()) {
            future.completeExceptionally(new MqttClientException("the server accepts QoS up to " + maxQos.level()
                    + ", the message has QoS " + m.qos().level(), ReasonCode.QOS_NOT_SUPPORTED, null));
            return true;
        }
        if (m.retain() && !retainAvailable) {
            future.completeExceptionally(new MqttClientException("the server does not accept retained messages",
                    ReasonCode.RETAIN_NOT_SUPPORTED, null));
            return true;
        }
        MqttProperties props = version.isV5() ? m.properties() : MqttProperties.EMPTY;
        int id = 0;
        if (m.qos() != Qos.AT_MOST_ONCE) {
            id = ids.allocate();
            if (id == 0) {
                return false;
            }
        }
        Publish p = new Publish(false, m.qos(), m.retain(), m.topic(), id, props, m.payload());
        if (maxPacketSize < Long.MAX_VALUE && mayExceed(m, props)) {
            long size = PacketEncoder.publishSize(p, version);
            if (size > maxPacketSize) {
                ids.release(id);
                future.completeExceptionally(new MqttClientException("the PUBLISH of " + size
                        + " bytes exceeds the server's maximum packet size of " + maxPacketSize,
                        ReasonCode.PACKET_TOO_LARGE, null));
                return true;
            }
        }
        if (m.qos() == Qos.AT_MOST_ONCE) {
            ChannelPromise promise = connection.newPromise();
            promise.addListener(f -> {
                if (f.isSuccess()) {
                    future.complete(PublishResult.SUCCESS);
                } else {
                    future.completeExceptionally(new MqttClientException("the message could not be written: "
                            + ClientConnection.message(f.cause()), null, f.cause()));
                }
            });
            connection.send(withAlias(p), promise);
            return true;
        }
        Flight f = new Flight(p, future);
        inflight.put(id, f);
        quota--;
        sendFlight(f, false);
        return true;
    }

    /**
     * False when the PUBLISH is certainly within the server's maximum packet size, without computing its exact size:
     * a topic takes at most 3 bytes per character in UTF-8, and the fixed header, length and packet identifier at
     * most 9 bytes.
     */
    private boolean mayExceed(MqttMessage m, MqttProperties props) {
        return props != MqttProperties.EMPTY || m.payload().length + 3L * m.topic().length() + 16 > maxPacketSize;
    }

    private void sendFlight(Flight f, boolean again) {
        if (f.released) {
            connection.send(new PubRel(f.packet.packetId()));
        } else {
            Publish p = f.packet;
            if (again) {
                p = new Publish(true, p.qos(), p.retain(), p.topic(), p.packetId(), p.properties(), p.payload());
            }
            connection.send(withAlias(p));
        }
    }

    /** The packet with a topic alias when the server allows them: the topic goes only with a new alias. */
    private Publish withAlias(Publish p) {
        if (aliases == null) {
            return p;
        }
        TopicAliasLru.Use use = aliases.use(p.topic());
        MqttProperties props = withAlias(p.properties(), use.alias());
        return new Publish(p.dup(), p.qos(), p.retain(), use.withTopic() ? p.topic() : "", p.packetId(), props,
                p.payload());
    }

    /**
     * The properties with a topic alias. Messages without properties (the common case, and every message of a load
     * generator) share one instance per alias instead of building a new one per message.
     */
    private MqttProperties withAlias(MqttProperties base, int alias) {
        if (base != MqttProperties.EMPTY) {
            return base.toBuilder().topicAlias(alias).build();
        }
        if (aliasOnly == null || aliasOnly.length <= alias) {
            aliasOnly = java.util.Arrays.copyOf(aliasOnly == null ? new MqttProperties[0] : aliasOnly,
                    Math.max(alias + 1, 16));
        }
        MqttProperties p = aliasOnly[alias];
        if (p == null) {
            p = MqttProperties.builder().topicAlias(alias).build();
            aliasOnly[alias] = p;
        }
        return p;
    }

    void onPubAck(PubAck a) {
        Flight f = inflight.get(a.packetId());
        if (f == null || f.packet.qos() != Qos.AT_LEAST_ONCE) {
            log.debug("{}: PUBACK for unknown packet identifier {}", core.clientId(), a.packetId());
            return;
        }
        finish(a.packetId(), f, new PublishResult(a.reasonCode(), a.properties()));
    }

    void onPubRec(PubRec r) {
        Flight f = inflight.get(r.packetId());
        if (f == null || f.packet.qos() != Qos.EXACTLY_ONCE) {
            log.debug("{}: PUBREC for unknown packet identifier {}", core.clientId(), r.packetId());
            if (connection != null && (f == null)) {
                connection.send(version.isV5()
                        ? new PubRel(r.packetId(), ReasonCode.PACKET_IDENTIFIER_NOT_FOUND, MqttProperties.EMPTY)
                        : new PubRel(r.packetId()));
            }
            return;
        }
        PublishResult result = new PublishResult(r.reasonCode(), r.properties());
        if (r.reasonCode().isError()) {
            finish(r.packetId(), f, result);
            return;
        }
        if (!f.released) {
            f.released = true;
            f.received = result;
        }
        if (connection != null) {
            connection.send(new PubRel(r.packetId()));
        }
    }

    void onPubComp(PubComp c) {
        Flight f = inflight.get(c.packetId());
        if (f == null || !f.released) {
            log.debug("{}: PUBCOMP for unknown packet identifier {}", core.clientId(), c.packetId());
            return;
        }
        // Success, or "packet identifier not found": the server had released the message already (its PUBCOMP was
        // lost with the connection and our PUBREL came again). Either way the message was accepted at PUBREC.
        boolean released = c.reasonCode() == ReasonCode.PACKET_IDENTIFIER_NOT_FOUND
                || c.reasonCode() == ReasonCode.SUCCESS && c.properties().isEmpty();
        finish(c.packetId(), f, released ? f.received : new PublishResult(c.reasonCode(), c.properties()));
    }

    private void finish(int id, Flight f, PublishResult result) {
        inflight.remove(id);
        if (!resend.remove(f)) {
            quota++;
        }
        ids.release(id);
        f.future.complete(result);
        drain();
        counts();
    }

    // ---- subscriptions ----

    void subscribe(List<Subscription> subscriptions, MqttProperties properties, MessageListener listener,
                   CompletableFuture<SubscribeResult> future) {
        control(new Control(subscriptions, null, properties, future, null, listener));
    }

    void unsubscribe(List<String> filters, MqttProperties properties, CompletableFuture<UnsubscribeResult> future) {
        control(new Control(null, filters, properties, null, future, null));
    }

    private void control(Control c) {
        if (connection != null) {
            sendControl(c);
        } else {
            controlQueue.add(c);
        }
    }

    private void sendControl(Control c) {
        int id = ids.allocate();
        if (id == 0) {
            MqttClientException e = new MqttClientException("all 65535 packet identifiers are in use");
            if (c.subscribed != null) {
                removeListeners(c);
                c.subscribed.completeExceptionally(e);
            } else {
                c.unsubscribed.completeExceptionally(e);
            }
            return;
        }
        c.packetId = id;
        controls.put(id, c);
        MqttProperties props = version.isV5() ? c.properties : MqttProperties.EMPTY;
        connection.send(c.subscriptions != null ? new Subscribe(id, c.subscriptions, props)
                : new Unsubscribe(id, c.filters, props));
    }

    void onSubAck(SubAck a) {
        Control c = controls.get(a.packetId());
        if (c == null || c.subscriptions == null) {
            log.debug("{}: SUBACK for unknown packet identifier {}", core.clientId(), a.packetId());
            return;
        }
        controls.remove(a.packetId());
        ids.release(a.packetId());
        for (int i = 0; i < c.subscriptions.size(); i++) {
            boolean failed = i >= a.reasonCodes().size() || a.reasonCodes().get(i).isError();
            if (failed) {
                core.inbound().unregister(c.subscriptions.get(i).topicFilter(), c.listener);
            }
        }
        c.subscribed.complete(new SubscribeResult(a.reasonCodes(), a.properties()));
    }

    void onUnsubAck(UnsubAck a) {
        Control c = controls.get(a.packetId());
        if (c == null || c.filters == null) {
            log.debug("{}: UNSUBACK for unknown packet identifier {}", core.clientId(), a.packetId());
            return;
        }
        controls.remove(a.packetId());
        ids.release(a.packetId());
        List<ReasonCode> codes = a.reasonCodes();
        if (!version.isV5() || codes.isEmpty()) {
            codes = c.filters.stream().map(f -> ReasonCode.SUCCESS).toList();
        }
        for (int i = 0; i < c.filters.size(); i++) {
            if (i >= codes.size() || !codes.get(i).isError()) {
                core.inbound().unregisterAll(c.filters.get(i));
            }
        }
        c.unsubscribed.complete(new UnsubscribeResult(codes, a.properties()));
    }
}
