package io.mast.codec.packet;

import io.mast.codec.Qos;
import java.util.Objects;

/**
 * One topic filter of a SUBSCRIBE with its options. The options other than {@code qos} are MQTT 5.0 only and
 * are false / {@link RetainHandling#SEND_ON_SUBSCRIBE} for 3.1.1.
 *
 * @param topicFilter       the topic filter, possibly a shared subscription {@code $share/group/filter}
 * @param qos               the maximum QoS the subscriber accepts
 * @param noLocal           do not forward messages this client published itself
 * @param retainAsPublished keep the RETAIN flag of forwarded messages as published
 * @param retainHandling    when retained messages are sent
 */
public record Subscription(String topicFilter, Qos qos, boolean noLocal, boolean retainAsPublished,
                           RetainHandling retainHandling) {

    public Subscription {
        Objects.requireNonNull(topicFilter, "topicFilter");
        Objects.requireNonNull(qos, "qos");
        Objects.requireNonNull(retainHandling, "retainHandling");
    }

    /** A subscription with default MQTT 5.0 options. */
    public Subscription(String topicFilter, Qos qos) {
        this(topicFilter, qos, false, false, RetainHandling.SEND_ON_SUBSCRIBE);
    }
}
