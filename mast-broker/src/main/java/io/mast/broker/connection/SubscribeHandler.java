package io.mast.broker.connection;

import io.mast.broker.message.BrokerMessage;
import io.mast.broker.policy.Policy.SubscribeVerdict;
import io.mast.broker.routing.SubscriptionEntry;
import io.mast.broker.session.Session;
import io.mast.codec.MqttProperties;
import io.mast.codec.Qos;
import io.mast.codec.ReasonCode;
import io.mast.codec.packet.RetainHandling;
import io.mast.codec.packet.SubAck;
import io.mast.codec.packet.Subscribe;
import io.mast.codec.packet.Subscription;
import io.mast.plugin.TopicFilters;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * SUBSCRIBE: each filter is checked and authorized on its own, so one refused filter does not cost the others;
 * SUBACK answers each in order, then the retained messages of the new subscriptions follow (as Retain Handling says).
 */
final class SubscribeHandler {

    private final ConnectionServices core;

    SubscribeHandler(ConnectionServices core) {
        this.core = core;
    }

    CompletionStage<?> handle(Connection c, Subscribe sub) {
        List<CompletableFuture<SubscribeVerdict>> decisions = new ArrayList<>(sub.subscriptions().size());
        boolean allDone = true;
        for (Subscription s : sub.subscriptions()) {
            CompletableFuture<SubscribeVerdict> d;
            if (!TopicFilters.isTopicFilter(s.topicFilter())) {
                d = CompletableFuture.completedFuture(new SubscribeVerdict(
                        c.version().isV5() ? ReasonCode.TOPIC_FILTER_INVALID : ReasonCode.UNSPECIFIED_ERROR,
                        "not a valid topic filter"));
            } else {
                d = core.policy().authorizeSubscribe(c.info(), s.topicFilter(), s.qos()).toCompletableFuture();
            }
            allDone &= d.isDone();
            decisions.add(d);
        }
        if (allDone) {
            subscribe(c, sub, decisions);
            return null;
        }
        Session session = c.session();
        return CompletableFuture.allOf(decisions.toArray(CompletableFuture[]::new))
                .handle((x, e) -> null)
                .thenComposeAsync(x -> {
                    subscribe(c, sub, decisions);
                    return CompletableFuture.completedFuture(null);
                }, session::execute);
    }

    private void subscribe(Connection c, Subscribe sub, List<CompletableFuture<SubscribeVerdict>> decisions) {
        if (c.isClosing()) {
            return;
        }
        Session session = c.session();
        List<Integer> ids = sub.properties().subscriptionIdentifiers();
        int subscriptionId = ids.isEmpty() ? 0 : ids.get(0);
        List<ReasonCode> codes = new ArrayList<>(decisions.size());
        List<SubscriptionEntry> retainedFor = new ArrayList<>(0);
        StringBuilder refusals = null;
        for (int i = 0; i < decisions.size(); i++) {
            Subscription s = sub.subscriptions().get(i);
            SubscribeVerdict v = decisions.get(i).isCompletedExceptionally()
                    ? new SubscribeVerdict(ReasonCode.UNSPECIFIED_ERROR, "the authorization check failed")
                    : decisions.get(i).join();
            ReasonCode rc = v.reasonCode();
            if (rc.isError()) {
                codes.add(rc);
                refusals = (refusals == null ? new StringBuilder() : refusals.append("; "))
                        .append(refusal(s.topicFilter(), v));
                continue;
            }
            Qos granted = Qos.min(s.qos(), Qos.ofLevel(rc.value()));
            TopicFilters.SharedFilter shared = TopicFilters.parseShared(s.topicFilter());
            SubscriptionEntry entry = new SubscriptionEntry(session, s.topicFilter(),
                    shared == null ? s.topicFilter() : shared.filter(), shared == null ? null : shared.group(),
                    granted, s.noLocal(), s.retainAsPublished(), s.retainHandling(), subscriptionId);
            boolean existed = session.subscribe(entry);
            core.events().subscribed(c.info(), entry);
            codes.add(ReasonCode.granted(granted));
            // Retained messages are not sent for shared subscriptions (MQTT 5.0 section 4.8.2).
            if (shared == null && (s.retainHandling() == RetainHandling.SEND_ON_SUBSCRIBE
                    || (s.retainHandling() == RetainHandling.SEND_IF_NEW_SUBSCRIPTION && !existed))) {
                retainedFor.add(entry);
            }
        }
        c.send(new SubAck(sub.packetId(), codes,
                refusals == null ? MqttProperties.EMPTY : c.reason(refusals.toString())));
        long now = System.currentTimeMillis();
        for (SubscriptionEntry e : retainedFor) {
            for (BrokerMessage m : core.retained().match(e.topicFilter(), now)) {
                session.deliverRetained(m, e.qos(), e.subscriptionId());
            }
        }
    }

    /**
     * What a refused filter is told, as {@code filter: why}; the refusals of one SUBACK are joined by {@code ; } into
     * its Reason String, sent to MQTT 5.0 clients that accept one.
     */
    private static String refusal(String filter, SubscribeVerdict v) {
        return filter + ": " + (v.reasonString() != null ? v.reasonString()
                : v.reasonCode() == ReasonCode.NOT_AUTHORIZED ? "not authorized" : v.reasonCode().describe());
    }
}
