package io.mast.broker.session;

import io.mast.broker.message.BrokerMessage;
import io.mast.broker.routing.SubscriptionEntry;
import io.mast.codec.Qos;
import io.mast.codec.ReasonCode;
import io.mast.codec.packet.RetainHandling;
import io.mast.plugin.SessionInfo;
import io.mast.plugin.TopicFilters;
import io.mast.plugin.support.Durations;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Operations on sessions from outside a connection (plugins, the admin command): each runs in the session's mailbox
 * and completes a future with the result.
 */
public final class SessionAdmin {

    private final SessionRegistry registry;

    public SessionAdmin(SessionRegistry registry) {
        this.registry = registry;
    }

    /** A snapshot of a client's session. */
    public CompletionStage<Optional<SessionInfo>> snapshot(String clientId) {
        Session s = registry.get(clientId);
        if (s == null) {
            return CompletableFuture.completedFuture(Optional.empty());
        }
        CompletableFuture<Optional<SessionInfo>> f = new CompletableFuture<>();
        s.execute(() -> f.complete(s.isEnded() ? Optional.empty() : Optional.of(s.snapshot())));
        return f;
    }

    /**
     * Subscribes a client's session, creating an offline one that lasts {@code session.max_expiry_interval} when there
     * is none; retained messages follow as the retain handling says.
     */
    public CompletionStage<Void> subscribe(String clientId, String filter, int qos, boolean noLocal,
                                           boolean retainAsPublished, int retainHandling, int subscriptionId) {
        if (!TopicFilters.isTopicFilter(filter)) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("invalid topic filter: " + filter));
        }
        long expiry = Durations.toMqttSeconds(registry.services().config().session().maxExpiryInterval());
        Session s = registry.getOrCreateOffline(clientId, expiry);
        CompletableFuture<Void> f = new CompletableFuture<>();
        s.execute(() -> {
            TopicFilters.SharedFilter shared = TopicFilters.parseShared(filter);
            Qos granted = Qos.ofLevel(qos);
            RetainHandling rh = RetainHandling.of(retainHandling);
            SubscriptionEntry entry = new SubscriptionEntry(s, filter, shared == null ? filter : shared.filter(),
                    shared == null ? null : shared.group(), granted, noLocal, retainAsPublished, rh, subscriptionId);
            boolean existed = s.subscribe(entry);
            if (shared == null && (rh == RetainHandling.SEND_ON_SUBSCRIBE
                    || (rh == RetainHandling.SEND_IF_NEW_SUBSCRIPTION && !existed))) {
                for (BrokerMessage m : registry.services().retained().match(entry.topicFilter(), System.currentTimeMillis())) {
                    s.deliverRetained(m, granted, subscriptionId);
                }
            }
            f.complete(null);
        });
        return f;
    }

    /** Removes a subscription; false when there was none. */
    public CompletionStage<Boolean> unsubscribe(String clientId, String filter) {
        Session s = registry.get(clientId);
        if (s == null) {
            return CompletableFuture.completedFuture(false);
        }
        CompletableFuture<Boolean> f = new CompletableFuture<>();
        s.execute(() -> f.complete(s.unsubscribe(filter)));
        return f;
    }

    /** Disconnects a client with 0x98 Administrative action; false when it is not connected. */
    public CompletionStage<Boolean> disconnect(String clientId) {
        Session s = registry.get(clientId);
        if (s == null) {
            return CompletableFuture.completedFuture(false);
        }
        CompletableFuture<Boolean> f = new CompletableFuture<>();
        s.execute(() -> {
            var c = s.connection();
            if (c == null) {
                f.complete(false);
                return;
            }
            c.eventLoop().execute(() -> c.disconnect(ReasonCode.ADMINISTRATIVE_ACTION, "disconnected by an administrator"));
            f.complete(true);
        });
        return f;
    }
}
