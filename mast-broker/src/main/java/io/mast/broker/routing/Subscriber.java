package io.mast.broker.routing;

import io.mast.broker.message.BrokerMessage;
import io.mast.codec.Qos;
import java.util.List;

/**
 * What the topic tree and the router know of a subscribing session. As a {@link Congestion}, it is what a publisher is
 * paused for when {@code slow_subscribers.pause_publishers} is on and this subscriber cannot keep up.
 */
public interface Subscriber extends Congestion {

    /** The client identifier of the session. */
    String clientId();

    /** True while the session's client is connected; shared subscriptions prefer online members. */
    boolean isOnline();

    /**
     * True when publishers feeding this subscriber should pause: only with {@code slow_subscribers.pause_publishers},
     * while it cannot keep up and has not {@link #stalled()} a pause since it last drained.
     */
    boolean isCongested();

    /**
     * Hands a message to the session. Called from any thread; the session queues it in its own mailbox.
     *
     * @param message         the message
     * @param qos             the QoS for this delivery (already the minimum of the message's and the subscription's)
     * @param retainFlag      the RETAIN flag to send
     * @param subscriptionIds identifiers of the matching subscriptions
     * @param group           the shared subscription group it was picked by, or {@code null}
     */
    void deliver(BrokerMessage message, Qos qos, boolean retainFlag, List<Integer> subscriptionIds, SharedGroup group);
}
