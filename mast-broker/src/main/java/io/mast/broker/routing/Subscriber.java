package io.mast.broker.routing;

import io.mast.broker.message.BrokerMessage;
import io.mast.codec.Qos;
import java.util.List;

/** What the topic tree and the router know of a subscribing session. */
public interface Subscriber {

    /** The client identifier of the session. */
    String clientId();

    /** True while the session's client is connected; shared subscriptions prefer online members. */
    boolean isOnline();

    /** True while the client's connection cannot take more bytes: publishers feeding it should slow down. */
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

    /**
     * A count that grows whenever the subscriber takes a message off its queue (sends it to its client). A publisher
     * paused for this subscriber stays paused while the count grows, and resumes when it stalls (the subscriber is
     * stuck, not slow) or the subscriber drains.
     */
    long progress();

    /** Runs the action once this subscriber can take more bytes again (or is gone). */
    void whenWritable(Runnable action);
}
