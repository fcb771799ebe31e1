package io.mast.it;

import static io.mast.it.V5Clients.TIMEOUT;
import static io.mast.it.V5Clients.nextPublish;
import static io.mast.it.V5Clients.publishQos1;
import static io.mast.it.V5Clients.subscribe;
import static io.mast.it.V5Clients.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAck;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import io.mast.codec.MqttProperties;
import io.mast.codec.Qos;
import io.mast.codec.ReasonCode;
import io.mast.codec.packet.Disconnect;
import io.mast.codec.packet.PubAck;
import io.mast.codec.packet.Publish;
import io.mast.codec.packet.Subscription;
import io.mast.testkit.MastBrokerExtension;
import io.mast.testkit.RawMqttClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Topic aliases (MQTT 5.0 section 3.3.2.3.4) in both directions; the broker allows 10 by default. */
class Mqtt5TopicAliasIT {

    @RegisterExtension
    static final MastBrokerExtension broker = MastBrokerExtension.create();

    @RegisterExtension
    final V5Clients clients = new V5Clients(broker);

    private static MqttProperties alias(int a) {
        return MqttProperties.builder().topicAlias(a).build();
    }

    @Test
    void hivemqClientPublishesWithAliasesTheBrokerAllows() throws Exception {
        RawMqttClient sub = clients.raw("alias-hive-sub", MqttProperties.EMPTY);
        subscribe(sub, 1, MqttProperties.EMPTY, new Subscription("alias/hive/+", Qos.AT_LEAST_ONCE));

        Mqtt5BlockingClient pub = clients.hive("alias-hive-pub");
        Mqtt5ConnAck ack = pub.connectWith().restrictions().sendTopicAliasMaximum(4).applyRestrictions().send();
        assertThat(ack.getRestrictions().getTopicAliasMaximum()).isEqualTo(10);
        String[] topics = {"alias/hive/a", "alias/hive/b", "alias/hive/a", "alias/hive/b", "alias/hive/a"};
        for (int i = 0; i < topics.length; i++) {
            pub.publishWith().topic(topics[i]).qos(MqttQos.AT_LEAST_ONCE).payload(utf8("m" + i)).send();
        }

        for (int i = 0; i < topics.length; i++) {
            Publish p = nextPublish(sub);
            assertThat(p.topic()).isEqualTo(topics[i]);
            assertThat(V5Clients.text(p.payload())).isEqualTo("m" + i);
            sub.send(new PubAck(p.packetId()));
        }
        assertThat(pub.getState().isConnected()).isTrue();
    }

    @Test
    void rawClientSetsAnAliasThenPublishesWithAnEmptyTopic() throws Exception {
        Mqtt5BlockingClient sub = clients.hive("alias-raw-sub");
        try (Mqtt5BlockingClient.Mqtt5Publishes received = sub.publishes(MqttGlobalPublishFilter.ALL)) {
            sub.connect();
            sub.subscribeWith().topicFilter("alias/raw/#").qos(MqttQos.AT_LEAST_ONCE).send();

            RawMqttClient pub = clients.raw("alias-raw-pub", MqttProperties.EMPTY);
            assertThat(publishQos1(pub, 1, "alias/raw/one", alias(3), utf8("1")).reasonCode())
                    .isEqualTo(ReasonCode.SUCCESS);
            assertThat(publishQos1(pub, 2, "", alias(3), utf8("2")).reasonCode()).isEqualTo(ReasonCode.SUCCESS);
            // Setting the alias again maps it to another topic.
            assertThat(publishQos1(pub, 3, "alias/raw/two", alias(3), utf8("3")).reasonCode())
                    .isEqualTo(ReasonCode.SUCCESS);
            assertThat(publishQos1(pub, 4, "", alias(3), utf8("4")).reasonCode()).isEqualTo(ReasonCode.SUCCESS);

            String[] expected = {"alias/raw/one", "alias/raw/one", "alias/raw/two", "alias/raw/two"};
            for (int i = 0; i < expected.length; i++) {
                Mqtt5Publish m = V5Clients.next(received);
                assertThat(m.getTopic().toString()).isEqualTo(expected[i]);
                assertThat(V5Clients.text(m.getPayloadAsBytes())).isEqualTo(String.valueOf(i + 1));
            }
        }
    }

