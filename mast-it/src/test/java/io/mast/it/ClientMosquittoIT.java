package io.mast.it;

import static io.mast.it.ClientTesting.TIMEOUT;
import static io.mast.it.ClientTesting.await;
import static io.mast.it.ClientTesting.client;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.mast.client.ConnectResult;
import io.mast.client.MastClient;
import io.mast.client.MqttMessage;
import io.mast.client.PacketListener;
import io.mast.client.PublishResult;
import io.mast.client.TlsOptions;
import io.mast.codec.MqttVersion;
import io.mast.codec.Qos;
import io.mast.codec.ReasonCode;
import io.mast.codec.packet.MqttPacket;
import io.mast.codec.packet.PubRel;
import io.mast.codec.packet.Publish;
import io.mast.it.ClientTesting.Events;
import io.mast.it.ClientTesting.Inbox;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Mast's client against a real Mosquitto (Debian's 2.0): every QoS both ways on 3.1.1 and 5.0, reconnect after a
 * broker restart, session resume with redelivery, TLS with client certificates, WebSocket and secure WebSocket.
 */
class ClientMosquittoIT {

    @TempDir
    static Path dir;
    static TestCertificates certs;
    static MosquittoBroker mosquitto;
    private final List<MastClient> clients = new ArrayList<>();

    @BeforeAll
    static void startMosquitto() throws Exception {
        MosquittoBroker.binary();
        certs = TestCertificates.create(dir);
        mosquitto = MosquittoBroker.start(dir, new MosquittoBroker.Options().websocket()
                .tls(certs.caCert, certs.serverCert, certs.serverKey, true).websocketTls());
    }

    @AfterAll
    static void stopMosquitto() throws InterruptedException {
        if (mosquitto != null) {
            mosquitto.close();
        }
    }

    @AfterEach
    void closeClients() {
        clients.forEach(MastClient::close);
    }

    private MastClient track(MastClient c) {
        clients.add(c);
        return c;
    }

