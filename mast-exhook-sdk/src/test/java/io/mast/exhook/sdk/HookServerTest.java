package io.mast.exhook.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import io.mast.exhook.proto.v3.ClientAuthenticateRequest;
import io.mast.exhook.proto.v3.ClientAuthorizeRequest;
import io.mast.exhook.proto.v3.ClientConnectRequest;
import io.mast.exhook.proto.v3.ClientConnectedRequest;
import io.mast.exhook.proto.v3.ClientDisconnectedRequest;
import io.mast.exhook.proto.v3.ClientSubscribeRequest;
import io.mast.exhook.proto.v3.EmptySuccess;
import io.mast.exhook.proto.v3.HookProviderGrpc;
import io.mast.exhook.proto.v3.HookSpec;
import io.mast.exhook.proto.v3.LoadedResponse;
import io.mast.exhook.proto.v3.MessageDeliveredRequest;
import io.mast.exhook.proto.v3.MessagePublishRequest;
import io.mast.exhook.proto.v3.ProviderLoadedRequest;
import io.mast.exhook.proto.v3.ProviderUnloadedRequest;
import io.mast.exhook.proto.v3.SessionSubscribedRequest;
import io.mast.exhook.proto.v3.ValuedResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The SDK's server, called as the broker calls it: through a gRPC client, with both protocol versions. */
class HookServerTest {

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

    private HookProviderGrpc.HookProviderBlockingStub v3(HookProvider provider) {
        connect(provider);
        return HookProviderGrpc.newBlockingStub(channel).withDeadlineAfter(WAIT_SECONDS, TimeUnit.SECONDS);
    }

    private io.mast.exhook.proto.v2.HookProviderGrpc.HookProviderBlockingStub v2(HookProvider provider) {
        connect(provider);
        return io.mast.exhook.proto.v2.HookProviderGrpc.newBlockingStub(channel)
                .withDeadlineAfter(WAIT_SECONDS, TimeUnit.SECONDS);
    }

    private void connect(HookProvider provider) {
        server = HookServer.serve(provider, 0);
        channel = NettyChannelBuilder.forAddress("127.0.0.1", server.port()).usePlaintext().build();
    }

    private static io.mast.exhook.proto.v3.ClientInfo client(String id, String username) {
        return io.mast.exhook.proto.v3.ClientInfo.newBuilder().setNode("mast@127.0.0.1").setClientid(id)
                .setUsername(username).setPassword("pw").setPeerhost("127.0.0.1").setPeerport(50123)
                .setSockport(1883).setProtocol("mqtt").setAnonymous(username.isEmpty()).build();
    }

    private static io.mast.exhook.proto.v3.Message message(String topic, String payload) {
        return io.mast.exhook.proto.v3.Message.newBuilder().setNode("mast@127.0.0.1").setId("m1").setQos(1)
                .setFrom("pub").setTopic(topic).setPayload(ByteString.copyFromUtf8(payload)).setTimestamp(1234)
                .putHeaders("username", "alice").build();
    }

    /** Overrides a few hooks; records what it sees. */
    static class Recording extends HookProvider {
        final List<String> events = new CopyOnWriteArrayList<>();
        volatile ClientInfo lastClient;
        volatile HookCall lastCall;

        @Override
        public void onProviderLoaded(BrokerInfo broker) {
            events.add("loaded " + broker.sysdescr() + " " + broker.version());
        }

        @Override
        public void onProviderUnloaded() {
            events.add("unloaded");
        }

        @Override
        public boolean onClientAuthenticate(ClientInfo client, boolean resultSoFar) {
            lastClient = client;
            lastCall = currentCall();
            return !client.clientId().isEmpty();
        }

        @Override
        public boolean onClientAuthorize(ClientInfo client, AuthorizeAction action, String topic,
                boolean resultSoFar) {
            events.add("authorize " + action + " " + topic);
            return !client.username().isEmpty();
        }

        @Override
        public void onClientConnected(ClientInfo client) {
            events.add("connected " + client.clientId());
        }

        @Override
        public void onClientDisconnected(ClientInfo client, String reason) {
            events.add("disconnected " + client.clientId() + " " + reason);
        }

        @Override
        public void onClientSubscribe(ClientInfo client, List<TopicFilter> filters, Properties props) {
            filters.forEach(f -> events.add("subscribe " + f.name() + " qos" + f.options().qos()
                    + " nl" + f.options().noLocal() + " " + props.userProperty("k")));
        }

