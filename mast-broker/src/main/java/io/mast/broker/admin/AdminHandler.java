package io.mast.broker.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mast.plugin.AdminRequest;
import io.mast.plugin.AdminResponse;
import io.netty.buffer.ByteBufInputStream;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.timeout.ReadTimeoutException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers one admin API connection's requests: authentication by token, routing, JSON in and out. Every answer is
 * JSON; errors are {@code {"code": ..., "message": ...}}.
 */
final class AdminHandler extends SimpleChannelInboundHandler<FullHttpRequest> {

    private static final Logger log = LoggerFactory.getLogger(AdminHandler.class);
    private static final String PREFIX = "/api/v1/";
    /** How long a plugin's resource may take to answer (504 after). */
    private static final long RESOURCE_TIMEOUT_S = 30;

    /** What every connection's handler shares. */
    record Shared(AdminServices core, String token, ObjectMapper json) {
        AdminResources resources() {
            return core.resources();
        }

        Supplier<List<String>> plugins() {
            return core.plugins();
        }

        Supplier<Map<String, Boolean>> readiness() {
            return core.readiness();
        }
    }

    private final Shared shared;

    AdminHandler(Shared shared) {
        this.shared = shared;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
        boolean keepAlive = HttpUtil.isKeepAlive(req);
        if (!req.decoderResult().isSuccess()) {
            write(ctx, AdminResponse.badRequest("malformed HTTP request"), false);
            return;
        }
        String requested = new QueryStringDecoder(req.uri()).path();
        Dashboard.Asset asset = req.method().name().equals("GET") ? Dashboard.get(requested) : null;
        if (asset != null) {
            writeAsset(ctx, asset, keepAlive);
            return;
        }
        if (requested.equals("/health/live") || requested.equals("/health/ready")) {
            // for load balancers and orchestrators: no token, nothing but up or down
            write(ctx, health(requested.endsWith("ready")), keepAlive);
            return;
        }
        if (!authorized(req)) {
            write(ctx, AdminResponse.error(401, "UNAUTHORIZED", "this admin API needs Authorization: Bearer <token>"),
                    keepAlive);
            return;
        }
        if (requested.equals("/metrics") && req.method().name().equals("GET")) {
            writeText(ctx, shared.core().prometheus().scrape(), keepAlive);
            return;
        }
        QueryStringDecoder uri = new QueryStringDecoder(req.uri());
        String path = uri.path();
        if (!path.startsWith(PREFIX)) {
            write(ctx, AdminResponse.notFound("no such path: " + path + " (the API is under " + PREFIX + ")"),
                    keepAlive);
            return;
        }
        List<String> segments = new ArrayList<>();
        for (String s : path.substring(PREFIX.length()).split("/")) {
            if (!s.isEmpty()) {
                segments.add(QueryStringDecoder.decodeComponent(s));
            }
        }
        Object body;
        try {
            body = req.content().isReadable()
                    ? shared.json().readValue((java.io.InputStream) new ByteBufInputStream(req.content()), Object.class)
                    : null;
        } catch (IOException e) {
            write(ctx, AdminResponse.badRequest("the body is not JSON: " + firstLine(e)), keepAlive);
            return;
        }
        Map<String, String> query = new HashMap<>();
        uri.parameters().forEach((k, v) -> query.put(k, v.isEmpty() ? "" : v.get(0)));
        String method = req.method().name();
        if (segments.isEmpty()) {
            write(ctx, AdminResponse.ok(index()), keepAlive);
            return;
        }
        String name = segments.get(0);
        if (AdminResources.RESERVED.contains(name)) {
            write(ctx, own(method, segments, query), keepAlive);
            return;
        }
        AdminResources.Entry entry = shared.resources().get(name);
        if (entry == null) {
            write(ctx, AdminResponse.notFound("no such resource: " + name + " (there are " + index().get("resources")
                    + ")"), keepAlive);
            return;
        }
        AdminRequest request = new AdminRequest(method, segments.subList(1, segments.size()), query, body);
        CompletableFuture<AdminResponse> answer = new CompletableFuture<>();
        Thread.ofVirtual().name("mast-admin-" + name).start(() -> {
            try {
                entry.resource().handle(request).whenComplete((r, e) -> {
                    if (e != null) {
                        answer.completeExceptionally(e);
                    } else {
                        answer.complete(r);
                    }
                });
            } catch (Throwable t) {
                answer.completeExceptionally(t);
            }
        });
        answer.orTimeout(RESOURCE_TIMEOUT_S, TimeUnit.SECONDS).whenComplete((r, e) -> {
            AdminResponse out = r;
            Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
            if (cause instanceof TimeoutException) {
                log.warn("admin: {} (plugin {}) did not answer {} {} within {} s", name, entry.plugin(), method,
                        path, RESOURCE_TIMEOUT_S);
                out = AdminResponse.error(504, "TIMEOUT", name + " did not answer within " + RESOURCE_TIMEOUT_S + " s");
            } else if (cause != null) {
                log.warn("admin: {} (plugin {}) failed on {} {}", name, entry.plugin(), method, path, cause);
                out = AdminResponse.error(500, "INTERNAL_ERROR", name + " failed: " + firstLine(cause));
            } else if (out == null) {
                out = AdminResponse.error(500, "INTERNAL_ERROR", name + " answered nothing");
            }
            AdminResponse o = out;
            ctx.executor().execute(() -> write(ctx, o, keepAlive));
        });
    }

