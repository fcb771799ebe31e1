package io.mast.it;

import static io.mast.it.V5Clients.TIMEOUT;
import static io.mast.it.V5Clients.nextPublish;
import static io.mast.it.V5Clients.subscribe;
import static io.mast.it.V5Clients.text;
import static io.mast.it.V5Clients.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import io.mast.broker.session.Session;
import io.mast.codec.MqttProperties;
import io.mast.codec.MqttVersion;
import io.mast.codec.Qos;
import io.mast.codec.packet.PubAck;
import io.mast.codec.packet.Publish;
import io.mast.codec.packet.Subscription;
import io.mast.testkit.MastBrokerExtension;
import io.mast.testkit.RawMqttClient;
import java.time.Duration;
import java.util.Arrays;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** What a subscriber announces in CONNECT limits what the broker sends it: Receive Maximum, Maximum Packet Size. */
class Mqtt5FlowControlIT {

    @RegisterExtension
    static final MastBrokerExtension broker = MastBrokerExtension.create();

    @RegisterExtension
    final V5Clients clients = new V5Clients(broker);

    @Test
    void receiveMaximumLimitsUnacknowledgedMessagesToTheSubscriber() throws Exception {
        RawMqttClient sub = clients.raw("flow-rm-sub", MqttProperties.builder().receiveMaximum(2).build());
        subscribe(sub, 1, MqttProperties.EMPTY, new Subscription("flow/rm", Qos.AT_LEAST_ONCE));

        Mqtt5BlockingClient pub = clients.hive("flow-rm-pub");
        pub.connect();
        for (int i = 1; i <= 5; i++) {
            pub.publishWith().topic("flow/rm").qos(MqttQos.AT_LEAST_ONCE).payload(utf8("m" + i)).send();
        }

        Publish m1 = nextPublish(sub);
        Publish m2 = nextPublish(sub);
        Session s = clients.session("flow-rm-sub");
        await().atMost(TIMEOUT).until(() -> s.inflightCount() == 2 && s.queuedCount() == 3);
        assertThat(sub.read(Duration.ofMillis(300))).as("nothing beyond the Receive Maximum").isNull();

        sub.send(new PubAck(m1.packetId()));
        Publish m3 = nextPublish(sub);
        assertThat(text(m3.payload())).isEqualTo("m3");
        assertThat(sub.read(Duration.ofMillis(300))).as("one acknowledgement frees one slot").isNull();

        sub.send(new PubAck(m2.packetId()));
        sub.send(new PubAck(m3.packetId()));
        assertThat(text(nextPublish(sub).payload())).isEqualTo("m4");
        assertThat(text(nextPublish(sub).payload())).isEqualTo("m5");
        assertThat(text(m1.payload()) + text(m2.payload())).isEqualTo("m1m2");
    }

    @Test
    void messageLargerThanTheSubscribersMaximumPacketSizeIsNotSent() throws Exception {
        Mqtt5BlockingClient sub = clients.hive("flow-mps-sub");
        try (Mqtt5BlockingClient.Mqtt5Publishes received = sub.publishes(MqttGlobalPublishFilter.ALL)) {
            sub.connectWith().restrictions().maximumPacketSize(256).applyRestrictions().send();
            sub.subscribeWith().topicFilter("flow/mps").qos(MqttQos.AT_LEAST_ONCE).send();
            long droppedBefore = clients.metric("messages.dropped.too_large");

            V5Clients.Paho pub = clients.paho("flow-mps-pub");
            pub.connect();
            byte[] large = new byte[1000];
            Arrays.fill(large, (byte) 'x');
            pub.publish("flow/mps", new MqttMessage(large, 1, false, null));
            pub.publish("flow/mps", new MqttMessage(large, 0, false, null));
            pub.publish("flow/mps", "small", 1, false);

            assertThat(text(V5Clients.next(received).getPayloadAsBytes())).as("only the message that fits")
                    .isEqualTo("small");
            assertThat(clients.metric("messages.dropped.too_large")).isEqualTo(droppedBefore + 2);
            assertThat(sub.getState().isConnected()).isTrue();
        }
    }

    @Test
    void topicAliasNeverPushesAPacketBeyondTheMaximumPacketSize() throws Exception {
        String topic = "flow/edge/a-longer-topic-name";
        byte[] payload = utf8("p".repeat(100));
        int withoutAlias = RawMqttClient.encode(new Publish(false, Qos.AT_LEAST_ONCE, false, topic, 1,
                MqttProperties.EMPTY, payload), MqttVersion.MQTT_5).length;
        RawMqttClient sub = clients.raw("flow-edge-sub", MqttProperties.builder().topicAliasMaximum(5)
                .maximumPacketSize((long) withoutAlias).build());
        subscribe(sub, 1, MqttProperties.EMPTY, new Subscription(topic, Qos.AT_LEAST_ONCE));

        V5Clients.Paho pub = clients.paho("flow-edge-pub");
        pub.connect();
        pub.publish(topic, new MqttMessage(payload, 1, false, null));

        Publish p = nextPublish(sub);
        assertThat(RawMqttClient.encode(p, MqttVersion.MQTT_5).length).as("MQTT-3.1.2-24")
                .isLessThanOrEqualTo(withoutAlias);
        assertThat(p.topic()).isEqualTo(topic);
        assertThat(p.payload()).isEqualTo(payload);
    }
}