        @Override
        public void onSessionSubscribed(ClientInfo client, String topic, SubOpts options) {
            events.add("subscribed " + topic + " qos" + options.qos() + " rh" + options.retainHandling());
        }

        @Topics({"sensors/#", "alarms/+"})
        @Override
        public Message onMessagePublish(Message message) {
            events.add("publish " + message.topic() + " " + message.payloadAsString());
            if (message.payloadAsString().equals("drop")) {
                return null;
            }
            return message.withTopic("seen/" + message.topic()).withPayload(message.payloadAsString().toUpperCase());
        }
    }

    @Test
    void loadedListsOnlyTheOverriddenHooksWithTheirTopics() {
        Recording provider = new Recording();
        LoadedResponse loaded = v3(provider).onProviderLoaded(ProviderLoadedRequest.newBuilder()
                .setBroker(io.mast.exhook.proto.v3.BrokerInfo.newBuilder().setSysdescr("Mast").setVersion("0.1"))
                .build());

        assertThat(loaded.getHooksList()).extracting(HookSpec::getName).containsExactly("client.connected",
                "client.disconnected", "client.authenticate", "client.authorize", "client.subscribe",
                "session.subscribed", "message.publish");
        assertThat(loaded.getHooksList().get(6).getTopicsList()).containsExactly("sensors/#", "alarms/+");
        assertThat(loaded.getHooksList().get(0).getTopicsList()).isEmpty();
        assertThat(provider.events).containsExactly("loaded Mast 0.1");
    }

    @Test
    void aProviderWithNoHooksRegistersNone() {
        LoadedResponse loaded = v3(new HookProvider() { }).onProviderLoaded(ProviderLoadedRequest.getDefaultInstance());
        assertThat(loaded.getHooksCount()).isZero();
    }

    @Test
    void authenticateGetsTheClientAndAnswersContinueWithItsDecision() {
        Recording provider = new Recording();
        var stub = v3(provider);
        ValuedResponse allowed = stub.onClientAuthenticate(ClientAuthenticateRequest.newBuilder()
                .setClientinfo(client("c1", "alice")).setResult(false)
                .setMeta(io.mast.exhook.proto.v3.RequestMeta.newBuilder().setNode("n1").setClusterName("cl"))
                .build());
        assertThat(allowed.getType()).isEqualTo(ValuedResponse.ResponsedType.CONTINUE);
        assertThat(allowed.getBoolResult()).isTrue();
        assertThat(provider.lastClient).isEqualTo(new ClientInfo("mast@127.0.0.1", "c1", "alice", "pw",
                "127.0.0.1", 50123, 1883, "mqtt", "", false, false, "", ""));
        assertThat(provider.lastCall.hook()).isEqualTo("client.authenticate");
        assertThat(provider.lastCall.protocol()).isEqualTo("v3");
        assertThat(provider.lastCall.meta()).isEqualTo(new RequestMeta("n1", "", "", "cl"));

        ValuedResponse refused = stub.onClientAuthenticate(ClientAuthenticateRequest.newBuilder()
                .setClientinfo(client("", "alice")).setResult(true).build());
        assertThat(refused.getType()).isEqualTo(ValuedResponse.ResponsedType.CONTINUE);
        assertThat(refused.hasBoolResult()).isTrue();
        assertThat(refused.getBoolResult()).isFalse();
    }

    @Test
    void authorizeGetsTheActionAndTopic() {
        Recording provider = new Recording();
        var stub = v3(provider);
        ValuedResponse denied = stub.onClientAuthorize(ClientAuthorizeRequest.newBuilder()
                .setClientinfo(client("c1", "")).setType(ClientAuthorizeRequest.AuthorizeReqType.SUBSCRIBE)
                .setTopic("a/#").setResult(true).build());
        ValuedResponse allowed = stub.onClientAuthorize(ClientAuthorizeRequest.newBuilder()
                .setClientinfo(client("c1", "bob")).setType(ClientAuthorizeRequest.AuthorizeReqType.PUBLISH)
                .setTopic("a/b").setResult(false).build());
        assertThat(denied.getBoolResult()).isFalse();
        assertThat(allowed.getBoolResult()).isTrue();
        assertThat(provider.events).containsExactly("authorize SUBSCRIBE a/#", "authorize PUBLISH a/b");
    }

    /** Ignores clients without a user name, stops the chain for "root", continues otherwise. */
    static final class Answering extends HookProvider {
        @Override
        public Answer<Boolean> answerClientAuthenticate(ClientInfo client, boolean resultSoFar) {
            if (client.username().isEmpty()) {
                return Answer.ignore();
            }
            if (client.username().equals("root")) {
                return Answer.stop(false);
            }
            return Answer.proceed(true);
        }