    /** The broker's own resources. */
    private AdminResponse own(String method, List<String> segments, Map<String, String> query) {
        if (!method.equals("GET")) {
            return AdminResponse.error(405, "METHOD_NOT_ALLOWED", "only GET is served at /api/v1/" + segments.get(0));
        }
        if (segments.size() > 1) {
            return AdminResponse.notFound("no such path: /api/v1/" + String.join("/", segments));
        }
        AdminServices core = shared.core();
        return switch (segments.get(0)) {
            case "status" -> {
                Map<String, Object> s = new LinkedHashMap<>();
                s.put("name", core.identity().name());
                s.put("version", core.identity().version());
                s.put("started_at", core.identity().startedAt());
                s.put("uptime_s", (System.currentTimeMillis() - core.identity().startedAt()) / 1000);
                s.put("connections", core.connections().get());
                s.put("sessions", core.registry().size());
                yield AdminResponse.ok(s);
            }
            case "metrics" -> {
                String prefix = query.getOrDefault("prefix", "");
                Map<String, Long> all = new LinkedHashMap<>();
                core.metricsRegistry().snapshot().forEach((k, v) -> {
                    if (k.startsWith(prefix)) {
                        all.put(k, v);
                    }
                });
                yield AdminResponse.ok(all);
            }
            default -> {
                List<Map<String, Object>> list = new ArrayList<>();
                Map<String, Long> metrics = core.metricsRegistry().snapshot();
                for (String p : shared.plugins().get()) {
                    Map<String, Object> one = new LinkedHashMap<>();
                    one.put("name", p);
                    Map<String, Long> own = new LinkedHashMap<>();
                    String prefix = "plugin." + p + ".";
                    metrics.forEach((k, v) -> {
                        if (k.startsWith(prefix)) {
                            own.put(k.substring(prefix.length()), v);
                        }
                    });
                    one.put("metrics", own);
                    list.add(one);
                }
                yield AdminResponse.ok(list);
            }
        };
    }

    /**
     * {@code /health/live}: 200 while the broker answers at all. {@code /health/ready}: 200 once every listener is
     * bound, the store is open and what plugins declared (hook servers under {@code failed_action: deny}) is up;
     * 503 otherwise, with the checks that fail.
     */
    private AdminResponse health(boolean ready) {
        Map<String, Object> body = new LinkedHashMap<>();
        if (!ready) {
            body.put("status", "UP");
            return AdminResponse.ok(body);
        }
        Map<String, Boolean> checks = shared.readiness().get();
        boolean up = checks.values().stream().allMatch(Boolean::booleanValue);
        body.put("status", up ? "UP" : "DOWN");
        body.put("checks", checks);
        return up ? AdminResponse.ok(body) : new AdminResponse(503, body);
    }

    private Map<String, Object> index() {
        List<String> names = new ArrayList<>(AdminResources.RESERVED);
        names.addAll(shared.resources().names());
        names.sort(null);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("resources", names);
        return m;
    }

    private boolean authorized(FullHttpRequest req) {
        String token = shared.token();
        if (token == null) {
            return true;
        }
        String given = req.headers().get(HttpHeaderNames.AUTHORIZATION);
        byte[] expected = ("Bearer " + token).getBytes(StandardCharsets.UTF_8);
        return given != null && MessageDigest.isEqual(expected, given.getBytes(StandardCharsets.UTF_8));
    }

    /** The Prometheus text format ({@code /metrics}). */
    private static void writeText(ChannelHandlerContext ctx, String text, boolean keepAlive) {
        writeAsset(ctx, new Dashboard.Asset("text/plain; version=0.0.4; charset=utf-8",
                text.getBytes(StandardCharsets.UTF_8)), keepAlive);
    }

    private static void writeAsset(ChannelHandlerContext ctx, Dashboard.Asset asset, boolean keepAlive) {
        FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                Unpooled.wrappedBuffer(asset.bytes()));
        res.headers().set(HttpHeaderNames.CONTENT_TYPE, asset.contentType())
                .set(HttpHeaderNames.CONTENT_SECURITY_POLICY, Dashboard.CONTENT_SECURITY_POLICY)
                .set("X-Content-Type-Options", "nosniff")
                .set(HttpHeaderNames.CACHE_CONTROL, "no-cache");
        HttpUtil.setContentLength(res, asset.bytes().length);
        HttpUtil.setKeepAlive(res, keepAlive);
        var written = ctx.writeAndFlush(res);
        if (!keepAlive) {
            written.addListener(ChannelFutureListener.CLOSE);
        }
    }

    private void write(ChannelHandlerContext ctx, AdminResponse r, boolean keepAlive) {
        byte[] bytes;
        try {
            bytes = r.body() == null ? new byte[0] : shared.json().writeValueAsBytes(r.body());
        } catch (JsonProcessingException e) {
            log.warn("admin: cannot write an answer as JSON", e);
            r = AdminResponse.error(500, "INTERNAL_ERROR", "the answer cannot be written as JSON: " + firstLine(e));
            bytes = ("{\"code\":\"INTERNAL_ERROR\",\"message\":\"the answer cannot be written as JSON\"}")
                    .getBytes(StandardCharsets.UTF_8);
        }
        FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(r.status()),
                Unpooled.wrappedBuffer(bytes));
        if (bytes.length > 0) {
            res.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON);
        }
        HttpUtil.setContentLength(res, bytes.length);
        HttpUtil.setKeepAlive(res, keepAlive);
        var written = ctx.writeAndFlush(res);
        if (!keepAlive) {
            written.addListener(ChannelFutureListener.CLOSE);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (!(cause instanceof ReadTimeoutException) && !(cause instanceof IOException)) {
            log.debug("admin connection failed", cause);
        }
        ctx.close();
    }

    private static String firstLine(Throwable e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }
}
