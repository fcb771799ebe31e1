package io.mast.it;

import static io.mast.exhook.proto.v3.ValuedResponse.ResponsedType.CONTINUE;
import static io.mast.exhook.proto.v3.ValuedResponse.ResponsedType.STOP_AND_RETURN;
import static io.mast.it.ExHookTesting.TIMEOUT;
import static io.mast.it.ExHookTesting.bool;
import static io.mast.it.ExHookTesting.ignore;
import static io.mast.it.ExHookTesting.spec;
import static io.mast.it.ExHookTesting.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.protobuf.ByteString;
import com.google.protobuf.Message;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5PubAckException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5SubAckException;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishResult;
import com.hivemq.client.mqtt.mqtt5.message.publish.puback.Mqtt5PubAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAckReasonCode;
import io.mast.exhook.proto.v3.ClientAuthenticateRequest;
import io.mast.exhook.proto.v3.ClientAuthorizeRequest;
import io.mast.exhook.proto.v3.MessagePublishRequest;
import io.mast.exhook.proto.v3.ValuedResponse;
import io.mast.testkit.MastBrokerExtension;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Decisions folded over two servers in config order, as EMQX folds them: IGNORE, CONTINUE and STOP_AND_RETURN for
 * client.authenticate, client.authorize and message.publish; HookSpec topics choosing the servers; the PUBACK
 * waiting for the decision.
 */
class ExHookDecisionsIT {

    static final ExHookTesting.Calls calls = new ExHookTesting.Calls();
    static final List<String> TOPICS = List.of("t/#", "rw/#", "drop/#", "slow/#", "x/#", "only/#");

    @RegisterExtension
    @Order(1)
    static final ExHookTesting.V3Server first = (ExHookTesting.V3Server) new ExHookTesting.V3Server("first", calls,
            List.of(spec("client.authenticate"), spec("client.authorize"),
                    spec("message.publish", TOPICS.toArray(String[]::new)))).start();

    @RegisterExtension
    @Order(2)
    static final ExHookTesting.V3Server second = (ExHookTesting.V3Server) new ExHookTesting.V3Server("second", calls,
            List.of(spec("client.authenticate"), spec("client.authorize"),
                    spec("message.publish", "only/#", "rw/#"))).start();

    @RegisterExtension
    @Order(3)
    static final MastBrokerExtension broker = ExHookTesting.broker(
            ExHookTesting.server("first", first.url()), ExHookTesting.server("second", second.url()));

    /** Answers client.authenticate by user name. */
    private static Function<Message, Message> byUser(java.util.Map<String, ValuedResponse> answers) {
        return r -> answers.getOrDefault(((ClientAuthenticateRequest) r).getClientinfo().getUsername(), ignore());
    }

    private Mqtt5BlockingClient login(String clientId, String user) {
        Mqtt5BlockingClient c = ExHookTesting.client(broker.port(), clientId);
        c.connectWith().simpleAuth().username(user).applySimpleAuth().send();
        return c;
    }

    private Mqtt5ConnAckReasonCode refused(String clientId, String user) {
        Mqtt5ConnAckException e = catchThrowableOfType(Mqtt5ConnAckException.class, () -> login(clientId, user));
        assertThat(e).as("%s is refused", user).isNotNull();
        return e.getMqttMessage().getReasonCode();
    }

    private List<ClientAuthenticateRequest> authenticates(String server, String clientId) {
        return calls.all().stream().filter(c -> c.server().equals(server) && c.method().equals("OnClientAuthenticate")
                && c.clientId().equals(clientId)).map(c -> (ClientAuthenticateRequest) c.request()).toList();
    }