        @Override
        public Answer<Message> answerMessagePublish(Message message) {
            return switch (message.payloadAsString()) {
                case "ignore" -> Answer.ignore();
                case "final" -> Answer.stop(message.withQos(0));
                case "drop" -> Answer.stop(null);
                default -> Answer.proceed(message);
            };
        }
    }

    @Test
    void theAnswerFormsAnswerIgnoreAndStopAndReturn() {
        var stub = v3(new Answering());
        ValuedResponse ignored = stub.onClientAuthenticate(ClientAuthenticateRequest.newBuilder()
                .setClientinfo(client("c1", "")).setResult(true).build());
        ValuedResponse stopped = stub.onClientAuthenticate(ClientAuthenticateRequest.newBuilder()
                .setClientinfo(client("c1", "root")).setResult(true).build());
        ValuedResponse continued = stub.onClientAuthenticate(ClientAuthenticateRequest.newBuilder()
                .setClientinfo(client("c1", "bob")).setResult(false).build());
        assertThat(ignored.getType()).isEqualTo(ValuedResponse.ResponsedType.IGNORE);
        assertThat(ignored.getBoolResult()).as("ignore keeps the result so far").isTrue();
        assertThat(stopped.getType()).isEqualTo(ValuedResponse.ResponsedType.STOP_AND_RETURN);
        assertThat(stopped.getBoolResult()).isFalse();
        assertThat(continued.getType()).isEqualTo(ValuedResponse.ResponsedType.CONTINUE);
        assertThat(continued.getBoolResult()).isTrue();

        ValuedResponse ignoredMessage = stub.onMessagePublish(MessagePublishRequest.newBuilder()
                .setMessage(message("t", "ignore")).build());
        ValuedResponse finalMessage = stub.onMessagePublish(MessagePublishRequest.newBuilder()
                .setMessage(message("t", "final")).build());
        ValuedResponse dropped = stub.onMessagePublish(MessagePublishRequest.newBuilder()
                .setMessage(message("t", "drop")).build());
        assertThat(ignoredMessage.getType()).isEqualTo(ValuedResponse.ResponsedType.IGNORE);
        assertThat(finalMessage.getType()).isEqualTo(ValuedResponse.ResponsedType.STOP_AND_RETURN);
        assertThat(finalMessage.getMessage().getQos()).isZero();
        assertThat(dropped.getType()).isEqualTo(ValuedResponse.ResponsedType.STOP_AND_RETURN);
        assertThat(dropped.getMessage().getHeadersMap()).containsEntry("allow_publish", "false");
    }

    @Test
    void publishReturnsTheChangedMessageOrDropsItAndSkipsOtherTopics() {
        Recording provider = new Recording();
        var stub = v3(provider);
        ValuedResponse changed = stub.onMessagePublish(MessagePublishRequest.newBuilder()
                .setMessage(message("sensors/room1", "21.5c")).build());
        assertThat(changed.getType()).isEqualTo(ValuedResponse.ResponsedType.CONTINUE);
        assertThat(changed.getMessage().getTopic()).isEqualTo("seen/sensors/room1");
        assertThat(changed.getMessage().getPayload().toStringUtf8()).isEqualTo("21.5C");
        assertThat(changed.getMessage().getId()).isEqualTo("m1");
        assertThat(changed.getMessage().getHeadersMap()).containsEntry("username", "alice")
                .doesNotContainKey("allow_publish");

        ValuedResponse dropped = stub.onMessagePublish(MessagePublishRequest.newBuilder()
                .setMessage(message("alarms/fire", "drop")).build());
        assertThat(dropped.getType()).isEqualTo(ValuedResponse.ResponsedType.CONTINUE);
        assertThat(dropped.getMessage().getTopic()).isEqualTo("alarms/fire");
        assertThat(dropped.getMessage().getHeadersMap()).containsEntry("allow_publish", "false");

        ValuedResponse elsewhere = stub.onMessagePublish(MessagePublishRequest.newBuilder()
                .setMessage(message("other/topic", "x")).build());
        assertThat(elsewhere.getType()).isEqualTo(ValuedResponse.ResponsedType.IGNORE);
        assertThat(provider.events).containsExactly("publish sensors/room1 21.5c", "publish alarms/fire drop");
    }

