package io.mast.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mast.codec.Qos;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The small pieces: URIs, packet identifiers, the outgoing alias cache, message building, argument checks. */
class ClientBasicsTest {

    @Test
    void serverUrisOfEveryScheme() {
        assertThat(ServerUri.parse("mqtt://alice:s3cret@broker.example:1884/sensors/room1"))
                .isEqualTo(new ServerUri("broker.example", 1884, false, false, "sensors/room1", "alice", "s3cret"));
        assertThat(ServerUri.parse("mqtts://h")).isEqualTo(new ServerUri("h", 8883, true, false, "", null, null));
        assertThat(ServerUri.parse("ws://127.0.0.1:9001/mqtt")).isEqualTo(new ServerUri("127.0.0.1", 9001, false, true, "mqtt", null, null));
        assertThat(ServerUri.parse("wss://h/")).isEqualTo(new ServerUri("h", 443, true, true, "", null, null));
        assertThat(ServerUri.parse("tcp://[::1]:1883").host()).isEqualTo("::1");
        assertThat(ServerUri.parse("mqtt://bob@h").username()).isEqualTo("bob");
        assertThatThrownBy(() -> ServerUri.parse("http://h")).hasMessageContaining("unsupported scheme");
        assertThatThrownBy(() -> ServerUri.parse("mqtt:///topic")).hasMessageContaining("no host");
    }

    @Test
    void builderTakesCredentialsAndTransportFromTheUri() {
        MastClient c = MastClient.builder().uri("wss://u:p@example.org/ws").build();
        assertThat(c.toString()).contains("example.org:443");
        MastClient d = MastClient.builder().uri("mqtt://example.org").build();
        assertThat(d.toString()).contains("example.org:1883");
        assertThat(d.clientId()).startsWith("mast-");
    }

    @Test
    void packetIdentifiersGoRoundAndSkipThoseInUse() {
        PacketIds ids = new PacketIds();
        assertThat(ids.allocate()).isEqualTo(1);
        assertThat(ids.allocate()).isEqualTo(2);
        ids.release(1);
        assertThat(ids.allocate()).as("not reused at once").isEqualTo(3);
        Set<Integer> all = new HashSet<>();
        for (int i = 0; i < 65_532; i++) {
            all.add(ids.allocate());
        }
        assertThat(all).hasSize(65_532).doesNotContain(0, 2, 3);
        assertThat(ids.inUse()).isEqualTo(65_534);
        assertThat(ids.allocate()).isEqualTo(1).as("the only one left");
        assertThat(ids.allocate()).isZero();
        ids.release(40_000);
        assertThat(ids.allocate()).isEqualTo(40_000);
    }

    @Test
    void aliasCacheReusesTheLeastRecentlyUsedAlias() {
        TopicAliasLru lru = new TopicAliasLru(2);
        assertThat(lru.use("a")).isEqualTo(new TopicAliasLru.Use(1, true));
        assertThat(lru.use("b")).isEqualTo(new TopicAliasLru.Use(2, true));
        assertThat(lru.use("a")).isEqualTo(new TopicAliasLru.Use(1, false));
        assertThat(lru.use("c")).isEqualTo(new TopicAliasLru.Use(2, true)); // b was least recently used
        assertThat(lru.use("a")).isEqualTo(new TopicAliasLru.Use(1, false));
        assertThat(lru.use("b")).isEqualTo(new TopicAliasLru.Use(2, true));
    }

    @Test
    void messagesAreBuiltWithTheirProperties() {
        MqttMessage m = MqttMessage.builder("t").payload("hé").qos(2).retain(true).userProperty("k", "v")
                .contentType("text/plain").utf8Payload(true).build();
        assertThat(m.qos()).isEqualTo(Qos.EXACTLY_ONCE);
        assertThat(m.payloadAsString()).isEqualTo("hé");
        assertThat(m.properties().userProperties()).hasSize(1);
        assertThat(m.properties().payloadFormatIndicator()).isEqualTo(1);
        assertThat(m.toBuilder().retain(false).build().retain()).isFalse();
        assertThat(m).isEqualTo(m.toBuilder().build());
        assertThatThrownBy(() -> MqttMessage.builder("t").qos(3)).hasMessageContaining("0, 1 or 2");
    }

    @Test
    void invalidTopicsAndFiltersFailWithoutTouchingTheNetwork() {
        MastClient c = MastClient.builder().build();
        assertThat(c.publish("a/+", new byte[0], Qos.AT_MOST_ONCE)).isCompletedExceptionally();
        assertThat(c.subscribe("a/#/b", Qos.AT_MOST_ONCE)).isCompletedExceptionally();
        assertThatThrownBy(() -> MastClient.builder().receiveMaximum(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MastClient.builder().version(io.mast.codec.MqttVersion.MQTT_3_1_1).clientId("")
                .cleanStart(false).build()).hasMessageContaining("needs a client identifier");
    }
}
