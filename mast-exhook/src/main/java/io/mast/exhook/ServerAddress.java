package io.mast.exhook;

import io.grpc.ChannelCredentials;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.TlsChannelCredentials;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One address of a hook server: a pool of gRPC channels (HTTP/2 connections) and whether the address is up. A client's
 * calls always take the same channel of the pool, and, among several addresses, the same address while it stays up
 * (rendezvous hashing), so that a server sees one client's events in order. The mutable fields are guarded by the
 * owning {@link HookServer}.
 */
final class ServerAddress {

    /** The largest message accepted from a server: a maximal MQTT payload and room for the rest. */
    private static final int MAX_MESSAGE_SIZE = 268_435_456 + 65_536;

    final URI uri;
    final ManagedChannel[] pool;
    volatile boolean up;
    /** The open streams of Mast's streaming mode, or {@code null} while calls to this address are unary. */
    volatile HookStream[] streams;
    boolean loading;
    ScheduledFuture<?> retry;
    boolean warnedNoReconnect;

    /**
     * @param io the event loop group of the server's channels (one thread: Mast's streams do their work on it)
     */
    ServerAddress(URI uri, ChannelCredentials credentials, int poolSize, IoLoop io) {
        this.uri = uri;
        this.pool = new ManagedChannel[poolSize];
        for (int i = 0; i < pool.length; i++) {
            pool[i] = io.configure(NettyChannelBuilder.forAddress(uri.getHost(), uri.getPort(), credentials))
                    .directExecutor()
                    // A failed call is tried again at another address by HookServer, within its deadline; gRPC's
                    // own retry machinery would only buffer every request for nothing.
                    .disableRetry()
                    .maxInboundMessageSize(MAX_MESSAGE_SIZE)
                    .userAgent("mast-exhook")
                    .build();
        }
    }

    /** The channel for a client's calls; any channel for calls about no client ({@code key == null}). */
    ManagedChannel channel(String key) {
        int i = key == null ? ThreadLocalRandom.current().nextInt(pool.length)
                : Math.floorMod(mix(key.hashCode()), pool.length);
        return pool[i];
    }

    /** The stream for a client's calls, or {@code null} when calls to this address are unary (or it is closing). */
    HookStream stream(String key) {
        HookStream[] s = streams;
        if (s == null) {
            return null;
        }
        HookStream one = s.length == 1 ? s[0]
                : s[key == null ? ThreadLocalRandom.current().nextInt(s.length)
                        : Math.floorMod(mix(key.hashCode()), s.length)];
        return one.isOpen() ? one : null;
    }

    @Override
    public String toString() {
        return uri.toString();
    }

    /** Plain channels, or TLS ones (with the configured CA and client certificate) when an address is https. */
    static ChannelCredentials credentials(ServerConfig c) {
        boolean https = c.urls().stream().anyMatch(u -> u.regionMatches(true, 0, "https:", 0, 6));
        if (!https) {
            return InsecureChannelCredentials.create();
        }
        TlsChannelCredentials.Builder b = TlsChannelCredentials.newBuilder();
        ServerConfig.Tls tls = c.tls();
        try {
            if (tls != null && tls.caFile() != null) {
                b.trustManager(new File(tls.caFile()));
            }
            if (tls != null && tls.certFile() != null) {
                b.keyManager(new File(tls.certFile()), new File(tls.keyFile()));
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("exhook server " + c.name() + ": tls: cannot read " + e.getMessage(), e);
        }
        return b.build();
    }

    /** The address for a client among those up, or {@code null} when none is. */
    static ServerAddress pick(List<ServerAddress> addresses, String key) {
        ServerAddress only = null;
        int upCount = 0;
        for (ServerAddress a : addresses) {
            if (a.up) {
                only = a;
                upCount++;
            }
        }
        if (upCount <= 1) {
            return only;
        }
        if (key == null) {
            List<ServerAddress> up = addresses.stream().filter(a -> a.up).toList();
            return up.isEmpty() ? null : up.get(ThreadLocalRandom.current().nextInt(up.size()));
        }
        ServerAddress best = null;
        int bestScore = 0;
        int h = key.hashCode();
        for (int i = 0; i < addresses.size(); i++) {
            ServerAddress a = addresses.get(i);
            if (!a.up) {
                continue;
            }
            int score = mix(h * 31 + i);
            if (best == null || Integer.compareUnsigned(score, bestScore) > 0) {
                best = a;
                bestScore = score;
            }
        }
        return best;
    }

    /** Spreads the bits of a hash (MurmurHash3's finalizer). */
    private static int mix(int h) {
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        h *= 0xc2b2ae35;
        h ^= h >>> 16;
        return h;
    }
}
