package io.mast.it;

import static io.mast.it.ExHookTesting.CONNECTED;
import static io.mast.it.ExHookTesting.DISCONNECTED;
import static io.mast.it.ExHookTesting.TIMEOUT;
import static io.mast.it.ExHookTesting.awaitStatus;
import static io.mast.it.ExHookTesting.bool;
import static io.mast.it.ExHookTesting.ignore;
import static io.mast.it.ExHookTesting.metric;
import static io.mast.it.ExHookTesting.server;
import static io.mast.it.ExHookTesting.spec;
import static io.mast.it.ExHookTesting.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
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
import io.mast.broker.MastBroker;
import io.mast.exhook.ExHookPlugin;
import io.mast.exhook.proto.v3.ClientAuthenticateRequest;
import io.mast.exhook.proto.v3.ClientAuthorizeRequest;
import io.mast.exhook.proto.v3.HookSpec;
import io.mast.exhook.proto.v3.MessageDeliveredRequest;
import io.mast.exhook.proto.v3.MessagePublishRequest;
import io.mast.exhook.proto.v3.ValuedResponse;
import io.mast.plugin.Message;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Mast's streaming mode with a hook server written with grpc-java that offers it (and EMQX-style unary servers beside
 * it): the behaviours of the unary mode, over the stream. Each test starts its own broker.
 */
class ExHookStreamIT {

    private static final ValuedResponse.ResponsedType CONTINUE = ValuedResponse.ResponsedType.CONTINUE;
    private static final ValuedResponse.ResponsedType STOP = ValuedResponse.ResponsedType.STOP_AND_RETURN;

    private final ExHookTesting.Calls calls = new ExHookTesting.Calls();
    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    private ExHookStreamTesting.StreamServer streaming(String name, HookSpec... hooks) {
        ExHookStreamTesting.StreamServer s = new ExHookStreamTesting.StreamServer(name, calls, List.of(hooks));
        open.add(s);
        s.start();
        return s;
    }

    private ExHookTesting.V3Server unary(String name, HookSpec... hooks) {
        ExHookTesting.V3Server s = new ExHookTesting.V3Server(name, calls, List.of(hooks));
        open.add(s);
        s.start();
        return s;
    }

    @SafeVarargs
    private MastBroker broker(Map<String, Object>... servers) {
        MastBroker b = ExHookTesting.startBroker(servers);
        open.add(b);
        return b;
    }

    private Mqtt5AsyncClient client(MastBroker b, String id) {
        Mqtt5AsyncClient c = ExHookTesting.connectAsync(b.port(), id);
        open.add(() -> c.disconnect());
        return c;
    }

    private static CompletableFuture<Mqtt5PublishResult> publish(Mqtt5AsyncClient c, String topic, String payload) {
        return c.publishWith().topic(topic).qos(MqttQos.AT_LEAST_ONCE).payload(utf8(payload)).send();
    }

