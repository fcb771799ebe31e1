package io.mast.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.mast.testkit.MastBrokerExtension;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PahoV3BasicIT {

    @RegisterExtension
    static final MastBrokerExtension broker = MastBrokerExtension.create();

    private MqttClient client(String id) throws Exception {
        MqttClient c = new MqttClient(broker.uri(), id, new MemoryPersistence());
        MqttConnectOptions o = new MqttConnectOptions();
        o.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        o.setCleanSession(true);
        c.connect(o);
        return c;
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2})
    void publishesAndReceivesAtEachQos(int qos) throws Exception {
        MqttClient sub = client("sub-" + qos);
        MqttClient pub = client("pub-" + qos);
        BlockingQueue<MqttMessage> got = new LinkedBlockingQueue<>();
        sub.subscribe("qos/" + qos + "/#", qos, (t, m) -> got.add(m));
        pub.publish("qos/" + qos + "/x", ("hello " + qos).getBytes(StandardCharsets.UTF_8), qos, false);
        MqttMessage m = got.poll(5, TimeUnit.SECONDS);
        assertThat(m).isNotNull();
        assertThat(new String(m.getPayload(), StandardCharsets.UTF_8)).isEqualTo("hello " + qos);
        assertThat(m.getQos()).isEqualTo(qos);
        sub.disconnect();
        pub.disconnect();
        sub.close();
        pub.close();
    }

    @Test
    void retainedMessageIsDeliveredToLaterSubscriber() throws Exception {
        MqttClient pub = client("retain-pub");
        pub.publish("retained/a", "kept".getBytes(StandardCharsets.UTF_8), 1, true);
        MqttClient sub = client("retain-sub");
        BlockingQueue<MqttMessage> got = new LinkedBlockingQueue<>();
        sub.subscribe("retained/+", 1, (t, m) -> got.add(m));
        MqttMessage m = got.poll(5, TimeUnit.SECONDS);
        assertThat(m).isNotNull();
        assertThat(m.isRetained()).isTrue();
        assertThat(new String(m.getPayload(), StandardCharsets.UTF_8)).isEqualTo("kept");
        pub.disconnect();
        sub.disconnect();
        pub.close();
        sub.close();
    }
}
