package io.mast.it;

import static io.mast.it.V5Clients.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;

import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5DisconnectException;
import com.hivemq.client.mqtt.mqtt5.message.disconnect.Mqtt5DisconnectReasonCode;
import io.mast.codec.MqttProperties;
import io.mast.codec.MqttVersion;
import io.mast.codec.ReasonCode;
import io.mast.codec.packet.Connect;
import io.mast.codec.packet.Disconnect;
import io.mast.testkit.MastBrokerExtension;
import io.mast.testkit.RawMqttClient;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Disconnections the broker starts: session taken over, shutdown, keep-alive timeout. A broker per test. */
class Mqtt5DisconnectIT {

    @RegisterExtension
    @Order(1)
    final MastBrokerExtension broker = MastBrokerExtension.create();

    @RegisterExtension
    @Order(2)
    final V5Clients clients = new V5Clients(broker);

    @Test
    void takenOverConnectionGetsDisconnectSessionTakenOver() throws Exception {
        V5Clients.Paho first = clients.paho("disc-takeover");
        first.connect();
        V5Clients.Paho second = clients.paho("disc-takeover");
        second.connect();

        MqttDisconnectResponse r = first.disconnected.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(r.getReturnCode()).isEqualTo(ReasonCode.SESSION_TAKEN_OVER.value());
        assertThat(r.getReasonString()).as("a reason string on the error").isNotBlank();
        assertThat(second.client.isConnected()).isTrue();
    }

    @Test
    void shutdownSendsServerShuttingDownToV5Clients() throws Exception {
        CompletableFuture<Throwable> hiveCause = new CompletableFuture<>();
        Mqtt5BlockingClient hive = clients.hive("disc-shutdown-hive",
                b -> b.addDisconnectedListener(ctx -> hiveCause.complete(ctx.getCause())));
        hive.connect();
        V5Clients.Paho paho = clients.paho("disc-shutdown-paho");
        paho.connect();

        broker.stop();

        Throwable cause = hiveCause.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(cause).isInstanceOf(Mqtt5DisconnectException.class);
        assertThat(((Mqtt5DisconnectException) cause).getMqttMessage().getReasonCode())
                .isEqualTo(Mqtt5DisconnectReasonCode.SERVER_SHUTTING_DOWN);
        assertThat(paho.disconnected.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).getReturnCode())
                .isEqualTo(ReasonCode.SERVER_SHUTTING_DOWN.value());
    }

    @Test
    void keepAliveTimeoutGetsDisconnectKeepAliveTimeout() throws Exception {
        int keepAlive = 1;
        RawMqttClient c = clients.raw(new Connect(MqttVersion.MQTT_5, true, keepAlive, "disc-keepalive", null, null,
                null, MqttProperties.EMPTY));
        long connectedAt = System.nanoTime();

        Disconnect d = c.expect(Disconnect.class, TIMEOUT);
        long silentMillis = V5Clients.millisSince(connectedAt);

        assertThat(d.reasonCode()).isEqualTo(ReasonCode.KEEP_ALIVE_TIMEOUT);
        assertThat(silentMillis).as("not before one and a half keep-alive periods (MQTT-3.1.2-22)")
                .isGreaterThanOrEqualTo(keepAlive * 1500L - 100);
        assertThat(c.awaitClosed(TIMEOUT)).isTrue();
    }

    /** Reads one MQTT packet (its fixed header and body) from a plain socket. */
    private static int readPacket(java.io.DataInputStream in) throws java.io.IOException {
        int type = in.readUnsignedByte();
        int length = 0;
        for (int shift = 0; ; shift += 7) {
            int b = in.readUnsignedByte();
            length |= (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                break;
            }
        }
        in.skipNBytes(length);
        return type >> 4;
    }

    @Test
    void aClientThatDoesNotReadIsClosedEvenWhenItsDisconnectCannotBeSent() throws Exception {
        try (java.net.Socket raw = new java.net.Socket()) {
            raw.setReceiveBufferSize(4096);
            raw.connect(new java.net.InetSocketAddress("127.0.0.1", broker.port()));
            var out = raw.getOutputStream();
            var in = new java.io.DataInputStream(raw.getInputStream());
            // CONNECT (MQTT 5.0, client id "r"), then SUBSCRIBE big/# at QoS 0
            out.write(new byte[] {0x10, 14, 0, 4, 'M', 'Q', 'T', 'T', 5, 2, 0, 60, 0, 0, 1, 'r'});
            assertThat(readPacket(in)).as("CONNACK").isEqualTo(2);
            out.write(new byte[] {(byte) 0x82, 11, 0, 1, 0, 0, 5, 'b', 'i', 'g', '/', '#', 0});
            assertThat(readPacket(in)).as("SUBACK").isEqualTo(9);

            // Fill the socket towards "r", which reads nothing more: the broker's writes to it stop going out.
            Mqtt5BlockingClient pub = clients.hive("disc-filler");
            pub.connect();
            byte[] payload = new byte[64 * 1024];
            for (int i = 0; i < 160; i++) {
                pub.publishWith().topic("big/x").payload(payload).send();
            }
            // A malformed PUBLISH (QoS 3): the broker answers DISCONNECT 0x81, which cannot get out behind the
            // unread messages, and must close the connection anyway.
            out.write(new byte[] {0x36, 6, 0, 1, 'a', 0, 1, 0});
            out.flush();
            org.awaitility.Awaitility.await().atMost(TIMEOUT).untilAsserted(() ->
                    assertThat(clients.metric("connections.current")).as("only the publisher").isEqualTo(1));
        }
    }
}
