package io.mast.broker.connection;

import io.mast.broker.config.LoginsConfig;
import io.mast.broker.metrics.BrokerMetrics;
import io.mast.broker.policy.Policy.AuthResult;
import io.mast.codec.ReasonCode;
import java.net.InetAddress;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps logins fast for everyone under a flood ({@code logins:} in the config). Authentications (password hashing,
 * plugin and hook decisions) run at most {@code max_concurrent} at a time; the others wait in one queue per source
 * address, and a free slot goes to the addresses in turn, so a flood from one address waits behind its own logins
 * while another address's login is next. A queue holds at most {@code max_pending_per_address}. Failed logins are
 * counted per address and per client identifier: {@code ban_after_failures} of them within {@code failure_window}
 * ban it for {@code ban_time} (as EMQX's flapping detection), and a banned client is refused before any work.
 * Thread-safe.
 */
final class Logins {

    private static final Logger log = LoggerFactory.getLogger(Logins.class);
    /** Entries kept at most in the failure and ban tables; beyond, the stale ones are forgotten. */
    private static final int MAX_ENTRIES = 100_000;

    private final LoginsConfig config;
    private final BrokerMetrics metrics;
    private final long windowMs;
    private final long banMs;

    private final Object lock = new Object();
    private int running;
    /** Waiting authentications by source address; iteration order is the order addresses take turns in. */
    private final LinkedHashMap<Object, ArrayDeque<Job>> waiting = new LinkedHashMap<>();

    private final ConcurrentHashMap<Object, Failures> failures = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Object, Long> bannedUntil = new ConcurrentHashMap<>();

    private record Job(Executor executor, Supplier<CompletionStage<AuthResult>> task,
                       CompletableFuture<AuthResult> result) {
    }

    /** Failures counted in the current window. */
    private static final class Failures {
        long windowStart;
        int count;
    }

    /** A client identifier, kept apart from addresses in the tables. */
    private record ClientId(String id) {
    }

    Logins(LoginsConfig config, BrokerMetrics metrics) {
        this.config = config;
        this.metrics = metrics;
        this.windowMs = config.failureWindow().toMillis();
        this.banMs = config.banTime().toMillis();
    }

    /** True when the address or the client identifier is banned now. */
    boolean isBanned(InetAddress address, String clientId) {
        if (bannedUntil.isEmpty()) {
            return false;
        }
        long now = System.currentTimeMillis();
        return banned(address, now) || (clientId != null && !clientId.isEmpty() && banned(new ClientId(clientId), now));
    }

    private boolean banned(Object key, long now) {
        Long until = key == null ? null : bannedUntil.get(key);
        if (until == null) {
            return false;
        }
        if (until > now) {
            return true;
        }
        bannedUntil.remove(key, until);
        return false;
    }

    /**
     * Runs an authentication in its turn: at once when a slot is free and nobody waits, otherwise after the logins
     * waiting before it (addresses taking turns). The task is started on {@code executor}. Returns {@code null} when
     * the address already has {@code max_pending_per_address} logins waiting: the client is to be refused at once.
     */
    CompletionStage<AuthResult> authenticate(InetAddress address, Executor executor,
                                             Supplier<CompletionStage<AuthResult>> task) {
        Job job = new Job(executor, task, new CompletableFuture<>());
        Object key = address == null ? "" : address;
        synchronized (lock) {
            if (running < config.maxConcurrent() && waiting.isEmpty()) {
                running++;
            } else {
                ArrayDeque<Job> q = waiting.computeIfAbsent(key, k -> new ArrayDeque<>());
                if (q.size() >= config.maxPendingPerAddress()) {
                    return null;
                }
                q.add(job);
                return job.result();
            }
        }
        start(job);
        return job.result();
    }

    private void start(Job job) {
        try {
            job.executor().execute(() -> {
                CompletionStage<AuthResult> stage;
                try {
                    stage = job.task().get();
                } catch (RuntimeException e) {
                    stage = CompletableFuture.failedFuture(e);
                }
                stage.whenComplete((r, e) -> {
                    next();
                    if (e != null) {
                        job.result().completeExceptionally(e);
                    } else {
                        job.result().complete(r);
                    }
                });
            });
        } catch (RuntimeException e) { // the executor is shutting down
            next();
            job.result().completeExceptionally(e);
        }
    }

    /** An authentication ended: its slot goes to the next address in turn. */
    private void next() {
        Job job;
        synchronized (lock) {
            job = pollInTurn();
            if (job == null) {
                running--;
            }
        }
        if (job != null) {
            start(job);
        }
    }

    private Job pollInTurn() {
        Iterator<Map.Entry<Object, ArrayDeque<Job>>> it = waiting.entrySet().iterator();
        if (!it.hasNext()) {
            return null;
        }
        Map.Entry<Object, ArrayDeque<Job>> first = it.next();
        it.remove();
        Job job = first.getValue().poll();
        if (!first.getValue().isEmpty()) {
            waiting.put(first.getKey(), first.getValue()); // to the end of the line
        }
        return job;
    }

    /**
     * The outcome of an authentication: a refusal for the client's credentials counts towards a ban of its address
     * and of its client identifier; failures of the authentication itself (a source down, a timeout) do not.
     */
    void outcome(InetAddress address, String clientId, AuthResult result) {
        if (config.banAfterFailures() == 0 || result.allowed() || result.continues() || !isCredentialFailure(result)) {
            return;
        }
        long now = System.currentTimeMillis();
        if (address != null) {
            failed(address, address.getHostAddress(), "address", now);
        }
        if (clientId != null && !clientId.isEmpty()) {
            failed(new ClientId(clientId), clientId, "client identifier", now);
        }
    }

    private static boolean isCredentialFailure(AuthResult r) {
        ReasonCode rc = r.reasonCode();
        return rc == ReasonCode.NOT_AUTHORIZED || rc == ReasonCode.BAD_USER_NAME_OR_PASSWORD
                || rc == ReasonCode.BAD_AUTHENTICATION_METHOD || rc == ReasonCode.CLIENT_IDENTIFIER_NOT_VALID;
    }

    private void failed(Object key, String name, String kind, long now) {
        if (failures.size() >= MAX_ENTRIES) {
            failures.values().removeIf(f -> now - f.windowStart > windowMs);
            bannedUntil.values().removeIf(until -> until <= now);
        }
        boolean[] ban = new boolean[1];
        failures.compute(key, (k, f) -> {
            if (f == null || now - f.windowStart > windowMs) {
                f = new Failures();
                f.windowStart = now;
            }
            if (++f.count >= config.banAfterFailures()) {
                ban[0] = true;
                return null;
            }
            return f;
        });
        if (ban[0]) {
            bannedUntil.put(key, now + banMs);
            metrics.bans.increment();
            log.warn("Banned {} {} for {} s: {} failed logins within {} s", kind, name, banMs / 1000,
                    config.banAfterFailures(), windowMs / 1000);
        }
    }
}
