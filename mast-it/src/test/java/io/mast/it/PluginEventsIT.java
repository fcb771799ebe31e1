package io.mast.it;

import static io.mast.it.PluginTesting.TIMEOUT;
import static io.mast.it.PluginTesting.pluginMetricNames;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.mast.broker.MastBroker;
import io.mast.codec.MqttProperties;
import io.mast.codec.MqttVersion;
import io.mast.codec.Qos;
import io.mast.codec.ReasonCode;
import io.mast.codec.packet.ConnAck;
import io.mast.codec.packet.Connect;
import io.mast.codec.packet.Disconnect;
import io.mast.codec.packet.PingReq;
import io.mast.codec.packet.PingResp;
import io.mast.codec.packet.PubAck;
import io.mast.codec.packet.Publish;
import io.mast.codec.packet.RetainHandling;
import io.mast.codec.packet.Subscription;
import io.mast.codec.packet.UnsubAck;
import io.mast.codec.packet.Unsubscribe;
import io.mast.codec.packet.Will;
import io.mast.plugin.AuthDecision;
import io.mast.plugin.AuthPlugin;
import io.mast.plugin.BrokerContext;
import io.mast.plugin.BrokerPlugin;
import io.mast.plugin.ClientInfo;
import io.mast.plugin.ConnectInfo;
import io.mast.plugin.Decision;
import io.mast.plugin.DisconnectInfo;
import io.mast.plugin.DropReason;
import io.mast.plugin.Message;
import io.mast.plugin.NonBlocking;
import io.mast.plugin.PacketInfo;
import io.mast.plugin.PublishDecision;
import io.mast.plugin.PublishPlugin;
import io.mast.plugin.SessionInfo;
import io.mast.plugin.TopicAction;
import io.mast.plugin.TopicPlugin;
import io.mast.testkit.MastBrokerExtension;
import io.mast.testkit.RawMqttClient;
import java.io.IOException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The events of {@link BrokerPlugin}: each arrives, in order per client, with the right arguments; a plugin gets only
 * the events it overrides. A recorder writes every event as a line under the client it concerns.
 */
class PluginEventsIT {

    /** Refuses user {@code intruder}, denies publishing to {@code ev/denied}, drops {@code ev/drop}, shouts {@code ev/upper}. */
    @NonBlocking
    public static final class Gatekeeper extends BrokerPlugin implements AuthPlugin, TopicPlugin, PublishPlugin {
        public Gatekeeper(BrokerContext context) {
            super(context);
        }

        @Override
        public AuthDecision authenticate(ConnectInfo connect) {
            return "intruder".equals(connect.username()) ? AuthDecision.notAuthorized() : AuthDecision.allow();
        }

        @Override
        public Set<TopicAction> actions() {
            return EnumSet.of(TopicAction.PUBLISH);
        }

        @Override
        public Decision authorize(ClientInfo client, TopicAction action, String topic) {
            return topic.equals("ev/denied") ? Decision.DENY : Decision.ABSTAIN;
        }

        @Override
        public PublishDecision onPublish(ClientInfo publisher, Message message) {
            return switch (message.topic()) {
                case "ev/drop" -> PublishDecision.drop();
                case "ev/upper" -> PublishDecision.proceed(message.toBuilder()
                        .payload(message.payloadAsString().toUpperCase()).build());
                default -> PublishDecision.proceed(message);
            };
        }
    }

    /** Every event but the packet ones, as lines by client identifier ("-" for none). */
    static final Map<String, List<String>> EVENTS = new ConcurrentHashMap<>();

    static void record(String clientId, String line) {
        EVENTS.computeIfAbsent(clientId == null ? "-" : clientId, k -> new CopyOnWriteArrayList<>()).add(line);
    }

    static String id(ClientInfo c) {
        return c == null ? null : c.clientId();
    }

    public static final class Recorder extends BrokerPlugin {
        public Recorder(BrokerContext context) {
            super(context);
        }

        @Override
        public void onClientConnect(ConnectInfo c) {
            record(c.clientId(), "connect " + c.username() + " v" + c.protocolVersion() + " clean=" + c.cleanStart()
                    + " keepAlive=" + c.keepAlive() + " expiry=" + c.sessionExpiryInterval()
                    + " will=" + (c.will() == null ? null : c.will().topic() + ":" + c.will().payloadAsString())
                    + " props=" + c.userProperties().stream().map(u -> u.name() + "=" + u.value()).toList());
        }

