package io.mast.it;

import static io.mast.it.V311Clients.paho;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5PubAckException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5SubAckException;
import com.hivemq.client.mqtt.mqtt5.message.publish.puback.Mqtt5PubAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAckReasonCode;
import io.mast.it.V311Clients.Paho;
import io.mast.plugins.TopicTabooPlugin;
import io.mast.testkit.MastBrokerExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The topic taboo plugin with aMQTT's defaults, end to end (anonymous local clients; "admin" is exempt). */
class BuiltinTabooIT {

    @RegisterExtension
    static final MastBrokerExtension broker = MastBrokerExtension.create().plugin(TopicTabooPlugin.class);

    @RegisterExtension
    final V5Clients clients = new V5Clients(broker);

    @Test
    void tabooTopicsAreDeniedOnMqtt5() {
        Mqtt5BlockingClient c = clients.hive("taboo-v5", "user", null);
        Mqtt5SubAckException sub = catchThrowableOfType(Mqtt5SubAckException.class,
                () -> c.subscribeWith().topicFilter("top-secret").send());
        assertThat(sub.getMqttMessage().getReasonCodes()).containsExactly(Mqtt5SubAckReasonCode.NOT_AUTHORIZED);
        Mqtt5PubAckException pub = catchThrowableOfType(Mqtt5PubAckException.class,
                () -> c.publishWith().topic("prohibited").qos(MqttQos.AT_LEAST_ONCE).payload(V5Clients.utf8("x")).send());
        assertThat(pub.getMqttMessage().getReasonCode()).isEqualTo(Mqtt5PubAckReasonCode.NOT_AUTHORIZED);
        assertThat(c.subscribeWith().topicFilter("data/public").qos(MqttQos.AT_MOST_ONCE).send().getReasonCodes())
                .containsExactly(Mqtt5SubAckReasonCode.GRANTED_QOS_0);
    }

    @Test
    void tabooMessagesReachOnlyTheExemptUser() throws Exception {
        Mqtt5BlockingClient admin = clients.hive("taboo-admin", "admin", null);
        try (Paho anon = paho(broker, "taboo-v3", true);
             var adminInbox = admin.publishes(MqttGlobalPublishFilter.ALL)) {
            assertThat(anon.subscribe("data/classified", 1)).as("SUBACK 0x80 on 3.1.1").isEqualTo(0x80);
            assertThat(anon.subscribe("data/#", 2)).isEqualTo(2);
            admin.subscribeWith().topicFilter("data/#").qos(MqttQos.EXACTLY_ONCE).send();
            admin.publishWith().topic("data/classified").qos(MqttQos.AT_LEAST_ONCE).payload(V5Clients.utf8("eyes only"))
                    .send();
            admin.publishWith().topic("data/marker").qos(MqttQos.EXACTLY_ONCE).payload(V5Clients.utf8("m")).send();
            assertThat(anon.until("data/marker")).as("what the anonymous client received before the marker").isEmpty();
            assertThat(V5Clients.next(adminInbox).getTopic().toString()).isEqualTo("data/classified");
            assertThat(V5Clients.next(adminInbox).getTopic().toString()).isEqualTo("data/marker");
        }
    }
}
