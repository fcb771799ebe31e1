package io.mast.exhook;

import io.grpc.ChannelCredentials;
import io.grpc.ManagedChannel;
import io.mast.exhook.proto.v3.BrokerInfo;
import io.mast.exhook.proto.v3.HookSpec;
import io.mast.exhook.proto.v3.LoadedResponse;
import io.mast.exhook.proto.v3.ProviderLoadedRequest;
import io.mast.exhook.proto.v3.ProviderUnloadedRequest;
import io.mast.exhook.proto.v3.StreamOffer;
import io.mast.plugin.PluginMetrics;
import io.mast.plugin.TopicFilters;
import io.mast.plugin.support.RateLimitedLog;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One configured hook server: its addresses (each a pool of HTTP/2 connections), the hooks it asked for, its status,
 * its metrics, and, with {@code command}, its process.
 *
 * <p>Loading: OnProviderLoaded is sent to each address at startup; an address that answers is "up" and the hooks of
 * its answer become the server's. An address that cannot be loaded, or whose call fails with UNAVAILABLE (the
 * connection is gone), is "down"; with {@code auto_reconnect} it is loaded again after that period. A server whose
 * process exits is down until the restarted process serves.
 *
 * <p>Calls are made by {@link HookCalls} ({@link #calls}): in each client's order, with their deadline, to the
 * address chosen for the client; a call that finds its address down marks it down here.
 */
final class HookServer {

    private static final Logger log = LoggerFactory.getLogger(ExHookPlugin.class);
    private static final Duration UNLOAD_TIMEOUT = Duration.ofSeconds(3);
    private static final Duration START_RETRY = Duration.ofMillis(200);
    /** How long closing waits for the servers to answer what was sent over their streams, in all. */
    private static final Duration STREAM_CLOSE = Duration.ofSeconds(2);

    final ServerConfig config;
    final String name;
    final ServerMetrics metrics;
    private final Requests requests;
    private final Supplier<BrokerInfo> brokerInfo;
    private final ScheduledExecutorService scheduler;
    private final List<ServerAddress> addresses;
    private final IoLoop io;
    /** The calls to this server, each in its client's order. */
    final HookCalls calls;
    /** Warnings about failed calls, at most one per 10 s. */
    final RateLimitedLog failures;
    private final CompletableFuture<Void> started = new CompletableFuture<>();
    private volatile HookProcess process;
    private volatile Map<Hook, List<String>> hooks;
    private volatile ServerStatus status;
    private volatile boolean enabled;
    private volatile boolean closed;
    /** A started process is being waited for: the server is connecting, not disconnected. */
    private volatile boolean starting;

    HookServer(ServerConfig config, Requests requests, Supplier<BrokerInfo> brokerInfo,
               ScheduledExecutorService scheduler, PluginMetrics pluginMetrics) {
        this.config = config;
        this.name = config.name();
        this.requests = requests;
        this.brokerInfo = brokerInfo;
        this.scheduler = scheduler;
        this.enabled = config.enable();
        this.status = enabled ? ServerStatus.CONNECTING : ServerStatus.DISABLED;
        this.failures = new RateLimitedLog(log, 10_000);
        ChannelCredentials credentials = ServerAddress.credentials(config);
        this.io = new IoLoop(name);
        List<ServerAddress> list = new ArrayList<>();
        for (URI u : config.addresses()) {
            list.add(new ServerAddress(u, credentials, config.poolSize(), io));
        }
        this.addresses = List.copyOf(list);
        this.metrics = new ServerMetrics(pluginMetrics, name, () -> status.gaugeValue());
        this.calls = new HookCalls(config, metrics, addresses, failures, this::markDown, () -> status);
    }

    // ---- What the server wants ----

    /** True when the server takes part in a hook: listed in its answer, or, before any answer, every decision. */
    boolean wants(Hook hook) {
        if (!enabled) {
            return false;
        }
        Map<Hook, List<String>> h = hooks;
        return h == null ? hook.kind == Hook.Kind.DECISION : h.containsKey(hook);
    }

    /** {@link #wants(Hook)}, and for a {@code message.*} hook, the topic matches one of its HookSpec's topics. */
    boolean wants(Hook hook, String topic) {
        if (!wants(hook)) {
            return false;
        }
        Map<Hook, List<String>> h = hooks;
        if (h == null || topic == null || !hook.isMessageHook()) {
            return true;
        }
        List<String> filters = h.get(hook);
        if (filters == null || filters.isEmpty()) {
            return true;
        }
        for (String f : filters) {
            if (TopicFilters.matches(f, topic)) {
                return true;
            }
        }
        return false;
    }

    ServerStatus status() {
        return status;
    }

    ServerConfig.FailedAction failedAction() {
        return config.failedAction();
    }

    /** The addresses called over Mast's stream now (the others, when up, are called with unary RPCs). */
    List<String> streamedUrls() {
        return addresses.stream().filter(a -> a.up && a.streams != null).map(ServerAddress::toString).toList();
    }

    /** The hooks of the last OnProviderLoaded answer, or {@code null} before the first. */
    Map<Hook, List<String>> hooks() {
        return hooks;
    }

    // ---- Loading ----

    /**
     * Starts the server: starts its process (with {@code command}), then loads every address. Completes when each
     * address answered or failed once (with {@code command}: when each served, or {@code start_timeout} passed).
     */
    CompletableFuture<Void> start() {
        if (!enabled) {
            log.info("ExHook server {} is disabled", name);
            started.complete(null);
            return started;
        }
        log.info("ExHook server {}: connecting to {} ({}, failed_action {}, request_timeout {} ms)", name,
                config.urls(), config.protocol().name().toLowerCase(), config.failedAction().name().toLowerCase(),
                config.requestTimeout().toMillis());
        if (config.command() != null) {
            process = new HookProcess(config, scheduler, processListener());
            process.start();
        } else {
            List<CompletableFuture<Boolean>> loads = new ArrayList<>();
            for (ServerAddress a : addresses) {
                loads.add(load(a).thenApply(ok -> {
                    if (!ok) {
                        scheduleRetry(a);
                    }
                    return ok;
                }));
            }
            CompletableFuture.allOf(loads.toArray(CompletableFuture[]::new)).thenRun(() -> started.complete(null));
        }
        return started;
    }

    private HookProcess.Listener processListener() {
        return new HookProcess.Listener() {
            @Override
            public void started() {
                long deadline = System.nanoTime() + config.startTimeout().toNanos();
                List<CompletableFuture<Boolean>> loads = new ArrayList<>();
                for (ServerAddress a : addresses) {
                    loads.add(loadUntil(a, deadline));
                }
                CompletableFuture.allOf(loads.toArray(CompletableFuture[]::new)).thenRun(() -> started.complete(null));
            }

            @Override
            public void exited(String why) {
                for (ServerAddress a : addresses) {
                    markDown(a, why);
                }
            }
        };
    }

    /** Loads an address again and again (every 200 ms) until it serves or the deadline passes: a starting process. */
    private CompletableFuture<Boolean> loadUntil(ServerAddress a, long deadline) {
        CompletableFuture<Boolean> out = new CompletableFuture<>();
        starting = true;
        updateStatus(null);
        out.whenComplete((ok, e) -> {
            starting = false;
            updateStatus(ok ? null : "the process did not serve");
        });
        Runnable attempt = new Runnable() {
            @Override
            public void run() {
                load(a, true).thenAccept(ok -> {
                    HookProcess p = process;
                    if (ok) {
                        out.complete(true);
                    } else if (closed || !enabled || p == null || !p.alive() || System.nanoTime() > deadline) {
                        if (System.nanoTime() > deadline && p != null && p.alive()) {
                            log.warn("ExHook server {}: the process did not serve at {} within {} s", name, a.uri,
                                    config.startTimeout().toSeconds());
                            scheduleRetry(a);
                        }
                        out.complete(false);
                    } else {
                        scheduler.schedule(this, START_RETRY.toMillis(), TimeUnit.MILLISECONDS);
                    }
                });
            }
        };
        attempt.run();
        return out;
    }

    /** Sends OnProviderLoaded to an address; completes with true when it answered (the address is then up). */
    private CompletableFuture<Boolean> load(ServerAddress a) {
        return load(a, false);
    }

    /** @param quiet log a failure at DEBUG only (a process that is still starting) */
    private CompletableFuture<Boolean> load(ServerAddress a, boolean quiet) {
        synchronized (a) {
            if (a.loading || closed || !enabled) {
                return CompletableFuture.completedFuture(false);
            }
            a.loading = true;
            if (a.retry != null) {
                a.retry.cancel(false);
                a.retry = null;
            }
        }
        updateStatus(null);
        for (ManagedChannel c : a.pool) {
            c.resetConnectBackoff();
        }
        ProviderLoadedRequest request = ProviderLoadedRequest.newBuilder().setBroker(brokerInfo.get())
                .setMeta(requests.meta).build();
        CompletableFuture<Boolean> out = new CompletableFuture<>();
        long start = System.nanoTime();
        HookCalls.unary(a.pool[0], Hook.PROVIDER_LOADED.method(config.protocol()), config.requestTimeout().toNanos(),
                request, (answer, failure) -> {
                    if (failure != null) {
                        metrics.failed(Hook.PROVIDER_LOADED);
                        synchronized (a) {
                            a.loading = false;
                            a.up = false;
                        }
                        if (quiet) {
                            log.debug("ExHook server {}: OnProviderLoaded at {} failed: {}", name, a.uri,
                                    HookCalls.describe(failure));
                        } else {
                            log.warn("ExHook server {}: OnProviderLoaded at {} failed: {}", name, a.uri,
                                    HookCalls.describe(failure));
                        }
                        updateStatus("cannot load " + a.uri);
                        out.complete(false);
                        return;
                    }
                    metrics.succeeded(Hook.PROVIDER_LOADED, start);
                    Map<Hook, List<String>> spec = hookSpec((LoadedResponse) answer);
                    Map<Hook, List<String>> before = hooks;
                    hooks = spec;
                    openStreams(a, (LoadedResponse) answer);
                    synchronized (a) {
                        a.loading = false;
                        a.up = !closed && enabled;
                    }
                    for (ManagedChannel c : a.pool) {
                        c.getState(true);
                    }
                    if (before != null && !before.equals(spec)) {
                        log.info("ExHook server {}: {} changed the hooks to {}", name, a.uri, describe(spec));
                    }
                    HookProcess p = process;
                    if (p != null) {
                        p.serving();
                    }
                    updateStatus(null);
                    out.complete(true);
                });
        return out;
    }

    /** The hooks of an OnProviderLoaded answer; names the protocol does not have are logged and left out. */
    private Map<Hook, List<String>> hookSpec(LoadedResponse answer) {
        Map<Hook, List<String>> spec = new EnumMap<>(Hook.class);
        if (answer == null) {
            return spec;
        }
        for (HookSpec h : answer.getHooksList()) {
            Hook hook = Hook.byName(h.getName());
            if (hook == null) {
                log.warn("ExHook server {} asked for the unknown hook {}; ignored", name, h.getName());
                continue;
            }
            spec.put(hook, hook.isMessageHook() ? List.copyOf(h.getTopicsList()) : List.of());
        }
        return Map.copyOf(spec);
    }

    private static String describe(Map<Hook, List<String>> spec) {
        if (spec.isEmpty()) {
            return "none";
        }
        return spec.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .map(e -> e.getKey().hookName + (e.getValue().isEmpty() ? "" : " " + e.getValue()))
                .collect(Collectors.joining(", "));
    }

    /**
     * Opens the streams of Mast's streaming mode to an address whose OnProviderLoaded answer offered them (and closes
     * any from before); without an offer, or with {@code streaming: false} or protocol v2, its calls are unary.
     */
    private void openStreams(ServerAddress a, LoadedResponse answer) {
        abortStreams(a, "the server was loaded again");
        StreamOffer offer = answer == null ? null : answer.getStream();
        if (offer == null || offer.getVersion() < 1) {
            return;
        }
        if (!config.streaming() || config.protocol() != ServerConfig.Protocol.V3) {
            log.info("ExHook server {}: {} offers Mast's streaming mode; calling it with unary RPCs ({})", name,
                    a.uri, config.streaming() ? "protocol v2" : "streaming: false");
            return;
        }
        int n = Math.max(1, Math.min(offer.getStreams(), a.pool.length));
        HookStream[] streams = new HookStream[n];
        for (int i = 0; i < n; i++) {
            HookStream[] self = streams;
            streams[i] = new HookStream(name + " at " + a.uri, a.pool[i], io.executor(), config, why -> {
                if (a.streams == self) {
                    markDown(a, why);
                }
            });
        }
        a.streams = streams;
        log.info("ExHook server {}: {} is called over Mast's stream ({} stream{}, frames of up to {} requests, "
                + "batch_delay {} us)", name, a.uri, n, n == 1 ? "" : "s", config.batchSize(),
                config.batchDelay().toNanos() / 1000);
    }

    /** Cancels an address's streams at once: decisions waiting on them fail (and are tried elsewhere). */
    private static void abortStreams(ServerAddress a, String why) {
        HookStream[] s = a.streams;
        a.streams = null;
        if (s != null) {
            for (HookStream one : s) {
                one.abort(why);
            }
        }
    }

    /**
     * Ends the streams of every address in order: what is queued is sent, and the server answers what it received
     * before it ends its side (at most {@code wait} in all). Calls made afterwards are unary.
     */
    private void closeStreams(Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        for (ServerAddress a : addresses) {
            HookStream[] s = a.streams;
            a.streams = null;
            if (s != null) {
                for (HookStream one : s) {
                    one.close(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
                }
            }
        }
    }

    /** An address went down (its connection failed or its process exited). */
    private void markDown(ServerAddress a, String why) {
        abortStreams(a, why);
        synchronized (a) {
            if (!a.up) {
                return;
            }
            a.up = false;
        }
        log.warn("ExHook server {}: lost {}: {}", name, a.uri, why);
        updateStatus(why);
        scheduleRetry(a);
    }

    /** Loads the address again after {@code auto_reconnect}, unless it is off or the process restart will. */
    private void scheduleRetry(ServerAddress a) {
        if (closed || !enabled) {
            return;
        }
        HookProcess p = process;
        if (p != null && !p.alive()) {
            return;
        }
        Duration period = config.reconnectPeriod();
        synchronized (a) {
            if (period == null) {
                if (!a.warnedNoReconnect) {
                    a.warnedNoReconnect = true;
                    log.warn("ExHook server {}: auto_reconnect is off: {} stays disconnected", name, a.uri);
                }
                return;
            }
            if (a.retry != null || a.up) {
                return;
            }
            a.retry = scheduler.schedule(() -> {
                synchronized (a) {
                    a.retry = null;
                }
                load(a).thenAccept(ok -> {
                    if (!ok) {
                        scheduleRetry(a);
                    }
                });
            }, period.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** Recomputes the status and logs a change. */
    private synchronized void updateStatus(String why) {
        ServerStatus next;
        if (!enabled) {
            next = ServerStatus.DISABLED;
        } else if (addresses.stream().anyMatch(a -> a.up)) {
            next = ServerStatus.CONNECTED;
        } else if (!closed && (starting || addresses.stream().anyMatch(a -> {
            synchronized (a) {
                return a.loading;
            }
        }) && status != ServerStatus.DISCONNECTED)) {
            next = ServerStatus.CONNECTING;
        } else {
            next = ServerStatus.DISCONNECTED;
        }
        ServerStatus before = status;
        status = next;
        if (before == next) {
            return;
        }
        switch (next) {
            case CONNECTED -> log.info("ExHook server {} is connected: {} up; hooks: {}", name,
                    addresses.stream().filter(a -> a.up).map(ServerAddress::toString).toList(),
                    hooks == null ? "none" : describe(hooks));
            case DISCONNECTED -> {
                if (!closed) {
                    log.warn("ExHook server {} is disconnected{}: its decisions are {} until it is back", name,
                            why == null ? "" : " (" + why + ")",
                            config.failedAction() == ServerConfig.FailedAction.DENY ? "denied" : "ignored");
                }
            }
            default -> log.info("ExHook server {} is {}", name, next);
        }
    }

    // ---- Enable, disable, stop ----

    /** Stops calling the server: OnProviderUnloaded, its process stopped; status disabled. */
    void disable() {
        if (!enabled) {
            return;
        }
        closeStreams(STREAM_CLOSE);
        unload();
        enabled = false;
        for (ServerAddress a : addresses) {
            synchronized (a) {
                a.up = false;
                if (a.retry != null) {
                    a.retry.cancel(false);
                    a.retry = null;
                }
            }
        }
        HookProcess p = process;
        process = null;
        if (p != null) {
            p.stop();
        }
        updateStatus(null);
    }

    /** Calls the server again after {@link #disable()}: as at startup. */
    CompletableFuture<Void> enable() {
        if (enabled || closed) {
            return CompletableFuture.completedFuture(null);
        }
        enabled = true;
        updateStatus(null);
        CompletableFuture<Void> done = new CompletableFuture<>();
        if (config.command() != null) {
            HookProcess p = new HookProcess(config, scheduler, new HookProcess.Listener() {
                @Override
                public void started() {
                    long deadline = System.nanoTime() + config.startTimeout().toNanos();
                    CompletableFuture.allOf(addresses.stream().map(a -> loadUntil(a, deadline))
                            .toArray(CompletableFuture[]::new)).thenRun(() -> done.complete(null));
                }

                @Override
                public void exited(String why) {
                    processListener().exited(why);
                }
            });
            process = p;
            p.start();
        } else {
            CompletableFuture.allOf(addresses.stream().map(a -> load(a).thenApply(ok -> {
                if (!ok) {
                    scheduleRetry(a);
                }
                return ok;
            })).toArray(CompletableFuture[]::new)).thenRun(() -> done.complete(null));
        }
        return done;
    }

    /** Sends OnProviderUnloaded to every address that is up, and waits for the answers (at most 3 s). */
    private void unload() {
        List<CompletableFuture<Void>> calls = new ArrayList<>();
        for (ServerAddress a : addresses) {
            if (!a.up) {
                continue;
            }
            CompletableFuture<Void> f = new CompletableFuture<>();
            calls.add(f);
            ProviderUnloadedRequest request = ProviderUnloadedRequest.newBuilder().setMeta(requests.meta).build();
            long start = System.nanoTime();
            Duration timeout = config.requestTimeout().compareTo(UNLOAD_TIMEOUT) < 0 ? config.requestTimeout()
                    : UNLOAD_TIMEOUT;
            HookCalls.unary(a.pool[0], Hook.PROVIDER_UNLOADED.method(config.protocol()), timeout.toNanos(), request,
                    (answer, failure) -> {
                        if (failure != null) {
                            metrics.failed(Hook.PROVIDER_UNLOADED);
                            log.warn("ExHook server {}: OnProviderUnloaded at {} failed: {}", name, a.uri,
                                    HookCalls.describe(failure));
                        } else {
                            metrics.succeeded(Hook.PROVIDER_UNLOADED, start);
                        }
                        f.complete(null);
                    });
        }
        try {
            CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).get(UNLOAD_TIMEOUT.toMillis() + 500,
                    TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            // bounded wait: the answers no longer matter
        }
    }

    /** Unloads the server, closes its connections and stops its process. */
    void close() {
        if (closed) {
            return;
        }
        closeStreams(STREAM_CLOSE);
        if (enabled) {
            unload();
        }
        closed = true;
        for (ServerAddress a : addresses) {
            synchronized (a) {
                a.up = false;
                if (a.retry != null) {
                    a.retry.cancel(false);
                }
            }
            for (ManagedChannel c : a.pool) {
                c.shutdown();
            }
        }
        HookProcess p = process;
        if (p != null) {
            p.stop();
        }
        // One second for all the connections together, not one each: a pool has up to 256.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
        for (ServerAddress a : addresses) {
            for (ManagedChannel c : a.pool) {
                try {
                    long left = Math.max(0, deadline - System.nanoTime());
                    if (!c.awaitTermination(left, TimeUnit.NANOSECONDS)) {
                        c.shutdownNow();
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    c.shutdownNow();
                }
            }
        }
        io.close();
        updateStatus(null);
    }

    /** Kills the process at once (JVM exit without a clean shutdown). */
    void kill() {
        HookProcess p = process;
        if (p != null) {
            p.kill();
        }
    }

    /** The process's id, or -1 (tests). */
    long pid() {
        HookProcess p = process;
        return p == null ? -1 : p.pid();
    }
}
