package io.mast.it;

import static io.mast.it.V311Clients.TIMEOUT;
import static io.mast.it.V311Clients.connect;
import static io.mast.it.V311Clients.paho;
import static io.mast.it.V311Clients.publish;
import static io.mast.it.V311Clients.raw;
import static io.mast.it.V311Clients.subscribe;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.mast.codec.Qos;
import io.mast.codec.ReasonCode;
import io.mast.codec.packet.PubAck;
import io.mast.codec.packet.PubComp;
import io.mast.codec.packet.PubRec;
import io.mast.codec.packet.PubRel;
import io.mast.codec.packet.Publish;
import io.mast.it.V311Clients.Paho;
import io.mast.it.V311Clients.Received;
import io.mast.testkit.MastBrokerExtension;
import io.mast.testkit.RawMqttClient;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** QoS 0, 1 and 2 flows of MQTT 3.1.1 in both directions, redelivery and offline queues (sections 4.3, 4.4, 4.5). */
class QosV311IT {

    @RegisterExtension
    static final MastBrokerExtension broker = MastBrokerExtension.create();

    private static String text(Publish p) {
        return new String(p.payload(), StandardCharsets.UTF_8);
    }

    @ParameterizedTest(name = "QoS {0}")
    @ValueSource(ints = {0, 1, 2})
    void publishFromClientAcknowledgedAndForwardedAtEachQos(int level) throws Exception {
        // MQTT-4.3.2-2 (PUBACK), MQTT-4.3.3-2 and -3 (PUBREC, PUBCOMP)
        Qos qos = Qos.ofLevel(level);
        String topic = "in/" + level;
        try (Paho sub = paho(broker, "in-sub-" + level, true);
             RawMqttClient pub = raw(broker, connect("in-pub-" + level, true, 30, null))) {
            sub.subscribe(topic, 2);
            int id = level == 0 ? 0 : 10 + level;
            pub.send(publish(topic, "inbound " + level, qos, id, false, false));
            switch (qos) {
                case AT_MOST_ONCE -> {
                }
                case AT_LEAST_ONCE -> assertThat(pub.expect(PubAck.class, TIMEOUT).packetId()).isEqualTo(id);
                case EXACTLY_ONCE -> {
                    assertThat(pub.expect(PubRec.class, TIMEOUT).packetId()).isEqualTo(id);
                    pub.send(new PubRel(id));
                    assertThat(pub.expect(PubComp.class, TIMEOUT).packetId()).isEqualTo(id);
                }
            }
            Received r = sub.next();
            assertThat(r.payload()).isEqualTo("inbound " + level);
            assertThat(r.qos()).isEqualTo(level);
        }
    }

    @ParameterizedTest(name = "QoS {0}")
    @ValueSource(ints = {0, 1, 2})
    void deliveryToClientFollowsEachQosFlow(int level) throws Exception {
        // MQTT-4.3.1-1, MQTT-4.3.2-1, MQTT-4.3.3-1 (PUBREL after PUBREC)
        String topic = "out/" + level;
        try (RawMqttClient sub = raw(broker, connect("out-sub-" + level, true, 30, null));
             Paho pub = paho(broker, "out-pub-" + level, true)) {
            subscribe(sub, 1, topic, Qos.EXACTLY_ONCE);
            pub.publish(topic, "outbound " + level, level, false);
            Publish p = sub.expect(Publish.class, TIMEOUT);
            assertThat(text(p)).isEqualTo("outbound " + level);
            assertThat(p.qos().level()).isEqualTo(level);
            assertThat(p.dup()).isFalse();
            assertThat(p.retain()).isFalse();
            if (level == 0) {
                assertThat(p.packetId()).isZero();
            } else if (level == 1) {
                assertThat(p.packetId()).isPositive();
                sub.send(new PubAck(p.packetId()));
            } else {
                assertThat(p.packetId()).isPositive();
                sub.send(new PubRec(p.packetId()));
                assertThat(sub.expect(PubRel.class, TIMEOUT).packetId()).isEqualTo(p.packetId());
                sub.send(new PubComp(p.packetId()));
            }
        }
    }

