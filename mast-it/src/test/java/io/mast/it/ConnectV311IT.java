package io.mast.it;

import static io.mast.it.V311Clients.TIMEOUT;
import static io.mast.it.V311Clients.connect;
import static io.mast.it.V311Clients.options;
import static io.mast.it.V311Clients.paho;
import static io.mast.it.V311Clients.raw;
import static io.mast.it.V311Clients.will;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mast.broker.config.LimitsConfig;
import io.mast.codec.Qos;
import io.mast.codec.ReasonCode;
import io.mast.it.V311Clients.Paho;
import io.mast.it.V311Clients.Received;
import io.mast.testkit.MastBrokerExtension;
import io.mast.testkit.RawMqttClient;
import java.time.Duration;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** CONNECT of MQTT 3.1.1 clients: clean session, client identifiers, takeover, keep-alive (section 3.1). */
class ConnectV311IT {

    static final int MAX_KEEPALIVE = 120;

    @RegisterExtension
    static final MastBrokerExtension broker = MastBrokerExtension.withConfig(c -> c.withLimits(
            new LimitsConfig(null, null, null, null, null, MAX_KEEPALIVE, null, null, null)));

    @Test
    void cleanSession0KeepsSessionAndSubscriptionsAcrossReconnect() throws Exception {
        // MQTT-3.1.2-4, MQTT-3.2.2-2, MQTT-3.2.2-3
        try (Paho first = paho(broker, "cs0", false); Paho pub = paho(broker, "cs0-pub", true)) {
            assertThat(first.sessionPresent()).as("no session existed").isFalse();
            first.subscribe("cs0/t", 1);
            first.client.disconnect();
            try (Paho again = paho(broker, "cs0", false)) {
                assertThat(again.sessionPresent()).as("the session was kept").isTrue();
                pub.publish("cs0/t", "still subscribed", 1, false);
                Received r = again.next();
                assertThat(r.topic()).isEqualTo("cs0/t");
                assertThat(r.payload()).isEqualTo("still subscribed");
            }
        }
    }

    @Test
    void cleanSession1DiscardsSessionAndSubscriptions() throws Exception {
        // MQTT-3.1.2-6, MQTT-3.2.2-1
        try (Paho pub = paho(broker, "cs1-pub", true)) {
            try (Paho persistent = paho(broker, "cs1", false)) {
                persistent.subscribe("cs1/t", 1);
                persistent.client.disconnect();
            }
            try (Paho clean = paho(broker, "cs1", true)) {
                assertThat(clean.sessionPresent()).as("clean session 1 never resumes").isFalse();
                clean.subscribeMarker("cs1/marker");
                pub.publish("cs1/t", "old subscription", 1, false);
                pub.publishMarker("cs1/marker");
                assertThat(clean.until("cs1/marker")).as("the old subscription is gone").isEmpty();
                clean.client.disconnect();
            }
            // The clean session ended with its connection: nothing to resume.
            V311Clients.awaitNoSession(broker, "cs1");
            try (Paho later = paho(broker, "cs1", false)) {
                assertThat(later.sessionPresent()).isFalse();
            }
        }
    }

    @Test
    void zeroLengthClientIdAcceptedWithCleanSession1() throws Exception {
        // MQTT-3.1.3-6, MQTT-3.1.3-7
        try (Paho anonymous = paho(broker, "", true); Paho pub = paho(broker, "zero-id-pub", true)) {
            assertThat(anonymous.client.isConnected()).isTrue();
            assertThat(anonymous.sessionPresent()).isFalse();
            anonymous.subscribe("zero-id/t", 1);
            pub.publish("zero-id/t", "works", 1, false);
            assertThat(anonymous.next().payload()).isEqualTo("works");
        }
    }

    @Test
    void zeroLengthClientIdRefusedWithCleanSession0() throws Exception {
        // MQTT-3.1.3-8: CONNACK return code 0x02 (identifier rejected), then the connection is closed.
        try (RawMqttClient c = raw(broker, connect("", false, 30, null), ReasonCode.CLIENT_IDENTIFIER_NOT_VALID, false)) {
            assertThat(c.awaitClosed(TIMEOUT)).as("closed after the refusal").isTrue();
        }
    }