    @Test
    void hooksThatAreNotOverriddenAreNotCalledAndDecisionsAreIgnored() {
        Recording provider = new Recording();
        var stub = v3(provider);
        stub.onClientConnect(ClientConnectRequest.getDefaultInstance());
        EmptySuccess ok = stub.onMessageDelivered(MessageDeliveredRequest.newBuilder()
                .setClientinfo(client("c1", "u")).setMessage(message("sensors/x", "1")).build());
        assertThat(ok).isEqualTo(EmptySuccess.getDefaultInstance());
        ValuedResponse r = v3Stub().onClientAuthenticate(ClientAuthenticateRequest.newBuilder()
                .setClientinfo(client("c1", "u")).build());
        assertThat(r.getBoolResult()).isTrue();

        var none = HookServer.serve(new HookProvider() { }, 0);
        ManagedChannel ch = NettyChannelBuilder.forAddress("127.0.0.1", none.port()).usePlaintext().build();
        try {
            ValuedResponse ignored = HookProviderGrpc.newBlockingStub(ch).withDeadlineAfter(WAIT_SECONDS,
                    TimeUnit.SECONDS).onClientAuthenticate(ClientAuthenticateRequest.newBuilder()
                    .setClientinfo(client("c1", "u")).setResult(false).build());
            assertThat(ignored.getType()).isEqualTo(ValuedResponse.ResponsedType.IGNORE);
        } finally {
            ch.shutdownNow();
            none.close();
        }
        assertThat(provider.events).isEmpty();
    }

    private HookProviderGrpc.HookProviderBlockingStub v3Stub() {
        return HookProviderGrpc.newBlockingStub(channel).withDeadlineAfter(WAIT_SECONDS, TimeUnit.SECONDS);
    }

    @Test
    void notificationsCarryTheirFields() {
        Recording provider = new Recording();
        var stub = v3(provider);
        stub.onClientConnected(ClientConnectedRequest.newBuilder().setClientinfo(client("c1", "u")).build());
        stub.onClientSubscribe(ClientSubscribeRequest.newBuilder().setClientinfo(client("c1", "u"))
                .addTopicFilters(io.mast.exhook.proto.v3.TopicFilter.newBuilder().setName("$share/g/a/+")
                        .setSubopts(io.mast.exhook.proto.v3.SubOpts.newBuilder().setQos(2).setNl(1)))
                .addUserProps(io.mast.exhook.proto.v3.Property.newBuilder().setName("k").setValue("v"))
                .build());
        stub.onSessionSubscribed(SessionSubscribedRequest.newBuilder().setClientinfo(client("c1", "u"))
                .setTopic("a/+").setSubopts(io.mast.exhook.proto.v3.SubOpts.newBuilder().setQos(1).setRh(2))
                .build());
        stub.onClientDisconnected(ClientDisconnectedRequest.newBuilder().setClientinfo(client("c1", "u"))
                .setReason("normal").build());
        stub.onProviderUnloaded(ProviderUnloadedRequest.getDefaultInstance());
        assertThat(provider.events).containsExactly("connected c1", "subscribe $share/g/a/+ qos2 nltrue v",
                "subscribed a/+ qos1 rh2", "disconnected c1 normal", "unloaded");
    }

    @Test
    void protocolV2IsServedByTheSameProvider() {
        Recording provider = new Recording();
        var stub = v2(provider);
        var loaded = stub.onProviderLoaded(io.mast.exhook.proto.v2.ProviderLoadedRequest.getDefaultInstance());
        assertThat(loaded.getHooksList()).extracting(io.mast.exhook.proto.v2.HookSpec::getName)
                .contains("client.authenticate", "message.publish");

        var c2 = io.mast.exhook.proto.v2.ClientInfo.newBuilder().setClientid("c2").setUsername("u").build();
        var auth = stub.onClientAuthenticate(io.mast.exhook.proto.v2.ClientAuthenticateRequest.newBuilder()
                .setClientinfo(c2).build());
        assertThat(auth.getBoolResult()).isTrue();
        assertThat(provider.lastCall.protocol()).isEqualTo("v2");

        stub.onClientSubscribe(io.mast.exhook.proto.v2.ClientSubscribeRequest.newBuilder().setClientinfo(c2)
                .addTopicFilters(io.mast.exhook.proto.v2.TopicFilter.newBuilder().setName("x/y").setQos(2))
                .build());
        stub.onSessionSubscribed(io.mast.exhook.proto.v2.SessionSubscribedRequest.newBuilder().setClientinfo(c2)
                .setTopic("x/y").setSubopts(io.mast.exhook.proto.v2.SubOpts.newBuilder().setQos(1).setShare("g"))
                .build());
        var published = stub.onMessagePublish(io.mast.exhook.proto.v2.MessagePublishRequest.newBuilder()
                .setMessage(io.mast.exhook.proto.v2.Message.newBuilder().setTopic("sensors/a")
                        .setPayload(ByteString.copyFromUtf8("v2")))
                .build());
        assertThat(published.getMessage().getTopic()).isEqualTo("seen/sensors/a");
        assertThat(published.getMessage().getPayload().toStringUtf8()).isEqualTo("V2");
        assertThat(provider.events).contains("subscribe x/y qos2 nlfalse null", "subscribed $share/g/x/y qos1 rh0",
                "publish sensors/a v2");
    }

