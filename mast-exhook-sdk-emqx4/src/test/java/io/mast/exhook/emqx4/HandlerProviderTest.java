package io.mast.exhook.emqx4;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.emqx.extension.handler.ActionOptionConfig;
import io.emqx.extension.handler.DefaultCommunicationHandler;
import io.emqx.extension.handler.codec.ClientInfo;
import io.emqx.extension.handler.codec.Message;
import io.emqx.extension.handler.codec.Property;
import io.emqx.extension.handler.codec.PubSub;
import io.emqx.extension.handler.codec.SubscribeOption;
import io.emqx.extension.handler.codec.Topic;
import io.emqx.extension.handler.codec.TopicFilter;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.mast.exhook.proto.v3.ClientAuthenticateRequest;
import io.mast.exhook.proto.v3.ClientAuthorizeRequest;
import io.mast.exhook.proto.v3.ClientConnectedRequest;
import io.mast.exhook.proto.v3.ClientSubscribeRequest;
import io.mast.exhook.proto.v3.HookProviderGrpc;
import io.mast.exhook.proto.v3.HookSpec;
import io.mast.exhook.proto.v3.MessagePublishRequest;
import io.mast.exhook.proto.v3.ProviderLoadedRequest;
import io.mast.exhook.proto.v3.SessionSubscribedRequest;
import io.mast.exhook.proto.v3.SessionTakenoverRequest;
import io.mast.exhook.proto.v3.SubOpts;
import io.mast.exhook.proto.v3.ValuedResponse;
import io.mast.exhook.sdk.HookServer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** An EMQX 4.x handler served by {@link HandlerProvider}, called through gRPC as the broker calls it. */
class HandlerProviderTest {

    /** A handler as a 4.x user wrote one: some hooks in their current form, one in its deprecated form. */
    public static class Recording extends DefaultCommunicationHandler {
        final List<String> calls = new CopyOnWriteArrayList<>();

        @Override
        public ActionOptionConfig getActionOption() {
            return new ActionOptionConfig().set(ActionOptionConfig.Keys.MESSAGE_PUBLISH_TOPICS, "t/#, x")
                    .set(ActionOptionConfig.Keys.MESSAGE_DELIVERED_TOPICS, "d/#");
        }

        @Override
        public boolean onClientAuthenticate(ClientInfo clientInfo, boolean authresult) {
            calls.add("authenticate " + clientInfo.clientId + " " + clientInfo.userName + " " + clientInfo.password
                    + " " + authresult);
            return clientInfo.clientId != null;
        }

        @Override
        public boolean onClientCheckAcl(ClientInfo clientInfo, PubSub pubsub, Topic topic, boolean result) {
            if (topic.value.equals("boom")) {
                throw new IllegalStateException("boom");
            }
            calls.add("acl " + clientInfo.userName + " " + pubsub.value + " " + topic.value);
            return clientInfo.userName != null;
        }

        @SuppressWarnings("deprecation")
        @Override
        public void on_client_connected(ClientInfo clientInfo) {
            calls.add("connected " + clientInfo.clientId);
        }

        @Override
        public void onClientSubscribe(ClientInfo clientInfo, Property[] props, TopicFilter[] topic) {
            calls.add("subscribe " + Arrays.stream(props).map(p -> p.key + "=" + p.value).toList() + " "
                    + Arrays.stream(topic).map(f -> f.topic + ":" + f.qos).toList());
        }

        @Override
        public void onSessionSubscribed(ClientInfo clientInfo, Topic topic, SubscribeOption opts) {
            calls.add("subscribed " + topic.value + " qos=" + opts.qos + " nl=" + opts.nl + " rap=" + opts.rap
                    + " rh=" + opts.rh + " new=" + opts.isNew);
        }

        @Override
        public void onSessionTakeovered(ClientInfo clientInfo) {
            calls.add("takeovered " + clientInfo.clientId);
        }

        @Override
        public Message onMessagePublish(Message message) {
            calls.add("publish " + message.from + " " + message.topic + " "
                    + new String(message.payload, StandardCharsets.UTF_8));
            if (message.topic.endsWith("drop")) {
                return null;
            }
            if (message.topic.endsWith("change")) {
                message.topic = "changed";
                message.payload = "CHANGED".getBytes(StandardCharsets.UTF_8);
                message.qos = 0;
            }
            return message;
        }

