package io.mast.broker.plugin;

import io.mast.plugin.AsyncAuthPlugin;
import io.mast.plugin.AsyncPublishPlugin;
import io.mast.plugin.AsyncTopicPlugin;
import io.mast.plugin.AuthDecision;
import io.mast.plugin.AuthPlugin;
import io.mast.plugin.AuthStep;
import io.mast.plugin.BrokerPlugin;
import io.mast.plugin.ClientInfo;
import io.mast.plugin.ConnectInfo;
import io.mast.plugin.Decision;
import io.mast.plugin.Message;
import io.mast.plugin.NonBlocking;
import io.mast.plugin.PublishDecision;
import io.mast.plugin.PublishPlugin;
import io.mast.plugin.Reason;
import io.mast.plugin.TopicAction;
import io.mast.plugin.TopicPlugin;
import io.mast.plugin.support.Metrics;
import io.mast.plugin.support.RateLimitedLog;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One loaded plugin: its instance, which events it receives, how its decisions are called, and what a failure means.
 *
 * <p>A plain decision method runs on a virtual thread (it may block); with {@link NonBlocking} it runs on the calling
 * network thread; an async one is called on the network thread and awaited without a thread. Each call is bounded by
 * the plugin's {@code decision_timeout}; an exception, a timeout or a {@code null} answer is logged with the plugin's
 * name, counted, and replaced by the {@code failed_action}: deny, or ignore (abstain).
 */
final class LoadedPlugin {

    private static final Logger log = LoggerFactory.getLogger(LoadedPlugin.class);

    /** How a decision method is called. */
    enum Mode { INLINE, BLOCKING, ASYNC }

    /** What a failed decision counts as. */
    enum FailedAction { DENY, IGNORE }

    final String name;
    final BrokerPlugin instance;
    final Set<EventType> events;
    /** The events whose method is {@link NonBlocking}: called on the thread that raises them, not queued. */
    final Set<EventType> inlineEvents;
    final EventLanes lanes;
    final Duration timeout;
    final FailedAction failedAction;
    final Mode authMode;
    final Mode topicMode;
    final Mode publishMode;
    final Set<TopicAction> topicActions;

    private final Executor blocking;
    private final Map<EventType, HookMetrics> eventMetrics = new EnumMap<>(EventType.class);
    private final HookMetrics authMetrics;
    private final HookMetrics authStepMetrics;
    private final Map<TopicAction, HookMetrics> topicMetrics = new EnumMap<>(TopicAction.class);
    private final HookMetrics publishMetrics;
    private final RateLimitedLog failures;

    LoadedPlugin(String name, BrokerPlugin instance, Set<EventType> events, EventLanes lanes, Duration timeout,
                 FailedAction failedAction, Executor blocking, Metrics registry) {
        this.name = name;
        this.instance = instance;
        this.events = events;
        EnumSet<EventType> inline = EnumSet.noneOf(EventType.class);
        for (EventType e : events) {
            if (e.ordinal() > EventType.BROKER_POST_SHUTDOWN.ordinal() && e.nonBlockingIn(instance.getClass())) {
                inline.add(e);
            }
        }
        this.inlineEvents = inline;
        this.lanes = lanes;
        this.timeout = timeout;
        this.failedAction = failedAction;
        this.blocking = blocking;
        this.failures = new RateLimitedLog(LoggerFactory.getLogger(instance.getClass()), 5_000);
        Class<?> type = instance.getClass();
        this.authMode = instance instanceof AsyncAuthPlugin ? Mode.ASYNC
                : instance instanceof AuthPlugin ? mode(type, "authenticate", ConnectInfo.class) : null;
        this.topicMode = instance instanceof AsyncTopicPlugin ? Mode.ASYNC
                : instance instanceof TopicPlugin ? mode(type, "authorize", ClientInfo.class, TopicAction.class, String.class)
                : null;
        this.publishMode = instance instanceof AsyncPublishPlugin ? Mode.ASYNC
                : instance instanceof PublishPlugin ? mode(type, "onPublish", ClientInfo.class, Message.class) : null;
        Set<TopicAction> actions = instance instanceof TopicPlugin t ? t.actions()
                : instance instanceof AsyncTopicPlugin t ? t.actions() : Set.of();
        this.topicActions = actions.isEmpty() ? EnumSet.noneOf(TopicAction.class) : EnumSet.copyOf(actions);
        for (EventType e : events) {
            eventMetrics.put(e, new HookMetrics(registry, name, e.method()));
        }
        this.authMetrics = authMode == null ? null : new HookMetrics(registry, name, "authenticate");
        this.authStepMetrics = authMode == null ? null : new HookMetrics(registry, name, "authenticate_step");
        for (TopicAction a : topicActions) {
            topicMetrics.put(a, new HookMetrics(registry, name, "authorize_" + a.name().toLowerCase()));
        }
        this.publishMetrics = publishMode == null ? null : new HookMetrics(registry, name, "publish");
    }