        @Override
        public void onClientConnack(ConnectInfo c, int reasonCode) {
            record(c.clientId(), String.format("connack 0x%02x", reasonCode));
        }

        @Override
        public void onClientConnected(ClientInfo c) {
            record(c.clientId(), "connected " + c.username() + " v" + c.protocolVersion());
        }

        @Override
        public void onClientDisconnected(ClientInfo c, DisconnectInfo d) {
            record(c.clientId(), String.format("disconnected %s 0x%02x byClient=%s willSent=%s", d.reason(),
                    d.reasonCode(), d.byClient(), d.willSent()));
        }

        @Override
        public void onSessionCreated(SessionInfo s) {
            record(s.clientId(), "session created expiry=" + s.expiryIntervalSeconds());
        }

        @Override
        public void onSessionResumed(SessionInfo s) {
            record(s.clientId(), "session resumed subscriptions=" + s.subscriptions().stream()
                    .map(io.mast.plugin.Subscription::topicFilter).toList());
        }

        @Override
        public void onSessionDiscarded(SessionInfo s) {
            record(s.clientId(), "session discarded");
        }

        @Override
        public void onSessionTakenOver(SessionInfo s) {
            record(s.clientId(), "session taken over");
        }

        @Override
        public void onSessionTerminated(SessionInfo s, String reason) {
            record(s.clientId(), "session terminated " + reason);
        }

        @Override
        public void onClientSubscribed(ClientInfo c, io.mast.plugin.Subscription s) {
            record(c.clientId(), "subscribed " + s.topicFilter() + " qos=" + s.qos() + " noLocal=" + s.noLocal()
                    + " rap=" + s.retainAsPublished() + " rh=" + s.retainHandling() + " id=" + s.subscriptionId());
        }

        @Override
        public void onClientUnsubscribed(ClientInfo c, String topicFilter) {
            record(c.clientId(), "unsubscribed " + topicFilter);
        }

        @Override
        public void onRetainedMessageSet(ClientInfo c, Message m) {
            record(id(c), "retained set " + m.topic() + " " + m.payloadAsString());
        }

        @Override
        public void onRetainedMessageCleared(ClientInfo c, String topic) {
            record(id(c), "retained cleared " + topic);
        }

        @Override
        public void onMessageReceived(ClientInfo publisher, Message m) {
            record(id(publisher), "received " + m.topic() + " " + m.payloadAsString());
        }

        @Override
        public void onMessagePublished(ClientInfo publisher, Message m) {
            record(id(publisher), "published " + m.topic() + " " + m.payloadAsString());
        }

        @Override
        public void onMessageDelivered(ClientInfo subscriber, Message m) {
            record(id(subscriber), "delivered " + m.topic() + " " + m.payloadAsString());
        }

        @Override
        public void onMessageAcked(ClientInfo subscriber, Message m) {
            record(id(subscriber), "acked " + m.topic() + " " + m.payloadAsString());
        }

        @Override
        public void onMessageDropped(ClientInfo subscriber, Message m, DropReason reason) {
            // Without a subscriber the drop concerns the message as a whole: filed under its publisher.
            record(subscriber == null ? m.publisherId() : subscriber.clientId(), "dropped " + m.topic() + " " + reason
                    + (subscriber == null ? " (no subscriber)" : ""));
        }
    }

    /** Only the packet events, by client ("-" before CONNECT is read). */
    static final Map<String, List<String>> PACKETS = new ConcurrentHashMap<>();

    public static final class Packets extends BrokerPlugin {
        public Packets(BrokerContext context) {
            super(context);
        }

        private static void add(ClientInfo c, String direction, PacketInfo p) {
            PACKETS.computeIfAbsent(c == null ? "-" : c.clientId(), k -> new CopyOnWriteArrayList<>())
                    .add(direction + " " + p.type() + " " + p.packetId() + (c == null ? " " + p.description() : ""));
        }

        @Override
        public void onPacketReceived(ClientInfo client, PacketInfo packet) {
            add(client, "in", packet);
        }

        @Override
        public void onPacketSent(ClientInfo client, PacketInfo packet) {
            add(client, "out", packet);
        }
    }

    /** Overrides one event only. */
    public static final class ConnectedOnly extends BrokerPlugin {
        static final List<String> SEEN = new CopyOnWriteArrayList<>();

        public ConnectedOnly(BrokerContext context) {
            super(context);
        }

        @Override
        public void onClientConnected(ClientInfo client) {
            SEEN.add(client.clientId());
        }
    }

