package io.mast.broker.publish;

import io.mast.broker.events.BrokerEvents;
import io.mast.broker.client.ConnectionInfo;
import io.mast.broker.message.BrokerMessage;
import io.mast.broker.metrics.BrokerMetrics;
import io.mast.broker.policy.Policy;
import io.mast.broker.policy.Policy.PublishVerdict;
import io.mast.broker.retain.RetainedMessages;
import io.mast.broker.routing.Congestion;
import io.mast.broker.routing.QueueBudget;
import io.mast.broker.routing.Router;
import io.mast.broker.routing.Subscriber;
import io.mast.codec.ReasonCode;
import io.mast.plugin.DropReason;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * The one way a message enters routing, whether a client published it, it is a will, or a plugin publishes it:
 * authorization (and the plugins that may change or drop it), then the retained store, then the subscribers.
 */
public final class PublishService {

    /**
     * What became of a message.
     *
     * @param reasonCode   SUCCESS, NO_MATCHING_SUBSCRIBERS, or why it was refused
     * @param reasonString the explanation of a refusal given by a plugin, or {@code null}
     * @param deliveries   how many sessions it went to
     * @param congested    what the publisher should be paused for (a subscriber that cannot keep up, or the broker's
     *                     full queues); or {@code null}
     */
    public record Outcome(ReasonCode reasonCode, String reasonString, int deliveries, Congestion congested) {
    }

    private final Supplier<Policy> policy;
    private final Supplier<BrokerEvents> events;
    private final RetainedMessages retained;
    private final Router router;
    private final BrokerMetrics metrics;
    private final QueueBudget budget;

    public PublishService(Supplier<Policy> policy, Supplier<BrokerEvents> events, RetainedMessages retained, Router router,
                          BrokerMetrics metrics, QueueBudget budget) {
        this.policy = policy;
        this.events = events;
        this.retained = retained;
        this.router = router;
        this.metrics = metrics;
        this.budget = budget;
    }

    /**
     * Publishes a message. The result is complete at once unless a plugin decides asynchronously.
     *
     * @param message   the message
     * @param publisher the publishing client, or {@code null} for the broker itself
     * @param session   the publishing session (for No Local), or {@code null}
     */
    public CompletionStage<Outcome> publish(BrokerMessage message, ConnectionInfo publisher, Subscriber session) {
        CompletionStage<PublishVerdict> verdict = decide(message, publisher);
        CompletableFuture<PublishVerdict> f = verdict.toCompletableFuture();
        if (f.isDone() && !f.isCompletedExceptionally()) {
            return CompletableFuture.completedFuture(apply(message, publisher, session, f.join()));
        }
        return verdict.thenApply(v -> apply(message, publisher, session, v));
    }

    /**
     * The first half of {@link #publish}: raises "message received" and asks the decision (authorization, and the
     * plugins that may change or drop the message). A caller that starts several decisions before their answers are
     * known applies them with {@link #apply} in the order the messages came.
     */
    public CompletionStage<PublishVerdict> decide(BrokerMessage message, ConnectionInfo publisher) {
        BrokerEvents ev = events.get();
        if (publisher != null && ev.wantsMessages()) {
            ev.messageReceived(publisher, message);
        }
        return policy.get().authorizePublish(publisher, message);
    }

    /** The second half of {@link #publish}: carries out a decision (retained store, then the subscribers). */
    public Outcome apply(BrokerMessage message, ConnectionInfo publisher, Subscriber session, PublishVerdict v) {
        return apply(message, publisher, session, v, events.get());
    }

    private Outcome apply(BrokerMessage message, ConnectionInfo publisher, Subscriber session, PublishVerdict v,
                          BrokerEvents ev) {
        if (!v.allowed()) {
            metrics.messagesDenied.increment();
            return new Outcome(v.reasonCode(), v.reasonString(), 0, null);
        }
        if (v.drop()) {
            metrics.dropped(DropReason.DROPPED_BY_PLUGIN).increment();
            if (ev.wantsMessages()) {
                ev.messageDropped(null, message, DropReason.DROPPED_BY_PLUGIN);
            }
            return new Outcome(ReasonCode.SUCCESS, null, 0, null);
        }
        BrokerMessage m = v.message() == null ? message : v.message();
        if (ev.wantsMessages()) {
            ev.messagePublished(publisher, m);
        }
        if (m.retain()) {
            if (m.payload().length == 0) {
                if (retained.clear(m.topic())) {
                    ev.retainedCleared(publisher, m.topic());
                }
            } else {
                retained.retain(m);
                ev.retainedSet(publisher, m);
            }
        }
        Router.Result r = router.route(m, session);
        if (r.deliveries() == 0) {
            metrics.dropped(DropReason.NO_SUBSCRIBERS).increment();
            if (ev.wantsMessages()) {
                ev.messageDropped(null, m, DropReason.NO_SUBSCRIBERS);
            }
            return new Outcome(ReasonCode.NO_MATCHING_SUBSCRIBERS, null, 0, null);
        }
        Congestion congested = r.congested() != null ? r.congested() : budget.congests() ? budget : null;
        return new Outcome(ReasonCode.SUCCESS, null, r.deliveries(), congested);
    }
}
