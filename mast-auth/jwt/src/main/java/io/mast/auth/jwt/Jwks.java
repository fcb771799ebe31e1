package io.mast.auth.jwt;

import com.nimbusds.jose.jwk.JWKSet;
import io.mast.plugin.PluginContext;
import io.mast.plugin.PluginMetrics;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A JWKS document fetched from a URL when the plugin starts and again every refresh interval. A fetch that fails keeps
 * the keys fetched before (and is logged and counted, {@code jwks.failures}); until a first fetch succeeds, tokens
 * cannot be checked and each login counts as the plugin's {@code failed_action}.
 */
final class Jwks implements AutoCloseable {

    private final URI url;
    private final HttpClient client;
    private final Duration timeout;
    private final PluginContext context;
    private final PluginMetrics.Counter refreshes;
    private final PluginMetrics.Counter failures;
    private final ScheduledFuture<?> schedule;
    private volatile JWKSet keys;
    private volatile String lastFailure = "not fetched yet";

    Jwks(String url, HttpClient client, Duration timeout, Duration refresh, PluginContext context) {
        this.url = URI.create(url);
        if (!url.startsWith("http://") && !url.startsWith("https://")) {
            throw new IllegalArgumentException("jwks_url must start with http:// or https://, got " + url);
        }
        this.client = client;
        this.timeout = timeout;
        this.context = context;
        this.refreshes = context.metrics().counter("jwks.refreshes");
        this.failures = context.metrics().counter("jwks.failures");
        context.metrics().gauge("jwks.keys", () -> keys == null ? 0 : keys.getKeys().size());
        refresh();
        // The scheduler's tasks must be short: the fetch runs on a virtual thread of its own.
        this.schedule = context.scheduler().scheduleWithFixedDelay(() -> Thread.ofVirtual().name("jwks-refresh")
                .start(this::refresh), refresh.toMillis(), refresh.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Fetches the document; on failure keeps the keys it had. */
    void refresh() {
        try {
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(url).timeout(timeout).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new IllegalStateException("HTTP " + r.statusCode());
            }
            JWKSet fetched = JWKSet.parse(r.body());
            boolean first = keys == null;
            keys = fetched;
            refreshes.increment();
            if (first) {
                context.logger().info("Fetched {} keys from {}", fetched.getKeys().size(), url);
            }
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            failures.increment();
            lastFailure = e.getMessage() == null ? e.toString() : e.getMessage();
            context.logger().warn("Cannot fetch the JWKS from {}: {}{}", url, lastFailure,
                    keys == null ? " (tokens cannot be checked until it can)" : " (the keys fetched before stay)");
        }
    }

    /**
     * The current keys.
     *
     * @throws IllegalStateException when no fetch has succeeded yet
     */
    JWKSet keys() {
        JWKSet k = keys;
        if (k == null) {
            throw new IllegalStateException("the JWKS from " + url + " could not be fetched yet: " + lastFailure);
        }
        return k;
    }

    @Override
    public void close() {
        schedule.cancel(false);
    }
}