    @RegisterExtension
    static final MastBrokerExtension broker = MastBrokerExtension.create()
            .plugin(Gatekeeper.class)
            .plugin(Recorder.class)
            .plugin(Packets.class)
            .plugin(ConnectedOnly.class);

    @RegisterExtension
    final V5Clients clients = new V5Clients(broker);

    private static List<String> events(String clientId) {
        return List.copyOf(EVENTS.getOrDefault(clientId, List.of()));
    }

    /** Waits until the client's events include a line starting with {@code prefix}. */
    private static void awaitEvent(String clientId, String prefix) {
        await().atMost(TIMEOUT).untilAsserted(() ->
                assertThat(events(clientId)).as("events of " + clientId).anyMatch(l -> l.startsWith(prefix)));
    }

    private static Connect connect(String clientId, String username, boolean cleanStart, long expiry) {
        return new Connect(MqttVersion.MQTT_5, cleanStart, 60, clientId, null, username, null,
                MqttProperties.builder().sessionExpiryInterval(expiry).build());
    }

    /** Reads the next two packets, in whatever order they come: a PUBACK for {@code packetId} and a PUBLISH. */
    private static Publish pubAckAndDelivery(RawMqttClient c, int packetId) throws IOException {
        Publish delivery = null;
        PubAck ack = null;
        for (int i = 0; i < 2; i++) {
            Object p = c.read(TIMEOUT);
            if (p instanceof Publish x) {
                delivery = x;
            } else if (p instanceof PubAck x) {
                ack = x;
            }
        }
        assertThat(ack).as("PUBACK").isNotNull();
        assertThat(ack.packetId()).isEqualTo(packetId);
        assertThat(delivery).as("the delivery").isNotNull();
        return delivery;
    }

    @Test
    void aClientsEventsArriveInOrderWithTheirArguments() throws Exception {
        Will will = new Will("ev/will", V5Clients.utf8("bye"), Qos.AT_LEAST_ONCE, false, MqttProperties.EMPTY);
        RawMqttClient c = clients.raw(new Connect(MqttVersion.MQTT_5, true, 30, "ev-order", will, "alice",
                V5Clients.utf8("pw"), MqttProperties.builder().addUserProperty("k", "v").build()));
        V5Clients.subscribe(c, 1, MqttProperties.builder().addSubscriptionIdentifier(42).build(),
                new Subscription("ev/order", Qos.AT_LEAST_ONCE, false, true, RetainHandling.SEND_IF_NEW_SUBSCRIPTION));
        c.send(new Publish(false, Qos.AT_LEAST_ONCE, true, "ev/order", 2, MqttProperties.EMPTY, V5Clients.utf8("hello")));
        Publish delivery = pubAckAndDelivery(c, 2);
        c.send(new PubAck(delivery.packetId()));
        c.send(new Publish(false, Qos.AT_MOST_ONCE, true, "ev/order", 0, MqttProperties.EMPTY, new byte[0]));
        assertThat(V5Clients.nextPublish(c).payload()).isEmpty();
        c.send(new Unsubscribe(3, List.of("ev/order"), MqttProperties.EMPTY));
        c.expect(UnsubAck.class, TIMEOUT);
        c.send(Disconnect.NORMAL);
        RawProtocol.assertClosed(c);

        awaitEvent("ev-order", "session terminated");
        assertThat(events("ev-order")).containsExactly(
                "connect alice v5 clean=true keepAlive=30 expiry=0 will=ev/will:bye props=[k=v]",
                "session created expiry=0",
                "connack 0x00",
                "connected alice v5",
                "subscribed ev/order qos=1 noLocal=false rap=true rh=1 id=42",
                "received ev/order hello",
                "published ev/order hello",
                "retained set ev/order hello",
                "delivered ev/order hello",
                "acked ev/order hello",
                "received ev/order ",
                "published ev/order ",
                "retained cleared ev/order",
                "delivered ev/order ",
                "unsubscribed ev/order",
                "disconnected normal 0x00 byClient=true willSent=false",
                "session terminated disconnected");
    }

