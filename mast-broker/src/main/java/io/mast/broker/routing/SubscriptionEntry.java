package io.mast.broker.routing;

import io.mast.codec.Qos;
import io.mast.codec.packet.RetainHandling;

/**
 * One subscription of one session as the topic tree holds it.
 *
 * @param subscriber        the session
 * @param filter            the filter as the client sent it, {@code $share/group/...} included
 * @param topicFilter       the filter matched against topics (without the share prefix)
 * @param shareGroup        the shared subscription group, or {@code null}
 * @param qos               the maximum QoS granted
 * @param noLocal           do not deliver the session's own messages
 * @param retainAsPublished keep the RETAIN flag of forwarded messages
 * @param retainHandling    when retained messages are sent on subscribe
 * @param subscriptionId    the MQTT 5.0 subscription identifier, 0 for none
 */
public record SubscriptionEntry(Subscriber subscriber, String filter, String topicFilter, String shareGroup, Qos qos,
                                boolean noLocal, boolean retainAsPublished, RetainHandling retainHandling,
                                int subscriptionId) {

    public boolean isShared() {
        return shareGroup != null;
    }
}