    @ParameterizedTest(name = "MQTT {0}, QoS {1}")
    @CsvSource({"MQTT_5, 0", "MQTT_5, 1", "MQTT_5, 2", "MQTT_3_1_1, 0", "MQTT_3_1_1, 1", "MQTT_3_1_1, 2"})
    void everyQosBothWays(MqttVersion version, int level) throws Exception {
        Qos qos = Qos.ofLevel(level);
        String topic = "mosq/qos/" + version + "/" + level;
        Inbox inbox = new Inbox();
        MastClient sub = track(client(mosquitto.port, "sub-" + version + level, version).build());
        MastClient pub = track(client(mosquitto.port, "pub-" + version + level, version).build());
        await(sub.connect());
        await(pub.connect());
        assertThat(await(sub.subscribe(topic, qos, inbox)).reasonCodes()).singleElement()
                .extracting(rc -> rc.value()).isEqualTo(level);
        List<CompletableFuture<PublishResult>> results = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            results.add(pub.publish(MqttMessage.builder(topic).payload("m" + i).qos(qos).build()));
        }
        for (CompletableFuture<PublishResult> r : results) {
            assertThat(await(r).isSuccess()).isTrue();
        }
        List<MqttMessage> got = inbox.next(20);
        assertThat(got).extracting(MqttMessage::payloadAsString)
                .containsExactlyElementsOf(java.util.stream.IntStream.range(0, 20).mapToObj(i -> "m" + i).toList());
        assertThat(got).allMatch(m -> m.qos() == qos && m.topic().equals(topic) && !m.retain());
    }

    @Test
    void reconnectsAfterMosquittoRestartsAndSubscribesAgain(@TempDir Path own) throws Exception {
        try (MosquittoBroker restarting = MosquittoBroker.start(own, new MosquittoBroker.Options())) {
            Events events = new Events();
            Inbox inbox = new Inbox();
            MastClient sub = track(client(restarting.port, "restart-sub", MqttVersion.MQTT_5)
                    .automaticReconnect(Duration.ofMillis(50), Duration.ofMillis(200))
                    .sessionExpiry(Duration.ofMinutes(5))
                    .connectionListener(events).build());
            await(sub.connect());
            await(sub.subscribe("restart/#", Qos.AT_LEAST_ONCE, inbox));
            restarting.restart(); // persistence false: the session is gone
            await().atMost(TIMEOUT).until(() -> events.connected.size() == 2);
            assertThat(events.disconnected).hasSize(1);
            assertThat(events.disconnected.get(0).reconnecting()).isTrue();
            assertThat(events.connected.get(1).sessionPresent()).isFalse();
            try (MastClient pub = client(restarting.port, "restart-pub", MqttVersion.MQTT_5).build()) {
                await(pub.connect());
                // The subscription is made again right after CONNACK; a retained message shows it once it is in place.
                await(pub.publish(MqttMessage.builder("restart/after").payload("again").qos(1).retain(true).build()));
                MqttMessage m = inbox.next();
                assertThat(m.topic()).isEqualTo("restart/after");
                assertThat(m.payloadAsString()).isEqualTo("again");
            }
        }
    }

    @ParameterizedTest(name = "MQTT {0}")
    @EnumSource(value = MqttVersion.class, names = {"MQTT_5", "MQTT_3_1_1"})
    void resumedSessionGetsUnacknowledgedPublishesAndPubRelAgain(MqttVersion version) throws Exception {
        String topic = "mosq/resume/" + version;
        try (MqttProxy proxy = new MqttProxy(mosquitto.port)) {
            Inbox inbox = new Inbox();
            MastClient sub = track(client(mosquitto.port, "resume-sub-" + version, version).build());
            await(sub.connect());
            await(sub.subscribe(topic + "/#", Qos.EXACTLY_ONCE, inbox));

            List<MqttPacket> sent = new CopyOnWriteArrayList<>();
            Events events = new Events();
            MastClient pub = track(client(proxy.port(), "resume-pub-" + version, version)
                    .cleanStart(false).sessionExpiry(Duration.ofMinutes(5))
                    .automaticReconnect(Duration.ofMillis(50), Duration.ofMillis(200))
                    .connectionListener(events)
                    .packetListener(new PacketListener() {
                        @Override
                        public void sent(MqttPacket packet) {
                            sent.add(packet);
                        }
                    }).build());
            await(pub.connect());
            proxy.drop(MqttProxy.PUBACK, MqttProxy.PUBCOMP);
            CompletableFuture<PublishResult> q1 = pub.publish(topic + "/1", "at least once", Qos.AT_LEAST_ONCE);
            CompletableFuture<PublishResult> q2 = pub.publish(topic + "/2", "exactly once", Qos.EXACTLY_ONCE);
            List<MqttMessage> first = inbox.next(2);
            assertThat(first).extracting(MqttMessage::payloadAsString).containsExactly("at least once", "exactly once");
            await().atMost(TIMEOUT).until(() -> proxy.dropped() == 2); // the PUBACK and the PUBCOMP
            assertThat(q1).isNotDone();
            assertThat(q2).isNotDone();

            proxy.dropNothing();
            proxy.cut();
            assertThat(await(q1).reasonCode()).isEqualTo(ReasonCode.SUCCESS);
            assertThat(await(q2).reasonCode()).isEqualTo(ReasonCode.SUCCESS);
            assertThat(events.connected).hasSize(2);
            assertThat(events.connected.get(1).sessionPresent()).as("Mosquitto kept the session").isTrue();
            int id1 = sent.stream().filter(p -> p instanceof Publish x && !x.dup() && x.topic().endsWith("/1"))
                    .map(p -> ((Publish) p).packetId()).findFirst().orElseThrow();
            int id2 = sent.stream().filter(p -> p instanceof Publish x && !x.dup() && x.topic().endsWith("/2"))
                    .map(p -> ((Publish) p).packetId()).findFirst().orElseThrow();
            assertThat(sent).anySatisfy(p -> {
                assertThat(p).isInstanceOf(Publish.class);
                assertThat(((Publish) p).dup()).isTrue();
                assertThat(((Publish) p).packetId()).isEqualTo(id1);
            });
            assertThat(sent.stream().filter(p -> p instanceof PubRel r && r.packetId() == id2).count())
                    .as("PUBREL sent before and after the reconnect").isEqualTo(2);

            // QoS 2 reached the subscriber once; the QoS 1 resend may arrive a second time.
            try (MastClient marker = client(mosquitto.port, "resume-marker-" + version, version).build()) {
                await(marker.connect());
                await(marker.publish(topic + "/end", "end", Qos.EXACTLY_ONCE));
            }
            List<MqttMessage> rest = inbox.until(topic + "/end");
            assertThat(rest).extracting(MqttMessage::payloadAsString).doesNotContain("exactly once")
                    .allMatch(p -> p.equals("at least once"));
        }
    }

    @Test
    void messagesQueuedWhileOfflineArriveWhenThePersistentSessionResumes() throws Exception {
        try (MqttProxy proxy = new MqttProxy(mosquitto.port)) {
            Inbox inbox = new Inbox();
            Events events = new Events();
            MastClient sub = track(client(proxy.port(), "offline-sub", MqttVersion.MQTT_3_1_1).cleanStart(false)
                    .automaticReconnect(Duration.ofMillis(50), Duration.ofMillis(200)).connectionListener(events).build());
            await(sub.connect());
            await(sub.subscribe("offline/#", Qos.AT_LEAST_ONCE, inbox));
            proxy.refuse(true);
            proxy.cut();
            await().atMost(TIMEOUT).until(() -> events.disconnected.size() == 1);
            try (MastClient pub = client(mosquitto.port, "offline-pub", MqttVersion.MQTT_3_1_1).build()) {
                await(pub.connect());
                for (int i = 0; i < 3; i++) {
                    await(pub.publish("offline/" + i, "while away " + i, Qos.AT_LEAST_ONCE));
                }
            }
            proxy.refuse(false);
            assertThat(inbox.next(3)).extracting(MqttMessage::payloadAsString)
                    .containsExactly("while away 0", "while away 1", "while away 2");
            assertThat(events.connected.get(events.connected.size() - 1).sessionPresent()).isTrue();
        }
    }

    @Test
    void tlsWithAClientCertificate() throws Exception {
        Inbox inbox = new Inbox();
        TlsOptions tls = TlsOptions.caFile(certs.caCert).withClientCertificate(certs.clientCert, certs.clientKey);
        MastClient c = track(client(mosquitto.tlsPort, "tls-client", MqttVersion.MQTT_5).tls(tls).build());
        await(c.connect());
        await(c.subscribe("tls/#", Qos.AT_LEAST_ONCE, inbox));
        await(c.publish("tls/echo", "over TLS", Qos.AT_LEAST_ONCE));
        assertThat(inbox.next().payloadAsString()).isEqualTo("over TLS");

        MastClient anonymous = track(client(mosquitto.tlsPort, "tls-nocert", MqttVersion.MQTT_5)
                .tls(TlsOptions.caFile(certs.caCert)).build());
        assertThatThrownBy(() -> await(anonymous.connect())).as("Mosquitto requires a client certificate")
                .hasRootCauseInstanceOf(Exception.class);
        assertThat(anonymous.isConnected()).isFalse();

        MastClient untrusting = track(client(mosquitto.tlsPort, "tls-untrusted", MqttVersion.MQTT_5)
                .tls(TlsOptions.system().withClientCertificate(certs.clientCert, certs.clientKey)).build());
        assertThatThrownBy(() -> await(untrusting.connect())).hasMessageContaining("TLS handshake failed");
    }

    @Test
    void webSocketAndSecureWebSocket() throws Exception {
        Inbox inbox = new Inbox();
        MastClient ws = track(client(mosquitto.websocketPort, "ws-client", MqttVersion.MQTT_5)
                .websocket("/mqtt").build());
        ConnectResult r = await(ws.connect());
        assertThat(r.reasonCode().isError()).isFalse();
        await(ws.subscribe("ws/#", Qos.EXACTLY_ONCE, inbox));
        await(ws.publish("ws/1", "over WebSocket", Qos.EXACTLY_ONCE));
        assertThat(inbox.next().payloadAsString()).isEqualTo("over WebSocket");

        MastClient wss = track(MastClient.builder().uri("wss://127.0.0.1:" + mosquitto.websocketTlsPort + "/mqtt")
                .clientId("wss-client").connectTimeout(TIMEOUT)
                .tls(TlsOptions.caFile(certs.caCert).withClientCertificate(certs.clientCert, certs.clientKey))
                .version(MqttVersion.MQTT_3_1_1).build());
        await(wss.connect());
        byte[] big = new byte[200_000]; // more than one WebSocket frame's worth on the way in
        java.util.Arrays.fill(big, (byte) 'x');
        await(wss.publish(MqttMessage.builder("ws/big").payload(big).qos(1).build()));
        MqttMessage m = inbox.next();
        assertThat(m.topic()).isEqualTo("ws/big");
        assertThat(m.payload()).hasSize(200_000);
    }
}
