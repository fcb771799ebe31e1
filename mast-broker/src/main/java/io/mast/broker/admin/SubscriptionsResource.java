package io.mast.broker.admin;

import io.mast.broker.session.Session;
import io.mast.broker.session.SessionAdmin;
import io.mast.plugin.AdminRequest;
import io.mast.plugin.AdminResource;
import io.mast.plugin.AdminResponse;
import io.mast.plugin.SessionInfo;
import io.mast.plugin.Subscription;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * {@code GET /api/v1/subscriptions}: every session's subscriptions, by client then filter; {@code clientid} and
 * {@code topic} (the filter as subscribed) narrow the list; pages as {@link Page}.
 */
final class SubscriptionsResource implements AdminResource {

    private final AdminServices core;
    private final SessionAdmin sessions;

    SubscriptionsResource(AdminServices core) {
        this.core = core;
        this.sessions = core.sessions();
    }

    @Override
    public CompletionStage<AdminResponse> handle(AdminRequest r) {
        if (!r.method().equals("GET") || !r.path().isEmpty()) {
            return ClientsResource.done(AdminResponse.error(405, "METHOD_NOT_ALLOWED",
                    "GET /api/v1/subscriptions lists the subscriptions"));
        }
        Page page;
        try {
            page = Page.of(r);
        } catch (IllegalArgumentException e) {
            return ClientsResource.done(AdminResponse.badRequest(e.getMessage()));
        }
        String clientId = r.query().get("clientid");
        String topic = r.query().get("topic");
        List<CompletableFuture<Optional<SessionInfo>>> all = new ArrayList<>();
        if (clientId != null) {
            all.add(sessions.snapshot(clientId).toCompletableFuture());
        } else {
            for (Session s : core.registry().all()) {
                all.add(sessions.snapshot(s.clientId()).toCompletableFuture());
            }
        }
        return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).thenApply(x -> {
            List<Map<String, Object>> rows = new ArrayList<>();
            all.stream().map(CompletableFuture::join).flatMap(Optional::stream)
                    .sorted(java.util.Comparator.comparing(SessionInfo::clientId)).forEach(s -> {
                        for (Subscription sub : s.subscriptions()) {
                            if (topic == null || topic.equals(sub.topicFilter())) {
                                rows.add(ClientsResource.subscription(s.clientId(), sub));
                            }
                        }
                    });
            return page.of(rows);
        });
    }
}
