package io.mast.exhook;

import io.mast.plugin.AdminRequest;
import io.mast.plugin.AdminResource;
import io.mast.plugin.AdminResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The hook servers in the broker's admin API, at {@code /api/v1/exhooks}, with the paths of EMQX's REST API:
 * <ul>
 *   <li>{@code GET /exhooks}: every server in call order, with its status, settings, hooks and total counts;</li>
 *   <li>{@code GET /exhooks/<name>}: one server;</li>
 *   <li>{@code PUT /exhooks/<name>} with {@code {"enable": true|false}}: enables (answers once it was loaded or
 *       failed) or disables a server;</li>
 *   <li>{@code GET /exhooks/<name>/hooks}: the hooks it registered, each with its topics and counts;</li>
 *   <li>{@code POST /exhooks/<name>/move} with {@code {"position": "front" | "rear" | "before:<name>" |
 *       "after:<name>"}}: changes the call order.</li>
 * </ul>
 */
final class ExHookAdmin implements AdminResource {

    private final ExHookPlugin plugin;

    ExHookAdmin(ExHookPlugin plugin) {
        this.plugin = plugin;
    }

    @Override
    public CompletionStage<AdminResponse> handle(AdminRequest r) {
        List<String> path = r.path();
        if (path.isEmpty()) {
            if (!r.method().equals("GET")) {
                return done(notAllowed(r, "GET"));
            }
            List<Object> all = new ArrayList<>();
            for (HookServer s : plugin.servers()) {
                all.add(describe(s));
            }
            return done(AdminResponse.ok(all));
        }
        HookServer server = find(path.get(0));
        if (server == null) {
            return done(AdminResponse.notFound("no hook server named " + path.get(0) + "; there are "
                    + plugin.serverNames()));
        }
        if (path.size() == 1) {
            return switch (r.method()) {
                case "GET" -> done(AdminResponse.ok(describe(server)));
                case "PUT" -> enable(server, r.field("enable"));
                default -> done(notAllowed(r, "GET, PUT"));
            };
        }
        if (path.size() == 2 && path.get(1).equals("hooks")) {
            return done(r.method().equals("GET") ? AdminResponse.ok(hooks(server)) : notAllowed(r, "GET"));
        }
        if (path.size() == 2 && path.get(1).equals("move")) {
            if (!r.method().equals("POST")) {
                return done(notAllowed(r, "POST"));
            }
            if (!(r.field("position") instanceof String position)) {
                return done(AdminResponse.badRequest("expected a body {\"position\": \"front\" | \"rear\" | "
                        + "\"before:<name>\" | \"after:<name>\"}"));
            }
            try {
                return done(AdminResponse.ok(Map.of("order", plugin.move(server.name, position))));
            } catch (IllegalArgumentException e) {
                return done(AdminResponse.badRequest(e.getMessage()));
            }
        }
        return done(AdminResponse.notFound("no such path under /api/v1/exhooks/" + server.name
                + " (there are hooks and move)"));
    }

    private CompletionStage<AdminResponse> enable(HookServer server, Object enable) {
        if (!(enable instanceof Boolean on)) {
            return done(AdminResponse.badRequest("expected a body {\"enable\": true} or {\"enable\": false}"));
        }
        if (!on) {
            plugin.disable(server.name);
            return done(AdminResponse.ok(describe(server)));
        }
        return plugin.enable(server.name).thenApply(x -> AdminResponse.ok(describe(server)));
    }

    private HookServer find(String name) {
        for (HookServer s : plugin.servers()) {
            if (s.name.equals(name)) {
                return s;
            }
        }
        return null;
    }

    /** A server's status, settings, registered hooks and counts summed over its hooks. */
    private static Map<String, Object> describe(HookServer s) {
        ServerConfig c = s.config;
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", s.name);
        m.put("enable", s.status() != ServerStatus.DISABLED);
        m.put("status", s.status().toString());
        m.put("urls", c.urls());
        m.put("protocol", c.protocol().name().toLowerCase(java.util.Locale.ROOT));
        m.put("request_timeout", duration(c.requestTimeout()));
        m.put("failed_action", c.failedAction().name().toLowerCase(java.util.Locale.ROOT));
        m.put("auto_reconnect", c.reconnectPeriod() == null ? false : duration(c.reconnectPeriod()));
        m.put("pool_size", c.poolSize());
        m.put("publish_inflight", c.publishInflight());
        m.put("streaming", c.streaming());
        m.put("batch_size", c.batchSize());
        m.put("batch_delay", duration(c.batchDelay()));
        m.put("streamed_urls", s.streamedUrls());
        if (c.command() != null) {
            m.put("command", c.command());
            long pid = s.pid();
            m.put("pid", pid < 0 ? null : pid);
        }
        Map<Hook, List<String>> registered = s.hooks();
        List<String> names = new ArrayList<>();
        for (Hook h : Hook.values()) {
            if (registered != null && registered.containsKey(h)) {
                names.add(h.hookName);
            }
        }
        m.put("hooks", names);
        long[] total = new long[4];
        for (Hook h : Hook.values()) {
            ServerMetrics.Counters k = s.metrics.peek(h);
            if (k != null && h.hookName != null) {
                total[0] += k.succeeded.count();
                total[1] += k.failed.count();
                total[2] += k.timedOut.count();
                total[3] += k.dropped.count();
            }
        }
        m.put("metrics", counts(total[0], total[1], total[2], total[3], -1));
        return m;
    }

    /** The hooks a server registered, in the order of the protocol, with their topics and counts. */
    private static List<Object> hooks(HookServer s) {
        Map<Hook, List<String>> registered = s.hooks();
        List<Object> list = new ArrayList<>();
        if (registered == null) {
            return list;
        }
        for (Hook h : Hook.values()) {
            if (!registered.containsKey(h)) {
                continue;
            }
            Map<String, Object> one = new LinkedHashMap<>();
            one.put("name", h.hookName);
            one.put("topics", registered.get(h));
            ServerMetrics.Counters k = s.metrics.peek(h);
            one.put("metrics", k == null ? counts(0, 0, 0, 0, 0)
                    : counts(k.succeeded.count(), k.failed.count(), k.timedOut.count(), k.dropped.count(),
                    k.latencyMicros.count()));
            list.add(one);
        }
        return list;
    }

    private static Map<String, Object> counts(long succeeded, long failed, long timedOut, long dropped,
                                              long latencyMicros) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("succeeded", succeeded);
        m.put("failed", failed);
        m.put("timed_out", timedOut);
        m.put("dropped", dropped);
        if (latencyMicros >= 0) {
            m.put("avg_latency_us", succeeded == 0 ? 0 : latencyMicros / succeeded);
        }
        return m;
    }

    private static String duration(Duration d) {
        long ms = d.toMillis();
        return ms % 1000 == 0 ? ms / 1000 + "s" : ms + "ms";
    }

    private static AdminResponse notAllowed(AdminRequest r, String allowed) {
        return AdminResponse.error(405, "METHOD_NOT_ALLOWED", r.method() + " is not served here; " + allowed + " is");
    }

    private static CompletionStage<AdminResponse> done(AdminResponse r) {
        return CompletableFuture.completedFuture(r);
    }
}
