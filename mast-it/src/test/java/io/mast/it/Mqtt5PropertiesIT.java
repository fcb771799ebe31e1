package io.mast.it;

import static io.mast.it.V5Clients.nextPublish;
import static io.mast.it.V5Clients.publishQos1;
import static io.mast.it.V5Clients.subscribe;
import static io.mast.it.V5Clients.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PayloadFormatIndicator;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishResult.Mqtt5Qos1Result;
import com.hivemq.client.mqtt.mqtt5.message.publish.puback.Mqtt5PubAckReasonCode;
import io.mast.codec.MqttProperties;
import io.mast.codec.Qos;
import io.mast.codec.ReasonCode;
import io.mast.codec.packet.PubAck;
import io.mast.codec.packet.Publish;
import io.mast.codec.packet.SubAck;
import io.mast.codec.packet.Subscribe;
import io.mast.codec.packet.Subscription;
import io.mast.testkit.MastBrokerExtension;
import io.mast.testkit.RawMqttClient;
import java.nio.ByteBuffer;
import java.util.List;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.UserProperty;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Message properties pass through the broker unchanged; PUBACK reason codes and reason strings. */
class Mqtt5PropertiesIT {

    @RegisterExtension
    static final MastBrokerExtension broker = MastBrokerExtension.create();

    @RegisterExtension
    final V5Clients clients = new V5Clients(broker);

    /** 0xC3 starts a two-byte sequence that '(' does not continue. */
    private static final byte[] INVALID_UTF8 = {'a', (byte) 0xC3, '(', 'b'};

    @Test
    void responseTopicAndCorrelationDataPassThroughUnchanged() throws Exception {
        byte[] correlation = {0, 1, 2, (byte) 0xFF, 0};
        V5Clients.Paho requester = clients.paho("rr-requester");
        requester.connect();
        requester.subscribe("rr/reply/requester", 1);

        Mqtt5BlockingClient responder = clients.hive("rr-responder");
        try (Mqtt5BlockingClient.Mqtt5Publishes requests = responder.publishes(MqttGlobalPublishFilter.ALL)) {
            responder.connect();
            responder.subscribeWith().topicFilter("rr/request").qos(MqttQos.AT_LEAST_ONCE).send();

            org.eclipse.paho.mqttv5.common.packet.MqttProperties props =
                    new org.eclipse.paho.mqttv5.common.packet.MqttProperties();
            props.setResponseTopic("rr/reply/requester");
            props.setCorrelationData(correlation);
            requester.publish("rr/request", new MqttMessage(utf8("question"), 1, false, props));

            Mqtt5Publish request = V5Clients.next(requests);
            assertThat(request.getResponseTopic()).map(Object::toString).hasValue("rr/reply/requester");
            assertThat(request.getCorrelationData()).hasValue(ByteBuffer.wrap(correlation));
            responder.publishWith().topic(request.getResponseTopic().get()).qos(MqttQos.AT_LEAST_ONCE)
                    .correlationData(request.getCorrelationData().get()).payload(utf8("answer")).send();
        }

        V5Clients.Received reply = requester.next();
        assertThat(reply.topic()).isEqualTo("rr/reply/requester");
        assertThat(reply.payload()).isEqualTo("answer");
        assertThat(reply.message().getProperties().getCorrelationData()).isEqualTo(correlation);
    }

    @Test
    void contentTypeFormatIndicatorAndUserPropertiesPassThrough() throws Exception {
        V5Clients.Paho sub = clients.paho("props-sub");
        sub.connect();
        sub.subscribe("props/t", 1);

        Mqtt5BlockingClient pub = clients.hive("props-pub");
        pub.connect();
        pub.publishWith().topic("props/t").qos(MqttQos.AT_LEAST_ONCE).payload(utf8("{\"a\":1}"))
                .contentType("application/json").payloadFormatIndicator(Mqtt5PayloadFormatIndicator.UTF_8)
                .userProperties().add("k", "1").add("a", "x").add("k", "2").add("k", "1").applyUserProperties()
                .send();

        org.eclipse.paho.mqttv5.common.packet.MqttProperties p = sub.next().message().getProperties();
        assertThat(p.getContentType()).isEqualTo("application/json");
        assertThat(p.getPayloadFormat()).isTrue();
        assertThat(p.getUserProperties()).extracting(UserProperty::getKey, UserProperty::getValue)
                .as("order and duplicates kept (MQTT-3.3.2-18)")
                .containsExactly(tuple("k", "1"), tuple("a", "x"), tuple("k", "2"), tuple("k", "1"));
    }

