package io.mast.broker.admin;

import io.mast.broker.session.Session;
import io.mast.broker.session.SessionAdmin;
import io.mast.plugin.AdminRequest;
import io.mast.plugin.AdminResource;
import io.mast.plugin.AdminResponse;
import io.mast.plugin.ClientInfo;
import io.mast.plugin.SessionInfo;
import io.mast.plugin.Subscription;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * {@code /api/v1/clients}: the sessions and their clients, as EMQX's API lists them. {@code GET /clients} (filters
 * {@code like} (part of the client id), {@code username}, {@code connected=true|false}; pages), {@code GET
 * /clients/{id}} (with its subscriptions), {@code DELETE /clients/{id}} (disconnects it with 0x98 Administrative
 * action; the session stays as its expiry says).
 */
final class ClientsResource implements AdminResource {

    private final AdminServices core;
    private final SessionAdmin sessions;

    ClientsResource(AdminServices core) {
        this.core = core;
        this.sessions = core.sessions();
    }

    @Override
    public CompletionStage<AdminResponse> handle(AdminRequest r) {
        if (r.path().isEmpty()) {
            if (!r.method().equals("GET")) {
                return done(AdminResponse.error(405, "METHOD_NOT_ALLOWED", "GET /api/v1/clients lists the clients"));
            }
            return list(r);
        }
        if (r.path().size() > 1) {
            return done(AdminResponse.notFound("no such path: /api/v1/clients/" + String.join("/", r.path())));
        }
        String id = r.path().get(0);
        return switch (r.method()) {
            case "GET" -> sessions.snapshot(id).thenApply(s -> s.map(i -> AdminResponse.ok(json(i, true)))
                    .orElseGet(() -> AdminResponse.notFound("no such client: " + id)));
            case "DELETE" -> sessions.disconnect(id).thenApply(kicked -> kicked ? AdminResponse.noContent()
                    : AdminResponse.notFound("client " + id + " is not connected"));
            default -> done(AdminResponse.error(405, "METHOD_NOT_ALLOWED", "GET or DELETE /api/v1/clients/{id}"));
        };
    }

    private CompletionStage<AdminResponse> list(AdminRequest r) {
        Page page;
        try {
            page = Page.of(r);
        } catch (IllegalArgumentException e) {
            return done(AdminResponse.badRequest(e.getMessage()));
        }
        String like = r.query().getOrDefault("like", "").toLowerCase(Locale.ROOT);
        String username = r.query().get("username");
        String connected = r.query().get("connected");
        List<CompletableFuture<Optional<SessionInfo>>> all = new ArrayList<>();
        for (Session s : core.registry().all()) {
            if (s.clientId().toLowerCase(Locale.ROOT).contains(like)) {
                all.add(sessions.snapshot(s.clientId()).toCompletableFuture());
            }
        }
        return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).thenApply(x -> {
            List<SessionInfo> found = new ArrayList<>();
            for (CompletableFuture<Optional<SessionInfo>> f : all) {
                f.join().ifPresent(found::add);
            }
            List<Map<String, Object>> rows = found.stream()
                    .filter(i -> username == null || (i.client() != null && username.equals(i.client().username())))
                    .filter(i -> connected == null || Boolean.parseBoolean(connected) == i.connected())
                    .sorted(Comparator.comparing(SessionInfo::clientId))
                    .map(i -> json(i, false)).toList();
            return page.of(rows);
        });
    }

    /** A client as EMQX's API names its fields. */
    static Map<String, Object> json(SessionInfo s, boolean withSubscriptions) {
        Map<String, Object> m = new LinkedHashMap<>();
        ClientInfo c = s.client();
        m.put("clientid", s.clientId());
        m.put("username", c == null ? null : c.username());
        m.put("connected", s.connected());
        m.put("ip_address", c == null || c.remoteAddress() == null ? null
                : c.remoteAddress().getAddress().getHostAddress());
        m.put("port", c == null || c.remoteAddress() == null ? null : c.remoteAddress().getPort());
        m.put("listener", c == null ? null : c.listener());
        m.put("proto_ver", c == null ? null : c.protocolVersion());
        m.put("keepalive", c == null ? null : c.keepAlive());
        m.put("clean_start", c == null ? null : c.cleanStart());
        m.put("connected_at", c == null ? null : c.connectedAt());
        m.put("expiry_interval", s.expiryIntervalSeconds());
        m.put("subscriptions_cnt", s.subscriptions().size());
        m.put("mqueue_len", s.queuedMessages());
        m.put("inflight_cnt", s.inflightMessages());
        if (withSubscriptions) {
            m.put("subscriptions", s.subscriptions().stream().map(sub -> subscription(s.clientId(), sub)).toList());
        }
        return m;
    }

    static Map<String, Object> subscription(String clientId, Subscription sub) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("clientid", clientId);
        m.put("topic", sub.topicFilter());
        m.put("qos", sub.qos());
        m.put("nl", sub.noLocal() ? 1 : 0);
        m.put("rap", sub.retainAsPublished() ? 1 : 0);
        m.put("rh", sub.retainHandling());
        return m;
    }

    static CompletionStage<AdminResponse> done(AdminResponse r) {
        return CompletableFuture.completedFuture(r);
    }
}