    @Test
    void authenticationFoldsTheAnswersInServerOrder() {
        first.answers.put("OnClientAuthenticate", byUser(java.util.Map.of(
                "cont-false", bool(CONTINUE, false),
                "stop-true", bool(STOP_AND_RETURN, true),
                "cont-true", bool(CONTINUE, true),
                "no-value", ValuedResponse.newBuilder().setType(CONTINUE).build())));
        second.answers.put("OnClientAuthenticate", byUser(java.util.Map.of(
                "ignore-then-false", bool(CONTINUE, false),
                "cont-false", bool(CONTINUE, true),
                "stop-true", bool(CONTINUE, false))));

        // IGNORE skips the first; the second's CONTINUE false refuses (EMQX: not_authorized).
        assertThat(refused("a1", "ignore-then-false")).isEqualTo(Mqtt5ConnAckReasonCode.NOT_AUTHORIZED);
        // CONTINUE false, then the second sees result=false and answers true: allowed.
        login("a2", "cont-false").disconnect();
        assertThat(authenticates("second", "a2")).singleElement()
                .satisfies(r -> assertThat(r.getResult()).as("the first server's value").isFalse());
        // STOP_AND_RETURN true: the second is never asked.
        login("a3", "stop-true").disconnect();
        assertThat(authenticates("second", "a3")).isEmpty();
        // CONTINUE true, the second ignores: allowed.
        login("a4", "cont-true").disconnect();
        // Every server ignores (or answers without a value): the earlier result stands, Mast's default for a client
        // on this machine.
        login("a5", "no-value").disconnect();
        assertThat(authenticates("first", "a5")).singleElement()
                .satisfies(r -> assertThat(r.getResult()).isTrue());
        // Servers are asked in config order.
        List<String> order = calls.all().stream().filter(c -> c.clientId().equals("a2")
                && c.method().equals("OnClientAuthenticate")).map(ExHookTesting.Call::server).toList();
        assertThat(order).containsExactly("first", "second");
    }

    @Test
    void aRefusalCarriesTheReasonCodeAndStringOfMastsExtension() {
        first.answers.put("OnClientAuthenticate", r -> "banned".equals(((ClientAuthenticateRequest) r).getClientinfo()
                .getUsername()) ? bool(STOP_AND_RETURN, false).toBuilder().setReasonCode(0x8A)
                .setReasonString("banned here").build() : ignore());
        first.answers.put("OnClientAuthorize", r -> ((ClientAuthorizeRequest) r).getTopic().startsWith("x/quota")
                ? bool(STOP_AND_RETURN, false).toBuilder().setReasonCode(0x97).build() : ignore());
        first.answers.put("OnMessagePublish", r -> {
            var m = ((MessagePublishRequest) r).getMessage();
            var refused = ValuedResponse.newBuilder().setType(STOP_AND_RETURN)
                    .setMessage(m.toBuilder().putHeaders("allow_publish", "false"));
            return switch (m.getTopic()) {
                case "x/refuse" -> refused.setReasonCode(0x97).setReasonString("over quota").build();
                case "x/silent" -> refused.build();
                default -> ignore();
            };
        });

        Mqtt5ConnAckException login = catchThrowableOfType(Mqtt5ConnAckException.class, () -> login("r1", "banned"));
        assertThat(login).isNotNull();
        assertThat(login.getMqttMessage().getReasonCode()).isEqualTo(Mqtt5ConnAckReasonCode.BANNED);
        assertThat(login.getMqttMessage().getReasonString().map(Object::toString)).contains("banned here");

        Mqtt5BlockingClient c = ExHookTesting.connect(broker.port(), "r2");
        Mqtt5SubAckException sub = catchThrowableOfType(Mqtt5SubAckException.class,
                () -> c.subscribeWith().topicFilter("x/quota/#").qos(MqttQos.AT_LEAST_ONCE).send());
        assertThat(sub).isNotNull();
        assertThat(sub.getMqttMessage().getReasonCodes()).containsExactly(Mqtt5SubAckReasonCode.QUOTA_EXCEEDED);

        Mqtt5PubAckException pub = catchThrowableOfType(Mqtt5PubAckException.class,
                () -> c.publishWith().topic("x/refuse").qos(MqttQos.AT_LEAST_ONCE).payload(utf8("m")).send());
        assertThat(pub).as("refused, not dropped").isNotNull();
        assertThat(pub.getMqttMessage().getReasonCode()).isEqualTo(Mqtt5PubAckReasonCode.QUOTA_EXCEEDED);
        assertThat(pub.getMqttMessage().getReasonString().map(Object::toString)).contains("over quota");
        // Without a reason code, allow_publish=false drops the message as EMQX does: the publisher is acknowledged.
        c.publishWith().topic("x/silent").qos(MqttQos.AT_LEAST_ONCE).payload(utf8("m")).send();
        c.disconnect();
    }

