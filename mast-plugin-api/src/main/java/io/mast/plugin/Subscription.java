package io.mast.plugin;

import java.util.Objects;

/**
 * A subscription of a session.
 *
 * @param topicFilter        the filter, {@code $share/group/filter} for a shared subscription
 * @param qos                the maximum QoS
 * @param noLocal            do not deliver the session's own messages (MQTT 5.0)
 * @param retainAsPublished  keep the RETAIN flag of forwarded messages (MQTT 5.0)
 * @param retainHandling     0 send retained messages on subscribe, 1 only for a new subscription, 2 never
 * @param subscriptionId     the MQTT 5.0 subscription identifier, 0 for none
 */
public record Subscription(String topicFilter, int qos, boolean noLocal, boolean retainAsPublished, int retainHandling,
                           int subscriptionId) {

    public Subscription {
        Objects.requireNonNull(topicFilter, "topicFilter");
        if (qos < 0 || qos > 2) {
            throw new IllegalArgumentException("qos must be 0, 1 or 2, was " + qos);
        }
        if (retainHandling < 0 || retainHandling > 2) {
            throw new IllegalArgumentException("retainHandling must be 0, 1 or 2, was " + retainHandling);
        }
    }

    /** A subscription with default options. */
    public static Subscription of(String topicFilter, int qos) {
        return new Subscription(topicFilter, qos, false, false, 0, 0);
    }
}
