package io.mast.broker.session;

import io.mast.broker.config.BrokerConfig;
import io.mast.broker.events.BrokerEvents;
import io.mast.broker.metrics.BrokerMetrics;
import io.mast.broker.policy.Policy;
import io.mast.broker.publish.PublishService;
import io.mast.broker.retain.RetainedMessages;
import io.mast.broker.routing.QueueBudget;
import io.mast.broker.routing.TopicTree;
import io.mast.broker.store.Persistence;
import io.netty.channel.EventLoopGroup;
import java.util.function.Supplier;

/**
 * What sessions use of the rest of the broker: the config, the store, the topic tree they subscribe in, the way wills
 * are published, the queue budget, and the policy and events (which the plugin runtime may replace, hence read
 * through suppliers). Made once by the broker and handed to its {@link SessionRegistry}.
 *
 * @param workers the network event loops, where sessions without a connection live (known once the broker started)
 */
public record SessionServices(BrokerConfig config, BrokerMetrics metrics, Persistence persistence, TopicTree tree,
                              PublishService publisher, RetainedMessages retained, QueueBudget queueBudget,
                              Supplier<Policy> policySource, Supplier<BrokerEvents> eventsSource,
                              Supplier<EventLoopGroup> workers) {

    /** The policy in force now. */
    public Policy policy() {
        return policySource.get();
    }

    /** Who listens to events now. */
    public BrokerEvents events() {
        return eventsSource.get();
    }
}
