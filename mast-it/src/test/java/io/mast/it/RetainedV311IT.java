package io.mast.it;

import static io.mast.it.V311Clients.paho;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.mast.it.V311Clients.Paho;
import io.mast.it.V311Clients.Received;
import io.mast.testkit.MastBrokerExtension;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Retained messages with MQTT 3.1.1 clients (section 3.3.1.3). Each test uses its own topics. */
class RetainedV311IT {

    @RegisterExtension
    static final MastBrokerExtension broker = MastBrokerExtension.create();

    /** Subscribes a new client and returns the retained messages it gets before a live marker. */
    private static List<Received> retainedFor(Paho pub, String clientId, String filter, int qos, String marker)
            throws Exception {
        try (Paho sub = paho(broker, clientId, true)) {
            sub.subscribe(filter, qos);
            sub.subscribeMarker(marker);
            pub.publishMarker(marker);
            return sub.until(marker);
        }
    }

    @Test
    void retainedMessageDeliveredWithRetainFlagOnSubscribe() throws Exception {
        // MQTT-3.3.1-5, MQTT-3.3.1-6, MQTT-3.3.1-8
        try (Paho pub = paho(broker, "set-pub", true)) {
            pub.publish("set/t", "kept", 1, true);
            assertThat(retainedFor(pub, "set-sub", "set/t", 1, "set/marker"))
                    .extracting(Received::topic, Received::payload, Received::retained)
                    .containsExactly(tuple("set/t", "kept", true));
        }
    }

    @Test
    void retainedMessageReplacedByTheNextOne() throws Exception {
        // MQTT-3.3.1-5: the new retained message replaces the one the topic had
        try (Paho pub = paho(broker, "replace-pub", true)) {
            pub.publish("replace/t", "first", 1, true);
            pub.publish("replace/t", "second", 1, true);
            assertThat(retainedFor(pub, "replace-sub", "replace/t", 1, "replace/marker"))
                    .extracting(Received::payload).containsExactly("second");
        }
    }

    @Test
    void emptyRetainedPayloadClearsTheRetainedMessage() throws Exception {
        // MQTT-3.3.1-10, MQTT-3.3.1-11
        try (Paho pub = paho(broker, "clear-pub", true)) {
            pub.publish("clear/t", "to be cleared", 1, true);
            pub.publish("clear/t", "", 1, true);
            assertThat(retainedFor(pub, "clear-sub", "clear/t", 1, "clear/marker")).isEmpty();
        }
    }

    @Test
    void retainedMessagesDeliveredForWildcardSubscriptions() throws Exception {
        // MQTT-3.3.1-6: every retained message matching the filter, wildcards included
        try (Paho pub = paho(broker, "wild-pub", true)) {
            pub.publish("wild/a/x", "a", 1, true);
            pub.publish("wild/b/x", "b", 1, true);
            pub.publish("wild/b/y", "not for +/x", 1, true);
            pub.publish("wild", "the parent", 1, true);
            assertThat(retainedFor(pub, "wild-sub-plus", "wild/+/x", 1, "wild-marker/plus"))
                    .extracting(Received::topic, Received::retained)
                    .containsExactlyInAnyOrder(tuple("wild/a/x", true), tuple("wild/b/x", true));
            assertThat(retainedFor(pub, "wild-sub-hash", "wild/#", 1, "wild-marker/hash"))
                    .extracting(Received::topic, Received::retained)
                    .containsExactlyInAnyOrder(tuple("wild/a/x", true), tuple("wild/b/x", true),
                            tuple("wild/b/y", true), tuple("wild", true));
        }
    }

    @Test
    void liveMessagesForwardedWithRetainFlagCleared() throws Exception {
        // MQTT-3.3.1-9: a message published with RETAIN to an established subscription is sent with RETAIN 0
        try (Paho sub = paho(broker, "live-sub", true); Paho pub = paho(broker, "live-pub", true)) {
            sub.subscribe("live/t", 1);
            pub.publish("live/t", "retained but live", 1, true);
            Received r = sub.next();
            assertThat(r.payload()).isEqualTo("retained but live");
            assertThat(r.retained()).isFalse();
        }
    }

    @Test
    void retainedMessageQosDowngradedToSubscriptionQos() throws Exception {
        // Section 3.8.4: retained messages too are sent at the lower of their QoS and the granted one
        try (Paho pub = paho(broker, "rq-pub", true)) {
            pub.publish("rq/t", "qos 2", 2, true);
            assertThat(retainedFor(pub, "rq-sub-1", "rq/t", 1, "rq/marker1"))
                    .extracting(Received::payload, Received::qos, Received::retained)
                    .containsExactly(tuple("qos 2", 1, true));
            assertThat(retainedFor(pub, "rq-sub-0", "rq/t", 0, "rq/marker0"))
                    .extracting(Received::payload, Received::qos, Received::retained)
                    .containsExactly(tuple("qos 2", 0, true));
        }
    }
}