    @Test
    void aRefusedLoginHasItsConnackEventAndNothingMore() throws Exception {
        RawMqttClient refused = clients.raw();
        refused.send(connect("ev-refused", "intruder", true, 0));
        RawProtocol.assertRefused(refused, ReasonCode.NOT_AUTHORIZED);
        clients.raw(connect("ev-refused", "bob", true, 0));
        awaitEvent("ev-refused", "connected");
        assertThat(events("ev-refused")).containsExactly(
                "connect intruder v5 clean=true keepAlive=60 expiry=0 will=null props=[]",
                "connack 0x87",
                "connect bob v5 clean=true keepAlive=60 expiry=0 will=null props=[]",
                "session created expiry=0",
                "connack 0x00",
                "connected bob v5");
    }

    @Test
    void disconnectedEventsSayWhy() throws Exception {
        Will will = new Will("ev/will", V5Clients.utf8("lost"), Qos.AT_MOST_ONCE, false, MqttProperties.EMPTY);
        RawMqttClient lost = clients.raw(new Connect(MqttVersion.MQTT_5, true, 60, "ev-lost", will, null, null,
                MqttProperties.EMPTY));
        clients.vanish(lost);
        awaitEvent("ev-lost", "disconnected");
        assertThat(events("ev-lost")).contains("disconnected connection_lost 0x80 byClient=false willSent=true");

        RawMqttClient withWill = clients.raw(new Connect(MqttVersion.MQTT_5, true, 60, "ev-will", will, null, null,
                MqttProperties.EMPTY));
        withWill.send(new Disconnect(ReasonCode.DISCONNECT_WITH_WILL_MESSAGE, MqttProperties.EMPTY));
        awaitEvent("ev-will", "disconnected");
        assertThat(events("ev-will")).contains("disconnected normal 0x04 byClient=true willSent=true");

        RawMqttClient violator = clients.raw(connect("ev-violator", null, true, 0));
        violator.send(connect("ev-violator", null, true, 0)); // a second CONNECT is a protocol error
        RawProtocol.assertDisconnected(violator, ReasonCode.PROTOCOL_ERROR);
        awaitEvent("ev-violator", "disconnected");
        assertThat(events("ev-violator")).contains("disconnected protocol_error 0x82 byClient=false willSent=false");

        RawMqttClient idle = clients.raw(new Connect(MqttVersion.MQTT_5, true, 1, "ev-idle", null, null, null,
                MqttProperties.EMPTY));
        RawProtocol.assertDisconnected(idle, ReasonCode.KEEP_ALIVE_TIMEOUT);
        awaitEvent("ev-idle", "disconnected");
        assertThat(events("ev-idle")).contains("disconnected keepalive_timeout 0x8d byClient=false willSent=false");
    }

    @Test
    void sessionEventsFollowASessionsLife() throws Exception {
        String id = "ev-session";
        RawMqttClient first = clients.raw(connect(id, null, true, 60));
        V5Clients.subscribe(first, 1, MqttProperties.EMPTY, new Subscription("ev/session", Qos.AT_LEAST_ONCE));
        first.send(Disconnect.NORMAL);
        awaitEvent(id, "disconnected");

        RawMqttClient resumed = clients.raw(); // resumes the session: session present
        resumed.send(connect(id, null, false, 60));
        assertThat(resumed.expect(ConnAck.class, TIMEOUT).sessionPresent()).isTrue();
        awaitEvent(id, "session resumed");

        RawMqttClient takeover = clients.raw();
        takeover.send(connect(id, null, false, 60));
        assertThat(takeover.expect(ConnAck.class, TIMEOUT).sessionPresent()).isTrue();
        RawProtocol.assertDisconnected(resumed, ReasonCode.SESSION_TAKEN_OVER);
        awaitEvent(id, "disconnected takenover");

        clients.raw(connect(id, null, true, 1)).send(Disconnect.NORMAL); // clean start: the old session is discarded
        awaitEvent(id, "session terminated expired");

        List<String> e = events(id).stream().filter(l -> l.startsWith("session") || l.startsWith("disconnected"))
                .toList();
        assertThat(e).containsSubsequence(
                "session created expiry=60",
                "disconnected normal 0x00 byClient=true willSent=false",
                "session resumed subscriptions=[ev/session]",
                "session taken over",
                "disconnected takenover 0x8e byClient=false willSent=false",
                "disconnected normal 0x00 byClient=true willSent=false",
                "session terminated expired");
        // The discarded session and the new one live in different mailboxes: both events come, in either order.
        assertThat(e).contains("session discarded", "session terminated discarded", "session created expiry=1");
        assertThat(e.indexOf("session discarded")).isLessThan(e.indexOf("session terminated discarded"));
        assertThat(e).filteredOn(l -> l.startsWith("disconnected takenover")).hasSize(2);
    }

