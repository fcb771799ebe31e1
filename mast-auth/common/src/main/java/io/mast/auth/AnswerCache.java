package io.mast.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.mast.plugin.PluginMetrics;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;

/**
 * The answers of a source (a database row, an HTTP answer) kept for a time to live, by the values they were asked with
 * (Caffeine, bounded, least recently used first out). Concurrent requests for the same key that is not kept wait for
 * one load instead of each asking the source; a load that fails is not kept, so the next request asks again. With a
 * time to live of zero, every request asks the source.
 *
 * <p>Counts {@code <name>.hits} and {@code <name>.misses} and shows {@code <name>.size} in the plugin's metrics.
 *
 * @param <K> the key: the values the source is asked with
 * @param <V> the answer, never {@code null}; may be an empty {@link java.util.Optional} (a user that does not exist
 *            is kept too)
 */
public final class AnswerCache<K, V> {

    /** Asks the source; may block and throw. */
    @FunctionalInterface
    public interface Loader<K, V> {
        V load(K key) throws Exception;
    }

    private final Cache<K, V> cache;
    private final ConcurrentHashMap<K, CompletableFuture<V>> loading = new ConcurrentHashMap<>();
    private final PluginMetrics.Counter hits;
    private final PluginMetrics.Counter misses;

    private AnswerCache(Cache<K, V> cache, PluginMetrics metrics, String name) {
        this.cache = cache;
        this.hits = cache == null ? null : metrics.counter(name + ".hits");
        this.misses = cache == null ? null : metrics.counter(name + ".misses");
        if (cache != null) {
            metrics.gauge(name + ".size", cache::estimatedSize);
        }
    }

    /**
     * A cache; none at all when {@code ttl} is zero.
     *
     * @param maxSize the most answers kept
     */
    public static <K, V> AnswerCache<K, V> create(Duration ttl, long maxSize, PluginMetrics metrics, String name) {
        if (ttl.isZero() || ttl.isNegative()) {
            return new AnswerCache<>(null, metrics, name);
        }
        return new AnswerCache<>(Caffeine.newBuilder().expireAfterWrite(ttl).maximumSize(maxSize).build(), metrics,
                name);
    }

    /** True when answers are kept. */
    public boolean enabled() {
        return cache != null;
    }

    /** The kept answer for a key (counted as a hit), or {@code null}: a look that never blocks. */
    public V peek(K key) {
        V kept = cache == null ? null : cache.getIfPresent(key);
        if (kept != null) {
            hits.increment();
        }
        return kept;
    }

    /** The kept answer for a key, or the source's (kept for next time). Blocks while another request loads it. */
    public V get(K key, Loader<K, V> loader) throws Exception {
        if (cache == null) {
            return loader.load(key);
        }
        V kept = cache.getIfPresent(key);
        if (kept != null) {
            hits.increment();
            return kept;
        }
        CompletableFuture<V> mine = new CompletableFuture<>();
        CompletableFuture<V> other = loading.putIfAbsent(key, mine);
        if (other != null) {
            hits.increment(); // answered by a load already under way
            return join(other);
        }
        misses.increment();
        try {
            V loaded = loader.load(key);
            cache.put(key, loaded);
            mine.complete(loaded);
            return loaded;
        } catch (Exception | Error e) {
            mine.completeExceptionally(e);
            throw e;
        } finally {
            loading.remove(key, mine);
        }
    }

    private static <V> V join(CompletableFuture<V> f) throws Exception {
        try {
            return f.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception cause) {
                throw cause;
            }
            throw e;
        }
    }

    /** Forgets the answer for a key (one that turned out stale). */
    public void forget(K key) {
        if (cache != null) {
            cache.invalidate(key);
        }
    }
}
