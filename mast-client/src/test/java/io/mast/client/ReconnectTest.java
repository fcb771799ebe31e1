package io.mast.client;

import static io.mast.client.MastClientFlowTest.get;
import static io.mast.client.MastClientFlowTest.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.mast.codec.MqttProperties;
import io.mast.codec.Qos;
import io.mast.codec.ReasonCode;
import io.mast.codec.packet.ConnAck;
import io.mast.codec.packet.Connect;
import io.mast.codec.packet.Disconnect;
import io.mast.codec.packet.PingReq;
import io.mast.codec.packet.PingResp;
import io.mast.codec.packet.PubAck;
import io.mast.codec.packet.PubComp;
import io.mast.codec.packet.PubRec;
import io.mast.codec.packet.PubRel;
import io.mast.codec.packet.Publish;
import io.mast.codec.packet.SubAck;
import io.mast.codec.packet.Subscribe;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Losing the connection: automatic reconnect, session resume with redelivery, keep-alive. */
class ReconnectTest {

    private FakeBroker broker;
    private MastClient client;
    private final List<DisconnectEvent> lost = new CopyOnWriteArrayList<>();
    private final List<ConnectResult> connects = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws InterruptedException {
        broker = FakeBroker.start();
    }

    @AfterEach
    void stop() {
        if (client != null) {
            client.close();
        }
        broker.close();
    }

    private MastClientBuilder reconnecting(String id) {
        return broker.client(id)
                .automaticReconnect(Duration.ofMillis(20), Duration.ofMillis(100))
                .connectionListener(new ConnectionListener() {
                    @Override
                    public void onConnected(ConnectResult result) {
                        connects.add(result);
                    }

                    @Override
                    public void onDisconnected(DisconnectEvent event) {
                        lost.add(event);
                    }
                });
    }

    @Test
    void resumedSessionGetsUnacknowledgedPublishesWithDupAndPubRelWithTheirOriginalIdentifiers() throws Exception {
        client = reconnecting("c-resume").sessionExpiry(Duration.ofHours(1)).build();
        CompletableFuture<ConnectResult> connected = client.connect();
        FakeBroker.Conn first = broker.acceptAndConnAck(false, MqttProperties.EMPTY);
        assertThat(first.connect.cleanStart()).isTrue();
        get(connected);

        CompletableFuture<PublishResult> q1 = client.publish("r/1", utf8("one"), Qos.AT_LEAST_ONCE);
        CompletableFuture<PublishResult> q2 = client.publish("r/2", utf8("two"), Qos.EXACTLY_ONCE);
        CompletableFuture<PublishResult> q2b = client.publish("r/3", utf8("three"), Qos.EXACTLY_ONCE);
        Publish p1 = first.expect(Publish.class);
        Publish p2 = first.expect(Publish.class);
        Publish p3 = first.expect(Publish.class);
        first.send(new PubRec(p2.packetId()));
        first.expect(PubRel.class);
        first.close(); // the connection breaks with PUBLISH 1 and 3 unacknowledged and PUBREL 2 without PUBCOMP

        FakeBroker.Conn second = broker.accept();
        Connect again = second.expect(Connect.class);
        assertThat(again.cleanStart()).as("a reconnect resumes the session").isFalse();
        assertThat(again.clientId()).isEqualTo("c-resume");
        second.send(new ConnAck(true, ReasonCode.SUCCESS, MqttProperties.EMPTY));
        Publish r1 = second.expect(Publish.class);
        PubRel r2 = second.expect(PubRel.class);
        Publish r3 = second.expect(Publish.class);
        assertThat(r1.dup()).isTrue();
        assertThat(r1.packetId()).isEqualTo(p1.packetId());
        assertThat(r1.topic()).isEqualTo("r/1");
        assertThat(r2.packetId()).isEqualTo(p2.packetId());
        assertThat(r3.dup()).isTrue();
        assertThat(r3.packetId()).isEqualTo(p3.packetId());
        assertThat(q1).isNotDone();

        second.send(new PubAck(p1.packetId()));
        // The broker had released message 2 before the connection broke (its PUBCOMP was lost): it no longer knows it.
        second.send(new PubComp(p2.packetId(), ReasonCode.PACKET_IDENTIFIER_NOT_FOUND, MqttProperties.EMPTY));
        second.send(new PubRec(p3.packetId()));
        second.expect(PubRel.class);
        second.send(new PubComp(p3.packetId()));
        assertThat(get(q1).isSuccess()).isTrue();
        assertThat(get(q2).isSuccess()).isTrue();
        assertThat(get(q2b).isSuccess()).isTrue();
        assertThat(lost).hasSize(1);
        assertThat(lost.get(0).reconnecting()).isTrue();
        assertThat(connects).hasSize(2);
        assertThat(connects.get(1).sessionPresent()).isTrue();
    }

    @Test
    void publishesMadeWhileReconnectingAreSentOnceConnected() throws Exception {
        client = reconnecting("c-queue").build();
        CompletableFuture<ConnectResult> connected = client.connect();
        FakeBroker.Conn first = broker.acceptAndConnAck(false, MqttProperties.EMPTY);
        get(connected);
        first.send(new Disconnect(ReasonCode.SERVER_SHUTTING_DOWN, MqttProperties.builder().reasonString("bye").build()));
        await().atMost(FakeBroker.TIMEOUT).until(() -> !lost.isEmpty());
        assertThat(lost.get(0).reasonCode()).isEqualTo(ReasonCode.SERVER_SHUTTING_DOWN);
        assertThat(lost.get(0).describe()).contains("bye");

        CompletableFuture<PublishResult> later = client.publish("q/later", utf8("queued"), Qos.AT_LEAST_ONCE);
        FakeBroker.Conn second = broker.acceptAndConnAck(false, MqttProperties.EMPTY);
        Publish p = second.expect(Publish.class);
        assertThat(p.topic()).isEqualTo("q/later");
        second.send(new PubAck(p.packetId()));
        assertThat(get(later).isSuccess()).isTrue();
    }