    @Test
    void messageEventsShowTheMessageBeforeAndAfterThePluginsAndEveryDrop() throws Exception {
        // An offline subscriber: its QoS 0 messages are dropped, its QoS 1 ones queued until its session ends.
        RawMqttClient offline = clients.raw(connect("ev-offline", null, true, 60));
        V5Clients.subscribe(offline, 1, MqttProperties.EMPTY, new Subscription("ev/offline/+", Qos.AT_LEAST_ONCE));
        offline.send(Disconnect.NORMAL);
        V311Clients.awaitOffline(broker, "ev-offline");
        // A subscriber that takes only small packets.
        RawMqttClient small = clients.raw(new Connect(MqttVersion.MQTT_5, true, 60, "ev-small", null, null, null,
                MqttProperties.builder().maximumPacketSize(64L).build()));
        V5Clients.subscribe(small, 1, MqttProperties.EMPTY, new Subscription("ev/big", Qos.AT_MOST_ONCE));

        RawMqttClient pub = clients.raw(connect("ev-pub", null, true, 0));
        pub.send(new Publish(false, Qos.AT_LEAST_ONCE, false, "ev/denied", 1, MqttProperties.EMPTY, V5Clients.utf8("x")));
        assertThat(pub.expect(PubAck.class, TIMEOUT).reasonCode()).isEqualTo(ReasonCode.NOT_AUTHORIZED);
        V5Clients.publishQos1(pub, 2, "ev/upper", MqttProperties.EMPTY, V5Clients.utf8("abc"));
        V5Clients.publishQos1(pub, 3, "ev/drop", MqttProperties.EMPTY, V5Clients.utf8("d"));
        V5Clients.publishQos1(pub, 4, "ev/offline/q0", MqttProperties.EMPTY, V5Clients.utf8("q0"));
        pub.send(new Publish(false, Qos.AT_MOST_ONCE, false, "ev/offline/q0", 0, MqttProperties.EMPTY,
                V5Clients.utf8("zero")));
        V5Clients.publishQos1(pub, 5, "ev/big", MqttProperties.EMPTY, new byte[200]);

        awaitEvent("ev-pub", "published ev/big");
        assertThat(events("ev-pub")).as("received before the plugins, published after them").containsSubsequence(
                "received ev/denied x", "received ev/upper abc", "published ev/upper ABC", "received ev/drop d",
                "received ev/offline/q0 q0", "published ev/offline/q0 q0");
        assertThat(events("ev-pub")).doesNotContain("published ev/denied x", "published ev/drop d");
        awaitEvent("ev-pub", "dropped ev/drop");
        awaitEvent("ev-pub", "dropped ev/upper");
        assertThat(events("ev-pub")).contains("dropped ev/drop DROPPED_BY_PLUGIN (no subscriber)",
                "dropped ev/upper NO_SUBSCRIBERS (no subscriber)");

        awaitEvent("ev-offline", "dropped ev/offline/q0 QOS0_OFFLINE");
        awaitEvent("ev-small", "dropped ev/big TOO_LARGE");

        // The offline subscriber's session is replaced: its queued message is dropped with it.
        clients.raw(connect("ev-offline", null, true, 0));
        awaitEvent("ev-offline", "dropped ev/offline/q0 SESSION_ENDED");
    }

    @Test
    void packetEventsShowEveryPacketInBothDirections() throws Exception {
        RawMqttClient c = clients.raw(new Connect(MqttVersion.MQTT_5, true, 60, "ev-packets", null, "pat",
                V5Clients.utf8("s3cret"), MqttProperties.EMPTY));
        V5Clients.subscribe(c, 1, MqttProperties.EMPTY, new Subscription("ev/packets", Qos.AT_LEAST_ONCE));
        c.send(new Publish(false, Qos.AT_LEAST_ONCE, false, "ev/packets", 2, MqttProperties.EMPTY, V5Clients.utf8("p")));
        c.send(new PubAck(pubAckAndDelivery(c, 2).packetId()));
        c.send(PingReq.INSTANCE);
        c.expect(PingResp.class, TIMEOUT);
        c.send(Disconnect.NORMAL);
        RawProtocol.assertClosed(c);

        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(PACKETS.getOrDefault("ev-packets", List.of()))
                .contains("in DISCONNECT 0"));
        assertThat(PACKETS.get("ev-packets")).containsExactly("out CONNACK 0", "in SUBSCRIBE 1", "out SUBACK 1",
                "in PUBLISH 2", "out PUBACK 2", "out PUBLISH 1", "in PUBACK 1", "in PINGREQ 0", "out PINGRESP 0",
                "in DISCONNECT 0");
        // CONNECT arrives before the client is known; its description hides the password.
        assertThat(PACKETS.get("-")).anyMatch(l -> l.startsWith("in CONNECT 0") && l.contains("clientId=ev-packets"))
                .noneMatch(l -> l.contains("s3cret"));

