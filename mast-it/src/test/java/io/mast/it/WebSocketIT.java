package io.mast.it;

import static io.mast.it.ListenerTesting.TIMEOUT;
import static io.mast.it.ListenerTesting.hiveTls;
import static io.mast.it.ListenerTesting.pahoTls;
import static io.mast.it.ListenerTesting.websocket;
import static org.assertj.core.api.Assertions.assertThat;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import io.mast.broker.config.ListenerConfig;
import io.mast.codec.MqttProperties;
import io.mast.codec.MqttVersion;
import io.mast.codec.Qos;
import io.mast.codec.ReasonCode;
import io.mast.codec.packet.ConnAck;
import io.mast.codec.packet.PingReq;
import io.mast.codec.packet.PingResp;
import io.mast.codec.packet.Publish;
import io.mast.codec.packet.SubAck;
import io.mast.codec.packet.Subscribe;
import io.mast.codec.packet.Subscription;
import io.mast.it.ListenerTesting.HttpResponse;
import io.mast.it.ListenerTesting.RawWebSocket;
import io.mast.testkit.MastBrokerExtension;
import io.mast.testkit.RawMqttClient;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * WebSocket listeners ({@code ws}, {@code wss}) as browsers and libraries use them: the HiveMQ client and Paho (3.1.1
 * over {@code ws://}, 5.0 over {@code wss://}) publish and receive; the handshake selects the subprotocol
 * {@code mqtt}, other paths get 404, a plain HTTP request 400 and a browser origin that is not allowed 403; a packet
 * may span frames and a frame may hold several packets; a text frame closes the connection (MQTT-6.0.0-1).
 */
class WebSocketIT {

    static final TestCertificates CERTS = TestCertificates.temporary();

    static final int TCP = 0;
    static final int WS = 1;
    static final int WS_ORIGINS = 2;
    static final int WSS = 3;

    @RegisterExtension
    static final MastBrokerExtension broker = MastBrokerExtension.withConfig(c -> c.withListeners(List.of(
            ListenerConfig.tcp("127.0.0.1", 0),
            ListenerConfig.builder("ws").build(),
            ListenerConfig.builder("ws").name("browsers").path("/custom/mqtt")
                    .allowedOrigins(List.of("https://app.example.com")).build(),
            ListenerConfig.builder("wss").certificate(CERTS.serverCert, CERTS.serverKey).build())));

    @RegisterExtension
    final V5Clients clients = new V5Clients(broker);

    private void roundTrip(Mqtt5BlockingClient sub, String topic) throws Exception {
        sub.connect();
        try (Mqtt5BlockingClient.Mqtt5Publishes publishes = sub.publishes(MqttGlobalPublishFilter.ALL)) {
            sub.subscribeWith().topicFilter(topic).qos(MqttQos.AT_LEAST_ONCE).send();
            Mqtt5BlockingClient pub = clients.hive(topic.replace('/', '-') + "-pub");
            pub.connect();
            pub.publishWith().topic(topic).qos(MqttQos.AT_LEAST_ONCE).payload(V5Clients.utf8("over websocket")).send();
            assertThat(V5Clients.text(V5Clients.next(publishes).getPayloadAsBytes())).isEqualTo("over websocket");
        }
    }

    @Test
    void hiveMqMqtt5OverWebSocket() throws Exception {
        roundTrip(clients.hive("ws-hive", websocket(broker.port(WS), "/mqtt")), "ws/hive");
    }

    @Test
    void hiveMqMqtt5OverSecureWebSocket() throws Exception {
        roundTrip(clients.hive("wss-hive", b -> websocket(broker.port(WSS), "/mqtt").apply(b)
                .sslConfig(hiveTls(CERTS.ca, null))), "wss/hive");
    }

    @Test
    void pahoV311OverWebSocket() throws Exception {
        try (V311Clients.Paho paho = new V311Clients.Paho("ws://127.0.0.1:" + broker.port(WS) + "/mqtt", "ws-paho")) {
            paho.connect(V311Clients.options(true));
            assertThat(paho.subscribe("ws/paho", 2)).isEqualTo(2);
            for (int qos = 0; qos <= 2; qos++) {
                paho.publish("ws/paho", "qos " + qos, qos, false);
                assertThat(paho.next().payload()).isEqualTo("qos " + qos);
            }
        }
    }

    @Test
    void pahoV5OverSecureWebSocket() throws Exception {
        V5Clients.Paho paho = clients.paho("wss://127.0.0.1:" + broker.port(WSS) + "/mqtt", "wss-paho");
        MqttConnectionOptions o = V5Clients.pahoOptions();
        o.setSocketFactory(pahoTls(CERTS.ca, null));
        paho.connect(o);
        paho.subscribe("wss/paho", 1);
        paho.publish("wss/paho", "secure", 1, false);
        assertThat(paho.next().payload()).isEqualTo("secure");
    }

    @Test
    void theHandshakeSelectsTheMqttSubprotocol() throws Exception {
        try (RawWebSocket ws = RawWebSocket.open(broker.port(WS), "/mqtt",
                Map.of("Sec-WebSocket-Protocol", "chat, mqtt"), MqttVersion.MQTT_3_1_1)) {
            assertThat(ws.handshake.status()).isEqualTo(101);
            assertThat(ws.handshake.headers()).containsEntry("sec-websocket-protocol", "mqtt");
        }
        // A query string does not change the path (browsers may carry a token in it).
        try (RawWebSocket ws = RawWebSocket.open(broker.port(WS), "/mqtt?token=abc", Map.of(), MqttVersion.MQTT_3_1_1)) {
            assertThat(ws.handshake.status()).isEqualTo(101);
        }
    }

    @Test
    void otherPathsGet404AndPlainHttpGets400() throws Exception {
        for (String path : List.of("/", "/other", "/mqtt/more", "/custom/mqtt")) {
            try (RawWebSocket ws = RawWebSocket.open(broker.port(WS), path, Map.of(), MqttVersion.MQTT_3_1_1)) {
                assertThat(ws.handshake.status()).as("status for %s", path).isEqualTo(404);
                assertThat(ws.awaitClosed(TIMEOUT)).as("closed after 404").isTrue();
            }
        }
        HttpResponse plain = RawWebSocket.http(broker.port(WS), "GET /mqtt HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
        assertThat(plain.status()).isEqualTo(400);
        assertThat(plain.body()).contains("WebSocket");
        HttpResponse custom = RawWebSocket.http(broker.port(WS_ORIGINS), "GET /mqtt HTTP/1.1\r\nHost: x\r\n\r\n");
        assertThat(custom.status()).as("the browsers listener is at /custom/mqtt").isEqualTo(404);
    }

    @Test
    void anMqttClientOnAWebSocketPortIsClosed() throws Exception {
        try (RawMqttClient raw = RawMqttClient.connect(broker.port(WS), MqttVersion.MQTT_3_1_1)) {
            raw.send(V311Clients.connect("tcp-on-ws", true, 30, null));
            assertThat(raw.awaitClosed(TIMEOUT)).isTrue();
        }
    }

    @Test
    void browserOriginsAreCheckedWhereTheListenerListsThem() throws Exception {
        Map<String, Integer> expected = Map.of("https://app.example.com", 101, "HTTPS://APP.EXAMPLE.COM", 101,
                "https://evil.example.com", 403, "http://app.example.com", 403);
        for (Map.Entry<String, Integer> e : expected.entrySet()) {
            try (RawWebSocket ws = RawWebSocket.open(broker.port(WS_ORIGINS), "/custom/mqtt",
                    Map.of("Origin", e.getKey()), MqttVersion.MQTT_3_1_1)) {
                assertThat(ws.handshake.status()).as("status for origin %s", e.getKey()).isEqualTo(e.getValue());
            }
        }
        // Without an Origin header the request does not come from a browser page.
        try (RawWebSocket ws = RawWebSocket.connect(broker.port(WS_ORIGINS), "/custom/mqtt", MqttVersion.MQTT_3_1_1)) {
            ws.send(V311Clients.connect("no-origin", true, 30, null), MqttVersion.MQTT_3_1_1);
            assertThat(ws.expect(ConnAck.class).reasonCode()).isEqualTo(ReasonCode.SUCCESS);
        }
        // A listener without allowed_origins takes every origin.
        try (RawWebSocket ws = RawWebSocket.open(broker.port(WS), "/mqtt", Map.of("Origin", "https://evil.example.com"),
                MqttVersion.MQTT_3_1_1)) {
            assertThat(ws.handshake.status()).isEqualTo(101);
        }
    }

    @Test
    void aPacketMaySpanFramesAndAFrameMayHoldSeveralPackets() throws Exception {
        MqttVersion v = MqttVersion.MQTT_3_1_1;
        try (RawWebSocket ws = RawWebSocket.connect(broker.port(WS), "/mqtt", v)) {
            // CONNECT as one fragmented message: a binary frame and two continuations.
            byte[] connect = RawMqttClient.encode(V311Clients.connect("frames", true, 30, null), v);
            int third = connect.length / 3;
            ws.frame(RawWebSocket.BINARY, false, Arrays.copyOfRange(connect, 0, third))
                    .frame(RawWebSocket.CONTINUATION, false, Arrays.copyOfRange(connect, third, 2 * third))
                    .frame(RawWebSocket.CONTINUATION, true, Arrays.copyOfRange(connect, 2 * third, connect.length));
            assertThat(ws.expect(ConnAck.class).reasonCode()).isEqualTo(ReasonCode.SUCCESS);

            // SUBSCRIBE across two separate binary messages, cut inside its fixed header.
            byte[] subscribe = RawMqttClient.encode(new Subscribe(1, List.of(new Subscription("frames/#",
                    Qos.AT_MOST_ONCE)), MqttProperties.EMPTY), v);
            ws.binary(Arrays.copyOfRange(subscribe, 0, 1)).binary(Arrays.copyOfRange(subscribe, 1, subscribe.length));
            assertThat(ws.expect(SubAck.class).packetId()).isEqualTo(1);

            // Two PUBLISH and a PINGREQ in one frame.
            byte[] batch = RawProtocol.cat(
                    RawMqttClient.encode(V311Clients.publish("frames/a", "first", Qos.AT_MOST_ONCE, 0, false, false), v),
                    RawMqttClient.encode(V311Clients.publish("frames/b", "second", Qos.AT_MOST_ONCE, 0, false, false), v),
                    RawMqttClient.encode(new PingReq(), v));
            ws.binary(batch);
            Map<String, String> got = new HashMap<>();
            for (int i = 0; i < 2; i++) {
                Publish p = ws.expect(Publish.class);
                got.put(p.topic(), new String(p.payload(), java.nio.charset.StandardCharsets.UTF_8));
            }
            assertThat(got).containsExactlyInAnyOrderEntriesOf(Map.of("frames/a", "first", "frames/b", "second"));
            ws.expect(PingResp.class);
        }
    }

    @Test
    void aTextFrameClosesTheConnectionWith1003() throws Exception {
        try (RawWebSocket ws = RawWebSocket.connect(broker.port(WS), "/mqtt", MqttVersion.MQTT_3_1_1)) {
            ws.send(V311Clients.connect("text-frame", true, 30, null), MqttVersion.MQTT_3_1_1);
            ws.expect(ConnAck.class);
            ws.frame(RawWebSocket.TEXT, true, "hello".getBytes(java.nio.charset.StandardCharsets.UTF_8));
            assertThat(ws.awaitClosed(TIMEOUT)).isTrue();
            assertThat(ws.closeStatus).isEqualTo(1003);
        }
        V311Clients.awaitNoSession(broker, "text-frame");
    }
}
