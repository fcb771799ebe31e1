package io.mast.exhook.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import io.mast.exhook.proto.stream.HookRequest;
import io.mast.exhook.proto.stream.HookResponse;
import io.mast.exhook.proto.stream.HookStreamGrpc;
import io.mast.exhook.proto.stream.RequestBatch;
import io.mast.exhook.proto.stream.ResponseBatch;
import io.mast.exhook.proto.v3.ClientAuthenticateRequest;
import io.mast.exhook.proto.v3.ClientConnectedRequest;
import io.mast.exhook.proto.v3.HookProviderGrpc;
import io.mast.exhook.proto.v3.LoadedResponse;
import io.mast.exhook.proto.v3.MessagePublishRequest;
import io.mast.exhook.proto.v3.ProviderLoadedRequest;
import io.mast.exhook.proto.v3.ValuedResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The SDK's server on Mast's stream, called as the broker calls it: frames of requests, answers by id. */
class StreamTest {

    private static final long WAIT_SECONDS = 5;

    private HookServer server;
    private ManagedChannel channel;

    @AfterEach
    void tearDown() throws InterruptedException {
        if (channel != null) {
            channel.shutdownNow().awaitTermination(WAIT_SECONDS, TimeUnit.SECONDS);
        }
        if (server != null) {
            server.close();
        }
    }

    /** The broker's side of one stream: frames sent, answers and the end received. */
    private final class Broker implements StreamObserver<ResponseBatch> {
        final BlockingQueue<HookResponse> answers = new LinkedBlockingQueue<>();
        final CountDownLatch ended = new CountDownLatch(1);
        final StreamObserver<RequestBatch> requests;
        volatile Throwable error;

        Broker() {
            requests = HookStreamGrpc.newStub(channel).exchange(this);
        }

        void send(HookRequest... items) {
            requests.onNext(RequestBatch.newBuilder().addAllRequests(List.of(items)).build());
        }

        HookResponse next() throws InterruptedException {
            HookResponse r = answers.poll(WAIT_SECONDS, TimeUnit.SECONDS);
            assertThat(r).as("an answer").isNotNull();
            return r;
        }

        Map<Long, HookResponse> next(int n) throws InterruptedException {
            Map<Long, HookResponse> byId = new ConcurrentHashMap<>();
            for (int i = 0; i < n; i++) {
                HookResponse r = next();
                byId.put(r.getId(), r);
            }
            return byId;
        }

        @Override
        public void onNext(ResponseBatch frame) {
            answers.addAll(frame.getResponsesList());
        }

        @Override
        public void onError(Throwable t) {
            error = t;
            ended.countDown();
        }

        @Override
        public void onCompleted() {
            ended.countDown();
        }
    }

    private Broker serve(HookProvider provider) {
        server = HookServer.serve(provider, 0);
        channel = NettyChannelBuilder.forAddress("127.0.0.1", server.port()).usePlaintext().build();
        return new Broker();
    }

    private static io.mast.exhook.proto.v3.ClientInfo client(String id) {
        return io.mast.exhook.proto.v3.ClientInfo.newBuilder().setNode("mast@127.0.0.1").setClientid(id)
                .setUsername("u").build();
    }

    private static HookRequest publish(long id, String from, String topic, String payload) {
        return HookRequest.newBuilder().setId(id).setMessagePublish(MessagePublishRequest.newBuilder()
                .setMessage(io.mast.exhook.proto.v3.Message.newBuilder().setNode("mast@127.0.0.1").setId("m" + id)
                        .setQos(1).setFrom(from).setTopic(topic).setPayload(ByteString.copyFromUtf8(payload))
                        .putHeaders("username", "u"))).build();
    }

    private static HookRequest authenticate(long id, String client) {
        return HookRequest.newBuilder().setId(id).setClientAuthenticate(ClientAuthenticateRequest.newBuilder()
                .setClientinfo(client(client)).setResult(false)).build();
    }

    private static HookRequest connected(String client) {
        return HookRequest.newBuilder().setClientConnected(ClientConnectedRequest.newBuilder()
                .setClientinfo(client(client))).build();
    }

    /** Passes sensors/ messages on unchanged, upper-cases loud/ ones, throws on bad/ ones. */
    static final class Hooks extends HookProvider {
        final List<String> events = new CopyOnWriteArrayList<>();

        @Override
        public boolean onClientAuthenticate(ClientInfo client, boolean resultSoFar) {
            events.add("authenticate " + client.clientId() + " " + currentCall().protocol());
            return client.clientId().startsWith("ok");
        }

        @Override
        public void onClientConnected(ClientInfo client) {
            events.add("connected " + client.clientId());
        }

        @Override
        public Message onMessagePublish(Message message) {
            events.add("publish " + message.topic());
            if (message.topic().startsWith("bad/")) {
                throw new IllegalStateException("no");
            }
            return message.topic().startsWith("loud/") ? message.withPayload(message.payloadAsString().toUpperCase())
                    : message;
        }
    }

