package io.mast.it;

import static io.mast.it.ListenerTesting.TIMEOUT;
import static io.mast.it.ListenerTesting.hiveTls;
import static io.mast.it.ListenerTesting.tls;
import static io.mast.it.ListenerTesting.websocket;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5ClientBuilder;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAck;
import io.mast.broker.config.ListenerConfig;
import io.mast.testkit.MastBrokerExtension;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Several listeners at once, each with its own transport, port and limits: TCP, TLS (at most one connection), WebSocket
 * (packets of at most 512 bytes, keep-alive of at most 30 s) and secure WebSocket. Messages cross every pair of
 * transports, and each listener's limits apply to its own clients only.
 */
class TlsAndWebSocketListenersIT {

    static final TestCertificates CERTS = TestCertificates.temporary();

    static final int TCP = 0;
    static final int TLS = 1;
    static final int WS = 2;
    static final int WSS = 3;

    @RegisterExtension
    static final MastBrokerExtension broker = MastBrokerExtension.withConfig(c -> c.withListeners(List.of(
            ListenerConfig.tcp("127.0.0.1", 0),
            ListenerConfig.builder("tls").certificate(CERTS.serverCert, CERTS.serverKey).maxConnections(1)
                    .maxPacketSize(1024).build(),
            ListenerConfig.builder("ws").maxPacketSize(512).maxKeepalive(30).build(),
            ListenerConfig.builder("wss").certificate(CERTS.serverCert, CERTS.serverKey).build())));

    @RegisterExtension
    final V5Clients clients = new V5Clients(broker);

    private UnaryOperator<Mqtt5ClientBuilder> on(int listener) {
        int port = broker.port(listener);
        return switch (listener) {
            case TLS -> tls(port, CERTS.ca, null);
            case WS -> websocket(port, "/mqtt");
            case WSS -> b -> websocket(port, "/mqtt").apply(b).sslConfig(hiveTls(CERTS.ca, null));
            default -> b -> b.serverPort(port);
        };
    }

    @Test
    void messagesCrossEveryPairOfTransports() throws Exception {
        int[] listeners = {TCP, TLS, WS, WSS};
        List<Mqtt5BlockingClient> all = new ArrayList<>();
        List<Mqtt5BlockingClient.Mqtt5Publishes> inboxes = new ArrayList<>();
        try {
            for (int l : listeners) {
                Mqtt5BlockingClient c = clients.hive("all-" + l, on(l));
                c.connect();
                inboxes.add(c.publishes(MqttGlobalPublishFilter.ALL));
                c.subscribeWith().topicFilter("all/#").qos(MqttQos.AT_LEAST_ONCE).send();
                all.add(c);
            }
            for (int i = 0; i < all.size(); i++) {
                all.get(i).publishWith().topic("all/from-" + listeners[i]).qos(MqttQos.AT_LEAST_ONCE)
                        .payload(V5Clients.utf8("hi")).send();
            }
            for (int i = 0; i < all.size(); i++) {
                Set<String> topics = new HashSet<>();
                for (int n = 0; n < listeners.length; n++) {
                    topics.add(V5Clients.next(inboxes.get(i)).getTopic().toString());
                }
                assertThat(topics).as("received on listener %d", listeners[i])
                        .containsExactlyInAnyOrder("all/from-0", "all/from-1", "all/from-2", "all/from-3");
            }
        } finally {
            inboxes.forEach(Mqtt5BlockingClient.Mqtt5Publishes::close);
        }
    }

    @Test
    void maxConnectionsCountsTheListenersOwnConnections() {
        long refusedBefore = clients.metric("connections.refused.limit");
        Mqtt5BlockingClient first = clients.hive("tls-first", on(TLS));
        first.connect();
        Mqtt5BlockingClient second = clients.hive("tls-second", on(TLS));
        assertThatThrownBy(second::connect).as("a second TLS connection is over the listener's maximum of 1");
        assertThat(clients.metric("connections.refused.limit")).isEqualTo(refusedBefore + 1);
        // Other listeners are not affected.
        for (int i = 0; i < 3; i++) {
            clients.hive("tcp-" + i, on(TCP)).connect();
        }
        clients.hive("ws-extra", on(WS)).connect();
        // Once the first leaves, there is room again.
        first.disconnect();
        await("room on the TLS listener").atMost(TIMEOUT).ignoreExceptions()
                .until(() -> clients.hive("tls-third", on(TLS)).connect() != null);
    }

    @Test
    void maxPacketSizeAndKeepAliveAreTheListenersOwn() {
        Mqtt5ConnAck ws = clients.hive("limits-ws", on(WS)).connectWith().keepAlive(60).send();
        assertThat(ws.getRestrictions().getMaximumPacketSize()).isEqualTo(512);
        assertThat(ws.getServerKeepAlive()).hasValue(30);

        Mqtt5ConnAck tcp = clients.hive("limits-tcp", on(TCP)).connectWith().keepAlive(60).send();
        assertThat(tcp.getRestrictions().getMaximumPacketSize()).isGreaterThan(1024 * 1024);
        assertThat(tcp.getServerKeepAlive()).isEmpty();
    }

    @Test
    void aPacketOverTheListenersMaximumClosesOnlyThatConnection() throws Exception {
        String big = "x".repeat(1000);
        try (V311Clients.Paho ws = new V311Clients.Paho("ws://127.0.0.1:" + broker.port(WS) + "/mqtt", "big-ws");
             V311Clients.Paho tcp = new V311Clients.Paho("tcp://127.0.0.1:" + broker.port(TCP), "big-tcp")) {
            ws.connect(V311Clients.options(true));
            tcp.connect(V311Clients.options(true));
            tcp.subscribe("big/#", 1);
            tcp.publish("big/tcp", big, 1, false);
            assertThat(tcp.next().payload()).hasSize(1000);
            ws.client.publish("big/ws", big.getBytes(), 0, false);
            assertThat(ws.awaitLost(TIMEOUT)).as("the WebSocket client over 512 bytes is disconnected").isTrue();
            tcp.publishMarker("big/marker");
            assertThat(tcp.until("big/marker")).as("nothing of the oversized packet was delivered").isEmpty();
        }
    }
}