    @Test
    void qos2DeliveredExactlyOnceWhenPublisherResendsWithDup() throws Exception {
        // MQTT-4.3.3-2: the receiver must not forward the message again for a PUBLISH resent before PUBREL.
        try (Paho sub = paho(broker, "exactly-once-sub", true);
             RawMqttClient pub = raw(broker, connect("exactly-once-pub", true, 30, null))) {
            sub.subscribe("once/#", 2);
            pub.send(publish("once/t", "only once", Qos.EXACTLY_ONCE, 7, false, false));
            assertThat(pub.expect(PubRec.class, TIMEOUT).packetId()).isEqualTo(7);
            pub.send(publish("once/t", "only once", Qos.EXACTLY_ONCE, 7, true, false));
            assertThat(pub.expect(PubRec.class, TIMEOUT).packetId()).isEqualTo(7);
            pub.send(new PubRel(7));
            PubComp comp = pub.expect(PubComp.class, TIMEOUT);
            assertThat(comp.packetId()).isEqualTo(7);
            assertThat(comp.reasonCode()).isEqualTo(ReasonCode.SUCCESS);

            // A QoS 2 marker: Paho hands QoS 2 messages over on PUBREL, so a QoS 1 one could overtake it.
            pub.send(publish("once/marker", "m", Qos.EXACTLY_ONCE, 8, false, false));
            pub.expect(PubRec.class, TIMEOUT);
            pub.send(new PubRel(8));
            pub.expect(PubComp.class, TIMEOUT);
            List<Received> before = sub.until("once/marker");
            assertThat(before).extracting(Received::payload).containsExactly("only once");
        }
    }

    @Test
    void qos2DeliveredExactlyOnceWhenPublisherResendsAfterReconnecting() throws Exception {
        // MQTT-4.3.3-2 with MQTT-4.4.0-1: the broker keeps the received packet identifier in the publisher's session
        try (Paho sub = paho(broker, "once-again-sub", true)) {
            sub.subscribe("once-again/#", 2);
            try (RawMqttClient pub = raw(broker, connect("once-again-pub", false, 30, null))) {
                pub.send(publish("once-again/t", "only once", Qos.EXACTLY_ONCE, 9, false, false));
                assertThat(pub.expect(PubRec.class, TIMEOUT).packetId()).isEqualTo(9);
                // the connection drops before PUBREL
            }
            try (RawMqttClient pub = raw(broker, connect("once-again-pub", false, 30, null), ReasonCode.SUCCESS, true)) {
                pub.send(publish("once-again/t", "only once", Qos.EXACTLY_ONCE, 9, true, false));
                assertThat(pub.expect(PubRec.class, TIMEOUT).packetId()).isEqualTo(9);
                pub.send(new PubRel(9));
                assertThat(pub.expect(PubComp.class, TIMEOUT).reasonCode()).isEqualTo(ReasonCode.SUCCESS);
                pub.send(publish("once-again/marker", "m", Qos.EXACTLY_ONCE, 10, false, false));
                pub.expect(PubRec.class, TIMEOUT);
                pub.send(new PubRel(10));
                pub.expect(PubComp.class, TIMEOUT);
            }
            assertThat(sub.until("once-again/marker")).extracting(Received::payload).containsExactly("only once");
        }
    }

    /** A persistent raw subscriber that receives one message and returns it, unacknowledged. */
    private static Publish receiveWithoutAck(RawMqttClient sub, Paho pub, String topic, int qos) throws Exception {
        subscribe(sub, 1, topic, Qos.EXACTLY_ONCE);
        pub.publish(topic, "unacknowledged", qos, false);
        Publish first = sub.expect(Publish.class, TIMEOUT);
        assertThat(first.dup()).isFalse();
        assertThat(first.qos().level()).isEqualTo(qos);
        return first;
    }

    @Test
    void unacknowledgedQos1RedeliveredWithDupAndSamePacketIdOnReconnect() throws Exception {
        // MQTT-4.4.0-1, MQTT-3.3.1-1
        try (Paho pub = paho(broker, "redeliver1-pub", true)) {
            Publish first;
            try (RawMqttClient sub = raw(broker, connect("redeliver1", false, 30, null))) {
                first = receiveWithoutAck(sub, pub, "redeliver/1", 1);
            }
            try (RawMqttClient again = raw(broker, connect("redeliver1", false, 30, null), ReasonCode.SUCCESS, true)) {
                Publish p = again.expect(Publish.class, TIMEOUT);
                assertThat(p.dup()).as("DUP on redelivery").isTrue();
                assertThat(p.packetId()).isEqualTo(first.packetId());
                assertThat(p.qos()).isEqualTo(Qos.AT_LEAST_ONCE);
                assertThat(text(p)).isEqualTo("unacknowledged");
                again.send(new PubAck(p.packetId()));
            }
        }
    }

