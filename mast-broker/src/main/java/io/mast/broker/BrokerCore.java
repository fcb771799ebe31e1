package io.mast.broker;

import io.mast.broker.admin.AdminResources;
import io.mast.broker.admin.AdminServices;
import io.mast.broker.config.BrokerIdentity;
import io.mast.broker.connection.ConnectionServices;
import io.mast.broker.plugin.PluginServices;
import io.mast.broker.session.SessionAdmin;
import io.mast.broker.session.SessionServices;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import io.mast.broker.config.BrokerConfig;
import io.mast.broker.connection.PacketDispatcher;
import io.mast.broker.events.BrokerEvents;
import io.mast.broker.metrics.BrokerMetrics;
import io.mast.broker.policy.LoopbackPolicy;
import io.mast.broker.policy.Policy;
import io.mast.broker.retain.RetainedMessages;
import io.mast.broker.routing.ConcurrentTopicTree;
import io.mast.broker.publish.PublishService;
import io.mast.broker.routing.QueueBudget;
import io.mast.broker.routing.Router;
import io.mast.broker.routing.TopicTree;
import io.mast.broker.session.SessionRegistry;
import io.mast.broker.store.Persistence;
import io.mast.plugin.support.Metrics;
import io.netty.channel.EventLoopGroup;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The composition of one broker: it makes the shared parts (configuration, metrics, store, topic tree and router,
 * retained messages, sessions, the policy that decides, the events), and hands each layer only the services it uses,
 * as a small record of that layer's own ({@link SessionServices}, {@link ConnectionServices}, {@link PluginServices},
 * {@link AdminServices}): nothing below the broker's root package sees this class.
 */
public final class BrokerCore {

    private final BrokerConfig config;
    private final Metrics metricRegistry = new Metrics();
    private final BrokerMetrics metrics = new BrokerMetrics(metricRegistry);
    private final io.mast.broker.metrics.PrometheusExport prometheus =
            new io.mast.broker.metrics.PrometheusExport(metricRegistry);
    private final io.mast.broker.metrics.BrokerMeters meters;
    private final Persistence persistence;
    private final TopicTree tree = new ConcurrentTopicTree();
    private final Router router = new Router(tree);
    private final RetainedMessages retained;
    private final SessionRegistry sessions;
    private final SessionAdmin sessionAdmin;
    private final ConnectionServices connectionServices;
    private final PublishService publisher;
    private final QueueBudget queueBudget;
    private final PacketDispatcher dispatcher;
    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicInteger sockets = new AtomicInteger();
    private final java.util.concurrent.atomic.AtomicLong unauthenticatedBytes = new java.util.concurrent.atomic.AtomicLong();
    private final AdminResources admin = new AdminResources();
    private volatile Policy policy = new LoopbackPolicy();
    private volatile BrokerEvents events = BrokerEvents.NONE;
    private volatile EventLoopGroup workers;
    private final String name;
    private final long startedAt = System.currentTimeMillis();

    public BrokerCore(BrokerConfig config, Persistence persistence) {
        this.config = config;
        this.name = config.name();
        this.persistence = persistence;
        this.retained = new RetainedMessages(persistence);
        this.queueBudget = new QueueBudget(config.limits().maxQueuedBytesTotal());
        this.publisher = new PublishService(() -> policy, () -> events, retained, router, metrics, queueBudget);
        this.sessions = new SessionRegistry(new SessionServices(config, metrics, persistence, tree, publisher, retained,
                queueBudget, () -> policy, () -> events, this::workers));
        this.sessionAdmin = new SessionAdmin(sessions);
        this.connectionServices = new ConnectionServices(config, metrics, () -> policy, () -> events, publisher,
                sessions, retained, persistence, connections, this::listenerConnections, sockets, unauthenticatedBytes);
        this.dispatcher = new PacketDispatcher(connectionServices);
        metricRegistry.gauge("connections.current", connections::get);
        metricRegistry.gauge("sessions.current", sessions::size);
        metricRegistry.gauge("subscriptions.current", tree::size);
        metricRegistry.gauge("retained.current", retained::size);
        metricRegistry.gauge("queues.bytes", queueBudget::bytes);
        meters = new io.mast.broker.metrics.BrokerMeters(prometheus, metrics, connections::get, sessions::size,
                tree::size, retained::size, queueBudget::bytes,
                () -> sessions.all().stream().mapToLong(io.mast.broker.session.Session::queuedCount).sum(),
                () -> sessions.all().stream().mapToLong(io.mast.broker.session.Session::inflightCount).sum());
    }

