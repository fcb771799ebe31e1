package io.mast.broker.routing;

import java.util.Collection;

/** Receives what a topic matches in the {@link TopicTree}. */
public interface MatchVisitor {

    /** The non-shared subscriptions of one matching filter; one call per filter, at most one entry per session. */
    void subscriptions(Collection<SubscriptionEntry> entries);

    /** A shared subscription whose filter matches. */
    void sharedGroup(SharedGroup group);
}
