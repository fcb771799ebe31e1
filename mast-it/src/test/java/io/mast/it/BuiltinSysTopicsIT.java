package io.mast.it;

import static io.mast.it.V311Clients.mosquittoSub;
import static org.assertj.core.api.Assertions.assertThat;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5PubAckException;
import com.hivemq.client.mqtt.mqtt5.message.publish.puback.Mqtt5PubAckReasonCode;
import io.mast.it.V311Clients.Command;
import io.mast.plugins.SysTopicsPlugin;
import io.mast.testkit.MastBrokerExtension;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The $SYS topics plugin end to end: retained values on subscribe, updates at the interval, read-only for clients. */
class BuiltinSysTopicsIT {

    @RegisterExtension
    static final MastBrokerExtension broker = MastBrokerExtension.create()
            .plugin(SysTopicsPlugin.class, Map.of("interval", "1s"));

    @RegisterExtension
    final V5Clients clients = new V5Clients(broker);

    @Test
    void retainedValuesOnSubscribeThenUpdatesAtTheInterval() throws Exception {
        V5Clients.Paho sub = clients.paho("sys-sub");
        sub.connect();
        sub.subscribe("$SYS/broker/#", 0);
        Map<String, String> seen = new HashMap<>();
        boolean versionRetained = false;
        Set<String> uptimes = new LinkedHashSet<>();
        String connectedAfterSecondClient = null;
        boolean secondConnected = false;
        long deadline = System.nanoTime() + Duration.ofSeconds(8).toNanos();
        // Everything retained comes first; then, at each interval, uptime and what changed.
        while (System.nanoTime() < deadline && (uptimes.size() < 3 || connectedAfterSecondClient == null)) {
            V5Clients.Received r = sub.next();
            String topic = r.topic();
            seen.put(topic, r.payload());
            versionRetained |= topic.equals("$SYS/broker/version") && r.message().isRetained();
            if (topic.equals("$SYS/broker/uptime")) {
                uptimes.add(r.payload());
                if (!secondConnected) {
                    clients.hive("sys-second").connect();
                    secondConnected = true;
                }
            }
            if (secondConnected && !r.message().isRetained() && topic.equals("$SYS/broker/clients/connected")) {
                connectedAfterSecondClient = r.payload();
            }
        }
        assertThat(versionRetained).as("the version arrived as a retained message").isTrue();
        assertThat(seen).containsEntry("$SYS/broker/version", "mast version " + broker.broker().core().version())
                .containsKeys("$SYS/broker/uptime", "$SYS/broker/clients/connected", "$SYS/broker/clients/maximum",
                        "$SYS/broker/messages/received", "$SYS/broker/publish/messages/dropped",
                        "$SYS/broker/subscriptions/count", "$SYS/broker/retained messages/count",
                        "$SYS/broker/heap/current", "$SYS/broker/load/messages/received/1min",
                        "$SYS/broker/load/messages/sent/15min");
        assertThat(seen.get("$SYS/broker/load/messages/received/5min")).matches("\\d+\\.\\d\\d");
        assertThat(uptimes).as("uptime updates, one per interval").hasSizeGreaterThanOrEqualTo(3)
                .allMatch(u -> u.matches("\\d+ seconds"));
        assertThat(connectedAfterSecondClient).as("clients/connected once a second client connected").isNotNull();
        assertThat(Integer.parseInt(connectedAfterSecondClient)).isGreaterThanOrEqualTo(2);
    }

    @Test
    void clientsCannotPublishToSys() {
        Mqtt5BlockingClient c = clients.hive("sys-writer");
        c.connect();
        Mqtt5PubAckException e = org.assertj.core.api.Assertions.catchThrowableOfType(Mqtt5PubAckException.class,
                () -> c.publishWith().topic("$SYS/broker/version").qos(MqttQos.AT_LEAST_ONCE)
                        .payload(V5Clients.utf8("fake")).retain(true).send());
        assertThat(e.getMqttMessage().getReasonCode()).isEqualTo(Mqtt5PubAckReasonCode.NOT_AUTHORIZED);
    }

    @Test
    void mosquittoSubReadsTheVersion() throws Exception {
        try (Command sub = mosquittoSub(broker, 10, "-i", "sys-mosq", "-t", "$SYS/broker/version", "-C", "1", "-v")) {
            List<String> out = sub.awaitSuccess(Duration.ofSeconds(10));
            assertThat(out).contains("$SYS/broker/version mast version " + broker.broker().core().version());
        }
    }
}
