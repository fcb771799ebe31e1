package io.mast.it;

import static io.mast.it.V5Clients.nextPublish;
import static io.mast.it.V5Clients.subscribe;
import static io.mast.it.V5Clients.text;
import static io.mast.it.V5Clients.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.Mqtt5RetainHandling;
import io.mast.codec.MqttProperties;
import io.mast.codec.Qos;
import io.mast.codec.packet.PubAck;
import io.mast.codec.packet.Publish;
import io.mast.codec.packet.Subscription;
import io.mast.testkit.MastBrokerExtension;
import io.mast.testkit.RawMqttClient;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Subscription options and identifiers of MQTT 5.0 (section 3.8.3.1): No Local, Retain As Published, Retain Handling,
 * Subscription Identifier. Where a message must not arrive, a later message on the same path must arrive first.
 */
class Mqtt5SubscriptionIT {

    @RegisterExtension
    static final MastBrokerExtension broker = MastBrokerExtension.create();

    @RegisterExtension
    final V5Clients clients = new V5Clients(broker);

    private static org.eclipse.paho.mqttv5.common.packet.MqttProperties subscriptionId(int id) {
        org.eclipse.paho.mqttv5.common.packet.MqttProperties p = new org.eclipse.paho.mqttv5.common.packet.MqttProperties();
        p.setSubscriptionIdentifier(id);
        return p;
    }

    private Mqtt5BlockingClient publisher(String id) {
        Mqtt5BlockingClient pub = clients.hive(id);
        pub.connect();
        return pub;
    }

    private static void publish(Mqtt5BlockingClient c, String topic, String payload, boolean retain) {
        c.publishWith().topic(topic).qos(MqttQos.AT_LEAST_ONCE).retain(retain).payload(utf8(payload)).send();
    }

    @Test
    void deliveredMessageCarriesTheSubscriptionIdentifier() throws Exception {
        Mqtt5BlockingClient pub = publisher("subid-one-pub");
        publish(pub, "subid/one/kept", "retained", true);
        V5Clients.Paho sub = clients.paho("subid-one");
        sub.connect();
        sub.subscribe(subscriptionId(7), new MqttSubscription("subid/one/#", 1));

        V5Clients.Received retained = sub.next();
        assertThat(retained.payload()).isEqualTo("retained");
        assertThat(retained.message().getProperties().getSubscriptionIdentifiers()).containsExactly(7);

        publish(pub, "subid/one/x", "hello", false);
        V5Clients.Received r = sub.next();
        assertThat(r.payload()).isEqualTo("hello");
        assertThat(r.message().getProperties().getSubscriptionIdentifiers()).containsExactly(7);
    }

    @Test
    void overlappingSubscriptionsGiveOneCopyWithAllIdentifiers() throws Exception {
        RawMqttClient sub = clients.raw("subid-two", MqttProperties.EMPTY);
        subscribe(sub, 1, MqttProperties.builder().addSubscriptionIdentifier(1).build(),
                new Subscription("subid/two/#", Qos.AT_LEAST_ONCE));
        subscribe(sub, 2, MqttProperties.builder().addSubscriptionIdentifier(2).build(),
                new Subscription("subid/two/+", Qos.AT_MOST_ONCE));
        subscribe(sub, 3, MqttProperties.EMPTY, new Subscription("subid/+/x", Qos.AT_LEAST_ONCE));

        Mqtt5BlockingClient pub = publisher("subid-two-pub");
        publish(pub, "subid/two/x", "both", false);
        publish(pub, "subid/two/y", "next", false);

        Publish first = nextPublish(sub);
        assertThat(text(first.payload())).isEqualTo("both");
        assertThat(first.qos()).as("the highest QoS granted by the matching subscriptions").isEqualTo(Qos.AT_LEAST_ONCE);
        assertThat(first.properties().subscriptionIdentifiers()).containsExactlyInAnyOrder(1, 2);
        sub.send(new PubAck(first.packetId()));
        Publish second = nextPublish(sub);
        assertThat(text(second.payload())).as("one copy only (MQTT-3.3.4-2)").isEqualTo("next");
        assertThat(second.properties().subscriptionIdentifiers()).containsExactlyInAnyOrder(1, 2);
    }

    @Test
    void noLocalKeepsAClientsOwnMessagesFromIt() throws Exception {
        Mqtt5BlockingClient c = clients.hive("nolocal-self");
        try (Mqtt5BlockingClient.Mqtt5Publishes received = c.publishes(MqttGlobalPublishFilter.ALL)) {
            c.connect();
            c.subscribeWith().topicFilter("nolocal/t").qos(MqttQos.AT_LEAST_ONCE).noLocal(true).send();

            publish(c, "nolocal/t", "own", false);
            publish(publisher("nolocal-other"), "nolocal/t", "other", false);

            assertThat(text(V5Clients.next(received).getPayloadAsBytes())).isEqualTo("other");
        }
    }

