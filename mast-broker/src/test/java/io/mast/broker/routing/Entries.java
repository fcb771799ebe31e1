package io.mast.broker.routing;

import io.mast.broker.message.BrokerMessage;
import io.mast.codec.MqttProperties;
import io.mast.codec.Qos;
import io.mast.codec.packet.RetainHandling;
import io.mast.plugin.TopicFilters;

/** Builders for test subscriptions and messages. */
final class Entries {

    private Entries() {
    }

    static SubscriptionEntry sub(Subscriber s, String filter, Qos qos) {
        return sub(s, filter, qos, false, false, 0);
    }

    static SubscriptionEntry sub(Subscriber s, String filter, Qos qos, boolean noLocal, boolean rap, int id) {
        TopicFilters.SharedFilter shared = TopicFilters.parseShared(filter);
        return new SubscriptionEntry(s, filter, shared == null ? filter : shared.filter(),
                shared == null ? null : shared.group(), qos, noLocal, rap, RetainHandling.SEND_ON_SUBSCRIBE, id);
    }

    static BrokerMessage message(String topic, Qos qos, boolean retain) {
        return new BrokerMessage(topic, new byte[] {1}, qos, retain, MqttProperties.EMPTY, "publisher", 0, 0);
    }
}