        // A refused login's CONNACK and a DISCONNECT from the broker are packets sent too.
        RawMqttClient refused = clients.raw();
        refused.send(connect("ev-packets-refused", "intruder", true, 0));
        RawProtocol.assertRefused(refused, ReasonCode.NOT_AUTHORIZED);
        RawMqttClient violator = clients.raw(connect("ev-packets-violator", null, true, 0));
        violator.send(connect("ev-packets-violator", null, true, 0));
        RawProtocol.assertDisconnected(violator, ReasonCode.PROTOCOL_ERROR);
        await().atMost(TIMEOUT).untilAsserted(() -> {
            assertThat(PACKETS.getOrDefault("ev-packets-refused", List.of())).containsExactly("out CONNACK 0");
            // The second CONNECT is refused by the decoder: it never becomes a packet.
            assertThat(PACKETS.getOrDefault("ev-packets-violator", List.of())).containsExactly("out CONNACK 0",
                    "out DISCONNECT 0");
        });
    }

    @Test
    void aPluginGetsOnlyTheEventsItOverrides() throws Exception {
        clients.raw(connect("ev-only", null, true, 0)).send(Disconnect.NORMAL);
        await().atMost(TIMEOUT).until(() -> ConnectedOnly.SEEN.contains("ev-only"));
        assertThat(pluginMetricNames(broker, ConnectedOnly.class)).containsExactlyInAnyOrder(
                "onClientConnected.calls", "onClientConnected.errors", "onClientConnected.timeouts",
                "onClientConnected.time_us", "events.dropped");
        assertThat(pluginMetricNames(broker, Packets.class)).allMatch(m -> m.startsWith("onPacket")
                || m.equals("events.dropped"));
        assertThat(pluginMetricNames(broker, Recorder.class)).noneMatch(m -> m.startsWith("onPacket"))
                .anyMatch(m -> m.startsWith("onMessageDelivered."));
    }

    // ---- Lifecycle ----

    static final List<String> LIFECYCLE = new CopyOnWriteArrayList<>();

    public static final class Lifecycle extends BrokerPlugin {
        public Lifecycle(BrokerContext context) {
            super(context);
            LIFECYCLE.add("constructed");
        }

        @Override
        public void onBrokerPreStart() {
            LIFECYCLE.add("pre start");
        }

        @Override
        public void onBrokerPostStart() {
            LIFECYCLE.add("post start");
        }

        @Override
        public void onBrokerPreShutdown() {
            LIFECYCLE.add("pre shutdown");
        }

        @Override
        public void onBrokerPostShutdown() {
            LIFECYCLE.add("post shutdown");
        }

        @Override
        public void onClientDisconnected(ClientInfo client, DisconnectInfo disconnect) {
            LIFECYCLE.add("disconnected " + disconnect.reason());
        }

        @Override
        public void close() {
            LIFECYCLE.add("close");
        }
    }

    @Test
    void lifecycleEventsComeInOrderAndQueuedEventsAreDeliveredBeforeClose() throws Exception {
        MastBroker b = MastBroker.builder().bind("127.0.0.1").port(0).plugin(Lifecycle.class, Map.of()).build();
        try (b) {
            b.start().join();
            assertThat(LIFECYCLE).containsExactly("constructed", "pre start", "post start");
            RawMqttClient c = RawMqttClient.connect(b.port(), MqttVersion.MQTT_5);
            c.send(connect("lifecycle", null, true, 0));
            c.expect(ConnAck.class, TIMEOUT);
            b.stop().join();
            c.close();
        }
        List<String> order = new ArrayList<>(LIFECYCLE);
        assertThat(order).as(order.stream().collect(Collectors.joining(", "))).containsSubsequence(
                "constructed", "pre start", "post start", "pre shutdown", "post shutdown", "close");
        assertThat(order).containsOnlyOnce("close").last().isEqualTo("close");
        assertThat(order.indexOf("disconnected server_shutdown")).as("delivered before close").isPositive();
    }
}
