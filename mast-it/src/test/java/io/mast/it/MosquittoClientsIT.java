package io.mast.it;

import static io.mast.it.V311Clients.awaitSubscribed;
import static io.mast.it.V311Clients.mosquittoPub;
import static io.mast.it.V311Clients.mosquittoSub;
import static io.mast.it.V311Clients.paho;
import static org.assertj.core.api.Assertions.assertThat;

import io.mast.it.V311Clients.Command;
import io.mast.it.V311Clients.Paho;
import io.mast.it.V311Clients.Received;
import io.mast.testkit.MastBrokerExtension;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The Mosquitto command-line clients (MQTT 3.1.1) against Mast, with Paho on the other end. */
class MosquittoClientsIT {

    /** How long a Mosquitto client may run. */
    static final Duration RUN = Duration.ofSeconds(10);

    @RegisterExtension
    static final MastBrokerExtension broker = MastBrokerExtension.create();

    @ParameterizedTest(name = "QoS {0}")
    @ValueSource(ints = {0, 1, 2})
    void mosquittoPubToPahoSubscriber(int qos) throws Exception {
        String topic = "mosq/in/" + qos;
        try (Paho sub = paho(broker, "mosq-in-sub-" + qos, true)) {
            sub.subscribe(topic, 2);
            try (Command pub = mosquittoPub(broker, "-i", "mosq-in-pub-" + qos, "-q", Integer.toString(qos),
                    "-t", topic, "-m", "from mosquitto_pub " + qos)) {
                pub.awaitSuccess(RUN);
            }
            Received r = sub.next();
            assertThat(r.payload()).isEqualTo("from mosquitto_pub " + qos);
            assertThat(r.qos()).isEqualTo(qos);
            assertThat(r.retained()).isFalse();
        }
    }

    @ParameterizedTest(name = "QoS {0}")
    @ValueSource(ints = {0, 1, 2})
    void pahoPubToMosquittoSubscriber(int qos) throws Exception {
        String topic = "mosq/out/" + qos;
        String id = "mosq-out-sub-" + qos;
        try (Paho pub = paho(broker, "mosq-out-pub-" + qos, true);
             Command sub = mosquittoSub(broker, (int) RUN.toSeconds(), "-i", id, "-q", "2", "-t", topic, "-C", "1",
                     "-v")) {
            awaitSubscribed(broker, id, topic);
            pub.publish(topic, "from paho " + qos, qos, false);
            List<String> out = sub.awaitSuccess(RUN);
            assertThat(out).contains(topic + " from paho " + qos);
            assertThat(out).anyMatch(l -> l.contains("received PUBLISH (d0, q" + qos + ", r0,"));
        }
    }

    @Test
    void retainedMessageOfMosquittoPubDeliveredOnSubscribe() throws Exception {
        try (Command pub = mosquittoPub(broker, "-i", "mosq-ret-pub", "-q", "1", "-r", "-t", "mosq/retained",
                "-m", "kept by -r")) {
            pub.awaitSuccess(RUN);
        }
        try (Paho sub = paho(broker, "mosq-ret-paho", true)) {
            sub.subscribe("mosq/retained", 1);
            Received r = sub.next();
            assertThat(r.payload()).isEqualTo("kept by -r");
            assertThat(r.retained()).isTrue();
        }
        try (Command sub = mosquittoSub(broker, (int) RUN.toSeconds(), "-i", "mosq-ret-sub", "-q", "1",
                "-t", "mosq/retained", "-C", "1", "-v")) {
            List<String> out = sub.awaitSuccess(RUN);
            assertThat(out).contains("mosq/retained kept by -r");
            assertThat(out).anyMatch(l -> l.contains("received PUBLISH (d0, q1, r1,"));
        }
    }

    @Test
    void willOfKilledMosquittoSubPublished() throws Exception {
        try (Paho sub = paho(broker, "mosq-will-paho", true)) {
            sub.subscribe("mosq/will", 1);
            try (Command doomed = mosquittoSub(broker, (int) RUN.toSeconds(), "-i", "mosq-will", "-t", "mosq/other",
                    "--will-topic", "mosq/will", "--will-payload", "mosquitto_sub died", "--will-qos", "1",
                    "--will-retain")) {
                awaitSubscribed(broker, "mosq-will", "mosq/other");
                doomed.kill();
            }
            Received r = sub.next();
            assertThat(r.payload()).isEqualTo("mosquitto_sub died");
            assertThat(r.qos()).isEqualTo(1);
        }
        try (Paho later = paho(broker, "mosq-will-later", true)) {
            later.subscribe("mosq/will", 1);
            Received r = later.next();
            assertThat(r.payload()).as("--will-retain honoured").isEqualTo("mosquitto_sub died");
            assertThat(r.retained()).isTrue();
        }
    }
}