    @Test
    void aHookThatThrowsAnswersWithAnError() {
        var stub = v3(new HookProvider() {
            @Override
            public boolean onClientAuthenticate(ClientInfo client, boolean resultSoFar) {
                throw new IllegalStateException("database down");
            }
        });
        assertThatThrownBy(() -> stub.onClientAuthenticate(ClientAuthenticateRequest.newBuilder()
                .setClientinfo(client("c1", "u")).build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INTERNAL);
                    assertThat(e.getStatus().getDescription()).contains("client.authenticate", "database down");
                });
    }

    /** Blocks in onClientConnected for clients named "slow*" until released. */
    static final class Blocking extends HookProvider {
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final List<String> events = new CopyOnWriteArrayList<>();

        @Override
        public void onClientConnected(ClientInfo client) {
            if (client.clientId().startsWith("slow")) {
                entered.countDown();
                try {
                    if (!release.await(WAIT_SECONDS, TimeUnit.SECONDS)) {
                        events.add("never released");
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            events.add("connected " + client.clientId());
        }

        @Override
        public void onClientDisconnected(ClientInfo client, String reason) {
            events.add("disconnected " + client.clientId());
        }
    }

    /** Collects the completion of asynchronous calls. */
    static final class Done<T> implements StreamObserver<T> {
        final CountDownLatch latch = new CountDownLatch(1);
        volatile Throwable error;

        @Override
        public void onNext(T value) {
        }

        @Override
        public void onError(Throwable t) {
            error = t;
            latch.countDown();
        }

        @Override
        public void onCompleted() {
            latch.countDown();
        }

        boolean await() throws InterruptedException {
            return latch.await(WAIT_SECONDS, TimeUnit.SECONDS) && error == null;
        }
    }

    @Test
    void callsAboutOneClientRunInOrderWhileOtherClientsGoOn() throws InterruptedException {
        Blocking provider = new Blocking();
        connect(provider);
        // Connected before the asynchronous calls: calls started while a channel connects may leave in any order.
        v3Stub().onProviderLoaded(ProviderLoadedRequest.getDefaultInstance());
        var async = HookProviderGrpc.newStub(channel).withDeadlineAfter(WAIT_SECONDS * 2, TimeUnit.SECONDS);
        Done<EmptySuccess> slowConnected = new Done<>();
        Done<EmptySuccess> slowDisconnected = new Done<>();
        async.onClientConnected(ClientConnectedRequest.newBuilder().setClientinfo(client("slow1", "u")).build(),
                slowConnected);
        async.onClientDisconnected(ClientDisconnectedRequest.newBuilder().setClientinfo(client("slow1", "u"))
                .setReason("normal").build(), slowDisconnected);
        assertThat(provider.entered.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();

        // Another client's call completes while slow1's first call is still blocked...
        v3Stub().onClientConnected(ClientConnectedRequest.newBuilder().setClientinfo(client("fast1", "u")).build());
        assertThat(provider.events).containsExactly("connected fast1");
        // ...and slow1's disconnect waits for its connect.
        assertThat(slowDisconnected.latch.getCount()).isEqualTo(1);

        provider.release.countDown();
        assertThat(slowConnected.await()).isTrue();
        assertThat(slowDisconnected.await()).isTrue();
        assertThat(provider.events).containsExactly("connected fast1", "connected slow1", "disconnected slow1");
    }

    @Test
    void closeStopsTheServer() throws InterruptedException {
        var stub = v3(new Recording());
        stub.onClientConnected(ClientConnectedRequest.newBuilder().setClientinfo(client("c1", "u")).build());
        server.close();
        assertThat(server.awaitTermination(Duration.ofSeconds(WAIT_SECONDS))).isTrue();
        assertThatThrownBy(() -> v3Stub().onClientConnected(ClientConnectedRequest.getDefaultInstance()))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
        assertThat(server.url()).isEqualTo("http://127.0.0.1:" + server.port());
    }
}
