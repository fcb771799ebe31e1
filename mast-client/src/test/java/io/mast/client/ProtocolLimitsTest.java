package io.mast.client;

import static io.mast.client.MastClientFlowTest.get;
import static io.mast.client.MastClientFlowTest.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.mast.codec.MqttProperties;
import io.mast.codec.Qos;
import io.mast.codec.ReasonCode;
import io.mast.codec.packet.Auth;
import io.mast.codec.packet.ConnAck;
import io.mast.codec.packet.Connect;
import io.mast.codec.packet.Disconnect;
import io.mast.codec.packet.PubAck;
import io.mast.codec.packet.Publish;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Topic aliases both ways, Maximum Packet Size both ways, enhanced authentication. */
class ProtocolLimitsTest {

    private FakeBroker broker;
    private MastClient client;

    @BeforeEach
    void start() throws InterruptedException {
        broker = FakeBroker.start();
    }

    @AfterEach
    void stop() {
        if (client != null) {
            client.close();
        }
        broker.close();
    }

    @Test
    void outgoingTopicAliasesAreUsedWhenTheServerAllowsThemLeastRecentlyUsedGivingTheirsUp() throws Exception {
        client = broker.client("c-alias-out").build();
        CompletableFuture<ConnectResult> connected = client.connect();
        FakeBroker.Conn c = broker.acceptAndConnAck(false, MqttProperties.builder().topicAliasMaximum(2).build());
        get(connected);
        for (String t : List.of("a", "a", "b", "c", "a")) {
            client.publish(t, utf8(t), Qos.AT_MOST_ONCE);
        }
        List<String> wire = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            Publish p = c.expect(Publish.class);
            wire.add("'" + p.topic() + "' alias " + p.properties().topicAlias() + " "
                    + new String(p.payload(), StandardCharsets.UTF_8));
        }
        assertThat(wire).containsExactly("'a' alias 1 a", "'' alias 1 a", "'b' alias 2 b",
                "'c' alias 1 c", // a was least recently used
                "'a' alias 2 a"); // then b
    }

    @Test
    void noOutgoingAliasesWhenTheServerDoesNotAllowThem() throws Exception {
        client = broker.client("c-alias-none").build();
        CompletableFuture<ConnectResult> connected = client.connect();
        FakeBroker.Conn c = broker.acceptAndConnAck(false, MqttProperties.EMPTY);
        get(connected);
        client.publish("n", utf8("1"), Qos.AT_MOST_ONCE);
        client.publish("n", utf8("2"), Qos.AT_MOST_ONCE);
        assertThat(c.expect(Publish.class).properties().topicAlias()).isNull();
        Publish second = c.expect(Publish.class);
        assertThat(second.topic()).isEqualTo("n");
        assertThat(second.properties().topicAlias()).isNull();
    }

    @Test
    void incomingTopicAliasesAreResolvedAndAnInvalidOneClosesWithTopicAliasInvalid() throws Exception {
        List<String> topics = new CopyOnWriteArrayList<>();
        client = broker.client("c-alias-in").topicAliasMaximum(3).onMessage(m -> {
            assertThat(m.properties().topicAlias()).isNull();
            topics.add(m.topic());
        }).build();
        CompletableFuture<ConnectResult> connected = client.connect();
        FakeBroker.Conn c = broker.acceptAndConnAck(false, MqttProperties.EMPTY);
        assertThat(c.connect.properties().topicAliasMaximum()).isEqualTo(3);
        get(connected);
        MqttProperties alias1 = MqttProperties.builder().topicAlias(1).build();
        c.send(new Publish(false, Qos.AT_MOST_ONCE, false, "long/topic/name", 0, alias1, utf8("1")));
        c.send(new Publish(false, Qos.AT_LEAST_ONCE, false, "", 5, alias1, utf8("2")));
        c.expect(PubAck.class);
        assertThat(topics).containsExactly("long/topic/name", "long/topic/name");

        c.send(new Publish(false, Qos.AT_MOST_ONCE, false, "x", 0, MqttProperties.builder().topicAlias(4).build(), utf8("3")));
        Disconnect d = c.expect(Disconnect.class);
        assertThat(d.reasonCode()).isEqualTo(ReasonCode.TOPIC_ALIAS_INVALID);
        assertThat(c.awaitClosed()).isTrue();
        assertThat(topics).hasSize(2);
    }

    @Test
    void aPublishLargerThanTheServerAcceptsFailsWithoutBeingSent() throws Exception {
        client = broker.client("c-size-out").build();
        CompletableFuture<ConnectResult> connected = client.connect();
        FakeBroker.Conn c = broker.acceptAndConnAck(false, MqttProperties.builder().maximumPacketSize(100L).build());
        get(connected);
        assertThatThrownBy(() -> get(client.publish("big", new byte[200], Qos.AT_LEAST_ONCE)))
                .hasMessageContaining("exceeds the server's maximum packet size of 100");
        CompletableFuture<PublishResult> small = client.publish("small", new byte[10], Qos.AT_LEAST_ONCE);
        Publish p = c.expect(Publish.class);
        assertThat(p.topic()).isEqualTo("small");
        c.send(new PubAck(p.packetId()));
        assertThat(get(small).isSuccess()).isTrue();
    }

    @Test
    void aPacketLargerThanTheClientAcceptsClosesWithPacketTooLarge() throws Exception {
        List<DisconnectEvent> lost = new CopyOnWriteArrayList<>();
        client = broker.client("c-size-in").maximumPacketSize(64).connectionListener(new ConnectionListener() {
            @Override
            public void onDisconnected(DisconnectEvent event) {
                lost.add(event);
            }
        }).build();
        CompletableFuture<ConnectResult> connected = client.connect();
        FakeBroker.Conn c = broker.acceptAndConnAck(false, MqttProperties.EMPTY);
        assertThat(c.connect.properties().maximumPacketSize()).isEqualTo(64L);
        get(connected);
        c.send(new Publish(false, Qos.AT_MOST_ONCE, false, "big", 0, MqttProperties.EMPTY, new byte[100]));
        assertThat(c.expect(Disconnect.class).reasonCode()).isEqualTo(ReasonCode.PACKET_TOO_LARGE);
        assertThat(c.awaitClosed()).isTrue();
        await().atMost(FakeBroker.TIMEOUT).until(() -> !lost.isEmpty());
        assertThat(lost.get(0).cause()).hasMessageContaining("maximum packet size");
    }

    @Test
    void enhancedAuthenticationAnswersChallengesThroughTheCallback() throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        EnhancedAuth auth = new EnhancedAuth() {
            @Override
            public String method() {
                return "TEST-CHALLENGE";
            }

            @Override
            public byte[] initialData() {
                return utf8("hello");
            }

            @Override
            public CompletionStage<byte[]> onChallenge(byte[] serverData) {
                seen.add("challenge " + new String(serverData, StandardCharsets.UTF_8));
                return CompletableFuture.supplyAsync(() -> utf8("answer to " + new String(serverData, StandardCharsets.UTF_8)));
            }

            @Override
            public void onSuccess(byte[] serverData) {
                seen.add("success " + (serverData == null ? "-" : new String(serverData, StandardCharsets.UTF_8)));
            }
        };
        client = broker.client("c-auth").enhancedAuth(auth).build();
        CompletableFuture<ConnectResult> connected = client.connect();
        FakeBroker.Conn c = broker.accept();
        Connect connect = c.expect(Connect.class);
        assertThat(connect.properties().authenticationMethod()).isEqualTo("TEST-CHALLENGE");
        assertThat(connect.properties().authenticationData()).isEqualTo(utf8("hello"));
        c.send(new Auth(ReasonCode.CONTINUE_AUTHENTICATION, MqttProperties.builder()
                .authenticationMethod("TEST-CHALLENGE").authenticationData(utf8("nonce-1")).build()));
        Auth answer = c.expect(Auth.class);
        assertThat(answer.reasonCode()).isEqualTo(ReasonCode.CONTINUE_AUTHENTICATION);
        assertThat(answer.properties().authenticationMethod()).isEqualTo("TEST-CHALLENGE");
        assertThat(new String(answer.properties().authenticationData(), StandardCharsets.UTF_8)).isEqualTo("answer to nonce-1");
        c.send(new ConnAck(false, ReasonCode.SUCCESS, MqttProperties.builder()
                .authenticationMethod("TEST-CHALLENGE").authenticationData(utf8("welcome")).build()));
        get(connected);
        assertThat(seen).containsExactly("challenge nonce-1", "success welcome");

        CompletableFuture<Void> reauth = client.reauthenticate();
        Auth re = c.expect(Auth.class);
        assertThat(re.reasonCode()).isEqualTo(ReasonCode.RE_AUTHENTICATE);
        assertThat(Arrays.equals(re.properties().authenticationData(), utf8("hello"))).isTrue();
        c.send(new Auth(ReasonCode.SUCCESS, MqttProperties.builder().authenticationMethod("TEST-CHALLENGE").build()));
        get(reauth);
        assertThat(seen).containsExactly("challenge nonce-1", "success welcome", "success -");
    }
}