    /** The metrics in Micrometer, exported in Prometheus's format ({@code /metrics}). */
    public io.mast.broker.metrics.PrometheusExport prometheus() {
        return prometheus;
    }

    /** The count of a listener's open connections ({@code mast_listener_connections}). */
    public AtomicInteger listenerConnections(String listener) {
        return meters.listener(listener);
    }

    /** The admin API's resources that plugins serve. */
    public AdminResources admin() {
        return admin;
    }

    public BrokerConfig config() {
        return config;
    }

    public BrokerMetrics metrics() {
        return metrics;
    }

    public Metrics metricsRegistry() {
        return metricRegistry;
    }

    public Persistence persistence() {
        return persistence;
    }

    public TopicTree tree() {
        return tree;
    }

    public Router router() {
        return router;
    }

    public RetainedMessages retained() {
        return retained;
    }

    public SessionRegistry registry() {
        return sessions;
    }

    public PublishService publisher() {
        return publisher;
    }

    /** The bytes held in all sessions' queues, against {@code limits.max_queued_bytes_total}. */
    public QueueBudget queueBudget() {
        return queueBudget;
    }

    public PacketDispatcher dispatcher() {
        return dispatcher;
    }

    /** What connections and their handlers use. */
    public ConnectionServices connectionServices() {
        return connectionServices;
    }

    /** Operations on sessions from outside a connection (plugins, the admin API). */
    public SessionAdmin sessionAdmin() {
        return sessionAdmin;
    }

    /** Who the broker is. */
    public BrokerIdentity identity() {
        return new BrokerIdentity(name, version(), startedAt);
    }

    /** What plugins reach through their context. */
    public PluginServices pluginServices() {
        return new PluginServices(identity(), metricRegistry, publisher, retained, sessions, sessionAdmin, admin,
                readinessChecks, () -> events);
    }

    /** What the admin API reads and changes. */
    public AdminServices adminServices(Supplier<List<String>> plugins, Supplier<Map<String, Boolean>> readiness) {
        return new AdminServices(config.admin(), identity(), connections, sessions, sessionAdmin, retained,
                metricRegistry, prometheus, admin, () -> logLevels, plugins, readiness);
    }

    public Policy policy() {
        return policy;
    }

    /** Replaces the policy (the plugin runtime installs its decision chains). */
    public void policy(Policy newPolicy) {
        this.policy = newPolicy;
    }

    /** Who listens to what happens (the plugin runtime), {@link BrokerEvents#NONE} by default. */
    public BrokerEvents events() {
        return events;
    }

    public void events(BrokerEvents newEvents) {
        this.events = newEvents;
    }

    private volatile io.mast.broker.admin.LogLevels logLevels;
    private final java.util.Map<String, java.util.function.BooleanSupplier> readinessChecks =
            new java.util.concurrent.ConcurrentSkipListMap<>();

    /** What must hold for the broker to be ready ({@code /health/ready}), by name: plugins add theirs. */
    public java.util.Map<String, java.util.function.BooleanSupplier> readinessChecks() {
        return readinessChecks;
    }

    /** The log's levels for the admin API, or {@code null} when whoever embeds the broker gave none. */
    public io.mast.broker.admin.LogLevels logLevels() {
        return logLevels;
    }

    /** Gives the admin API the log's levels (the {@code mast} command gives Logback's). */
    public void logLevels(io.mast.broker.admin.LogLevels levels) {
        this.logLevels = levels;
    }

    /** The broker's version, the build's ({@link MastVersion}). */
    public String version() {
        return MastVersion.get();
    }

    /** When the broker was created, epoch milliseconds. */
    public long startedAt() {
        return startedAt;
    }

    /** The broker's name (its node name for hook servers). */
    public String name() {
        return name;
    }

    /** The network event loops, once the broker has started. */
    public EventLoopGroup workers() {
        EventLoopGroup w = workers;
        if (w == null) {
            throw new IllegalStateException("the broker is not started");
        }
        return w;
    }

    public void workers(EventLoopGroup group) {
        this.workers = group;
    }

    /** Sockets open now, counted by the connection limiters. */
    public AtomicInteger sockets() {
        return sockets;
    }

    /** Bytes held now for connections not yet authenticated, across listeners. */
    public java.util.concurrent.atomic.AtomicLong unauthenticatedBytes() {
        return unauthenticatedBytes;
    }

    /** Connections open now. */
    public AtomicInteger connections() {
        return connections;
    }
}