    @Test
    void authorizationDecidesSubscribeAndPublish() {
        first.answers.put("OnClientAuthorize", r -> {
            ClientAuthorizeRequest a = (ClientAuthorizeRequest) r;
            if (a.getTopic().startsWith("deny/")) {
                return a.getType() == ClientAuthorizeRequest.AuthorizeReqType.SUBSCRIBE
                        ? bool(STOP_AND_RETURN, false) : bool(CONTINUE, false);
            }
            return ignore();
        });
        Mqtt5BlockingClient c = ExHookTesting.connect(broker.port(), "z1");
        Mqtt5SubAckException sub = catchThrowableOfType(Mqtt5SubAckException.class,
                () -> c.subscribeWith().topicFilter("deny/#").qos(MqttQos.AT_LEAST_ONCE).send());
        assertThat(sub).isNotNull();
        assertThat(sub.getMqttMessage().getReasonCodes()).containsExactly(Mqtt5SubAckReasonCode.NOT_AUTHORIZED);
        Mqtt5PubAckException pub = catchThrowableOfType(Mqtt5PubAckException.class,
                () -> c.publishWith().topic("deny/x").qos(MqttQos.AT_LEAST_ONCE).payload(utf8("no")).send());
        assertThat(pub).isNotNull();
        assertThat(pub.getMqttMessage().getReasonCode()).isEqualTo(Mqtt5PubAckReasonCode.NOT_AUTHORIZED);
        assertThat(c.subscribeWith().topicFilter("ok/#").qos(MqttQos.AT_LEAST_ONCE).send().getReasonCodes())
                .containsExactly(Mqtt5SubAckReasonCode.GRANTED_QOS_1);
        // The second server saw the first's CONTINUE false as the result so far.
        assertThat(calls.of("OnClientAuthorize", ClientAuthorizeRequest.class, r -> r.getTopic().equals("deny/x")
                && !r.getResult())).hasSize(1);
        c.disconnect();
    }

