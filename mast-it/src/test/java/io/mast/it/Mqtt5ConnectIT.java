package io.mast.it;

import static io.mast.it.V5Clients.TIMEOUT;
import static io.mast.it.V5Clients.pahoOptions;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAck;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishResult.Mqtt5Qos1Result;
import com.hivemq.client.mqtt.mqtt5.message.publish.puback.Mqtt5PubAckReasonCode;
import io.mast.broker.config.LimitsConfig;
import io.mast.broker.config.SessionConfig;
import io.mast.testkit.MastBrokerExtension;
import java.time.Duration;
import java.util.OptionalLong;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** CONNECT and CONNACK of MQTT 5.0: what the broker assigns, caps and announces, and session expiry. */
class Mqtt5ConnectIT {

    static final int MAX_KEEPALIVE = 30;
    static final int RECEIVE_MAXIMUM = 50;
    static final int MAX_PACKET_SIZE = 65_536;
    static final int MAX_TOPIC_ALIAS = 5;
    static final long MAX_SESSION_EXPIRY = 10;

    @RegisterExtension
    static final MastBrokerExtension broker = MastBrokerExtension.withConfig(c -> c
            .withLimits(new LimitsConfig(null, MAX_PACKET_SIZE, null, RECEIVE_MAXIMUM, null, MAX_KEEPALIVE,
                    MAX_TOPIC_ALIAS, null, null))
            .withSession(new SessionConfig(Duration.ofSeconds(MAX_SESSION_EXPIRY), null, null)));

    @RegisterExtension
    final V5Clients clients = new V5Clients(broker);

    @Test
    void emptyClientIdentifierGetsAnAssignedOne() {
        Mqtt5BlockingClient c = clients.hive(null);
        Mqtt5ConnAck ack = c.connectWith().cleanStart(true).send();

        assertThat(ack.getAssignedClientIdentifier()).isPresent();
        String assigned = ack.getAssignedClientIdentifier().get().toString();
        assertThat(assigned).isNotEmpty();
        assertThat(clients.session(assigned)).as("the session is held under the assigned identifier").isNotNull();
    }

    @Test
    void keepAliveAboveTheMaximumIsAnsweredWithServerKeepAlive() throws Exception {
        MqttConnectionOptions o = pahoOptions();
        o.setKeepAliveInterval(MAX_KEEPALIVE * 2);
        IMqttToken ack = clients.paho("conn-keepalive").connect(o);
        assertThat(ack.getResponseProperties().getServerKeepAlive()).isEqualTo(MAX_KEEPALIVE);

        MqttConnectionOptions within = pahoOptions();
        within.setKeepAliveInterval(MAX_KEEPALIVE);
        IMqttToken ack2 = clients.paho("conn-keepalive-ok").connect(within);
        assertThat(ack2.getResponseProperties().getServerKeepAlive()).as("no Server Keep Alive when within").isNull();
    }

    @Test
    void sessionIsKeptForItsExpiryIntervalThenDiscarded() throws Exception {
        long expiry = 2;
        V5Clients.Paho c = clients.paho("conn-expiry");
        MqttConnectionOptions first = pahoOptions();
        first.setSessionExpiryInterval(expiry);
        assertThat(c.connect(first).getSessionPresent()).isFalse();
        c.subscribe("conn/expiry/#", 1);
        c.disconnect();

        MqttConnectionOptions resume = pahoOptions();
        resume.setCleanStart(false);
        resume.setSessionExpiryInterval(expiry);
        assertThat(c.connect(resume).getSessionPresent()).as("resumed within the expiry interval").isTrue();
        c.disconnect();
        long disconnectedAt = System.nanoTime();
        long expiredBefore = clients.metric("sessions.expired");

        await().atMost(Duration.ofSeconds(expiry).plus(TIMEOUT)).until(() -> clients.session("conn-expiry") == null);
        long keptMillis = V5Clients.millisSince(disconnectedAt);
        assertThat(keptMillis).as("kept for the expiry interval").isGreaterThanOrEqualTo(expiry * 1000 - 100);
        assertThat(clients.metric("sessions.expired")).isEqualTo(expiredBefore + 1);

        assertThat(c.connect(resume).getSessionPresent()).as("nothing left to resume after expiry").isFalse();
    }

    @Test
    void cleanStartDiscardsTheExistingSession() {
        Mqtt5BlockingClient c = clients.hive("conn-clean");
        c.connectWith().cleanStart(true).sessionExpiryInterval(MAX_SESSION_EXPIRY).send();
        c.subscribeWith().topicFilter("conn/clean/t").qos(MqttQos.AT_LEAST_ONCE).send();
        c.disconnect();

        Mqtt5ConnAck again = c.connectWith().cleanStart(true).sessionExpiryInterval(MAX_SESSION_EXPIRY).send();
        assertThat(again.isSessionPresent()).isFalse();

        Mqtt5BlockingClient pub = clients.hive("conn-clean-pub");
        pub.connect();
        Mqtt5Qos1Result r = (Mqtt5Qos1Result) pub.publishWith().topic("conn/clean/t").qos(MqttQos.AT_LEAST_ONCE)
                .payload(V5Clients.utf8("x")).send();
        assertThat(r.getPubAck().getReasonCode()).as("the old subscription went with the session")
                .isEqualTo(Mqtt5PubAckReasonCode.NO_MATCHING_SUBSCRIBERS);
    }

    @Test
    void sessionExpiryAboveTheMaximumIsCappedAndToldInConnAck() {
        Mqtt5BlockingClient c = clients.hive("conn-capped");
        Mqtt5ConnAck ack = c.connectWith().cleanStart(true).sessionExpiryInterval(3600).send();

        assertThat(ack.getSessionExpiryInterval()).isEqualTo(OptionalLong.of(MAX_SESSION_EXPIRY));
        assertThat(clients.session("conn-capped").expiryInterval()).isEqualTo(MAX_SESSION_EXPIRY);
    }

    @Test
    void configuredLimitsAreAnnouncedInConnAck() {
        Mqtt5ConnAck ack = clients.hive("conn-limits").connect();

        assertThat(ack.getRestrictions().getReceiveMaximum()).isEqualTo(RECEIVE_MAXIMUM);
        assertThat(ack.getRestrictions().getMaximumPacketSize()).isEqualTo(MAX_PACKET_SIZE);
        assertThat(ack.getRestrictions().getTopicAliasMaximum()).isEqualTo(MAX_TOPIC_ALIAS);
    }
}
