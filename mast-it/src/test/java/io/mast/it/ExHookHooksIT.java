package io.mast.it;

import static io.mast.it.ExHookTesting.ALL_HOOKS;
import static io.mast.it.ExHookTesting.TIMEOUT;
import static io.mast.it.ExHookTesting.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import io.mast.exhook.proto.v3.ClientAuthenticateRequest;
import io.mast.exhook.proto.v3.ClientAuthorizeRequest;
import io.mast.exhook.proto.v3.ClientConnackRequest;
import io.mast.exhook.proto.v3.ClientConnectRequest;
import io.mast.exhook.proto.v3.ClientConnectedRequest;
import io.mast.exhook.proto.v3.ClientDisconnectedRequest;
import io.mast.exhook.proto.v3.ClientInfo;
import io.mast.exhook.proto.v3.ClientSubscribeRequest;
import io.mast.exhook.proto.v3.ClientUnsubscribeRequest;
import io.mast.exhook.proto.v3.MessageAckedRequest;
import io.mast.exhook.proto.v3.MessageDeliveredRequest;
import io.mast.exhook.proto.v3.MessageDroppedRequest;
import io.mast.exhook.proto.v3.MessagePublishRequest;
import io.mast.exhook.proto.v3.Property;
import io.mast.exhook.proto.v3.ProviderLoadedRequest;
import io.mast.exhook.proto.v3.SessionCreatedRequest;
import io.mast.exhook.proto.v3.SessionDiscardedRequest;
import io.mast.exhook.proto.v3.SessionResumedRequest;
import io.mast.exhook.proto.v3.SessionSubscribedRequest;
import io.mast.exhook.proto.v3.SessionTakenoverRequest;
import io.mast.exhook.proto.v3.SessionTerminatedRequest;
import io.mast.exhook.proto.v3.SessionUnsubscribedRequest;
import io.mast.plugin.BrokerContext;
import io.mast.plugin.BrokerPlugin;
import io.mast.plugin.Message;
import io.mast.testkit.MastBrokerExtension;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Every hook reaches a v3 hook server written with grpc-java, with the fields EMQX's {@code emqx_exhook_handler}
 * fills, in the order EMQX raises them for a client.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ExHookHooksIT {

    /** Publishes as the broker itself (a plugin's message), for the $SYS/ rule. */
    public static final class BrokerPublisher extends BrokerPlugin {
        static volatile BrokerContext context;

        public BrokerPublisher(BrokerContext context) {
            super(context);
            BrokerPublisher.context = context;
        }
    }

    static final ExHookTesting.Calls calls = new ExHookTesting.Calls();

    @RegisterExtension
    @Order(1)
    static final ExHookTesting.V3Server hooks =
            (ExHookTesting.V3Server) new ExHookTesting.V3Server("all", calls, ExHookTesting.specs(ALL_HOOKS)).start();

    @RegisterExtension
    @Order(2)
    static final MastBrokerExtension broker = ExHookTesting.broker(ExHookTesting.server("all", hooks.url()))
            .plugin(BrokerPublisher.class);

    private static boolean about(ClientInfo c, String id) {
        return c.getClientid().equals(id);
    }

    @Test
    @Order(1)
    void theServerIsLoadedWithTheBrokersInfo() {
        ProviderLoadedRequest loaded = calls.await("OnProviderLoaded", ProviderLoadedRequest.class, r -> true);
        assertThat(loaded.getBroker().getSysdescr()).isEqualTo("Mast");
        assertThat(loaded.getBroker().getVersion()).isEqualTo(broker.broker().core().version());
        assertThat(loaded.getBroker().getUptime()).isGreaterThanOrEqualTo(0);
        assertThat(loaded.getBroker().getDatetime()).matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d");
        assertThat(loaded.getMeta().getNode()).isEqualTo(broker.broker().core().name());
        assertThat(loaded.getMeta().getSysdescr()).isEqualTo("Mast");
    }

    @Test
    @Order(2)
    void clientAndMessageHooksCarryEmqxsFields() throws Exception {
        int port = broker.port();
        Mqtt5BlockingClient sub = ExHookTesting.connect(port, "hk-sub");
        try (var received = sub.publishes(MqttGlobalPublishFilter.ALL)) {
            sub.subscribeWith().topicFilter("t/#").qos(MqttQos.AT_LEAST_ONCE).send();
            sub.subscribeWith().topicFilter("$share/g1/s/+").qos(MqttQos.AT_MOST_ONCE).send();

            Mqtt5BlockingClient pub = ExHookTesting.client(port, "hk-pub");
            pub.connectWith().keepAlive(30).simpleAuth().username("alice").password(utf8("pw")).applySimpleAuth()
                    .userProperties().add("k1", "v1").applyUserProperties().send();
            pub.publishWith().topic("t/1").qos(MqttQos.AT_LEAST_ONCE).payload(utf8("hello"))
                    .contentType("text/plain").userProperties().add("k", "v").applyUserProperties().send();
            Optional<Mqtt5Publish> m = received.receive(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(m).isPresent();
            pub.publishWith().topic("nobody/here").payload(utf8("lost")).send();
            sub.unsubscribeWith().topicFilter("t/#").send();
            pub.disconnect();
        }
        sub.disconnect();

        // client.connect: ConnInfo, CONNECT properties without user properties, user properties apart.
        ClientConnectRequest connect = calls.await("OnClientConnect", ClientConnectRequest.class,
                r -> r.getConninfo().getClientid().equals("hk-pub"));
        assertThat(connect.getConninfo().getNode()).isEqualTo(broker.broker().core().name());
        assertThat(connect.getConninfo().getUsername()).isEqualTo("alice");
        assertThat(connect.getConninfo().getPeerhost()).isEqualTo("127.0.0.1");
        assertThat(connect.getConninfo().getPeerport()).isPositive();
        assertThat(connect.getConninfo().getSockport()).isEqualTo(port);
        assertThat(connect.getConninfo().getProtoName()).isEqualTo("MQTT");
        assertThat(connect.getConninfo().getProtoVer()).isEqualTo("5");
        assertThat(connect.getConninfo().getKeepalive()).isEqualTo(30);
        assertThat(connect.getUserPropsList()).extracting(Property::getName, Property::getValue)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("k1", "v1"));
        assertThat(connect.getPropsList()).extracting(Property::getName).doesNotContain("User-Property");
        assertThat(connect.getMeta().getNode()).isEqualTo(broker.broker().core().name());

        // client.authenticate: the only request with the password; result = Mast's default so far.
        ClientAuthenticateRequest auth = calls.await("OnClientAuthenticate", ClientAuthenticateRequest.class,
                r -> about(r.getClientinfo(), "hk-pub"));
        ClientInfo ci = auth.getClientinfo();
        assertThat(ci.getPassword()).isEqualTo("pw");
        assertThat(ci.getUsername()).isEqualTo("alice");
        assertThat(ci.getProtocol()).isEqualTo("mqtt");
        assertThat(ci.getMountpoint()).isEmpty();
        assertThat(ci.getIsSuperuser()).isFalse();
        assertThat(ci.getAnonymous()).isFalse();
        assertThat(ci.getPeerhost()).isEqualTo("127.0.0.1");
        assertThat(ci.getPeerport()).isEqualTo(connect.getConninfo().getPeerport());
        assertThat(ci.getSockport()).isEqualTo(port);
        assertThat(auth.getResult()).as("a client on this machine, no other auth plugin").isTrue();
        assertThat(calls.await("OnClientAuthenticate", ClientAuthenticateRequest.class,
                r -> about(r.getClientinfo(), "hk-sub")).getClientinfo().getAnonymous()).isTrue();

        ClientConnackRequest connack = calls.await("OnClientConnack", ClientConnackRequest.class,
                r -> r.getConninfo().getClientid().equals("hk-pub"));
        assertThat(connack.getResultCode()).isEqualTo("success");
        ClientConnectedRequest connected = calls.await("OnClientConnected", ClientConnectedRequest.class,
                r -> about(r.getClientinfo(), "hk-pub"));
        assertThat(connected.getClientinfo().getPassword()).as("no password after client.authenticate").isEmpty();
        calls.await("OnSessionCreated", SessionCreatedRequest.class, r -> about(r.getClientinfo(), "hk-pub"));

        // client.authorize: PUBLISH with the topic; SUBSCRIBE of a shared subscription without $share/<group>/.
        ClientAuthorizeRequest pubAuthz = calls.await("OnClientAuthorize", ClientAuthorizeRequest.class,
                r -> about(r.getClientinfo(), "hk-pub") && r.getTopic().equals("t/1"));
        assertThat(pubAuthz.getType()).isEqualTo(ClientAuthorizeRequest.AuthorizeReqType.PUBLISH);
        assertThat(pubAuthz.getResult()).isTrue();
        ClientAuthorizeRequest shared = calls.await("OnClientAuthorize", ClientAuthorizeRequest.class,
                r -> about(r.getClientinfo(), "hk-sub") && r.getType() == ClientAuthorizeRequest.AuthorizeReqType.SUBSCRIBE
                        && r.getTopic().equals("s/+"));
        assertThat(shared.getTopic()).isEqualTo("s/+");

        // client.subscribe and session.subscribed: v3 keeps $share/<group>/ in the name, QoS in subopts.
        ClientSubscribeRequest subscribe = calls.await("OnClientSubscribe", ClientSubscribeRequest.class,
                r -> r.getTopicFilters(0).getName().equals("t/#"));
        assertThat(subscribe.getTopicFilters(0).getSubopts().getQos()).isEqualTo(1);
        SessionSubscribedRequest sessionShared = calls.await("OnSessionSubscribed", SessionSubscribedRequest.class,
                r -> r.getTopic().startsWith("$share/"));
        assertThat(sessionShared.getTopic()).isEqualTo("$share/g1/s/+");
        assertThat(sessionShared.getSubopts().getQos()).isZero();

        // message.publish: Message with the publisher's headers; props and user_props apart.
        MessagePublishRequest publish = calls.await("OnMessagePublish", MessagePublishRequest.class,
                r -> r.getMessage().getTopic().equals("t/1"));
        var msg = publish.getMessage();
        assertThat(msg.getNode()).isEqualTo(broker.broker().core().name());
        assertThat(msg.getId()).isNotEmpty();
        assertThat(msg.getQos()).isEqualTo(1);
        assertThat(msg.getFrom()).isEqualTo("hk-pub");
        assertThat(msg.getPayload().toStringUtf8()).isEqualTo("hello");
        assertThat(msg.getTimestamp()).isCloseTo(System.currentTimeMillis(), org.assertj.core.data.Offset.offset(60_000L));
        assertThat(msg.getHeadersMap()).containsEntry("username", "alice").containsEntry("protocol", "mqtt")
                .containsEntry("peerhost", "127.0.0.1");
        assertThat(publish.getPropsList()).extracting(Property::getName, Property::getValue)
                .contains(org.assertj.core.groups.Tuple.tuple("Content-Type", "text/plain"));
        assertThat(publish.getUserPropsList()).extracting(Property::getName, Property::getValue)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("k", "v"));

        // message.delivered and message.acked: the subscriber, the same message id as message.publish.
        MessageDeliveredRequest delivered = calls.await("OnMessageDelivered", MessageDeliveredRequest.class,
                r -> r.getMessage().getTopic().equals("t/1"));
        assertThat(delivered.getClientinfo().getClientid()).isEqualTo("hk-sub");
        assertThat(delivered.getMessage().getId()).isEqualTo(msg.getId());
        assertThat(delivered.getMessage().getFrom()).isEqualTo("hk-pub");
        MessageAckedRequest acked = calls.await("OnMessageAcked", MessageAckedRequest.class,
                r -> r.getMessage().getTopic().equals("t/1"));
        assertThat(acked.getClientinfo().getClientid()).isEqualTo("hk-sub");
        assertThat(acked.getMessage().getId()).isEqualTo(msg.getId());

        MessageDroppedRequest dropped = calls.await("OnMessageDropped", MessageDroppedRequest.class,
                r -> r.getMessage().getTopic().equals("nobody/here"));
        assertThat(dropped.getReason()).isEqualTo("no_subscribers");
        assertThat(dropped.getMessage().getFrom()).isEqualTo("hk-pub");

        ClientUnsubscribeRequest unsubscribe = calls.await("OnClientUnsubscribe", ClientUnsubscribeRequest.class,
                r -> about(r.getClientinfo(), "hk-sub"));
        assertThat(unsubscribe.getTopicFiltersList()).extracting(f -> f.getName()).containsExactly("t/#");
        calls.await("OnSessionUnsubscribed", SessionUnsubscribedRequest.class, r -> r.getTopic().equals("t/#"));

        ClientDisconnectedRequest disconnected = calls.await("OnClientDisconnected", ClientDisconnectedRequest.class,
                r -> about(r.getClientinfo(), "hk-pub"));
        assertThat(disconnected.getReason()).isEqualTo("normal");
        SessionTerminatedRequest terminated = calls.await("OnSessionTerminated", SessionTerminatedRequest.class,
                r -> about(r.getClientinfo(), "hk-pub"));
        assertThat(terminated.getReason()).isEqualTo("normal");

        // One client's calls arrive in the order EMQX raises its hooks.
        assertThat(calls.methodsFor("all", "hk-pub")).containsSubsequence("OnClientConnect", "OnClientAuthenticate",
                "OnSessionCreated", "OnClientConnack", "OnClientConnected", "OnClientAuthorize", "OnClientDisconnected",
                "OnSessionTerminated");
        assertThat(calls.methodsFor("all", "hk-sub")).containsSubsequence("OnClientAuthorize", "OnClientSubscribe",
                "OnSessionSubscribed", "OnMessageDelivered", "OnMessageAcked", "OnClientUnsubscribe",
                "OnSessionUnsubscribed");
    }

    @Test
    @Order(3)
    void sessionHooksFollowTakeoverAndCleanStart() {
        int port = broker.port();
        Mqtt5BlockingClient first = ExHookTesting.client(port, "hk-tk");
        first.connectWith().cleanStart(false).sessionExpiryInterval(60).send();
        Mqtt5BlockingClient second = ExHookTesting.client(port, "hk-tk");
        second.connectWith().cleanStart(false).sessionExpiryInterval(60).send();
        calls.await("OnSessionTakenover", SessionTakenoverRequest.class, r -> about(r.getClientinfo(), "hk-tk"));
        calls.await("OnSessionResumed", SessionResumedRequest.class, r -> about(r.getClientinfo(), "hk-tk"));
        Mqtt5BlockingClient third = ExHookTesting.client(port, "hk-tk");
        third.connectWith().cleanStart(true).sessionExpiryInterval(0).send();
        calls.await("OnSessionDiscarded", SessionDiscardedRequest.class, r -> about(r.getClientinfo(), "hk-tk"));
        third.disconnect();
        calls.await("OnClientDisconnected", ClientDisconnectedRequest.class,
                r -> about(r.getClientinfo(), "hk-tk") && r.getReason().equals("takenover"));
        calls.await("OnSessionTerminated", SessionTerminatedRequest.class,
                r -> about(r.getClientinfo(), "hk-tk") && r.getReason().equals("discarded"));
        calls.await("OnSessionTerminated", SessionTerminatedRequest.class,
                r -> about(r.getClientinfo(), "hk-tk") && r.getReason().equals("normal"));
        assertThat(calls.methodsFor("all", "hk-tk")).containsSubsequence("OnSessionCreated", "OnSessionTakenover",
                "OnSessionResumed", "OnSessionDiscarded", "OnSessionTerminated");
    }

    @Test
    @Order(4)
    void sysTopicsAreNeverSent() {
        BrokerPublisher.context.publish(Message.of("$SYS/broker/test", "x")).toCompletableFuture().join();
        BrokerPublisher.context.publish(Message.of("broker/test", "y")).toCompletableFuture().join();
        MessagePublishRequest own = calls.await("OnMessagePublish", MessagePublishRequest.class,
                r -> r.getMessage().getTopic().equals("broker/test"));
        assertThat(own.getMessage().getFrom()).as("a message of the broker has no client").isEmpty();
        calls.await("OnMessageDropped", MessageDroppedRequest.class,
                r -> r.getMessage().getTopic().equals("broker/test"));
        assertThat(calls.all()).noneMatch(c -> c.request().toString().contains("$SYS/"));
    }

    @Test
    @Order(5)
    void stoppingTheBrokerUnloadsTheServer() {
        broker.stop();
        var unloaded = calls.await("OnProviderUnloaded", io.mast.exhook.proto.v3.ProviderUnloadedRequest.class,
                r -> true);
        assertThat(unloaded.getMeta().getSysdescr()).isEqualTo("Mast");
        assertThat(calls.all().getLast().method()).as("the last call").isEqualTo("OnProviderUnloaded");
    }
}