    private static Mode mode(Class<?> type, String method, Class<?>... parameters) {
        if (type.isAnnotationPresent(NonBlocking.class)) {
            return Mode.INLINE;
        }
        try {
            Method m = type.getMethod(method, parameters);
            return m.isAnnotationPresent(NonBlocking.class) ? Mode.INLINE : Mode.BLOCKING;
        } catch (NoSuchMethodException e) {
            return Mode.BLOCKING;
        }
    }

    // ---- Decisions ----

    CompletionStage<AuthDecision> authenticate(ConnectInfo c) {
        return decide(authMetrics, "authenticate", c.clientId(), authMode,
                () -> ((AuthPlugin) instance).authenticate(c),
                () -> ((AsyncAuthPlugin) instance).authenticate(c),
                failedAuth());
    }

    CompletionStage<AuthDecision> authenticateStep(AuthStep s) {
        return decide(authStepMetrics, "authenticateStep", s.client().clientId(), authMode,
                () -> ((AuthPlugin) instance).authenticateStep(s),
                () -> ((AsyncAuthPlugin) instance).authenticateStep(s),
                failedAuth());
    }

    CompletionStage<Decision> authorize(ClientInfo c, TopicAction action, String topic) {
        if (topicMode == Mode.INLINE) {
            return authorizeInline(c, action, topic); // per message (PUBLISH, RECEIVE): no allocation but the answer
        }
        return decide(topicMetrics.get(action), "authorize " + action, c == null ? null : c.clientId(), topicMode,
                () -> ((TopicPlugin) instance).authorize(c, action, topic),
                () -> ((AsyncTopicPlugin) instance).authorize(c, action, topic), failedTopicDecision());
    }

    private static final CompletableFuture<Decision> ALLOWED = CompletableFuture.completedFuture(Decision.ALLOW);
    private static final CompletableFuture<Decision> ABSTAINED = CompletableFuture.completedFuture(Decision.ABSTAIN);
    private static final CompletableFuture<Decision> DENIED = CompletableFuture.completedFuture(Decision.DENY);

    private CompletionStage<Decision> authorizeInline(ClientInfo c, TopicAction action, String topic) {
        HookMetrics m = topicMetrics.get(action);
        long start = HookMetrics.sample();
        Decision d;
        try {
            d = ((TopicPlugin) instance).authorize(c, action, topic);
        } catch (Throwable e) {
            return CompletableFuture.completedFuture(failure(m, "authorize " + action, c == null ? null : c.clientId(),
                    e, failedTopicDecision()));
        }
        if (d == null) {
            return CompletableFuture.completedFuture(failure(m, "authorize " + action, c == null ? null : c.clientId(),
                    new NullPointerException("authorize " + action + " returned null"), failedTopicDecision()));
        }
        m.recordSampled(start);
        return d == Decision.ALLOW ? ALLOWED : d == Decision.ABSTAIN ? ABSTAINED : d == Decision.DENY ? DENIED
                : CompletableFuture.completedFuture(d);
    }