        @Override
        public void onMessageDelivered(ClientInfo clientInfo, Message message) {
        }
    }

    /** A handler that declares no hook. */
    public static class Empty extends DefaultCommunicationHandler {
    }

    private HookServer server;
    private ManagedChannel channel;

    @AfterEach
    void tearDown() throws InterruptedException {
        if (channel != null) {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
        if (server != null) {
            server.close();
        }
    }

    private HookProviderGrpc.HookProviderBlockingStub serve(DefaultCommunicationHandler handler) {
        server = HookServer.serve(new HandlerProvider(handler), 0);
        channel = NettyChannelBuilder.forAddress("127.0.0.1", server.port()).usePlaintext().build();
        return HookProviderGrpc.newBlockingStub(channel).withDeadlineAfter(5, TimeUnit.SECONDS);
    }

    private static io.mast.exhook.proto.v3.ClientInfo client(String id, String username) {
        return io.mast.exhook.proto.v3.ClientInfo.newBuilder().setNode("mast@127.0.0.1").setClientid(id)
                .setUsername(username).setPeerhost("127.0.0.1").setSockport(1883).setProtocol("mqtt").build();
    }

    private static MessagePublishRequest publish(String topic) {
        return MessagePublishRequest.newBuilder().setMessage(io.mast.exhook.proto.v3.Message.newBuilder()
                .setId("m1").setQos(1).setFrom("pub").setTopic(topic).setPayload(ByteString.copyFromUtf8("abc"))
                .setTimestamp(1234)).build();
    }

    @Test
    void theHooksTheHandlerDeclaresAreRegisteredWithTheTopicsOfItsActionOptions() {
        var stub = serve(new Recording());
        assertThat(stub.onProviderLoaded(ProviderLoadedRequest.getDefaultInstance()).getHooksList())
                .extracting(HookSpec::getName, HookSpec::getTopicsList).containsExactly(
                        org.assertj.core.groups.Tuple.tuple("client.connected", List.of()),
                        org.assertj.core.groups.Tuple.tuple("client.authenticate", List.of()),
                        org.assertj.core.groups.Tuple.tuple("client.authorize", List.of()),
                        org.assertj.core.groups.Tuple.tuple("client.subscribe", List.of()),
                        org.assertj.core.groups.Tuple.tuple("session.subscribed", List.of()),
                        org.assertj.core.groups.Tuple.tuple("session.takenover", List.of()),
                        org.assertj.core.groups.Tuple.tuple("message.publish", List.of("t/#", "x")),
                        org.assertj.core.groups.Tuple.tuple("message.delivered", List.of("d/#")));
        assertThat(new HandlerProvider(new Empty()).hooks()).isEmpty();
    }

    @Test
    void authenticateAndCheckAclAnswersAreFinalAndEmptyTextsAreNull() {
        Recording h = new Recording();
        var stub = serve(h);
        ValuedResponse refused = stub.onClientAuthenticate(ClientAuthenticateRequest.newBuilder()
                .setClientinfo(client("", "")).setResult(true).build());
        assertThat(refused.getType()).isEqualTo(ValuedResponse.ResponsedType.STOP_AND_RETURN);
        assertThat(refused.getBoolResult()).isFalse();
        assertThat(stub.onClientAuthenticate(ClientAuthenticateRequest.newBuilder()
                .setClientinfo(client("c1", "alice")).build()).getBoolResult()).isTrue();
        assertThat(stub.onClientAuthorize(ClientAuthorizeRequest.newBuilder().setClientinfo(client("c1", ""))
                .setType(ClientAuthorizeRequest.AuthorizeReqType.SUBSCRIBE).setTopic("a/#").setResult(true).build())
                .getBoolResult()).isFalse();
        ValuedResponse allowed = stub.onClientAuthorize(ClientAuthorizeRequest.newBuilder()
                .setClientinfo(client("c1", "alice")).setTopic("a/b").build());
        assertThat(allowed.getType()).isEqualTo(ValuedResponse.ResponsedType.STOP_AND_RETURN);
        assertThat(allowed.getBoolResult()).isTrue();
        assertThat(h.calls).containsExactly("authenticate null null null true", "authenticate c1 alice null false",
                "acl null subscribe a/#", "acl alice publish a/b");
    }

    @Test
    void aHookThatThrowsFailsTheCall() {
        var stub = serve(new Recording());
        assertThatThrownBy(() -> stub.onClientAuthorize(ClientAuthorizeRequest.newBuilder()
                .setClientinfo(client("c1", "alice")).setTopic("boom").build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INTERNAL));
    }

    @Test
    void onMessagePublishReturnsTheMessageToPublishOrNullToDropIt() {
        Recording h = new Recording();
        var stub = serve(h);
        ValuedResponse same = stub.onMessagePublish(publish("t/same"));
        assertThat(same.getType()).isEqualTo(ValuedResponse.ResponsedType.STOP_AND_RETURN);
        assertThat(same.getMessage().getTopic()).isEqualTo("t/same");
        assertThat(same.getMessage().getPayload().toStringUtf8()).isEqualTo("abc");
        assertThat(same.getMessage().getHeadersMap()).doesNotContainKey("allow_publish");

        io.mast.exhook.proto.v3.Message changed = stub.onMessagePublish(publish("t/change")).getMessage();
        assertThat(changed.getTopic()).isEqualTo("changed");
        assertThat(changed.getPayload().toStringUtf8()).isEqualTo("CHANGED");
        assertThat(changed.getQos()).isZero();
        assertThat(changed.getId()).isEqualTo("m1");

        ValuedResponse dropped = stub.onMessagePublish(publish("t/drop"));
        assertThat(dropped.getType()).isEqualTo(ValuedResponse.ResponsedType.STOP_AND_RETURN);
        assertThat(dropped.getMessage().getHeadersMap()).containsEntry("allow_publish", "false");

        // Outside the handler's topics it is not called: the message goes on.
        assertThat(stub.onMessagePublish(publish("other/drop")).getType())
                .isEqualTo(ValuedResponse.ResponsedType.IGNORE);
        assertThat(h.calls).containsExactly("publish pub t/same abc", "publish pub t/change abc",
                "publish pub t/drop abc");
    }

    @Test
    void notificationsGetEmqx4sTypesAndTheDeprecatedFormIsCalled() {
        Recording h = new Recording();
        var stub = serve(h);
        stub.onClientConnected(ClientConnectedRequest.newBuilder().setClientinfo(client("c1", "alice")).build());
        stub.onClientSubscribe(ClientSubscribeRequest.newBuilder().setClientinfo(client("c1", "alice"))
                .addUserProps(io.mast.exhook.proto.v3.Property.newBuilder().setName("k").setValue("v"))
                .addTopicFilters(io.mast.exhook.proto.v3.TopicFilter.newBuilder().setName("a/#")
                        .setSubopts(SubOpts.newBuilder().setQos(2))).build());
        stub.onSessionSubscribed(SessionSubscribedRequest.newBuilder().setClientinfo(client("c1", "alice"))
                .setTopic("a/#").setSubopts(SubOpts.newBuilder().setQos(2).setNl(1).setRh(1)).build());
        stub.onSessionTakenover(SessionTakenoverRequest.newBuilder().setClientinfo(client("c1", "alice")).build());
        assertThat(h.calls).containsExactly("connected c1", "subscribe [k=v] [a/#:2]",
                "subscribed a/# qos=2 nl=1 rap=0 rh=1 new=true", "takeovered c1");
    }

    @Test
    void eachMessageHookHasItsOwnTopicsKey() {
        assertThat(List.of(ActionOptionConfig.Keys.MESSAGE_PUBLISH_TOPICS,
                ActionOptionConfig.Keys.MESSAGE_DELIVERED_TOPICS, ActionOptionConfig.Keys.MESSAGE_ACKED_TOPICS,
                ActionOptionConfig.Keys.MESSAGE_DROPPED_TOPICS)).doesNotHaveDuplicates();
        assertThat(ActionOptionConfig.getDefault().buildOption("topics",
                ActionOptionConfig.Keys.MESSAGE_ACKED_TOPICS).getValues()).containsExactly("#");
    }
}
