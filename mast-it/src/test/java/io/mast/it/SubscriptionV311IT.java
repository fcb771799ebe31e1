package io.mast.it;

import static io.mast.it.V311Clients.TIMEOUT;
import static io.mast.it.V311Clients.paho;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.mast.broker.message.BrokerMessage;
import io.mast.codec.MqttProperties;
import io.mast.codec.Qos;
import io.mast.it.V311Clients.Paho;
import io.mast.it.V311Clients.Received;
import io.mast.testkit.MastBrokerExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Topic filters, overlapping subscriptions, unsubscribe and resubscribe with MQTT 3.1.1 clients (4.7, 3.8, 3.10). */
class SubscriptionV311IT {

    @RegisterExtension
    static final MastBrokerExtension broker = MastBrokerExtension.create();

    @Test
    void singleLevelWildcardMatchesExactlyOneLevel() throws Exception {
        // Section 4.7.1.3
        try (Paho sub = paho(broker, "plus-sub", true); Paho pub = paho(broker, "plus-pub", true)) {
            sub.subscribe("plus/+/t", 1);
            sub.subscribeMarker("plus/marker");
            pub.publish("plus/a/t", "one level", 1, false);
            pub.publish("plus/t", "no level", 1, false);
            pub.publish("plus/a/b/t", "two levels", 1, false);
            pub.publish("plus//t", "empty level", 1, false);
            pub.publishMarker("plus/marker");
            assertThat(sub.until("plus/marker")).extracting(Received::topic)
                    .containsExactlyInAnyOrder("plus/a/t", "plus//t");
        }
    }

    @Test
    void multiLevelWildcardMatchesParentAndAllDescendants() throws Exception {
        // Section 4.7.1.2: "sport/#" also matches "sport"
        try (Paho sub = paho(broker, "hash-sub", true); Paho pub = paho(broker, "hash-pub", true)) {
            sub.subscribe("sport/#", 1);
            sub.subscribeMarker("hash-marker");
            pub.publish("sport", "parent", 1, false);
            pub.publish("sport/tennis", "child", 1, false);
            pub.publish("sport/tennis/player1", "grandchild", 1, false);
            pub.publish("sports", "not a child", 1, false);
            pub.publishMarker("hash-marker");
            assertThat(sub.until("hash-marker")).extracting(Received::topic)
                    .containsExactlyInAnyOrder("sport", "sport/tennis", "sport/tennis/player1");
        }
    }

    @Test
    void dollarTopicsNotMatchedByWildcardsAtTheFirstLevel() throws Exception {
        // MQTT-4.7.2-1: "#" and "+/..." do not match topics starting with '$'; "$SYS/#" does
        try (Paho wild = paho(broker, "sys-wild", true); Paho sys = paho(broker, "sys-sub", true);
             Paho pub = paho(broker, "sys-pub", true)) {
            wild.subscribe("#", 1);
            wild.subscribe("+/broker/uptime", 1);
            sys.subscribe("$SYS/#", 1);
            // V311Clients may not publish into $SYS/: the broker does, as it would for its own statistics.
            BrokerMessage m = new BrokerMessage("$SYS/broker/uptime", V311Clients.utf8("42"), Qos.AT_LEAST_ONCE, false,
                    MqttProperties.EMPTY, null, System.currentTimeMillis(), 0);
            broker.broker().core().publisher().publish(m, null, null).toCompletableFuture()
                    .get(TIMEOUT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
            assertThat(sys.next()).extracting(Received::topic, Received::payload)
                    .containsExactly("$SYS/broker/uptime", "42");
            pub.publishMarker("sys-marker/broker/uptime");
            // The marker matches both of wild's filters: one copy, and nothing from $SYS before it.
            assertThat(wild.until("sys-marker/broker/uptime")).isEmpty();
        }
    }

    @Test
    void overlappingSubscriptionsGiveOneCopyAtTheHighestGrantedQos() throws Exception {
        // MQTT-3.3.5-1
        try (Paho sub = paho(broker, "overlap-sub", true); Paho pub = paho(broker, "overlap-pub", true)) {
            sub.subscribe("overlap/#", 0);
            sub.subscribe("overlap/+", 2);
            sub.subscribe("overlap/t", 1);
            sub.subscribeMarker("overlap-marker");
            pub.publish("overlap/t", "once", 2, false);
            pub.publishMarker("overlap-marker");
            assertThat(sub.until("overlap-marker")).extracting(Received::payload, Received::qos)
                    .containsExactly(tuple("once", 2));
        }
    }

    @Test
    void unsubscribeStopsDelivery() throws Exception {
        // MQTT-3.10.4-2
        try (Paho sub = paho(broker, "unsub-sub", true); Paho pub = paho(broker, "unsub-pub", true)) {
            sub.subscribe("unsub/t", 1);
            sub.subscribeMarker("unsub/marker");
            pub.publish("unsub/t", "before", 1, false);
            assertThat(sub.next().payload()).isEqualTo("before");
            sub.unsubscribe("unsub/t");
            pub.publish("unsub/t", "after", 1, false);
            pub.publishMarker("unsub/marker");
            assertThat(sub.until("unsub/marker")).isEmpty();
        }
    }

    @Test
    void subscribingAgainToTheSameFilterReplacesItsQos() throws Exception {
        // MQTT-3.8.4-3: the existing subscription is replaced, not duplicated
        try (Paho sub = paho(broker, "resub-sub", true); Paho pub = paho(broker, "resub-pub", true)) {
            assertThat(sub.subscribe("resub/t", 2)).isEqualTo(2);
            sub.subscribeMarker("resub/marker");
            pub.publish("resub/t", "at 2", 2, false);
            assertThat(sub.next()).extracting(Received::payload, Received::qos).containsExactly("at 2", 2);
            assertThat(sub.subscribe("resub/t", 0)).isZero();
            pub.publish("resub/t", "at 0", 2, false);
            pub.publishMarker("resub/marker");
            assertThat(sub.until("resub/marker")).extracting(Received::payload, Received::qos)
                    .containsExactly(tuple("at 0", 0));
        }
    }

    @Test
    void subscribingAgainResendsMatchingRetainedMessages() throws Exception {
        // MQTT-3.8.4-3: the retained messages matching the filter are re-sent when it is subscribed again
        try (Paho sub = paho(broker, "resend-sub", true); Paho pub = paho(broker, "resend-pub", true)) {
            pub.publish("resend/t", "retained", 1, true);
            sub.subscribe("resend/t", 1);
            assertThat(sub.next()).extracting(Received::payload, Received::retained).containsExactly("retained", true);
            sub.subscribe("resend/t", 1);
            assertThat(sub.next()).extracting(Received::payload, Received::retained).containsExactly("retained", true);
        }
    }
}