    private Decision failedTopicDecision() {
        return failedAction == FailedAction.DENY ? Decision.deny(Reason.NOT_AUTHORIZED, "authorization failed")
                : Decision.ABSTAIN;
    }

    CompletionStage<PublishDecision> onPublish(ClientInfo c, Message m) {
        return decide(publishMetrics, "onPublish", c == null ? null : c.clientId(), publishMode,
                () -> ((PublishPlugin) instance).onPublish(c, m),
                () -> ((AsyncPublishPlugin) instance).onPublish(c, m),
                failedAction == FailedAction.DENY
                        ? PublishDecision.deny(Reason.NOT_AUTHORIZED, "publish plugin failed") : PublishDecision.proceed(m));
    }

    private AuthDecision failedAuth() {
        return failedAction == FailedAction.DENY
                ? AuthDecision.deny(Reason.SERVER_UNAVAILABLE, "authentication failed")
                : AuthDecision.abstain();
    }

    private <T> CompletionStage<T> decide(HookMetrics m, String hook, String clientId, Mode mode, Callable<T> sync,
                                          Supplier<CompletionStage<T>> async, T failed) {
        long start = System.nanoTime();
        switch (mode) {
            case INLINE -> {
                try {
                    T r = sync.call();
                    if (r == null) {
                        return CompletableFuture.completedFuture(failure(m, hook, clientId, new NullPointerException(
                                hook + " returned null"), failed));
                    }
                    m.record(start);
                    return CompletableFuture.completedFuture(r);
                } catch (Throwable e) {
                    return CompletableFuture.completedFuture(failure(m, hook, clientId, e, failed));
                }
            }
            case BLOCKING -> {
                CompletableFuture<T> f = new CompletableFuture<>();
                blocking.execute(() -> {
                    try {
                        f.complete(sync.call());
                    } catch (Throwable e) {
                        f.completeExceptionally(e);
                    }
                });
                return guard(f, m, hook, clientId, start, failed);
            }
            default -> {
                CompletionStage<T> s;
                try {
                    s = async.get();
                } catch (Throwable e) {
                    return CompletableFuture.completedFuture(failure(m, hook, clientId, e, failed));
                }
                if (s == null) {
                    return CompletableFuture.completedFuture(failure(m, hook, clientId,
                            new NullPointerException(hook + " returned null"), failed));
                }
                return guard(s.toCompletableFuture().copy(), m, hook, clientId, start, failed);
            }
        }
    }

    private <T> CompletionStage<T> guard(CompletableFuture<T> f, HookMetrics m, String hook, String clientId, long start,
                                         T failed) {
        return f.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS).handle((r, e) -> {
            if (e == null && r != null) {
                m.record(start);
                return r;
            }
            Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
            if (cause == null) {
                cause = new NullPointerException(hook + " returned null");
            }
            return failure(m, hook, clientId, cause, failed);
        });
    }

    private <T> T failure(HookMetrics m, String hook, String clientId, Throwable e, T failed) {
        m.calls.increment();
        if (e instanceof TimeoutException) {
            m.timeouts.increment();
            failures.warn("Plugin {} did not answer {} for {} within {} ms; counted as {}", name, hook, clientId,
                    timeout.toMillis(), failedAction.name().toLowerCase());
        } else {
            m.errors.increment();
            failures.warn("Plugin {} failed in {} for {}: {}; counted as {}", name, hook, clientId, e.toString(),
                    failedAction.name().toLowerCase());
            log.debug("Failure of plugin {} in {}", name, hook, e);
        }
        return failed;
    }

    // ---- Events ----

    /** Calls an event method, counting it; an exception is logged with the plugin's name and counted. */
    void invoke(EventType type, PluginRuntime.PluginCall call) {
        HookMetrics m = eventMetrics.get(type);
        long start = System.nanoTime();
        try {
            call.call(instance);
            m.record(start);
        } catch (Throwable e) {
            m.calls.increment();
            m.errors.increment();
            failures.warn("Plugin {} failed in {}: {}", name, type.method(), e.toString());
            log.debug("Failure of plugin {} in {}", name, type.method(), e);
        }
    }
}