    @Test
    void unacknowledgedQos2RedeliveredWithDupAndSamePacketIdOnReconnect() throws Exception {
        // MQTT-4.4.0-1: no PUBREC yet, so the PUBLISH is sent again
        try (Paho pub = paho(broker, "redeliver2-pub", true)) {
            Publish first;
            try (RawMqttClient sub = raw(broker, connect("redeliver2", false, 30, null))) {
                first = receiveWithoutAck(sub, pub, "redeliver/2", 2);
            }
            try (RawMqttClient again = raw(broker, connect("redeliver2", false, 30, null), ReasonCode.SUCCESS, true)) {
                Publish p = again.expect(Publish.class, TIMEOUT);
                assertThat(p.dup()).as("DUP on redelivery").isTrue();
                assertThat(p.packetId()).isEqualTo(first.packetId());
                assertThat(p.qos()).isEqualTo(Qos.EXACTLY_ONCE);
                assertThat(text(p)).isEqualTo("unacknowledged");
                again.send(new PubRec(p.packetId()));
                assertThat(again.expect(PubRel.class, TIMEOUT).packetId()).isEqualTo(p.packetId());
                again.send(new PubComp(p.packetId()));
            }
        }
    }

    @Test
    void pubRelResentAfterPubRecOnReconnect() throws Exception {
        // MQTT-4.4.0-1: after PUBREC the broker resends PUBREL, not the PUBLISH
        try (Paho pub = paho(broker, "rel-pub", true)) {
            Publish first;
            try (RawMqttClient sub = raw(broker, connect("rel", false, 30, null))) {
                first = receiveWithoutAck(sub, pub, "rel/t", 2);
                sub.send(new PubRec(first.packetId()));
                assertThat(sub.expect(PubRel.class, TIMEOUT).packetId()).isEqualTo(first.packetId());
                // gone without PUBCOMP
            }
            try (RawMqttClient again = raw(broker, connect("rel", false, 30, null), ReasonCode.SUCCESS, true)) {
                assertThat(again.expect(PubRel.class, TIMEOUT).packetId()).isEqualTo(first.packetId());
                again.send(new PubComp(first.packetId()));
                pub.publish("rel/t", "next", 1, false);
                Publish next = again.expect(Publish.class, TIMEOUT);
                assertThat(text(next)).as("the released message is not sent again").isEqualTo("next");
                again.send(new PubAck(next.packetId()));
            }
        }
    }

    @Test
    void messagesQueuedForOfflinePersistentSessionDeliveredInOrderOnReconnect() throws Exception {
        // MQTT-3.1.2-5 (stored while disconnected), MQTT-4.6.0-6 (in order)
        try (Paho pub = paho(broker, "queue-pub", true)) {
            try (Paho sub = paho(broker, "queue-sub", false)) {
                sub.subscribe("queue/#", 1);
                sub.client.disconnect();
            }
            V311Clients.awaitOffline(broker, "queue-sub");
            // More than the inflight window (32): the rest follows from the queue as acknowledgements come.
            List<String> sent = IntStream.range(0, 40).mapToObj(i -> "m" + i).toList();
            for (String m : sent) {
                pub.publish("queue/t", m, 1, false);
            }
            try (Paho sub = paho(broker, "queue-sub", false)) {
                assertThat(sub.sessionPresent()).isTrue();
                pub.publishMarker("queue/marker");
                assertThat(sub.until("queue/marker")).extracting(Received::payload).containsExactlyElementsOf(sent);
            }
        }
    }

    @Test
    void deliveryQosDowngradedToSubscriptionQos() throws Exception {
        // MQTT-3.8.4-6 / section 3.8.4: delivered at the lower of the published and the granted QoS
        try (Paho sub = paho(broker, "down-sub", true); Paho pub = paho(broker, "down-pub", true)) {
            assertThat(sub.subscribe("down/0", 0)).isZero();
            assertThat(sub.subscribe("down/1", 1)).isEqualTo(1);
            pub.publish("down/0", "q2 to q0", 2, false);
            pub.publish("down/1", "q2 to q1", 2, false);
            pub.publish("down/0", "q1 to q0", 1, false);
            List<Received> got = List.of(sub.next(), sub.next(), sub.next());
            assertThat(got).extracting(Received::payload, Received::qos)
                    .containsExactlyInAnyOrder(
                            tuple("q2 to q0", 0),
                            tuple("q2 to q1", 1),
                            tuple("q1 to q0", 0));
        }
    }
}
