package io.mast.it;

import static io.mast.it.V311Clients.TIMEOUT;
import static io.mast.it.V311Clients.connect;
import static io.mast.it.V311Clients.paho;
import static io.mast.it.V311Clients.raw;
import static io.mast.it.V311Clients.subscribe;
import static org.assertj.core.api.Assertions.assertThat;

import io.mast.codec.Qos;
import io.mast.codec.packet.Publish;
import io.mast.it.V311Clients.Paho;
import io.mast.it.V311Clients.Received;
import io.mast.testkit.MastBrokerExtension;
import io.mast.testkit.RawMqttClient;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Shared subscriptions ($share/group/filter, as in MQTT 5.0 section 4.8.2) used by MQTT 3.1.1 clients. */
class SharedSubscriptionV311IT {

    static final int MESSAGES = 30;

    @RegisterExtension
    static final MastBrokerExtension broker = MastBrokerExtension.create();

    /** Three members of a group, each also subscribed to a plain marker topic. */
    private static List<Paho> members(String group, String filter, String marker) throws Exception {
        List<Paho> members = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                Paho m = paho(broker, group + "-member-" + i, true);
                members.add(m);
                m.subscribe("$share/" + group + "/" + filter, 1);
                m.subscribeMarker(marker);
            }
        } catch (Exception | AssertionError e) {
            members.forEach(Paho::close);
            throw e;
        }
        return members;
    }

    /** Publishes {@link #MESSAGES} messages, then a marker; returns what each member got before the marker. */
    private static List<List<String>> distribute(String group, String topic) throws Exception {
        String marker = group + "/marker";
        List<Paho> members = members(group, topic, marker);
        try (Paho pub = paho(broker, group + "-pub", true)) {
            for (int i = 0; i < MESSAGES; i++) {
                pub.publish(topic, "m" + i, 1, false);
            }
            pub.publishMarker(marker);
            List<List<String>> got = new ArrayList<>();
            for (Paho m : members) {
                got.add(m.until(marker).stream().map(Received::payload).toList());
            }
            return got;
        } finally {
            members.forEach(Paho::close);
        }
    }

    @Test
    void eachMessageGoesToExactlyOneMember() throws Exception {
        List<List<String>> got = distribute("once", "shared/once");
        List<String> all = got.stream().flatMap(List::stream).toList();
        assertThat(all).as("every message once, to one member only")
                .containsExactlyInAnyOrderElementsOf(IntStream.range(0, MESSAGES).mapToObj(i -> "m" + i).toList());
    }

    @Test
    void messagesAreDistributedRoundRobinAcrossMembers() throws Exception {
        List<List<String>> got = distribute("rr", "shared/rr");
        assertThat(got).as("messages per member").extracting(List::size)
                .containsExactly(MESSAGES / 3, MESSAGES / 3, MESSAGES / 3);
    }

    @Test
    void unacknowledgedQos1MessagesOfDisconnectingMemberGoToAnotherMember() throws Exception {
        String filter = "$share/handover/shared/handover";
        try (Paho other = paho(broker, "handover-other", true); Paho pub = paho(broker, "handover-pub", true)) {
            String taken;
            // A persistent member: its session outlives the connection, yet the message must not wait for it.
            try (RawMqttClient leaving = raw(broker, connect("handover-leaving", false, 30, null))) {
                subscribe(leaving, 1, filter, Qos.AT_LEAST_ONCE);
                other.subscribe(filter, 1);
                pub.publish("shared/handover", "one", 1, false);
                pub.publish("shared/handover", "two", 1, false);
                Publish p = leaving.expect(Publish.class, TIMEOUT);
                taken = new String(p.payload(), StandardCharsets.UTF_8);
                // no PUBACK: the connection drops
            }
            List<String> received = List.of(other.next().payload(), other.next().payload());
            assertThat(received).as("the other member gets its own message and the one left unacknowledged")
                    .containsExactlyInAnyOrder("one", "two");
            assertThat(taken).isIn("one", "two");
        }
    }
}