    @Test
    void aliasAboveTheMaximumIsRefusedWithTopicAliasInvalid() throws Exception {
        RawMqttClient pub = clients.raw("alias-invalid", MqttProperties.EMPTY);
        pub.send(new Publish(false, Qos.AT_LEAST_ONCE, false, "alias/invalid", 1, alias(11), utf8("x")));

        Disconnect d = pub.expect(Disconnect.class, TIMEOUT);
        assertThat(d.reasonCode()).isEqualTo(ReasonCode.TOPIC_ALIAS_INVALID);
        assertThat(d.properties().reasonString()).as("a reason string on the error").isNotBlank();
        assertThat(pub.awaitClosed(TIMEOUT)).isTrue();
    }

    @Test
    void brokerSendsTopicAndAliasFirstThenTheAliasAlone() throws Exception {
        RawMqttClient sub = clients.raw("alias-out-sub", MqttProperties.builder().topicAliasMaximum(2).build());
        subscribe(sub, 1, MqttProperties.EMPTY, new Subscription("alias/out/+", Qos.AT_LEAST_ONCE));

        V5Clients.Paho pub = clients.paho("alias-out-pub");
        pub.connect();
        pub.publish("alias/out/x", "1", 1, false);
        pub.publish("alias/out/x", "2", 0, false);
        pub.publish("alias/out/y", "3", 1, false);
        pub.publish("alias/out/y", "4", 1, false);
        pub.publish("alias/out/z", "5", 0, false);

        Publish p1 = nextPublish(sub);
        assertThat(p1.topic()).isEqualTo("alias/out/x");
        Integer x = p1.properties().topicAlias();
        assertThat(x).isBetween(1, 2);
        Publish p2 = nextPublish(sub);
        assertThat(p2.topic()).as("the alias stands for the topic").isEmpty();
        assertThat(p2.properties().topicAlias()).isEqualTo(x);
        assertThat(V5Clients.text(p2.payload())).isEqualTo("2");

        Publish p3 = nextPublish(sub);
        assertThat(p3.topic()).isEqualTo("alias/out/y");
        Integer y = p3.properties().topicAlias();
        assertThat(y).isBetween(1, 2).isNotEqualTo(x);
        Publish p4 = nextPublish(sub);
        assertThat(p4.topic()).isEmpty();
        assertThat(p4.properties().topicAlias()).isEqualTo(y);

        Publish p5 = nextPublish(sub);
        assertThat(p5.topic()).as("a new topic once all aliases are taken is sent in full").isEqualTo("alias/out/z");
        assertThat(p5.properties().topicAlias()).as("within the client's Topic Alias Maximum")
                .satisfiesAnyOf(a -> assertThat(a).isNull(), a -> assertThat(a).isBetween(1, 2));
    }

    @Test
    void noAliasesForSubscriberThatDidNotAllowThem() throws Exception {
        RawMqttClient sub = clients.raw(V5Clients.connect("alias-none-sub", MqttProperties.EMPTY));
        subscribe(sub, 1, MqttProperties.EMPTY, new Subscription("alias/none", Qos.AT_MOST_ONCE));
        V5Clients.Paho pub = clients.paho("alias-none-pub");
        pub.connect();
        pub.publish("alias/none", "1", 0, false);
        pub.publish("alias/none", "2", 0, false);

        for (int i = 0; i < 2; i++) {
            Publish p = nextPublish(sub);
            assertThat(p.topic()).isEqualTo("alias/none");
            assertThat(p.properties().topicAlias()).isNull();
        }
    }
}
