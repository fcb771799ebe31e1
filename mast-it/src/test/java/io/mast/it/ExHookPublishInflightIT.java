package io.mast.it;

import static io.mast.exhook.proto.v3.ValuedResponse.ResponsedType.CONTINUE;
import static io.mast.it.ExHookTesting.TIMEOUT;
import static io.mast.it.ExHookTesting.spec;
import static io.mast.it.ExHookTesting.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishResult;
import io.mast.broker.MastBroker;
import io.mast.exhook.proto.v3.MessagePublishRequest;
import io.mast.testkit.MastBrokerExtension;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code publish_inflight}: several message.publish calls about one client under way at once, each started after the
 * one before it, the answers applied in the client's order (routing, then PUBACK) whatever order they come in; with
 * two servers, each message still goes to the first server, then to the second with the first one's answer. Without
 * the option, one call at a time, as EMQX makes them.
 */
class ExHookPublishInflightIT {

    static final int INFLIGHT = 4;
    static final int MESSAGES = 10;
    static final ExHookTesting.Calls calls = new ExHookTesting.Calls();

    @RegisterExtension
    @Order(1)
    static final ExHookTesting.V3Server first = (ExHookTesting.V3Server) new ExHookTesting.V3Server("first", calls,
            List.of(spec("message.publish", "pipe/#"))).start();

    @RegisterExtension
    @Order(2)
    static final ExHookTesting.V3Server second = (ExHookTesting.V3Server) new ExHookTesting.V3Server("second", calls,
            List.of(spec("message.publish", "pipe/#"))).start();

    @RegisterExtension
    @Order(3)
    static final MastBrokerExtension broker = ExHookTesting.broker(
            ExHookTesting.server("first", first.url(), "publish_inflight", INFLIGHT),
            ExHookTesting.server("second", second.url(), "publish_inflight", INFLIGHT));

    /** Appends a mark to the payload; the later the message, the sooner the answer, so answers come reversed. */
    private static Function<com.google.protobuf.Message, com.google.protobuf.Message> mark(String mark) {
        return r -> {
            var m = ((MessagePublishRequest) r).getMessage();
            int n = Integer.parseInt(m.getTopic().substring(m.getTopic().lastIndexOf('/') + 1));
            try {
                Thread.sleep((MESSAGES - n) * 15L);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return ExHookTesting.message(CONTINUE, m.toBuilder()
                    .setPayload(ByteString.copyFromUtf8(m.getPayload().toStringUtf8() + mark)).build());
        };
    }

    private static List<MessagePublishRequest> publishes(String server) {
        return calls.all().stream().filter(c -> c.server().equals(server) && c.method().equals("OnMessagePublish"))
                .map(c -> (MessagePublishRequest) c.request()).toList();
    }

    @Test
    void callsOverlapUpToTheLimitAndAnswersApplyInTheClientsOrder() throws Exception {
        first.answers.put("OnMessagePublish", mark("+1"));
        second.answers.put("OnMessagePublish", mark("+2"));
        first.hold("OnMessagePublish");
        Mqtt5BlockingClient sub = ExHookTesting.connect(broker.port(), "pipe-sub");
        Mqtt5AsyncClient pub = ExHookTesting.connectAsync(broker.port(), "pipe-pub");
        try (var received = sub.publishes(MqttGlobalPublishFilter.ALL)) {
            sub.subscribeWith().topicFilter("pipe/#").qos(MqttQos.AT_LEAST_ONCE).send();
            List<CompletableFuture<Mqtt5PublishResult>> acks = new ArrayList<>();
            for (int i = 1; i <= MESSAGES; i++) {
                acks.add(pub.publishWith().topic("pipe/" + i).qos(MqttQos.AT_LEAST_ONCE).payload(utf8("m" + i)).send());
            }
            // The first server holds its answers: exactly INFLIGHT calls are under way, in the client's order.
            await().atMost(TIMEOUT).untilAsserted(() -> assertThat(publishes("first")).hasSize(INFLIGHT));
            Thread.sleep(300);
            assertThat(publishes("first")).as("no more than publish_inflight at once").hasSize(INFLIGHT);
            assertThat(publishes("second")).as("the second server waits for the first one's answers").isEmpty();
            assertThat(received.receive(100, TimeUnit.MILLISECONDS)).as("nothing routed before the answers").isEmpty();

            first.release();
            List<String> got = new ArrayList<>();
            for (int i = 1; i <= MESSAGES; i++) {
                Optional<Mqtt5Publish> m = received.receive(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                assertThat(m).as("message %d", i).isPresent();
                got.add(m.get().getTopic() + " " + new String(m.get().getPayloadAsBytes(), StandardCharsets.UTF_8));
            }
            List<String> expected = new ArrayList<>();
            for (int i = 1; i <= MESSAGES; i++) {
                expected.add("pipe/" + i + " m" + i + "+1+2");
            }
            assertThat(got).as("in the order published, changed by both servers in turn").isEqualTo(expected);
            for (CompletableFuture<Mqtt5PublishResult> a : acks) {
                assertThat(a.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).getError()).isEmpty();
            }
            // Every message was asked once. (The broker starts the calls in order on one connection, but this test
            // server runs each call on a thread of its pool, so the handlers may record them in another order.)
            assertThat(publishes("first")).extracting(r -> r.getMessage().getTopic())
                    .containsExactlyInAnyOrderElementsOf(topics());
            assertThat(publishes("second")).extracting(r -> r.getMessage().getPayload().toStringUtf8())
                    .as("the second server saw each message as the first left it")
                    .allSatisfy(p -> assertThat(p).endsWith("+1"));
        }
        sub.disconnect();
        pub.disconnect().join();
    }

    private static List<String> topics() {
        List<String> t = new ArrayList<>();
        for (int i = 1; i <= MESSAGES; i++) {
            t.add("pipe/" + i);
        }
        return t;
    }

    @Test
    void withoutTheOptionOneCallAtATime() throws Exception {
        ExHookTesting.Calls own = new ExHookTesting.Calls();
        try (ExHookTesting.V3Server server = (ExHookTesting.V3Server) new ExHookTesting.V3Server("serial", own,
                List.of(spec("message.publish", "pipe/#"))).start();
             MastBroker b = ExHookTesting.startBroker(ExHookTesting.server("serial", server.url()))) {
            server.hold("OnMessagePublish");
            Mqtt5AsyncClient pub = ExHookTesting.connectAsync(b.port(), "serial-pub");
            List<CompletableFuture<Mqtt5PublishResult>> acks = new ArrayList<>();
            for (int i = 1; i <= 3; i++) {
                acks.add(pub.publishWith().topic("pipe/" + i).qos(MqttQos.AT_LEAST_ONCE).payload(utf8("m" + i)).send());
            }
            await().atMost(TIMEOUT).untilAsserted(() ->
                    assertThat(own.of("OnMessagePublish", MessagePublishRequest.class, r -> true)).hasSize(1));
            Thread.sleep(300);
            assertThat(own.of("OnMessagePublish", MessagePublishRequest.class, r -> true)).hasSize(1);
            server.release();
            for (CompletableFuture<Mqtt5PublishResult> a : acks) {
                assertThat(a.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).getError()).isEmpty();
            }
            assertThat(own.of("OnMessagePublish", MessagePublishRequest.class, r -> true))
                    .extracting(r -> r.getMessage().getTopic()).containsExactly("pipe/1", "pipe/2", "pipe/3");
            pub.disconnect().join();
        }
    }
}
