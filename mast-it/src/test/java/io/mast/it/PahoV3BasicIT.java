package io.mast.it;

import static io.mast.it.V311Clients.paho;
import static org.assertj.core.api.Assertions.assertThat;

import io.mast.it.V311Clients.Paho;
import io.mast.it.V311Clients.Received;
import io.mast.testkit.MastBrokerExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PahoV3BasicIT {

    @RegisterExtension
    static final MastBrokerExtension broker = MastBrokerExtension.create();

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2})
    void publishesAndReceivesAtEachQos(int qos) throws Exception {
        try (Paho sub = paho(broker, "sub-" + qos, true); Paho pub = paho(broker, "pub-" + qos, true)) {
            sub.subscribe("qos/" + qos + "/#", qos);
            pub.publish("qos/" + qos + "/x", "hello " + qos, qos, false);
            Received m = sub.next();
            assertThat(m.payload()).isEqualTo("hello " + qos);
            assertThat(m.qos()).isEqualTo(qos);
        }
    }

    @Test
    void retainedMessageIsDeliveredToLaterSubscriber() throws Exception {
        try (Paho pub = paho(broker, "retain-pub", true)) {
            pub.publish("retained/a", "kept", 1, true);
            try (Paho sub = paho(broker, "retain-sub", true)) {
                sub.subscribe("retained/+", 1);
                Received m = sub.next();
                assertThat(m.retained()).isTrue();
                assertThat(m.payload()).isEqualTo("kept");
            }
        }
    }
}
