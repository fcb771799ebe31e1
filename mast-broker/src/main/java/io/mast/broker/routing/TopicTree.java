package io.mast.broker.routing;

/**
 * The subscriptions of all sessions, indexed by topic filter so a publish costs work proportional to the topic's
 * levels and its matches, not to the number of subscriptions.
 */
public interface TopicTree {

    /** Adds a subscription, replacing the session's subscription with the same filter; returns the replaced one. */
    SubscriptionEntry subscribe(SubscriptionEntry entry);

    /** Removes a session's subscription to a filter as the client wrote it; returns it, or {@code null} if none. */
    SubscriptionEntry unsubscribe(Subscriber subscriber, String filter);

    /** Visits every subscription whose filter matches the topic name. */
    void match(String topic, MatchVisitor visitor);

    /** The number of subscriptions. */
    int size();
}
