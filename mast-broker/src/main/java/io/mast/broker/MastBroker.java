package io.mast.broker;

import io.mast.broker.admin.AdminServer;
import io.mast.broker.config.BrokerConfig;
import io.mast.broker.config.ConfigLoader;
import io.mast.broker.config.ListenerConfig;
import io.mast.broker.config.StorageConfig;
import io.mast.broker.connection.MqttConnectionHandler;
import io.mast.broker.config.PluginDeclaration;
import io.mast.broker.plugin.PluginLoader;
import io.mast.broker.plugin.PluginRuntime;
import io.mast.broker.policy.LoopbackPolicy;
import io.mast.broker.policy.Policy;
import io.mast.broker.store.Persistence;
import io.mast.broker.store.rocksdb.RocksDbPersistence;
import io.mast.broker.transport.Listener;
import io.mast.broker.transport.Transports;
import io.mast.plugin.support.Metrics;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An MQTT broker, embeddable:
 * <pre>{@code
 * try (MastBroker broker = MastBroker.builder().port(0).build()) {
 *     broker.start().join();
 *     int port = broker.port();
 *     ...
 * }
 * }</pre>
 * {@link #start()} and {@link #stop()} return futures; closing stops the broker and waits.
 */
public final class MastBroker implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(MastBroker.class);

    private final BrokerCore core;
    private final PluginRuntime plugins;
    /** No authentication configured: anonymous clients from this machine only. */
    private final boolean loopbackOnly;
    private final List<Listener> listeners = new ArrayList<>();
    private EventLoopGroup boss;
    private EventLoopGroup workers;
    private ChannelGroup channels;
    private volatile AdminServer admin;
    private volatile CompletableFuture<Void> started;
    private volatile CompletableFuture<Void> stopped;

    private MastBroker(BrokerConfig config, Persistence persistence, Policy policy, PluginLoader.Prepared prepared) {
        this.core = new BrokerCore(config, persistence);
        Policy base = policy != null ? policy : core.policy();
        core.policy(base);
        this.plugins = PluginLoader.install(core.pluginServices(), prepared);
        if (plugins != null) {
            core.policy(plugins.policy(base));
            core.events(plugins.events());
        }
        this.loopbackOnly = base instanceof LoopbackPolicy && (plugins == null || !plugins.hasAuthPlugins());
    }

    /** The loaded plugins, or {@code null} when there are none. */
    public PluginRuntime plugins() {
        return plugins;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The shared services, for the plugin runtime, tools and tests. */
    public BrokerCore core() {
        return core;
    }

    public BrokerConfig config() {
        return core.config();
    }

    public Metrics metrics() {
        return core.metricsRegistry();
    }

    /** Binds the listeners. Completes when all are bound, or exceptionally when one cannot be. */
    public synchronized CompletableFuture<Void> start() {
        if (started != null) {
            return started;
        }
        started = new CompletableFuture<>();
        boss = Transports.group(1, "mast-accept");
        workers = Transports.group(Runtime.getRuntime().availableProcessors(), "mast-io");
        core.workers(workers);
        if (plugins != null) {
            plugins.preStart();
        }
        recover();
        channels = new DefaultChannelGroup("mast-clients", GlobalEventExecutor.INSTANCE);
        List<CompletableFuture<Void>> binds = new ArrayList<>();
        for (ListenerConfig lc : core.config().listeners()) {
            CompletableFuture<Void> bound = new CompletableFuture<>();
            binds.add(bound);
            ChannelFuture f = Listener.bind(core.connectionServices(), core.dispatcher(), lc, boss, workers, channels);
            f.addListener(x -> {
                if (x.isSuccess()) {
                    Listener l = Listener.of(lc, f.channel());
                    synchronized (listeners) {
                        listeners.add(l);
                    }
                    log.info("Listening for MQTT on {}:{} ({})", l.address().getAddress().getHostAddress(),
                            l.address().getPort(), lc.type());
                    bound.complete(null);
                } else {
                    bound.completeExceptionally(new IllegalStateException("cannot listen on " + lc.bind() + ":"
                            + lc.port() + " (" + lc.name() + "): " + x.cause().getMessage(), x.cause()));
                }
            });
        }
        if (core.config().admin().enable()) {
            admin = new AdminServer(core.adminServices(() -> plugins == null ? List.of() : plugins.names(),
                    this::readiness));
            binds.add(admin.start(boss, workers).thenApply(a -> null));
        }
        CompletableFuture.allOf(binds.toArray(CompletableFuture[]::new)).whenComplete((x, e) -> {
            if (e != null) {
                Throwable cause = e instanceof java.util.concurrent.CompletionException ? e.getCause() : e;
                stop().whenComplete((y, z) -> started.completeExceptionally(cause));
                return;
            }
            if (loopbackOnly) {
                log.info("No authentication is configured: anonymous clients are allowed from this machine only");
            }
            if (plugins != null) {
                plugins.postStart();
            }
            started.complete(null);
        });
        return started;
    }

    /**
     * The checks of readiness: {@code listeners} (all bound, the broker started and not stopping), {@code store} (open:
     * the broker does not start without it) and those plugins declared ({@code BrokerContext.readinessCheck}).
     */
    public java.util.Map<String, Boolean> readiness() {
        java.util.Map<String, Boolean> checks = new java.util.LinkedHashMap<>();
        boolean up = started.isDone() && !started.isCompletedExceptionally() && stopped == null;
        checks.put("listeners", up);
        checks.put("store", up);
        core.readinessChecks().forEach((name, check) -> {
            boolean ok;
            try {
                ok = check.getAsBoolean();
            } catch (RuntimeException e) {
                ok = false;
            }
            checks.put(name, ok);
        });
        return checks;
    }

    /** Restores what the store kept (retained messages, sessions), before the listeners open. */
    private void recover() {
        Persistence store = core.persistence();
        if (!store.durable()) {
            return;
        }
        Persistence.Snapshot snapshot = store.load();
        long now = System.currentTimeMillis();
        for (io.mast.broker.message.BrokerMessage m : snapshot.retained()) {
            if (m.isExpired(now)) {
                store.retainedCleared(m.topic());
            } else {
                core.retained().restore(m);
            }
        }
        int restored = core.registry().restore(snapshot.sessions());
        if (restored < snapshot.sessions().size()) {
            log.info("{} stored sessions had expired and were removed", snapshot.sessions().size() - restored);
        }
    }

    /**
     * Stops the broker: stops accepting, tells every client (MQTT 5.0: DISCONNECT 0x8B Server shutting down), and
     * releases the threads and the store.
     */
    public synchronized CompletableFuture<Void> stop() {
        if (stopped != null) {
            return stopped;
        }
        stopped = new CompletableFuture<>();
        if (boss == null) {
            if (plugins != null) {
                plugins.close();
            }
            stopped.complete(null);
            return stopped;
        }
        Thread t = new Thread(this::shutdown, "mast-shutdown");
        t.setDaemon(false);
        t.start();
        return stopped;
    }

    private void shutdown() {
        try {
            if (admin != null) {
                admin.close();
            }
            if (plugins != null) {
                plugins.preShutdown();
            }
            synchronized (listeners) {
                for (Listener l : listeners) {
                    l.channel().close().awaitUninterruptibly(5, TimeUnit.SECONDS);
                }
            }
            for (Channel ch : channels) {
                MqttConnectionHandler h = ch.pipeline().get(MqttConnectionHandler.class);
                if (h != null) {
                    ch.eventLoop().execute(h::shutdown);
                } else {
                    ch.close();
                }
            }
            channels.newCloseFuture().awaitUninterruptibly(5, TimeUnit.SECONDS);
            channels.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
            if (plugins != null) {
                // A channel's close future completes before its inactive handler runs (it reports the disconnection
                // and ends the session, then counts the connection gone): wait for every one of them, so those
                // events reach the plugins, then let every loop run what is queued.
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
                while (core.connections().get() > 0 && System.nanoTime() < deadline) {
                    java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
                }
                for (io.netty.util.concurrent.EventExecutor loop : workers) {
                    loop.submit(() -> { }).awaitUninterruptibly(1, TimeUnit.SECONDS);
                }
                plugins.postShutdown();
                plugins.close();
            }
            boss.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
            workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
            core.persistence().close();
            core.prometheus().close();
            log.info("Stopped");
            stopped.complete(null);
        } catch (Throwable e) {
            stopped.completeExceptionally(e);
        }
    }

    /** Stops the broker and waits for it. */
    @Override
    public void close() {
        stop().join();
    }

    /** The addresses the listeners are bound to, in config order. */
    public List<InetSocketAddress> addresses() {
        synchronized (listeners) {
            List<InetSocketAddress> all = new ArrayList<>();
            for (ListenerConfig lc : core.config().listeners()) {
                for (Listener l : listeners) {
                    if (l.config() == lc) {
                        all.add(l.address());
                    }
                }
            }
            return all;
        }
    }

    /** Where the admin API listens ({@code admin:} in the config), or empty when it is off or not yet bound. */
    public java.util.Optional<InetSocketAddress> adminAddress() {
        AdminServer a = admin;
        return a == null ? java.util.Optional.empty() : java.util.Optional.ofNullable(a.address());
    }

    /** The port of the first listener (useful when the config asked for port 0). */
    public int port() {
        return addresses().get(0).getPort();
    }

    /** Builds a {@link MastBroker}. */
    public static final class Builder {
        private BrokerConfig config = BrokerConfig.defaults();
        private String bind;
        private Integer port;
        private Persistence persistence;
        private Policy policy;
        private final List<PluginDeclaration> extraPlugins = new ArrayList<>();

        private Builder() {
        }

        /** The configuration (defaults otherwise). */
        public Builder config(BrokerConfig c) {
            this.config = Objects.requireNonNull(c);
            return this;
        }

        /** Reads the configuration from a YAML file, with environment overrides. */
        public Builder configFile(Path file) {
            this.config = new ConfigLoader().load(file);
            return this;
        }

        /** Moves the first listener to another port (0 = any free port). */
        public Builder port(int p) {
            this.port = p;
            return this;
        }

        /** Moves the first listener to another address. */
        public Builder bind(String address) {
            this.bind = address;
            return this;
        }

        /**
         * Where state is made durable, instead of what the config's {@code storage} section says (whose default for an
         * embedded broker is memory only).
         */
        public Builder persistence(Persistence p) {
            this.persistence = Objects.requireNonNull(p);
            return this;
        }

        /** Who may connect, publish and subscribe (default: anonymous from loopback only). */
        public Builder policy(Policy p) {
            this.policy = p;
            return this;
        }

        /**
         * Adds a plugin after those of the config, with options as the config file would give them
         * ({@code Map.of("option1", 123)}; keys in snake case).
         */
        public Builder plugin(String className, java.util.Map<String, ?> options) {
            com.fasterxml.jackson.databind.JsonNode node = new ConfigLoader().mapper().valueToTree(options);
            extraPlugins.add(new PluginDeclaration(className, node, key -> "the broker builder"));
            return this;
        }

        /** Adds a plugin class, like {@link #plugin(String, java.util.Map)}. */
        public Builder plugin(Class<? extends io.mast.plugin.BrokerPlugin> type, java.util.Map<String, ?> options) {
            return plugin(type.getName(), options);
        }

        /**
         * Builds the broker and loads its plugins.
         *
         * @throws io.mast.broker.config.ConfigException when a plugin cannot be loaded (one line: where, which, why)
         */
        public MastBroker build() {
            BrokerConfig c = bind != null || port != null ? config.withFirstListener(bind, port) : config;
            if (!extraPlugins.isEmpty()) {
                List<PluginDeclaration> all = new ArrayList<>(c.plugins());
                all.addAll(extraPlugins);
                c = c.withPlugins(all);
            }
            // The whole config, plugin classes and options included, is checked before the store is opened.
            PluginLoader.Prepared prepared = PluginLoader.prepare(c.plugins(), Path.of(c.pluginDir()),
                    new ConfigLoader().mapper());
            Persistence store = persistence;
            try {
                if (store == null) {
                    StorageConfig storage = c.storage().withDefaultType("memory");
                    store = storage.type().equals("rocksdb") ? RocksDbPersistence.open(storage) : Persistence.MEMORY;
                }
                return new MastBroker(c, store, policy, prepared);
            } catch (RuntimeException e) {
                prepared.close();
                if (store != null) {
                    store.close();
                }
                throw e;
            }
        }
    }
}
