package io.mast.it;

import static io.mast.it.V5Clients.TIMEOUT;
import static io.mast.it.V5Clients.subscribe;
import static io.mast.it.V5Clients.text;
import static io.mast.it.V5Clients.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import io.mast.codec.MqttProperties;
import io.mast.codec.Qos;
import io.mast.codec.packet.Publish;
import io.mast.codec.packet.Subscription;
import io.mast.testkit.MastBrokerExtension;
import io.mast.testkit.RawMqttClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Shared subscriptions (MQTT 5.0 section 4.8.2) with MQTT 5.0 clients. */
class Mqtt5SharedSubscriptionIT {

    @RegisterExtension
    static final MastBrokerExtension broker = MastBrokerExtension.create();

    @RegisterExtension
    final V5Clients clients = new V5Clients(broker);

    private Mqtt5BlockingClient publisher(String id) {
        Mqtt5BlockingClient pub = clients.hive(id);
        pub.connect();
        return pub;
    }

    private static List<String> payloads(int n) {
        return IntStream.range(0, n).mapToObj(i -> "m" + i).toList();
    }

    /** Takes what the stream has now or within a short poll, into {@code into}. */
    private static void drain(Mqtt5BlockingClient.Mqtt5Publishes from, List<String> into) throws InterruptedException {
        from.receive(20, TimeUnit.MILLISECONDS).ifPresent(p -> into.add(text(p.getPayloadAsBytes())));
    }

    @Test
    void eachMessageGoesToOneMemberOfTheGroup() throws Exception {
        Mqtt5BlockingClient hive = clients.hive("share-one-hive");
        V5Clients.Paho paho = clients.paho("share-one-paho");
        List<String> viaHive = new ArrayList<>();
        try (Mqtt5BlockingClient.Mqtt5Publishes received = hive.publishes(MqttGlobalPublishFilter.ALL)) {
            hive.connect();
            hive.subscribeWith().topicFilter("$share/g1/share/one").qos(MqttQos.AT_LEAST_ONCE).send();
            paho.connect();
            paho.subscribe("$share/g1/share/one", 1);

            Mqtt5BlockingClient pub = publisher("share-one-pub");
            for (String p : payloads(10)) {
                pub.publishWith().topic("share/one").qos(MqttQos.AT_LEAST_ONCE).payload(utf8(p)).send();
            }

            await().atMost(TIMEOUT).until(() -> {
                drain(received, viaHive);
                return viaHive.size() + paho.messages.size() >= 10;
            });
            List<String> viaPaho = paho.messages.stream().map(V5Clients.Received::payload).toList();
            List<String> all = new ArrayList<>(viaHive);
            all.addAll(viaPaho);
            assertThat(all).as("every message once, to one member").containsExactlyInAnyOrderElementsOf(payloads(10));
            assertThat(viaHive).as("round robin between the members").isNotEmpty();
            assertThat(viaPaho).isNotEmpty();
        }
    }

    @Test
    void unacknowledgedMessagesOfADisconnectedMemberGoToAnotherMember() throws Exception {
        RawMqttClient silent = clients.raw("share-two-raw", MqttProperties.builder().sessionExpiryInterval(60L).build());
        subscribe(silent, 1, MqttProperties.EMPTY, new Subscription("$share/g2/share/two", Qos.AT_LEAST_ONCE));
        Mqtt5BlockingClient member = clients.hive("share-two-hive");
        List<String> viaMember = new ArrayList<>();
        try (Mqtt5BlockingClient.Mqtt5Publishes received = member.publishes(MqttGlobalPublishFilter.ALL)) {
            member.connect();
            member.subscribeWith().topicFilter("$share/g2/share/two").qos(MqttQos.AT_LEAST_ONCE).send();

            Mqtt5BlockingClient pub = publisher("share-two-pub");
            for (String p : payloads(6)) {
                pub.publishWith().topic("share/two").qos(MqttQos.AT_LEAST_ONCE).payload(utf8(p)).send();
            }

            List<String> unacknowledged = new ArrayList<>();
            await().atMost(TIMEOUT).until(() -> {
                Object p = silent.read(Duration.ofMillis(20));
                if (p instanceof Publish publish) {
                    unacknowledged.add(text(publish.payload()));
                }
                drain(received, viaMember);
                return unacknowledged.size() + viaMember.size() == 6;
            });
            assertThat(unacknowledged).as("the silent member got its share").isNotEmpty();

            clients.vanish(silent);

            await().atMost(TIMEOUT).until(() -> {
                drain(received, viaMember);
                return viaMember.size() >= 6;
            });
            assertThat(viaMember).containsExactlyInAnyOrderElementsOf(payloads(6));
            assertThat(clients.session("share-two-raw")).as("the silent member's session stays").isNotNull();
        }
    }
}
