package io.mast.it;

import static io.mast.it.ExHookTesting.TIMEOUT;
import static io.mast.it.ExHookTesting.spec;
import static io.mast.it.ExHookTesting.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.protobuf.ByteString;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import io.mast.exhook.proto.v2.ClientAuthenticateRequest;
import io.mast.exhook.proto.v2.ClientSubscribeRequest;
import io.mast.exhook.proto.v2.MessagePublishRequest;
import io.mast.exhook.proto.v2.ProviderLoadedRequest;
import io.mast.exhook.proto.v2.SessionSubscribedRequest;
import io.mast.exhook.proto.v2.ValuedResponse;
import io.mast.testkit.MastBrokerExtension;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A hook server written for EMQX 5.0 to 5.8 ({@code emqx.exhook.v2}) with {@code protocol: v2}. */
class ExHookV2IT {

    static final ExHookTesting.Calls calls = new ExHookTesting.Calls();

    @RegisterExtension
    @Order(1)
    static final ExHookTesting.V2Server v2 = (ExHookTesting.V2Server) new ExHookTesting.V2Server("v2", calls,
            List.of(spec("client.authenticate"), spec("client.subscribe"), spec("session.subscribed"),
                    spec("message.publish", "v2/#"))).start();

    @RegisterExtension
    @Order(2)
    static final MastBrokerExtension broker = ExHookTesting.broker(
            ExHookTesting.server("v2", v2.url(), "protocol", "v2"));

    @Test
    void aV2ServerIsCalledWithV2Messages() throws Exception {
        ProviderLoadedRequest loaded = calls.await("OnProviderLoaded", ProviderLoadedRequest.class, r -> true);
        assertThat(loaded.getBroker().getSysdescr()).isEqualTo("Mast");
        assertThat(loaded.getMeta().getNode()).isEqualTo(broker.broker().core().name());

        v2.answers.put("OnClientAuthenticate", r -> ValuedResponse.newBuilder()
                .setType(ValuedResponse.ResponsedType.STOP_AND_RETURN)
                .setBoolResult(!((ClientAuthenticateRequest) r).getClientinfo().getUsername().equals("v2-bad")).build());
        v2.answers.put("OnMessagePublish", r -> {
            var m = ((MessagePublishRequest) r).getMessage();
            return ValuedResponse.newBuilder().setType(ValuedResponse.ResponsedType.CONTINUE)
                    .setMessage(m.toBuilder().setPayload(ByteString.copyFromUtf8("v2:" + m.getPayload().toStringUtf8())))
                    .build();
        });

        Mqtt5ConnAckException refused = catchThrowableOfType(Mqtt5ConnAckException.class, () -> {
            Mqtt5BlockingClient c = ExHookTesting.client(broker.port(), "v2-refused");
            c.connectWith().simpleAuth().username("v2-bad").applySimpleAuth().send();
        });
        assertThat(refused).isNotNull();
        assertThat(refused.getMqttMessage().getReasonCode()).isEqualTo(Mqtt5ConnAckReasonCode.NOT_AUTHORIZED);

        Mqtt5BlockingClient c = ExHookTesting.connect(broker.port(), "v2-client");
        try (var received = c.publishes(MqttGlobalPublishFilter.ALL)) {
            c.subscribeWith().topicFilter("$share/grp/v2/+").qos(MqttQos.AT_LEAST_ONCE).send();
            c.publishWith().topic("v2/a").qos(MqttQos.AT_LEAST_ONCE).payload(utf8("hi")).send();
            Optional<Mqtt5Publish> m = received.receive(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(m).isPresent();
            assertThat(new String(m.get().getPayloadAsBytes(), StandardCharsets.UTF_8)).isEqualTo("v2:hi");
        }
        c.disconnect();

        // As EMQX 5.0 to 5.8 sent them: the QoS in TopicFilter.qos, the filter without $share/<group>/, the group
        // in SubOpts.share; nothing v3 added (the peer port, user properties) on the wire.
        ClientSubscribeRequest subscribe = calls.await("OnClientSubscribe", ClientSubscribeRequest.class,
                r -> r.getClientinfo().getClientid().equals("v2-client"));
        assertThat(subscribe.getTopicFiltersList()).extracting(f -> f.getName() + " qos " + f.getQos())
                .containsExactly("v2/+ qos 1");
        assertThat(subscribe.getUnknownFields().asMap()).isEmpty();
        assertThat(subscribe.getClientinfo().getUnknownFields().asMap()).isEmpty();
        SessionSubscribedRequest session = calls.await("OnSessionSubscribed", SessionSubscribedRequest.class,
                r -> r.getClientinfo().getClientid().equals("v2-client"));
        assertThat(session.getTopic()).isEqualTo("v2/+");
        assertThat(session.getSubopts().getShare()).isEqualTo("grp");
        assertThat(session.getSubopts().getQos()).isEqualTo(1);
        MessagePublishRequest publish = calls.await("OnMessagePublish", MessagePublishRequest.class,
                r -> r.getMessage().getTopic().equals("v2/a"));
        assertThat(publish.getMessage().getFrom()).isEqualTo("v2-client");
        assertThat(publish.getMessage().getHeadersMap()).containsEntry("protocol", "mqtt");
        assertThat(publish.getUnknownFields().asMap()).as("no props/user_props for v2").isEmpty();
    }
}
