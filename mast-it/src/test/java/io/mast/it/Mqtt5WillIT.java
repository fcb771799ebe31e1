package io.mast.it;

import static io.mast.it.V5Clients.TIMEOUT;
import static io.mast.it.V5Clients.millisSince;
import static io.mast.it.V5Clients.pahoOptions;
import static io.mast.it.V5Clients.text;
import static io.mast.it.V5Clients.utf8;
import static io.mast.it.V5Clients.waitPassed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.disconnect.Mqtt5DisconnectReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import io.mast.codec.MqttProperties;
import io.mast.codec.MqttVersion;
import io.mast.codec.packet.ConnAck;
import io.mast.codec.packet.Connect;
import io.mast.testkit.MastBrokerExtension;
import io.mast.testkit.RawMqttClient;
import java.time.Duration;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Will messages of MQTT 5.0: Will Delay Interval (section 3.1.3.2.2) and DISCONNECT with or without the will. */
class Mqtt5WillIT {

    @RegisterExtension
    static final MastBrokerExtension broker = MastBrokerExtension.create();

    @RegisterExtension
    final V5Clients clients = new V5Clients(broker);

    private static MqttProperties willDelay(long seconds) {
        return MqttProperties.builder().willDelayInterval(seconds).build();
    }

    /** A connected HiveMQ subscriber of the filter and the stream of what it receives. */
    private Mqtt5BlockingClient.Mqtt5Publishes subscriber(String id, String filter) {
        Mqtt5BlockingClient sub = clients.hive(id);
        Mqtt5BlockingClient.Mqtt5Publishes received = sub.publishes(MqttGlobalPublishFilter.ALL);
        sub.connect();
        sub.subscribeWith().topicFilter(filter).qos(MqttQos.AT_LEAST_ONCE).send();
        return received;
    }

    @Test
    void willIsSentAfterItsDelayWhenTheClientDoesNotReturn() throws Exception {
        try (Mqtt5BlockingClient.Mqtt5Publishes received = subscriber("will-late-sub", "will/late")) {
            RawMqttClient c = clients.rawWithWill("will-late", 60, "will/late", "gone", willDelay(1));
            clients.vanish(c);
            long lostAt = System.nanoTime();

            Mqtt5Publish will = V5Clients.next(received);
            assertThat(text(will.getPayloadAsBytes())).isEqualTo("gone");
            assertThat(millisSince(lostAt)).as("not before the delay").isGreaterThanOrEqualTo(900);
        }
    }

    @Test
    void willIsNotSentWhenTheClientReturnsWithinTheDelay() throws Exception {
        try (Mqtt5BlockingClient.Mqtt5Publishes received = subscriber("will-back-sub", "will/back/+")) {
            RawMqttClient returning = clients.rawWithWill("will-back", 60, "will/back/returning", "gone",
                    willDelay(2));
            // A client with the same delay that does not return shows when the will would have come.
            RawMqttClient control = clients.rawWithWill("will-back-control", 60, "will/back/control", "gone",
                    willDelay(2));
            clients.vanish(returning);
            clients.vanish(control);

            RawMqttClient again = clients.raw();
            again.send(new Connect(MqttVersion.MQTT_5, false, 60, "will-back", null, null, null,
                    MqttProperties.builder().sessionExpiryInterval(60L).build()));
            assertThat(again.expect(ConnAck.class, TIMEOUT).sessionPresent()).isTrue();

            Mqtt5Publish first = V5Clients.next(received);
            assertThat(first.getTopic().toString()).as("MQTT-3.1.3-9").isEqualTo("will/back/control");
            await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2))
                    .until(() -> received.receiveNow().isEmpty());
        }
    }

    @Test
    void willIsSentWhenTheSessionEndsBeforeTheDelay() throws Exception {
        try (Mqtt5BlockingClient.Mqtt5Publishes received = subscriber("will-end-sub", "will/end")) {
            RawMqttClient c = clients.rawWithWill("will-end", 1, "will/end", "gone", willDelay(60));
            clients.vanish(c);
            long lostAt = System.nanoTime();

            Mqtt5Publish will = V5Clients.next(received);
            assertThat(text(will.getPayloadAsBytes())).isEqualTo("gone");
            assertThat(millisSince(lostAt)).as("at the end of the 1 s session, not at once")
                    .isGreaterThanOrEqualTo(900);
            // The broker ends the session before it publishes the will (Session.end), so no waiting is needed here.
            assertThat(clients.session("will-end")).as("the session ended before its will went out").isNull();
        }
    }

    @Test
    void willMessageExpiryCountsFromThePublicationOfTheWill() throws Exception {
        try (Mqtt5BlockingClient.Mqtt5Publishes received = subscriber("will-expiry-sub", "will/expiry")) {
            RawMqttClient c = clients.rawWithWill("will-expiry", 0, "will/expiry", "gone",
                    MqttProperties.builder().messageExpiryInterval(1L).build());
            long connectedAt = System.nanoTime();
            waitPassed(Duration.ofMillis(1100), connectedAt);
            clients.vanish(c);

            Mqtt5Publish will = V5Clients.next(received);
            assertThat(text(will.getPayloadAsBytes())).as("connected longer than the will's expiry, still sent")
                    .isEqualTo("gone");
            assertThat(will.getMessageExpiryInterval()).hasValue(1);
        }
    }

    @Test
    void disconnectWithWillMessageSendsTheWill() throws Exception {
        try (Mqtt5BlockingClient.Mqtt5Publishes received = subscriber("will-0x04-sub", "will/0x04")) {
            Mqtt5BlockingClient c = clients.hive("will-0x04");
            c.connectWith().willPublish().topic("will/0x04").qos(MqttQos.AT_LEAST_ONCE).payload(utf8("asked"))
                    .applyWillPublish().send();
            c.disconnectWith().reasonCode(Mqtt5DisconnectReasonCode.DISCONNECT_WITH_WILL_MESSAGE).send();

            assertThat(text(V5Clients.next(received).getPayloadAsBytes())).isEqualTo("asked");
        }
    }

    @Test
    void normalDisconnectDiscardsTheWill() throws Exception {
        try (Mqtt5BlockingClient.Mqtt5Publishes received = subscriber("will-normal-sub", "will/normal")) {
            V5Clients.Paho c = clients.paho("will-normal");
            MqttConnectionOptions o = pahoOptions();
            o.setWill("will/normal", new MqttMessage(utf8("unwanted"), 1, false, null));
            c.connect(o);
            c.disconnect();
            await().atMost(TIMEOUT).until(() -> clients.session("will-normal") == null);

            Mqtt5BlockingClient other = clients.hive("will-normal-other");
            other.connect();
            other.publishWith().topic("will/normal").qos(MqttQos.AT_LEAST_ONCE).payload(utf8("marker")).send();

            assertThat(text(V5Clients.next(received).getPayloadAsBytes())).as("MQTT-3.1.2-8").isEqualTo("marker");
        }
    }
}