    @Test
    void retainHandling0SendsRetainedMessagesOnEverySubscribe() throws Exception {
        publish(publisher("rh0-pub"), "rh0/t", "kept", true);
        Mqtt5BlockingClient sub = clients.hive("rh0-sub");
        try (Mqtt5BlockingClient.Mqtt5Publishes received = sub.publishes(MqttGlobalPublishFilter.ALL)) {
            sub.connect();
            for (int i = 0; i < 2; i++) {
                sub.subscribeWith().topicFilter("rh0/t").qos(MqttQos.AT_LEAST_ONCE)
                        .retainHandling(Mqtt5RetainHandling.SEND).send();
                Mqtt5Publish m = V5Clients.next(received);
                assertThat(text(m.getPayloadAsBytes())).isEqualTo("kept");
                assertThat(m.isRetain()).isTrue();
            }
        }
    }

    @Test
    void retainHandling1SendsRetainedMessagesOnlyForANewSubscription() throws Exception {
        Mqtt5BlockingClient pub = publisher("rh1-pub");
        publish(pub, "rh1/t", "kept", true);
        Mqtt5BlockingClient sub = clients.hive("rh1-sub");
        try (Mqtt5BlockingClient.Mqtt5Publishes received = sub.publishes(MqttGlobalPublishFilter.ALL)) {
            sub.connect();
            sub.subscribeWith().topicFilter("rh1/t").qos(MqttQos.AT_LEAST_ONCE)
                    .retainHandling(Mqtt5RetainHandling.SEND_IF_SUBSCRIPTION_DOES_NOT_EXIST).send();
            assertThat(text(V5Clients.next(received).getPayloadAsBytes())).isEqualTo("kept");

            sub.subscribeWith().topicFilter("rh1/t").qos(MqttQos.AT_LEAST_ONCE)
                    .retainHandling(Mqtt5RetainHandling.SEND_IF_SUBSCRIPTION_DOES_NOT_EXIST).send();
            publish(pub, "rh1/t", "live", false);

            Mqtt5Publish m = V5Clients.next(received);
            assertThat(text(m.getPayloadAsBytes())).as("no retained message for an existing subscription")
                    .isEqualTo("live");
        }
    }

    @Test
    void retainHandling2NeverSendsRetainedMessages() throws Exception {
        Mqtt5BlockingClient pub = publisher("rh2-pub");
        publish(pub, "rh2/t", "kept", true);
        Mqtt5BlockingClient sub = clients.hive("rh2-sub");
        try (Mqtt5BlockingClient.Mqtt5Publishes received = sub.publishes(MqttGlobalPublishFilter.ALL)) {
            sub.connect();
            sub.subscribeWith().topicFilter("rh2/t").qos(MqttQos.AT_LEAST_ONCE)
                    .retainHandling(Mqtt5RetainHandling.DO_NOT_SEND).send();
            publish(pub, "rh2/t", "live", false);

            assertThat(text(V5Clients.next(received).getPayloadAsBytes())).isEqualTo("live");
        }
    }

    @Test
    void retainAsPublishedKeepsTheRetainFlagOnlyWhenSet() throws Exception {
        Mqtt5BlockingClient keeps = clients.hive("rap-keeps");
        V5Clients.Paho clears = clients.paho("rap-clears");
        try (Mqtt5BlockingClient.Mqtt5Publishes received = keeps.publishes(MqttGlobalPublishFilter.ALL)) {
            keeps.connect();
            keeps.subscribeWith().topicFilter("rap/t").qos(MqttQos.AT_LEAST_ONCE).retainAsPublished(true).send();
            clears.connect();
            MqttSubscription s = new MqttSubscription("rap/t", 1);
            s.setRetainAsPublished(false);
            clears.subscribe(null, s);

            Mqtt5BlockingClient pub = publisher("rap-pub");
            publish(pub, "rap/t", "retained", true);
            publish(pub, "rap/t", "plain", false);

            assertThat(V5Clients.next(received).isRetain()).as("Retain As Published 1").isTrue();
            assertThat(V5Clients.next(received).isRetain()).isFalse();
            assertThat(clears.next().message().isRetained()).as("Retain As Published 0 (MQTT-3.3.1-12)").isFalse();
            assertThat(clears.next().message().isRetained()).isFalse();
        }
    }
}
