package io.mast.it;

import static io.mast.it.V5Clients.TIMEOUT;
import static io.mast.it.V5Clients.pahoOptions;
import static io.mast.it.V5Clients.utf8;
import static io.mast.it.V5Clients.waitPassed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import io.mast.testkit.MastBrokerExtension;
import java.time.Duration;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Message Expiry Interval (MQTT 5.0 section 3.3.2.3.3) for messages waiting for an offline session. */
class Mqtt5MessageExpiryIT {

    @RegisterExtension
    static final MastBrokerExtension broker = MastBrokerExtension.create();

    @RegisterExtension
    final V5Clients clients = new V5Clients(broker);

    @Test
    void queuedMessageExpiresAndIsNotDelivered() throws Exception {
        V5Clients.Paho sub = clients.paho("exp-queued");
        MqttConnectionOptions o = pahoOptions();
        o.setSessionExpiryInterval(60L);
        sub.connect(o);
        sub.subscribe("expiry/queued", 1);
        sub.disconnect();

        Mqtt5BlockingClient pub = clients.hive("exp-queued-pub");
        pub.connect();
        long publishedAt = System.nanoTime();
        pub.publishWith().topic("expiry/queued").qos(MqttQos.AT_LEAST_ONCE).payload(utf8("short-lived"))
                .messageExpiryInterval(1).send();
        pub.publishWith().topic("expiry/queued").qos(MqttQos.AT_LEAST_ONCE).payload(utf8("lasting")).send();
        await().atMost(TIMEOUT).until(() -> clients.session("exp-queued").queuedCount() == 2);
        long expiredBefore = clients.metric("messages.dropped.expired");

        waitPassed(Duration.ofMillis(1100), publishedAt);
        o.setCleanStart(false);
        assertThat(sub.connect(o).getSessionPresent()).isTrue();

        assertThat(sub.next().payload()).as("the expired message is skipped").isEqualTo("lasting");
        assertThat(clients.metric("messages.dropped.expired")).isEqualTo(expiredBefore + 1);
    }

    @Test
    void deliveredMessageCarriesTheRemainingExpiryInterval() throws Exception {
        long published = 10;
        Mqtt5BlockingClient sub = clients.hive("exp-remaining");
        try (Mqtt5BlockingClient.Mqtt5Publishes received = sub.publishes(MqttGlobalPublishFilter.ALL)) {
            sub.connectWith().cleanStart(true).sessionExpiryInterval(60).send();
            sub.subscribeWith().topicFilter("expiry/remaining").qos(MqttQos.AT_LEAST_ONCE).send();
            sub.disconnect();

            Mqtt5BlockingClient pub = clients.hive("exp-remaining-pub");
            pub.connect();
            long publishedAt = System.nanoTime();
            pub.publishWith().topic("expiry/remaining").qos(MqttQos.AT_LEAST_ONCE).payload(utf8("waits"))
                    .messageExpiryInterval(published).send();

            waitPassed(Duration.ofMillis(1100), publishedAt);
            sub.connectWith().cleanStart(false).sessionExpiryInterval(60).send();

            Mqtt5Publish m = V5Clients.next(received);
            assertThat(V5Clients.text(m.getPayloadAsBytes())).isEqualTo("waits");
            assertThat(m.getMessageExpiryInterval()).isPresent();
            assertThat(m.getMessageExpiryInterval().getAsLong())
                    .as("the published interval minus the time it waited (MQTT-3.3.2-6)")
                    .isGreaterThan(0).isLessThan(published);
        }
    }
}
