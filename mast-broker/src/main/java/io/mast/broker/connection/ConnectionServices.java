package io.mast.broker.connection;

import io.mast.broker.config.BrokerConfig;
import io.mast.broker.events.BrokerEvents;
import io.mast.broker.metrics.BrokerMetrics;
import io.mast.broker.policy.Policy;
import io.mast.broker.publish.PublishService;
import io.mast.broker.retain.RetainedMessages;
import io.mast.broker.session.SessionRegistry;
import io.mast.broker.store.Persistence;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * What connections and their packet handlers use of the rest of the broker: the config, the sessions, the way
 * messages are published, the retained messages, the store's barrier, the counters, and the policy and events (which
 * the plugin runtime may replace, hence read through suppliers). Made once by the broker.
 *
 * @param connections           connections open now (the broker's shutdown waits for it to reach zero)
 * @param listenerConnections   the count of a listener's open connections, by listener name
 * @param sockets               sockets open now, counted by the connection limiters
 * @param unauthenticatedBytes  bytes held now for connections not yet authenticated, across listeners
 */
public record ConnectionServices(BrokerConfig config, BrokerMetrics metrics, Supplier<Policy> policySource,
                                 Supplier<BrokerEvents> eventsSource, PublishService publisher,
                                 SessionRegistry registry, RetainedMessages retained, Persistence persistence,
                                 AtomicInteger connections, Function<String, AtomicInteger> listenerConnections,
                                 AtomicInteger sockets, AtomicLong unauthenticatedBytes) {

    /** The policy in force now. */
    public Policy policy() {
        return policySource.get();
    }

    /** Who listens to events now. */
    public BrokerEvents events() {
        return eventsSource.get();
    }

    /** The count of one listener's open connections. */
    public AtomicInteger listenerConnections(String listener) {
        return listenerConnections.apply(listener);
    }
}