    @Test
    void publishAnswersChangeOrDropTheMessage() throws Exception {
        first.answers.put("OnMessagePublish", r -> {
            var m = ((MessagePublishRequest) r).getMessage();
            if (m.getTopic().equals("rw/in")) {
                return ExHookTesting.message(CONTINUE, m.toBuilder().setTopic("rw/out")
                        .setPayload(ByteString.copyFromUtf8(m.getPayload().toStringUtf8().toUpperCase())).build());
            }
            if (m.getTopic().startsWith("drop/")) {
                return ExHookTesting.message(STOP_AND_RETURN, m.toBuilder().putHeaders("allow_publish", "false").build());
            }
            return ignore();
        });
        second.answers.put("OnMessagePublish", r -> {
            var m = ((MessagePublishRequest) r).getMessage();
            return m.getTopic().equals("rw/out")
                    ? ExHookTesting.message(CONTINUE, m.toBuilder().setQos(0).build()) : ignore();
        });
        Mqtt5BlockingClient sub = ExHookTesting.connect(broker.port(), "p-sub");
        Mqtt5BlockingClient pub = ExHookTesting.connect(broker.port(), "p-pub");
        try (var received = sub.publishes(MqttGlobalPublishFilter.ALL)) {
            sub.subscribeWith().topicFilter("rw/#").qos(MqttQos.AT_LEAST_ONCE).send();
            sub.subscribeWith().topicFilter("drop/#").qos(MqttQos.AT_LEAST_ONCE).send();
            pub.publishWith().topic("rw/in").qos(MqttQos.AT_LEAST_ONCE).payload(utf8("hello")).send();
            Optional<Mqtt5Publish> changed = received.receive(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(changed).isPresent();
            assertThat(changed.get().getTopic().toString()).isEqualTo("rw/out");
            assertThat(new String(changed.get().getPayloadAsBytes(), StandardCharsets.UTF_8)).isEqualTo("HELLO");
            assertThat(changed.get().getQos()).as("the second server's change").isEqualTo(MqttQos.AT_MOST_ONCE);
            // The second server was asked with the first one's message.
            assertThat(calls.of("OnMessagePublish", MessagePublishRequest.class,
                    r -> r.getMessage().getTopic().equals("rw/out"))).hasSize(1);

            Mqtt5PublishResult dropped = pub.publishWith().topic("drop/x").qos(MqttQos.AT_LEAST_ONCE)
                    .payload(utf8("gone")).send();
            assertThat(dropped.getError()).as("a dropped message is acknowledged").isEmpty();
            pub.publishWith().topic("rw/marker").qos(MqttQos.AT_LEAST_ONCE).payload(utf8("after")).send();
            Optional<Mqtt5Publish> next = received.receive(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(next).isPresent();
            assertThat(next.get().getTopic().toString()).as("drop/x never arrives").isEqualTo("rw/marker");
        }
        sub.disconnect();
        pub.disconnect();
    }

    @Test
    void hookSpecTopicsChooseTheServers() {
        Mqtt5BlockingClient pub = ExHookTesting.connect(broker.port(), "f-pub");
        pub.publishWith().topic("x/1").qos(MqttQos.AT_LEAST_ONCE).payload(utf8("a")).send();
        pub.publishWith().topic("only/1").qos(MqttQos.AT_LEAST_ONCE).payload(utf8("b")).send();
        pub.publishWith().topic("elsewhere/1").qos(MqttQos.AT_LEAST_ONCE).payload(utf8("c")).send();
        pub.disconnect();
        List<String> seen = calls.all().stream().filter(c -> c.method().equals("OnMessagePublish")
                && c.request() instanceof MessagePublishRequest r && r.getMessage().getFrom().equals("f-pub"))
                .map(c -> c.server() + ":" + ((MessagePublishRequest) c.request()).getMessage().getTopic()).toList();
        assertThat(seen).containsExactly("first:x/1", "first:only/1", "second:only/1");
    }

    @Test
    void thePubackWaitsForTheDecisionWhileOtherClientsGoOn() throws Exception {
        first.hold("OnMessagePublish");
        Mqtt5AsyncClient slow = ExHookTesting.connectAsync(broker.port(), "w-slow");
        Mqtt5AsyncClient other = ExHookTesting.connectAsync(broker.port(), "w-other");
        CompletableFuture<Mqtt5PublishResult> held = slow.publishWith().topic("slow/1").qos(MqttQos.AT_LEAST_ONCE)
                .payload(utf8("wait")).send();
        calls.await("OnMessagePublish", MessagePublishRequest.class, r -> r.getMessage().getTopic().equals("slow/1"));
        // A client whose topic no server hooks is acknowledged while the first server holds its answer.
        Mqtt5PublishResult free = other.publishWith().topic("free/1").qos(MqttQos.AT_LEAST_ONCE).payload(utf8("go"))
                .send().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(free.getError()).isEmpty();
        assertThat(held).as("no PUBACK before the server answered").isNotDone();
        first.release();
        assertThat(held.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).getError()).isEmpty();
        slow.disconnect();
        other.disconnect();
    }
}
