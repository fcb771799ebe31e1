package io.mast.broker.plugin;

import io.mast.broker.events.BrokerEvents;
import io.mast.broker.policy.Policy;
import io.mast.plugin.AuthDecision;
import io.mast.plugin.AuthStep;
import io.mast.plugin.BrokerPlugin;
import io.mast.plugin.ClientInfo;
import io.mast.plugin.ConnectInfo;
import io.mast.plugin.Decision;
import io.mast.plugin.Message;
import io.mast.plugin.PublishDecision;
import io.mast.plugin.TopicAction;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The loaded plugins and how the broker reaches them: decision chains in config order, events fanned out to the
 * plugins that override them, and the lifecycle.
 *
 * <p>Chains: the first DENY stops a chain; ALLOW lets the later plugins still deny; abstentions are ignored. When every
 * plugin abstains, authentication is refused (0x87) and topic actions are allowed. Publish plugins each see the
 * previous one's message.
 */
public final class PluginRuntime implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(PluginRuntime.class);

    /** An event call on one plugin. */
    @FunctionalInterface
    interface PluginCall {
        void call(BrokerPlugin plugin) throws Exception;
    }

    private final List<LoadedPlugin> plugins;
    private final List<LoadedPlugin> auth = new ArrayList<>();
    private final Map<TopicAction, List<LoadedPlugin>> topic = new EnumMap<>(TopicAction.class);
    private final List<LoadedPlugin> publish = new ArrayList<>();
    private final Map<EventType, List<LoadedPlugin>> listeners = new EnumMap<>(EventType.class);
    private final ExecutorService blocking;
    private final ScheduledExecutorService scheduler;
    private final PluginClassLoaders jars;

    PluginRuntime(List<LoadedPlugin> plugins, ExecutorService blocking, ScheduledExecutorService scheduler,
                  PluginClassLoaders jars) {
        this.plugins = List.copyOf(plugins);
        this.blocking = blocking;
        this.scheduler = scheduler;
        this.jars = jars;
        for (TopicAction a : TopicAction.values()) {
            topic.put(a, new ArrayList<>());
        }
        for (EventType e : EventType.values()) {
            listeners.put(e, new ArrayList<>());
        }
        for (LoadedPlugin p : plugins) {
            if (p.authMode != null) {
                auth.add(p);
            }
            for (TopicAction a : p.topicActions) {
                if (p.topicMode != null) {
                    topic.get(a).add(p);
                }
            }
            if (p.publishMode != null) {
                publish.add(p);
            }
            for (EventType e : p.events) {
                listeners.get(e).add(p);
            }
        }
    }

    /** The plugins in config order. */
    /** The broker's decisions made by the plugins' chains, falling back to {@code fallback} where none decides. */
    public Policy policy(Policy fallback) {
        return new PluginPolicy(this, fallback);
    }

    /** The broker's events, handed to the plugins that listen. */
    public BrokerEvents events() {
        return new PluginEvents(this);
    }

    public List<String> names() {
        return plugins.stream().map(p -> p.name).toList();
    }

    public boolean hasAuthPlugins() {
        return !auth.isEmpty();
    }

    public boolean hasTopicPlugins(TopicAction action) {
        return !topic.get(action).isEmpty();
    }

    public boolean hasPublishPlugins() {
        return !publish.isEmpty();
    }

    /** True when some plugin overrides the event. */
    boolean handles(EventType type) {
        return !listeners.get(type).isEmpty();
    }

    // ---- Decisions ----

    /**
     * Runs the authentication chain. With no auth plugin, callers use their own default instead.
     *
     * @param defaultAllows whether Mast's default would allow the client, told to the only auth plugin of a chain as
     *                      {@link ConnectInfo#authenticatedSoFar()}
     */
    public CompletionStage<AuthDecision> authenticate(ConnectInfo connect, boolean defaultAllows) {
        return authChain(0, null, (p, soFar) -> p.authenticate(Views.withResultSoFar(connect,
                soFar != null || (auth.size() == 1 && defaultAllows))));
    }

    /** Runs the chain for one step of MQTT 5.0 enhanced authentication. */
    public CompletionStage<AuthDecision> authenticateStep(AuthStep step) {
        return authChain(0, null, (p, soFar) -> p.authenticateStep(step));
    }

    /**
     * @param allowed the allow of an earlier plugin (the first one that carries authentication data for the client
     *                wins, so that {@link AuthDecision#allowWith} reaches CONNACK or AUTH), or {@code null}
     */
    private CompletionStage<AuthDecision> authChain(int from, AuthDecision allowed,
                                                    java.util.function.BiFunction<LoadedPlugin, AuthDecision,
                                                            CompletionStage<AuthDecision>> ask) {
        AuthDecision soFar = allowed;
        for (int i = from; i < auth.size(); i++) {
            CompletableFuture<AuthDecision> f = ask.apply(auth.get(i), soFar).toCompletableFuture();
            if (!f.isDone()) {
                int next = i + 1;
                AuthDecision before = soFar;
                return f.thenCompose(d -> switch (d.kind()) {
                    case DENY, CONTINUE -> CompletableFuture.completedFuture(d);
                    case ALLOW -> authChain(next, keep(before, d), ask);
                    case ABSTAIN -> authChain(next, before, ask);
                });
            }
            AuthDecision d = f.join();
            switch (d.kind()) {
                case DENY, CONTINUE -> {
                    return f;
                }
                case ALLOW -> soFar = keep(soFar, d);
                case ABSTAIN -> {
                }
            }
        }
        return CompletableFuture.completedFuture(soFar != null ? soFar : ALL_ABSTAINED);
    }

    /**
     * The allow to answer with: the first one with data for the client, else the first one; a superuser when any
     * of them said so.
     */
    private static AuthDecision keep(AuthDecision before, AuthDecision allow) {
        AuthDecision kept = before == null || (before.authenticationData() == null && allow.authenticationData() != null)
                ? allow : before;
        return allow.superuser() || (before != null && before.superuser()) ? kept.asSuperuser() : kept;
    }

    /** The chain's answer when every auth plugin abstained: refused with 0x87. */
    private static final AuthDecision ALL_ABSTAINED = AuthDecision.deny(io.mast.plugin.Reason.NOT_AUTHORIZED,
            "no authentication plugin accepted the client");

    /** True for the answer of a chain in which every plugin abstained. */
    static boolean isAllAbstained(AuthDecision d) {
        return d == ALL_ABSTAINED;
    }

    /**
     * Runs the topic chain for an action. The answer is complete at once when every plugin of the chain is
     * {@link io.mast.plugin.NonBlocking} (or answers from memory).
     */
    public CompletionStage<Decision> authorize(ClientInfo client, TopicAction action, String topicName) {
        return topicChain(topic.get(action), 0, client, action, topicName);
    }

    private CompletionStage<Decision> topicChain(List<LoadedPlugin> chain, int from, ClientInfo client, TopicAction action,
                                                 String topicName) {
        for (int i = from; i < chain.size(); i++) {
            CompletableFuture<Decision> f = chain.get(i).authorize(client, action, topicName).toCompletableFuture();
            if (!f.isDone()) {
                int next = i + 1;
                return f.thenCompose(d -> d.kind() == Decision.Kind.DENY ? CompletableFuture.completedFuture(d)
                        : topicChain(chain, next, client, action, topicName));
            }
            Decision d = f.join();
            if (d.kind() == Decision.Kind.DENY) {
                return f;
            }
        }
        return ALLOWED;
    }

    private static final CompletableFuture<Decision> ALLOWED = CompletableFuture.completedFuture(Decision.ALLOW);

    /** Runs the publish plugins; each sees the message as the previous one left it. */
    public CompletionStage<PublishDecision> onPublish(ClientInfo client, Message message) {
        return publishChain(0, client, message);
    }

    private CompletionStage<PublishDecision> publishChain(int from, ClientInfo client, Message message) {
        Message current = message;
        for (int i = from; i < publish.size(); i++) {
            CompletableFuture<PublishDecision> f = publish.get(i).onPublish(client, current).toCompletableFuture();
            if (!f.isDone()) {
                int next = i + 1;
                return f.thenCompose(d -> d.kind() == PublishDecision.Kind.CONTINUE
                        ? publishChain(next, client, d.message()) : CompletableFuture.completedFuture(d));
            }
            PublishDecision d = f.join();
            if (d.kind() != PublishDecision.Kind.CONTINUE) {
                return f;
            }
            current = d.message();
        }
        return CompletableFuture.completedFuture(PublishDecision.proceed(current));
    }

    // ---- Events ----

    /**
     * Queues an event for every plugin that overrides it, on the client's lane; a plugin whose event method is
     * {@link io.mast.plugin.NonBlocking} is called at once, on the calling thread.
     */
    void fire(EventType type, String clientId, PluginCall call) {
        for (LoadedPlugin p : listeners.get(type)) {
            if (p.inlineEvents.contains(type)) {
                p.invoke(type, call);
            } else {
                p.lanes.submit(clientId, () -> p.invoke(type, call));
            }
        }
    }

    /** Calls a lifecycle event on every plugin that overrides it, in config order, on the calling thread. */
    void lifecycle(EventType type, PluginCall call) {
        for (LoadedPlugin p : listeners.get(type)) {
            p.invoke(type, call);
        }
    }

    /** Before the listeners open. */
    public void preStart() {
        lifecycle(EventType.BROKER_PRE_START, BrokerPlugin::onBrokerPreStart);
    }

    /** After the listeners opened. */
    public void postStart() {
        lifecycle(EventType.BROKER_POST_START, BrokerPlugin::onBrokerPostStart);
    }

    /** Before clients are disconnected. */
    public void preShutdown() {
        lifecycle(EventType.BROKER_PRE_SHUTDOWN, BrokerPlugin::onBrokerPreShutdown);
    }

    /** After clients were disconnected. */
    public void postShutdown() {
        lifecycle(EventType.BROKER_POST_SHUTDOWN, BrokerPlugin::onBrokerPostShutdown);
    }

    /** Lets queued events run, closes the plugins in reverse order, and stops the runtime's threads. */
    @Override
    public void close() {
        for (LoadedPlugin p : plugins) {
            if (p.lanes != null) {
                p.lanes.close(Duration.ofSeconds(5));
            }
        }
        for (int i = plugins.size() - 1; i >= 0; i--) {
            LoadedPlugin p = plugins.get(i);
            try {
                p.instance.close();
            } catch (Throwable e) {
                log.warn("Plugin {} failed to close: {}", p.name, e.toString());
            }
        }
        blocking.shutdown();
        scheduler.shutdownNow();
        jars.close();
    }
}
