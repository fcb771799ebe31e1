package io.mast.it;

import static io.mast.it.V311Clients.TIMEOUT;
import static io.mast.it.V311Clients.connect;
import static io.mast.it.V311Clients.metric;
import static io.mast.it.V311Clients.paho;
import static io.mast.it.V311Clients.raw;
import static io.mast.it.V311Clients.will;
import static org.assertj.core.api.Assertions.assertThat;

import io.mast.codec.Qos;
import io.mast.codec.packet.Disconnect;
import io.mast.it.V311Clients.Paho;
import io.mast.it.V311Clients.Received;
import io.mast.testkit.MastBrokerExtension;
import io.mast.testkit.RawMqttClient;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Will messages of MQTT 3.1.1 clients (section 3.1.2.5). */
class WillV311IT {

    @RegisterExtension
    static final MastBrokerExtension broker = MastBrokerExtension.create();

    /** What a client subscribing after the will went out gets as retained on the will topic. */
    private static void assertRetainedWill(String topic, String payload) throws Exception {
        try (Paho later = paho(broker, "later-" + topic.replace('/', '-'), true)) {
            later.subscribe(topic, 1);
            Received r = later.next();
            assertThat(r).extracting(Received::topic, Received::payload, Received::retained)
                    .containsExactly(topic, payload, true);
        }
    }

    @Test
    void willPublishedOnNetworkLossWithWillRetainHonoured() throws Exception {
        // MQTT-3.1.2-8 (published when the connection is lost), MQTT-3.1.2-17 (Will Retain 1: published retained)
        try (Paho sub = paho(broker, "loss-sub", true)) {
            sub.subscribe("will/loss", 1);
            RawMqttClient c = raw(broker, connect("loss", true, 30, will("will/loss", "lost", Qos.AT_LEAST_ONCE, true)));
            c.close(); // the socket goes away without DISCONNECT
            Received r = sub.next();
            assertThat(r).extracting(Received::topic, Received::payload, Received::qos)
                    .containsExactly("will/loss", "lost", 1);
            assertRetainedWill("will/loss", "lost");
        }
    }

    @Test
    void willPublishedOnKeepAliveTimeoutWithWillRetainHonoured() throws Exception {
        // MQTT-3.1.2-8 with MQTT-3.1.2-24: the broker closing a silent client publishes its will
        try (Paho sub = paho(broker, "silent-sub", true)) {
            sub.subscribe("will/silent", 1);
            try (RawMqttClient c = raw(broker,
                    connect("silent", true, 1, will("will/silent", "timed out", Qos.AT_LEAST_ONCE, true)))) {
                assertThat(c.awaitClosed(Duration.ofSeconds(4))).isTrue();
            }
            Received r = sub.next();
            assertThat(r).extracting(Received::topic, Received::payload).containsExactly("will/silent", "timed out");
            assertRetainedWill("will/silent", "timed out");
        }
    }

    @Test
    void willNotPublishedAfterDisconnect() throws Exception {
        // MQTT-3.1.2-10, MQTT-3.14.4-3: DISCONNECT discards the will
        try (Paho sub = paho(broker, "polite-sub", true); Paho pub = paho(broker, "polite-pub", true)) {
            sub.subscribe("will/polite", 1);
            long willsBefore = metric(broker, "messages.wills_published");
            try (RawMqttClient c = raw(broker,
                    connect("polite", true, 30, will("will/polite", "should not appear", Qos.AT_LEAST_ONCE, false)))) {
                c.send(Disconnect.NORMAL);
                assertThat(c.awaitClosed(TIMEOUT)).isTrue();
            }
            // The clean session ends once the broker handled the closed connection (a will would be out by then).
            V311Clients.awaitNoSession(broker, "polite");
            pub.publishMarker("will/polite");
            assertThat(sub.until("will/polite")).isEmpty();
            assertThat(metric(broker, "messages.wills_published")).isEqualTo(willsBefore);
        }
    }

    @Test
    void willOfConnectedClientPublishedWhenItsSessionIsTakenOver() throws Exception {
        // MQTT-3.1.4-2: the existing connection is closed by the server, so its will is published (MQTT-3.1.2-8)
        try (Paho sub = paho(broker, "takeover-will-sub", true)) {
            sub.subscribe("will/takeover", 1);
            try (RawMqttClient old = raw(broker,
                    connect("taken", true, 30, will("will/takeover", "taken over", Qos.AT_LEAST_ONCE, false)));
                 Paho replacement = paho(broker, "taken", true)) {
                assertThat(old.awaitClosed(TIMEOUT)).as("the old connection is closed").isTrue();
                assertThat(replacement.client.isConnected()).isTrue();
                assertThat(sub.next()).extracting(Received::topic, Received::payload, Received::retained)
                        .containsExactly("will/takeover", "taken over", false);
                assertThat(sub.drain()).extracting(Received::payload).doesNotContain("taken over");
            }
        }
    }
}