    @Test
    void withoutSessionTheClientSubscribesAgainAndStillDeliversToTheListener() throws Exception {
        List<String> got = new CopyOnWriteArrayList<>();
        client = reconnecting("c-resub").build();
        CompletableFuture<ConnectResult> connected = client.connect();
        FakeBroker.Conn first = broker.acceptAndConnAck(false, MqttProperties.EMPTY);
        get(connected);
        CompletableFuture<SubscribeResult> s = client.subscribe("resub/#", Qos.AT_LEAST_ONCE, m -> got.add(m.topic()));
        Subscribe sub = first.expect(Subscribe.class);
        first.send(new SubAck(sub.packetId(), List.of(ReasonCode.GRANTED_QOS_1), MqttProperties.EMPTY));
        get(s);
        first.close();

        FakeBroker.Conn second = broker.acceptAndConnAck(false, MqttProperties.EMPTY);
        Subscribe again = second.expect(Subscribe.class);
        assertThat(again.subscriptions().get(0).topicFilter()).isEqualTo("resub/#");
        assertThat(again.subscriptions().get(0).qos()).isEqualTo(Qos.AT_LEAST_ONCE);
        second.send(new SubAck(again.packetId(), List.of(ReasonCode.GRANTED_QOS_1), MqttProperties.EMPTY));
        second.send(new Publish(false, Qos.AT_MOST_ONCE, false, "resub/x", 0, MqttProperties.EMPTY, utf8("x")));
        await().atMost(FakeBroker.TIMEOUT).until(() -> got.contains("resub/x"));
    }

    @Test
    void withoutReconnectALostConnectionFailsWhatWaits() throws Exception {
        client = broker.client("c-noreconnect").build();
        CompletableFuture<ConnectResult> connected = client.connect();
        FakeBroker.Conn c = broker.acceptAndConnAck(false, MqttProperties.EMPTY);
        get(connected);
        CompletableFuture<PublishResult> f = client.publish("x", utf8("x"), Qos.AT_LEAST_ONCE);
        c.expect(Publish.class);
        c.close();
        await().atMost(FakeBroker.TIMEOUT).until(f::isDone);
        assertThat(f).isCompletedExceptionally();
        assertThat(client.isConnected()).isFalse();
    }

    @Test
    void keepAliveSendsPingReqAndADeadBrokerIsDetected() throws Exception {
        client = reconnecting("c-keepalive").keepAlive(Duration.ofSeconds(1)).build();
        CompletableFuture<ConnectResult> connected = client.connect();
        FakeBroker.Conn c = broker.acceptAndConnAck(false, MqttProperties.EMPTY);
        assertThat(c.connect.keepAlive()).isEqualTo(1);
        get(connected);
        c.expect(PingReq.class);
        c.send(PingResp.INSTANCE);
        c.expect(PingReq.class); // answered, so the client keeps going and pings again
        assertThat(client.isConnected()).isTrue();
        // Now the broker stays silent: the client gives the connection up and reconnects.
        assertThat(c.awaitClosed()).as("client closed the dead connection").isTrue();
        await().atMost(FakeBroker.TIMEOUT).until(() -> !lost.isEmpty());
        assertThat(lost.get(0).cause()).hasMessageContaining("PINGREQ");
        FakeBroker.Conn second = broker.acceptAndConnAck(false, MqttProperties.EMPTY);
        assertThat(second.connect.clientId()).isEqualTo("c-keepalive");
        await().atMost(FakeBroker.TIMEOUT).until(client::isConnected);
    }

    @Test
    void serverKeepAliveOverridesTheClients() throws Exception {
        client = broker.client("c-server-keepalive").keepAlive(Duration.ofSeconds(600)).build();
        CompletableFuture<ConnectResult> connected = client.connect();
        FakeBroker.Conn c = broker.acceptAndConnAck(false, MqttProperties.builder().serverKeepAlive(1).build());
        get(connected);
        c.expect(PingReq.class);
    }

    @Test
    void disconnectStopsReconnectingAndCloseIsFinal() throws Exception {
        client = reconnecting("c-disconnect").build();
        CompletableFuture<ConnectResult> connected = client.connect();
        FakeBroker.Conn c = broker.acceptAndConnAck(false, MqttProperties.EMPTY);
        get(connected);
        CompletableFuture<Void> d = client.disconnect(ReasonCode.DISCONNECT_WITH_WILL_MESSAGE,
                MqttProperties.builder().sessionExpiryInterval(0L).build());
        Disconnect sent = c.expect(Disconnect.class);
        assertThat(sent.reasonCode()).isEqualTo(ReasonCode.DISCONNECT_WITH_WILL_MESSAGE);
        get(d);
        assertThat(c.awaitClosed()).isTrue();
        assertThat(lost).singleElement().satisfies(e -> {
            assertThat(e.byServer()).isFalse();
            assertThat(e.reconnecting()).isFalse();
        });
        // It connects again only when asked.
        CompletableFuture<ConnectResult> again = client.connect();
        FakeBroker.Conn second = broker.acceptAndConnAck(true, MqttProperties.EMPTY);
        assertThat(get(again).sessionPresent()).isTrue();
        client.close();
        assertThat(second.awaitClosed()).isTrue();
        assertThat(client.connect()).failsWithin(FakeBroker.TIMEOUT);
    }
}