    @Test
    void sameClientIdTakesOverTheConnectedClient() throws Exception {
        // MQTT-3.1.4-2
        try (Paho first = paho(broker, "takeover", true); Paho second = paho(broker, "takeover", true);
             Paho pub = paho(broker, "takeover-pub", true)) {
            assertThat(first.awaitLost(TIMEOUT)).as("the first connection is closed").isTrue();
            assertThat(first.client.isConnected()).isFalse();
            assertThat(second.client.isConnected()).isTrue();
            second.subscribe("takeover/t", 1);
            pub.publish("takeover/t", "to the new one", 1, false);
            assertThat(second.next().payload()).isEqualTo("to the new one");
        }
    }

    @Test
    void takeoverWithCleanSession0ResumesAPersistentSession() throws Exception {
        // MQTT-3.1.4-2 with MQTT-3.1.2-4: the session outlives the connection that is taken over
        try (Paho first = paho(broker, "take-persistent", false); Paho pub = paho(broker, "take-persistent-pub", true)) {
            first.subscribe("take-persistent/t", 1);
            try (Paho second = paho(broker, "take-persistent", false)) {
                assertThat(first.awaitLost(TIMEOUT)).isTrue();
                assertThat(second.sessionPresent()).isTrue();
                pub.publish("take-persistent/t", "kept subscription", 1, false);
                assertThat(second.next().payload()).isEqualTo("kept subscription");
            }
        }
    }

    @Test
    void takeoverWithCleanSession0DoesNotResumeACleanSession() throws Exception {
        // MQTT-3.1.2-6: a Clean Session 1 session lasts as long as its connection and is never reused
        try (Paho first = paho(broker, "take-clean", true); Paho pub = paho(broker, "take-clean-pub", true)) {
            first.subscribe("take-clean/t", 1);
            try (Paho second = paho(broker, "take-clean", false)) {
                assertThat(first.awaitLost(TIMEOUT)).isTrue();
                assertThat(second.sessionPresent()).as("the clean session ended with its connection").isFalse();
                second.subscribeMarker("take-clean/marker");
                pub.publish("take-clean/t", "old subscription", 1, false);
                pub.publishMarker("take-clean/marker");
                assertThat(second.until("take-clean/marker")).as("the old subscription is gone").isEmpty();
            }
        }
    }

    @Test
    void keepAliveEnforcedAtOneAndAHalfTimes() throws Exception {
        // MQTT-3.1.2-24: no packet for 1.5 x keep-alive (1 s) closes the connection, and the will goes out.
        try (Paho sub = paho(broker, "keepalive-sub", true)) {
            sub.subscribe("keepalive/will", 1);
            long start = System.nanoTime();
            try (RawMqttClient silent = raw(broker,
                    connect("keepalive", true, 1, will("keepalive/will", "timed out", Qos.AT_LEAST_ONCE, false)))) {
                assertThat(silent.awaitClosed(Duration.ofSeconds(4))).as("closed for its silence").isTrue();
            }
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertThat(took).as("closed after 1.5 x keep-alive, not before")
                    .isBetween(Duration.ofMillis(1450), Duration.ofMillis(2500));
            Received will = sub.next();
            assertThat(will.topic()).isEqualTo("keepalive/will");
            assertThat(will.payload()).isEqualTo("timed out");
        }
    }

    @Test
    void keepAliveAboveMaxKeepaliveRefused() throws Exception {
        // 3.1.1 cannot tell the client another keep-alive: refused with return code 2, as Mosquitto does.
        MqttConnectOptions tooLong = options(true);
        tooLong.setKeepAliveInterval(MAX_KEEPALIVE + 1);
        assertThatThrownBy(() -> paho(broker, "keepalive-too-long", tooLong))
                .isInstanceOf(MqttException.class)
                .extracting(e -> ((MqttException) e).getReasonCode())
                .isEqualTo((int) MqttException.REASON_CODE_INVALID_CLIENT_ID);

        MqttConnectOptions atMax = options(true);
        atMax.setKeepAliveInterval(MAX_KEEPALIVE);
        try (Paho ok = paho(broker, "keepalive-at-max", atMax)) {
            assertThat(ok.client.isConnected()).isTrue();
        }
    }
}