    /** The PUBACK's reason code: SUCCESS, or the refusal (the HiveMQ client reports it as an error). */
    private static Mqtt5PubAckReasonCode puback(CompletableFuture<Mqtt5PublishResult> f) throws Exception {
        try {
            Mqtt5PublishResult r = f.get(TIMEOUT.toMillis() * 2, TimeUnit.MILLISECONDS);
            if (r.getError().isPresent() && r.getError().get() instanceof Mqtt5PubAckException e) {
                return e.getMqttMessage().getReasonCode();
            }
            assertThat(r.getError()).isEmpty();
            return Mqtt5PubAckReasonCode.SUCCESS;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Mqtt5PubAckException p) {
                return p.getMqttMessage().getReasonCode();
            }
            throw e;
        }
    }

    private static Function<com.google.protobuf.Message, com.google.protobuf.Message> appending(String suffix) {
        return r -> {
            var m = ((MessagePublishRequest) r).getMessage();
            return ExHookTesting.message(CONTINUE, m.toBuilder()
                    .setPayload(m.getPayload().concat(ByteString.copyFromUtf8(suffix))).build());
        };
    }

    private List<ExHookTesting.Call> callsOf(String server, String method) {
        return calls.all().stream().filter(c -> c.server().equals(server) && c.method().equals(method)).toList();
    }

    @Test
    void aServerOfferingTheStreamIsCalledOverItAndAnEmqxServerBesideItWithUnaryCalls() throws Exception {
        var first = streaming("first", spec("client.connected"), spec("message.publish", "fold/#"));
        var second = unary("second", spec("client.connected"), spec("message.publish", "fold/#"));
        first.answers.put("OnMessagePublish", appending("+first"));
        second.answers.put("OnMessagePublish", appending("+second"));
        MastBroker b = broker(server("first", first.url()), server("second", second.url()));
        awaitStatus(b, "first", CONNECTED);
        awaitStatus(b, "second", CONNECTED);

        Mqtt5BlockingClient sub = ExHookTesting.connect(b.port(), "st-sub");
        open.add(sub::disconnect);
        try (var received = sub.publishes(MqttGlobalPublishFilter.ALL)) {
            sub.subscribeWith().topicFilter("fold/#").qos(MqttQos.AT_LEAST_ONCE).send();
            Mqtt5AsyncClient pub = client(b, "st-pub");
            assertThat(puback(publish(pub, "fold/1", "m"))).isEqualTo(Mqtt5PubAckReasonCode.SUCCESS);
            Mqtt5Publish got = received.receive(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).orElseThrow();
            assertThat(new String(got.getPayloadAsBytes(), StandardCharsets.UTF_8))
                    .as("folded in config order: the streamed server's value goes on to the unary one")
                    .isEqualTo("m+first+second");
        }
        assertThat(first.opened()).isEqualTo(1);
        assertThat(callsOf("first", "OnMessagePublish")).isNotEmpty().allMatch(ExHookTesting.Call::streamed);
        assertThat(callsOf("first", "OnClientConnected")).isNotEmpty().allMatch(ExHookTesting.Call::streamed);
        assertThat(callsOf("first", "OnProviderLoaded")).as("loading stays unary").noneMatch(ExHookTesting.Call::streamed);
        assertThat(callsOf("second", "OnMessagePublish")).isNotEmpty().noneMatch(ExHookTesting.Call::streamed);
        assertThat(first.answered.get("OnMessagePublish")).as("decisions have an id").containsExactly(true);
        assertThat(first.answered.get("OnClientConnected")).as("notifications are not answered")
                .containsExactly(false);
        assertThat(metric(b, "first", "message.publish.succeeded")).isEqualTo(1);
        assertThat(metric(b, "first", "client.connected.succeeded")).isEqualTo(2);
    }

    @Test
    void everyKindOfAnswerDecidesAsOverUnaryCalls() throws Exception {
        var s = streaming("s", spec("client.authenticate"), spec("client.authorize"), spec("message.publish"))
                .sameMessage(true);
        Map<String, ValuedResponse> logins = Map.of(
                "no", bool(CONTINUE, false),
                "banned", bool(STOP, false).toBuilder().setReasonCode(0x8A).setReasonString("banned here").build(),
                "yes", bool(STOP, true));
        s.answers.put("OnClientAuthenticate", r -> logins.getOrDefault(
                ((ClientAuthenticateRequest) r).getClientinfo().getUsername(), ignore()));
        s.answers.put("OnClientAuthorize", r -> {
            String topic = ((ClientAuthorizeRequest) r).getTopic();
            if (topic.startsWith("deny/")) {
                return bool(CONTINUE, false);
            }
            if (topic.startsWith("quota/")) {
                return bool(STOP, false).toBuilder().setReasonCode(0x97).setReasonString("over quota").build();
            }
            return ignore();
        });
        s.answers.put("OnMessagePublish", r -> {
            var m = ((MessagePublishRequest) r).getMessage();
            return switch (m.getTopic().split("/")[0]) {
                case "change" -> ExHookTesting.message(CONTINUE, m.toBuilder().setTopic("changed/x")
                        .setPayload(ByteString.copyFromUtf8("new")).build());
                case "drop" -> ExHookTesting.message(CONTINUE, m.toBuilder().putHeaders("allow_publish", "false")
                        .build());
                case "refuse" -> ExHookTesting.message(STOP, m.toBuilder().putHeaders("allow_publish", "false")
                        .build()).toBuilder().setReasonCode(0x97).setReasonString("no room").build();
                case "same" -> ExHookTesting.message(CONTINUE, m);
                default -> ignore();
            };
        });
        MastBroker b = broker(server("s", s.url()));
        awaitStatus(b, "s", CONNECTED);

        for (var e : Map.of("no", Mqtt5ConnAckReasonCode.NOT_AUTHORIZED, "banned", Mqtt5ConnAckReasonCode.BANNED)
                .entrySet()) {
            Mqtt5ConnAckException refused = catchThrowableOfType(Mqtt5ConnAckException.class, () ->
                    ExHookTesting.client(b.port(), "st-" + e.getKey()).connectWith().simpleAuth()
                            .username(e.getKey()).applySimpleAuth().send());
            assertThat(refused).as("login of %s", e.getKey()).isNotNull();
            assertThat(refused.getMqttMessage().getReasonCode()).isEqualTo(e.getValue());
        }
        Mqtt5BlockingClient yes = ExHookTesting.client(b.port(), "st-yes");
        yes.connectWith().simpleAuth().username("yes").applySimpleAuth().send();
        open.add(yes::disconnect);

        Mqtt5SubAckException denied = catchThrowableOfType(Mqtt5SubAckException.class,
                () -> yes.subscribeWith().topicFilter("deny/#").send());
        assertThat(denied.getMqttMessage().getReasonCodes()).containsExactly(Mqtt5SubAckReasonCode.NOT_AUTHORIZED);
        try (var received = yes.publishes(MqttGlobalPublishFilter.ALL)) {
            yes.subscribeWith().topicFilter("changed/#").send();
            yes.subscribeWith().topicFilter("drop/#").send();
            yes.subscribeWith().topicFilter("same/#").send();
            Mqtt5AsyncClient pub = client(b, "st-pub");
            assertThat(puback(publish(pub, "quota/1", "q"))).isEqualTo(Mqtt5PubAckReasonCode.QUOTA_EXCEEDED);
            assertThat(puback(publish(pub, "refuse/1", "r"))).isEqualTo(Mqtt5PubAckReasonCode.QUOTA_EXCEEDED);
            assertThat(puback(publish(pub, "drop/1", "d"))).as("a drop is acknowledged")
                    .isEqualTo(Mqtt5PubAckReasonCode.SUCCESS);
            assertThat(puback(publish(pub, "change/1", "c"))).isEqualTo(Mqtt5PubAckReasonCode.SUCCESS);
            assertThat(puback(publish(pub, "same/1", "unchanged"))).isEqualTo(Mqtt5PubAckReasonCode.SUCCESS);
            Mqtt5Publish changed = received.receive(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).orElseThrow();
            assertThat(changed.getTopic().toString()).isEqualTo("changed/x");
            assertThat(new String(changed.getPayloadAsBytes(), StandardCharsets.UTF_8)).isEqualTo("new");
            Mqtt5Publish same = received.receive(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).orElseThrow();
            assertThat(same.getTopic().toString()).as("drop/1 never arrives").isEqualTo("same/1");
            assertThat(new String(same.getPayloadAsBytes(), StandardCharsets.UTF_8)).isEqualTo("unchanged");
        }
        assertThat(calls.all()).filteredOn(c -> !c.method().equals("OnProviderLoaded"))
                .isNotEmpty().allMatch(ExHookTesting.Call::streamed);
    }

    @Test
    void callsAboutOneClientKeepTheirOrderWhileAnswersComeInAnyOrder() throws Exception {
        var s = streaming("s", spec("client.connect"), spec("client.connected"), spec("client.disconnected"),
                spec("message.publish", "seq/#"));
        // Answers come from a thread each; give the early ones of every client some delay, so they finish late.
        s.answers.put("OnMessagePublish", r -> {
            var m = ((MessagePublishRequest) r).getMessage();
            int n = Integer.parseInt(m.getPayload().toStringUtf8());
            if (n % 10 == 0) {
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return ExHookTesting.message(CONTINUE, m);
        });
        MastBroker b = broker(server("s", s.url()));
        awaitStatus(b, "s", CONNECTED);
        Mqtt5BlockingClient sub = ExHookTesting.connect(b.port(), "o-sub");
        open.add(sub::disconnect);
        int clients = 5;
        int each = 60;
        try (var received = sub.publishes(MqttGlobalPublishFilter.ALL)) {
            sub.subscribeWith().topicFilter("seq/#").qos(MqttQos.AT_LEAST_ONCE).send();
            List<CompletableFuture<Mqtt5PublishResult>> acks = new ArrayList<>();
            List<Mqtt5AsyncClient> pubs = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                pubs.add(ExHookTesting.connectAsync(b.port(), "o-" + c));
            }
            for (int i = 0; i < each; i++) {
                for (int c = 0; c < clients; c++) {
                    acks.add(publish(pubs.get(c), "seq/" + c, Integer.toString(i)));
                }
            }
            for (var f : acks) {
                assertThat(puback(f)).isEqualTo(Mqtt5PubAckReasonCode.SUCCESS);
            }
            int[] next = new int[clients];
            for (int i = 0; i < clients * each; i++) {
                Mqtt5Publish p = received.receive(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).orElseThrow();
                int c = Integer.parseInt(p.getTopic().getLevels().get(1));
                assertThat(Integer.parseInt(new String(p.getPayloadAsBytes(), StandardCharsets.UTF_8)))
                        .as("delivered in the order client %d published", c).isEqualTo(next[c]++);
            }
            for (Mqtt5AsyncClient p : pubs) {
                p.disconnect().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            }
        }
        for (int c = 0; c < clients; c++) {
            String id = "o-" + c;
            List<Integer> asked = calls.of("OnMessagePublish", MessagePublishRequest.class,
                    r -> r.getMessage().getFrom().equals(id)).stream()
                    .map(r -> Integer.parseInt(r.getMessage().getPayload().toStringUtf8())).toList();
            assertThat(asked).as("the server got %s's publishes in order, once each", id)
                    .isEqualTo(java.util.stream.IntStream.range(0, each).boxed().toList());
            await().atMost(TIMEOUT).untilAsserted(() -> assertThat(calls.methodsFor("s", id))
                    .containsSubsequence("OnClientConnect", "OnClientConnected", "OnClientDisconnected"));
        }
    }

    @Test
    void requestsGatherInFramesWhileEarlierFramesWait() throws Exception {
        var s = streaming("s", spec("message.publish", "held/#"));
        MastBroker b = broker(server("s", s.url(), "batch_delay", "1s"));
        awaitStatus(b, "s", CONNECTED);
        s.hold("OnMessagePublish");
        List<Mqtt5AsyncClient> pubs = new ArrayList<>();
        for (int c = 0; c < 5; c++) {
            pubs.add(client(b, "g-" + c));
        }
        List<CompletableFuture<Mqtt5PublishResult>> acks = new ArrayList<>();
        // Two frames go out at once (the window); what comes while they wait gathers in the next frame.
        for (int c = 0; c < 2; c++) {
            acks.add(publish(pubs.get(c), "held/" + c, "x"));
            int n = c + 1;
            await().atMost(TIMEOUT).until(() -> s.frames.size() == n);
        }
        for (int c = 2; c < 5; c++) {
            acks.add(publish(pubs.get(c), "held/" + c, "x"));
        }
        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(metric(b, "s", "message.publish.succeeded"))
                .isZero());
        s.release();
        for (var f : acks) {
            assertThat(puback(f)).isEqualTo(Mqtt5PubAckReasonCode.SUCCESS);
        }
        assertThat(s.frames).as("frames: two sent at once, then the three that gathered")
                .containsExactly(1, 1, 3);
    }

    @Test
    void aTimeoutInsideAFrameFailsThatCallAlone() throws Exception {
        var s = streaming("s", spec("message.publish", "slow/#", "fast/#"));
        MastBroker b = broker(server("s", s.url(), "failed_action", "deny", "request_timeout", "500ms",
                "batch_delay", "50ms"));
        awaitStatus(b, "s", CONNECTED);
        Mqtt5AsyncClient slow = client(b, "t-slow");
        Mqtt5AsyncClient fast = client(b, "t-fast");
        s.hold("OnMessagePublish", r -> ((MessagePublishRequest) r).getMessage().getTopic().startsWith("slow/"));
        CompletableFuture<Mqtt5PublishResult> held = publish(slow, "slow/1", "x");
        CompletableFuture<Mqtt5PublishResult> quick = publish(fast, "fast/1", "y");
        assertThat(puback(quick)).as("answered beside the held call").isEqualTo(Mqtt5PubAckReasonCode.SUCCESS);
        assertThat(puback(held)).as("timed out under deny").isEqualTo(Mqtt5PubAckReasonCode.NOT_AUTHORIZED);
        assertThat(metric(b, "s", "message.publish.timed_out")).isEqualTo(1);
        s.release();
        assertThat(puback(publish(slow, "fast/2", "z"))).as("the client goes on after the timeout")
                .isEqualTo(Mqtt5PubAckReasonCode.SUCCESS);
        assertThat(metric(b, "s", "status")).as("a timeout does not disconnect").isEqualTo(CONNECTED);
        assertThat(metric(b, "s", "message.publish.succeeded")).as("the late answer is not counted").isEqualTo(2);
    }

    @Test
    void topicFiltersChooseTheMessagesAndSysTopicsAreNeverSent() throws Exception {
        var s = streaming("s", spec("message.publish", "t/#"), spec("message.delivered", "t/#"));
        MastBroker b = MastBroker.builder().bind("127.0.0.1").port(0)
                .plugin(ExHookPlugin.class.getName(), ExHookTesting.exhook(List.of(server("s", s.url()))))
                .plugin(ExHookHooksIT.BrokerPublisher.class, Map.of()).build();
        open.add(b);
        b.start().join();
        awaitStatus(b, "s", CONNECTED);
        Mqtt5BlockingClient sub = ExHookTesting.connect(b.port(), "f-sub");
        open.add(sub::disconnect);
        sub.subscribeWith().topicFilter("#").qos(MqttQos.AT_LEAST_ONCE).send();
        sub.subscribeWith().topicFilter("$SYS/#").qos(MqttQos.AT_LEAST_ONCE).send();
        Mqtt5AsyncClient pub = client(b, "f-pub");
        assertThat(puback(publish(pub, "u/1", "no"))).isEqualTo(Mqtt5PubAckReasonCode.SUCCESS);
        ExHookHooksIT.BrokerPublisher.context.publish(Message.of("$SYS/broker/x", "sys")).toCompletableFuture()
                .join();
        assertThat(puback(publish(pub, "t/1", "yes"))).isEqualTo(Mqtt5PubAckReasonCode.SUCCESS);
        calls.await("OnMessageDelivered", MessageDeliveredRequest.class,
                r -> r.getMessage().getTopic().equals("t/1"));
        assertThat(calls.all()).filteredOn(c -> c.method().startsWith("OnMessage"))
                .allMatch(c -> c.request().toString().contains("topic: \"t/1\""));
        assertThat(calls.all()).noneMatch(c -> c.request().toString().contains("$SYS"));
    }

    @Test
    void aStreamBrokenUnderLoadFollowsFailedActionWithoutHoldingOthersAndComesBack() throws Exception {
        var s = streaming("deny", spec("client.authenticate"), spec("message.publish", "hooked/#"));
        MastBroker b = broker(server("deny", s.url(), "failed_action", "deny", "auto_reconnect", "1s",
                "request_timeout", "2s"));
        awaitStatus(b, "deny", CONNECTED);
        Mqtt5AsyncClient hooked = client(b, "k-hooked");
        Mqtt5AsyncClient free = client(b, "k-free");

        List<CompletableFuture<Mqtt5PublishResult>> burst = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            burst.add(publish(hooked, "hooked/" + i, "m"));
            if (i == 100) {
                s.stop();
            }
        }
        // Nothing hangs: each message was decided before the stream broke, or refused because it broke.
        for (CompletableFuture<Mqtt5PublishResult> f : burst) {
            assertThat(puback(f)).isIn(Mqtt5PubAckReasonCode.SUCCESS, Mqtt5PubAckReasonCode.NOT_AUTHORIZED);
        }
        awaitStatus(b, "deny", DISCONNECTED);
        assertThat(puback(publish(hooked, "hooked/down", "m"))).as("deny while down")
                .isEqualTo(Mqtt5PubAckReasonCode.NOT_AUTHORIZED);
        assertThat(puback(publish(free, "free/down", "m"))).as("a topic the server does not hook")
                .isEqualTo(Mqtt5PubAckReasonCode.SUCCESS);
        assertThat(metric(b, "deny", "message.publish.failed")).isPositive();

        s.start();
        awaitStatus(b, "deny", CONNECTED);
        int before = callsOf("deny", "OnMessagePublish").size();
        assertThat(puback(publish(hooked, "hooked/back", "m"))).isEqualTo(Mqtt5PubAckReasonCode.SUCCESS);
        assertThat(s.opened()).as("a new stream after the reconnection").isEqualTo(2);
        assertThat(callsOf("deny", "OnMessagePublish").subList(before, callsOf("deny", "OnMessagePublish").size()))
                .hasSize(1).allMatch(ExHookTesting.Call::streamed);
        assertThat(callsOf("deny", "OnProviderLoaded")).as("loaded at startup and again after the restart")
                .hasSize(2);
    }

    @Test
    void theStreamsAServerOffersAreOpenedAndEachClientKeepsToOne() throws Exception {
        var s = streaming("s", spec("message.publish")).streams(2);
        MastBroker b = broker(server("s", s.url(), "pool_size", 4));
        awaitStatus(b, "s", CONNECTED);
        List<CompletableFuture<Mqtt5PublishResult>> acks = new ArrayList<>();
        for (int c = 0; c < 20; c++) {
            Mqtt5AsyncClient pub = client(b, "m-" + c);
            for (int i = 0; i < 5; i++) {
                acks.add(publish(pub, "m/" + c, Integer.toString(i)));
            }
        }
        for (var f : acks) {
            assertThat(puback(f)).isEqualTo(Mqtt5PubAckReasonCode.SUCCESS);
        }
        assertThat(s.opened()).isEqualTo(2);
        assertThat(s.streamsOf).hasSize(20).allSatisfy((client, streams) ->
                assertThat(streams).as("the streams of %s", client).hasSize(1));
        assertThat(s.streamsOf.values().stream().flatMap(java.util.Set::stream).distinct()).hasSize(2);
    }

    @Test
    void withSeveralAddressesEachClientKeepsToOneAndABrokenStreamHandsItsClientsToAnother() throws Exception {
        var one = streaming("one", spec("message.publish", "multi/#"));
        var two = streaming("two", spec("message.publish", "multi/#"));
        Map<String, Object> config = new java.util.LinkedHashMap<>();
        config.put("name", "multi");
        config.put("urls", List.of(one.url(), two.url()));
        config.put("failed_action", "deny");
        config.put("auto_reconnect", "1s");
        config.put("request_timeout", "2s");
        MastBroker b = broker(config);
        awaitStatus(b, "multi", CONNECTED);
        await().atMost(TIMEOUT).until(() -> one.opened() == 1 && two.opened() == 1);
        int clients = 20;
        List<Mqtt5AsyncClient> pubs = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            pubs.add(client(b, "a-" + c));
            assertThat(puback(publish(pubs.get(c), "multi/" + c, "first"))).isEqualTo(Mqtt5PubAckReasonCode.SUCCESS);
        }
        java.util.function.Function<String, Map<String, Long>> perClient = server -> calls.all().stream()
                .filter(x -> x.server().equals(server) && x.method().equals("OnMessagePublish"))
                .map(x -> ((MessagePublishRequest) x.request()).getMessage().getFrom())
                .collect(java.util.stream.Collectors.groupingBy(from -> from, java.util.stream.Collectors.counting()));
        Map<String, Long> atOne = perClient.apply("one");
        Map<String, Long> atTwo = perClient.apply("two");
        assertThat(atOne).as("both addresses take clients").isNotEmpty();
        assertThat(atTwo).as("both addresses take clients").isNotEmpty();
        assertThat(atOne.keySet()).as("each client keeps to one address").doesNotContainAnyElementsOf(atTwo.keySet());
        assertThat(atOne.size() + atTwo.size()).isEqualTo(clients);
        assertThat(calls.all()).filteredOn(x -> x.method().equals("OnMessagePublish"))
                .allMatch(ExHookTesting.Call::streamed);

        one.stop();
        // The clients of the broken stream are served by the other address: nobody is refused while one is up.
        for (int c = 0; c < clients; c++) {
            assertThat(puback(publish(pubs.get(c), "multi/" + c, "second"))).as("client a-%d", c)
                    .isEqualTo(Mqtt5PubAckReasonCode.SUCCESS);
        }
        assertThat(perClient.apply("two")).as("every client now at the address that is up").hasSize(clients);
        assertThat(metric(b, "multi", "status")).isEqualTo(CONNECTED);

        one.start();
        await().atMost(TIMEOUT.multipliedBy(2)).until(() -> one.opened() == 2);
        int before = perClient.apply("one").values().stream().mapToInt(Long::intValue).sum();
        for (int c = 0; c < clients; c++) {
            assertThat(puback(publish(pubs.get(c), "multi/" + c, "third"))).isEqualTo(Mqtt5PubAckReasonCode.SUCCESS);
        }
        assertThat(perClient.apply("one").values().stream().mapToInt(Long::intValue).sum())
                .as("the address reconnected over a new stream takes its clients back").isGreaterThan(before);
    }

    @Test
    void stoppingTheBrokerEndsTheStreamAfterWhatWasSentThenUnloads() throws Exception {
        var s = streaming("s", spec("client.disconnected"));
        MastBroker b = broker(server("s", s.url()));
        awaitStatus(b, "s", CONNECTED);
        Mqtt5AsyncClient c = ExHookTesting.connectAsync(b.port(), "e-1");
        c.disconnect().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        b.stop().get(TIMEOUT.toMillis() * 2, TimeUnit.MILLISECONDS);
        List<String> order = calls.all().stream().filter(x -> x.server().equals("s")).map(ExHookTesting.Call::method)
                .toList();
        assertThat(order).containsSubsequence("OnClientDisconnected", ExHookStreamTesting.END_OF_STREAM,
                "OnProviderUnloaded");
        assertThat(order.getLast()).isEqualTo("OnProviderUnloaded");
    }

    @Test
    void withStreamingOffTheOfferIsDeclinedAndCallsAreUnary() throws Exception {
        var s = streaming("s", spec("message.publish"));
        MastBroker b = broker(server("s", s.url(), "streaming", false));
        awaitStatus(b, "s", CONNECTED);
        assertThat(puback(publish(client(b, "u-1"), "u/1", "m"))).isEqualTo(Mqtt5PubAckReasonCode.SUCCESS);
        assertThat(s.opened()).isZero();
        assertThat(callsOf("s", "OnMessagePublish")).hasSize(1).noneMatch(ExHookTesting.Call::streamed);
    }
}
