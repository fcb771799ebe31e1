package io.mast.exhook.sdk;

import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running hook server: a gRPC server that serves a {@link HookProvider} as {@code emqx.exhook.v3.HookProvider} and
 * {@code emqx.exhook.v2.HookProvider} on one port. Closing it stops it, letting calls in progress finish for up to
 * five seconds; it is also closed when the JVM shuts down (on SIGTERM, for instance when the broker stops a hook
 * server it started).
 * <pre>{@code
 * public static void main(String[] args) throws InterruptedException {
 *     HookServer.serve(new MyHooks(), 9000).awaitTermination();
 * }
 * }</pre>
 * The broker's config then names it: {@code url: http://127.0.0.1:9000}.
 */
public final class HookServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(HookServer.class);
    /** The largest MQTT packet, plus room for the request around the message. */
    private static final int MAX_REQUEST_BYTES = 268_435_455 + 65_536;
    private static final Duration GRACE = Duration.ofSeconds(5);

    private final Server server;
    private final ExecutorService threads;
    private final ScheduledExecutorService timer;
    private final Set<Exchange> streams;
    private final String host;
    private final int port;
    private final Thread shutdownHook;

    private HookServer(Server server, ExecutorService threads, ScheduledExecutorService timer, Set<Exchange> streams,
                       String host) {
        this.server = server;
        this.threads = threads;
        this.timer = timer;
        this.streams = streams;
        this.host = host;
        this.port = server.getPort();
        this.shutdownHook = new Thread(this::stop, "mast-exhook-sdk-shutdown");
    }

    /**
     * Serves {@code provider} on 127.0.0.1 and {@code port} (0 picks a free port, see {@link #port()}).
     *
     * @throws IllegalArgumentException when the provider's hooks are declared wrongly (both forms of a decision
     *                                  hook, {@link Topics} on a method that is not a message hook, a malformed
     *                                  topic filter)
     * @throws UncheckedIOException     when the port cannot be bound
     */
    public static HookServer serve(HookProvider provider, int port) {
        return serve(provider, "127.0.0.1", port);
    }

    /**
     * Serves {@code provider} on {@code host} (an address of this machine, e.g. {@code 0.0.0.0} for all) and
     * {@code port}.
     *
     * @throws IllegalArgumentException as {@link #serve(HookProvider, int)}
     * @throws UncheckedIOException     when the port cannot be bound
     */
    public static HookServer serve(HookProvider provider, String host, int port) {
        ExecutorService threads = Executors.newThreadPerTaskExecutor(
                Thread.ofVirtual().name("mast-exhook-hook-", 0).factory());
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("mast-exhook-stream-timer").daemon().factory());
        Dispatcher dispatcher;
        try {
            dispatcher = new Dispatcher(provider, new Lanes(threads));
        } catch (RuntimeException e) {
            threads.shutdown();
            timer.shutdown();
            throw e;
        }
        Set<Exchange> streams = Exchange.registry();
        Server server = NettyServerBuilder.forAddress(new InetSocketAddress(host, port))
                // Requests are taken off the connection in arrival order and queued per client (see Lanes), so
                // the transport thread never runs a hook.
                .directExecutor()
                .maxInboundMessageSize(MAX_REQUEST_BYTES)
                .addService(dispatcher.service("v3"))
                .addService(dispatcher.service("v2"))
                // Mast's batched streaming mode, offered to the broker in the OnProviderLoaded answer.
                .addService(Exchange.service(dispatcher, timer, streams))
                .build();
        try {
            server.start();
        } catch (IOException e) {
            threads.shutdown();
            timer.shutdown();
            throw new UncheckedIOException("cannot serve hooks on " + host + ":" + port + ": " + e.getMessage(), e);
        }
        HookServer hs = new HookServer(server, threads, timer, streams, host);
        Runtime.getRuntime().addShutdownHook(hs.shutdownHook);
        log.info("serving {} on {}:{} (emqx.exhook v3 and v2, and Mast's stream), hooks: {}",
                provider.getClass().getName(), host, hs.port(), describe(dispatcher.registered()));
        return hs;
    }

    private static String describe(Map<String, java.util.List<String>> hooks) {
        if (hooks.isEmpty()) {
            return "none";
        }
        StringJoiner j = new StringJoiner(", ");
        hooks.forEach((name, topics) -> j.add(topics.isEmpty() ? name : name + " " + topics));
        return j.toString();
    }

    /** The port it listens on (or listened on, once closed). */
    public int port() {
        return port;
    }

    /** The address it listens on, as a broker's config would name it: {@code http://host:port}. */
    public String url() {
        return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port();
    }

    /** Blocks until the server has stopped (after {@link #close()}, or at JVM shutdown). */
    public void awaitTermination() throws InterruptedException {
        server.awaitTermination();
    }

    /** Blocks until the server has stopped or {@code timeout} passed; returns whether it stopped. */
    public boolean awaitTermination(Duration timeout) throws InterruptedException {
        return server.awaitTermination(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** Stops the server: no new calls; calls in progress get up to five seconds to finish. Idempotent. */
    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running or about to: it stops the server
        }
        stop();
    }

    private void stop() {
        server.shutdown();
        // Streams last as long as the broker keeps them: end them once what they brought is answered.
        for (Exchange e : streams) {
            e.shutdown();
        }
        try {
            if (!server.awaitTermination(GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                server.shutdownNow();
                server.awaitTermination(GRACE.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            server.shutdownNow();
            Thread.currentThread().interrupt();
        } finally {
            threads.shutdownNow();
            timer.shutdownNow();
        }
    }
}