    @Test
    void invalidUtf8MarkedAsUtf8GetsPubAckPayloadFormatInvalid() throws Exception {
        RawMqttClient sub = clients.raw("utf8-sub", MqttProperties.EMPTY);
        subscribe(sub, 1, MqttProperties.EMPTY, new Subscription("utf8/t", Qos.AT_LEAST_ONCE));
        RawMqttClient pub = clients.raw("utf8-pub", MqttProperties.EMPTY);

        PubAck ack = publishQos1(pub, 1, "utf8/t", MqttProperties.builder().payloadFormatIndicator(1).build(),
                INVALID_UTF8);
        assertThat(ack.reasonCode()).isEqualTo(ReasonCode.PAYLOAD_FORMAT_INVALID);
        assertThat(ack.properties().reasonString()).as("a reason string on the error").isNotBlank();

        assertThat(publishQos1(pub, 2, "utf8/t", MqttProperties.EMPTY, INVALID_UTF8).reasonCode())
                .as("the same bytes without the indicator are fine").isEqualTo(ReasonCode.SUCCESS);
        Publish delivered = nextPublish(sub);
        assertThat(delivered.properties().payloadFormatIndicator()).as("the refused message was not forwarded")
                .isNull();
    }

    @Test
    void noReasonStringOnPubAckWhenTheClientAskedForNoProblemInformation() throws Exception {
        RawMqttClient pub = clients.raw("utf8-quiet",
                MqttProperties.builder().requestProblemInformation(false).build());

        PubAck ack = publishQos1(pub, 1, "utf8/quiet", MqttProperties.builder().payloadFormatIndicator(1).build(),
                INVALID_UTF8);
        assertThat(ack.reasonCode()).isEqualTo(ReasonCode.PAYLOAD_FORMAT_INVALID);
        assertThat(ack.properties().reasonString()).as("MQTT-3.1.2-29").isNull();
    }

    @Test
    void reasonStringsAreLeftOutWhenTheyWouldExceedTheClientsMaximumPacketSize() throws Exception {
        Subscription invalid = new Subscription("size/#/x", Qos.AT_LEAST_ONCE);
        RawMqttClient roomy = clients.raw("size-roomy", MqttProperties.builder().maximumPacketSize(1024L).build());
        roomy.send(new Subscribe(1, List.of(invalid), MqttProperties.EMPTY));
        SubAck told = roomy.expect(SubAck.class, V5Clients.TIMEOUT);
        assertThat(told.reasonCodes()).containsExactly(ReasonCode.TOPIC_FILTER_INVALID);
        assertThat(told.properties().reasonString()).isEqualTo("size/#/x: not a valid topic filter");

        // The SUBACK with that reason string is 43 bytes: MQTT-3.9.2-1 forbids the string when the client takes 20.
        RawMqttClient tight = clients.raw("size-tight", MqttProperties.builder().maximumPacketSize(20L).build());
        tight.send(new Subscribe(1, List.of(invalid), MqttProperties.EMPTY));
        SubAck quiet = tight.expect(SubAck.class, V5Clients.TIMEOUT);
        assertThat(quiet.reasonCodes()).containsExactly(ReasonCode.TOPIC_FILTER_INVALID);
        assertThat(quiet.properties().reasonString()).isNull();

        PubAck ack = publishQos1(tight, 2, "size/t", MqttProperties.builder().payloadFormatIndicator(1).build(),
                INVALID_UTF8);
        assertThat(ack.reasonCode()).isEqualTo(ReasonCode.PAYLOAD_FORMAT_INVALID);
        assertThat(ack.properties().reasonString()).as("MQTT-3.4.2-2").isNull();
    }

    @Test
    void pubAckSaysNoMatchingSubscribersWhenNobodySubscribes() {
        Mqtt5BlockingClient pub = clients.hive("nosub-pub");
        pub.connect();
        Mqtt5Qos1Result nobody = (Mqtt5Qos1Result) pub.publishWith().topic("nosub/t").qos(MqttQos.AT_LEAST_ONCE)
                .payload(utf8("x")).send();
        assertThat(nobody.getPubAck().getReasonCode()).isEqualTo(Mqtt5PubAckReasonCode.NO_MATCHING_SUBSCRIBERS);

        Mqtt5BlockingClient sub = clients.hive("nosub-sub");
        sub.connect();
        sub.subscribeWith().topicFilter("nosub/t").qos(MqttQos.AT_LEAST_ONCE).send();
        Mqtt5Qos1Result somebody = (Mqtt5Qos1Result) pub.publishWith().topic("nosub/t").qos(MqttQos.AT_LEAST_ONCE)
                .payload(utf8("x")).send();
        assertThat(somebody.getPubAck().getReasonCode()).isEqualTo(Mqtt5PubAckReasonCode.SUCCESS);
    }
}