    @Test
    void theLoadedAnswerOffersTheStream() {
        server = HookServer.serve(new Hooks(), 0);
        channel = NettyChannelBuilder.forAddress("127.0.0.1", server.port()).usePlaintext().build();
        LoadedResponse loaded = HookProviderGrpc.newBlockingStub(channel).withDeadlineAfter(WAIT_SECONDS,
                TimeUnit.SECONDS).onProviderLoaded(ProviderLoadedRequest.getDefaultInstance());
        assertThat(loaded.getStream().getVersion()).isEqualTo(1);
        assertThat(loaded.getStream().getStreams()).isEqualTo(1);
    }

    @Test
    void aFrameIsAnsweredByIdAndNotificationsAreNot() throws Exception {
        Hooks hooks = new Hooks();
        Broker b = serve(hooks);
        b.send(connected("c1"), authenticate(1, "ok-1"), publish(2, "c1", "sensors/1", "same"),
                publish(3, "c1", "loud/1", "quiet"), authenticate(4, "no-1"));
        Map<Long, HookResponse> answers = b.next(4);

        assertThat(answers.get(1L).getValued().getBoolResult()).isTrue();
        assertThat(answers.get(4L).getValued().getBoolResult()).isFalse();
        HookResponse same = answers.get(2L);
        assertThat(same.getSameMessage()).as("passed on unchanged: not sent back").isTrue();
        assertThat(same.getValued().getType()).isEqualTo(ValuedResponse.ResponsedType.CONTINUE);
        assertThat(same.getValued().hasMessage()).isFalse();
        HookResponse loud = answers.get(3L);
        assertThat(loud.getSameMessage()).isFalse();
        assertThat(loud.getValued().getMessage().getPayload().toStringUtf8()).isEqualTo("QUIET");
        assertThat(loud.getValued().getMessage().getId()).isEqualTo("m3");
        assertThat(b.answers.poll(200, TimeUnit.MILLISECONDS)).as("nothing for the notification").isNull();
        assertThat(hooks.events).contains("connected c1", "authenticate ok-1 v3", "authenticate no-1 v3");
        assertThat(hooks.events).containsSubsequence("connected c1", "publish sensors/1", "publish loud/1");
    }

    @Test
    void aHookThatThrowsAnswersWithAnErrorAndTheStreamGoesOn() throws Exception {
        Broker b = serve(new Hooks());
        b.send(publish(1, "c1", "bad/1", "x"));
        HookResponse failed = b.next();
        assertThat(failed.getId()).isEqualTo(1);
        assertThat(failed.getResultCase()).isEqualTo(HookResponse.ResultCase.ERROR);
        assertThat(failed.getError()).contains("message.publish failed").contains("no");
        b.send(publish(2, "c1", "sensors/2", "x"));
        assertThat(b.next().getId()).isEqualTo(2);
    }

    @Test
    void oneClientsCallsRunInOrderWhileOtherClientsGoOn() throws Exception {
        CountDownLatch gate = new CountDownLatch(1);
        List<String> order = new CopyOnWriteArrayList<>();
        Broker b = serve(new HookProvider() {
            @Override
            public Message onMessagePublish(Message message) {
                if (message.payloadAsString().equals("wait")) {
                    try {
                        gate.await(WAIT_SECONDS, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                order.add(message.from() + " " + message.payloadAsString());
                return message;
            }
        });
        b.send(publish(1, "a", "t", "wait"), publish(2, "a", "t", "after"), publish(3, "b", "t", "free"));
        assertThat(b.next().getId()).as("b is not held by a").isEqualTo(3);
        assertThat(b.answers.poll(200, TimeUnit.MILLISECONDS)).as("a's second call waits for its first").isNull();
        gate.countDown();
        assertThat(b.next(2).keySet()).containsExactlyInAnyOrder(1L, 2L);
        assertThat(order).containsSubsequence("a wait", "a after");
    }

    @Test
    void whenTheBrokerEndsItsSideWhatWasSentIsAnsweredThenTheStreamEnds() throws Exception {
        CountDownLatch gate = new CountDownLatch(1);
        Broker b = serve(new HookProvider() {
            @Override
            public boolean onClientAuthenticate(ClientInfo client, boolean resultSoFar) {
                try {
                    gate.await(WAIT_SECONDS, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return true;
            }
        });
        b.send(authenticate(7, "c1"));
        b.requests.onCompleted();
        assertThat(b.ended.await(200, TimeUnit.MILLISECONDS)).as("not before the answer").isFalse();
        gate.countDown();
        assertThat(b.next().getId()).isEqualTo(7);
        assertThat(b.ended.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
        assertThat(b.error).isNull();
    }

    @Test
    void closingTheServerEndsItsStreamsWithoutWaitingForTheBroker() throws Exception {
        Broker b = serve(new Hooks());
        b.send(authenticate(1, "ok"));
        assertThat(b.next().getId()).isEqualTo(1);
        long start = System.nanoTime();
        server.close();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("no grace period spent on an idle stream")
                .isLessThan(Duration.ofSeconds(3));
        assertThat(b.ended.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
        server = null;
    }
}
