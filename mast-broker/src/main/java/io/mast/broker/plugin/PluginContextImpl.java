package io.mast.broker.plugin;

import io.mast.broker.message.BrokerMessage;
import io.mast.broker.publish.PublishService;
import io.mast.broker.session.SessionAdmin;
import io.mast.plugin.BrokerContext;
import io.mast.plugin.Message;
import io.mast.plugin.SessionInfo;
import io.mast.plugin.Subscription;
import io.mast.plugin.support.AbstractPluginContext;
import java.util.Collection;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledExecutorService;

/** What a broker plugin is given: its own name, logger, config, scheduler and metrics, and the broker's services. */
final class PluginContextImpl extends AbstractPluginContext implements BrokerContext {

    private final PluginServices core;
    private final SessionAdmin sessions;

    PluginContextImpl(String name, Class<?> pluginClass, Class<?> configType, Object config,
                      ScheduledExecutorService scheduler, PluginServices core) {
        super(name, pluginClass, configType, config, scheduler, core.metricsRegistry());
        this.core = core;
        this.sessions = core.sessions();
    }

    @Override
    public void adminResource(String name, io.mast.plugin.AdminResource resource) {
        core.admin().register(pluginName(), name, resource);
    }

    @Override
    public void readinessCheck(String name, java.util.function.BooleanSupplier ready) {
        core.readinessChecks().put(pluginName() + ":" + name, ready);
    }

    @Override
    public String brokerName() {
        return core.identity().name();
    }

    @Override
    public String brokerVersion() {
        return core.identity().version();
    }

    @Override
    public long startedAt() {
        return core.identity().startedAt();
    }

    @Override
    public java.util.Map<String, Long> brokerMetrics() {
        return core.metricsRegistry().snapshot();
    }

    @Override
    public CompletionStage<Integer> publish(Message message) {
        long now = System.currentTimeMillis();
        BrokerMessage m = Views.brokerMessage(message, null, now, now);
        return core.publisher().publish(m, null, null).thenApply(PublishService.Outcome::deliveries);
    }

    @Override
    public void setRetained(Message message) {
        long now = System.currentTimeMillis();
        BrokerMessage m = Views.brokerMessage(message.toBuilder().retain(true).build(), null, now, now);
        core.retained().retain(m);
        if (m.payload().length == 0) {
            core.events().retainedCleared(null, m.topic());
        } else {
            core.events().retainedSet(null, m);
        }
    }

    @Override
    public boolean clearRetained(String topic) {
        boolean cleared = core.retained().clear(topic);
        if (cleared) {
            core.events().retainedCleared(null, topic);
        }
        return cleared;
    }

    @Override
    public Optional<Message> retained(String topic) {
        long now = System.currentTimeMillis();
        BrokerMessage m = core.retained().get(topic);
        return m == null || m.isExpired(now) ? Optional.empty() : Optional.of(Views.message(m, now));
    }

    @Override
    public CompletionStage<Optional<SessionInfo>> session(String clientId) {
        return sessions.snapshot(clientId);
    }

    @Override
    public Collection<String> sessionIds() {
        return core.registry().all().stream().map(s -> s.clientId()).toList();
    }

    @Override
    public CompletionStage<Void> subscribe(String clientId, Subscription subscription) {
        return sessions.subscribe(clientId, subscription.topicFilter(), subscription.qos(), subscription.noLocal(),
                subscription.retainAsPublished(), subscription.retainHandling(), subscription.subscriptionId());
    }

    @Override
    public CompletionStage<Boolean> unsubscribe(String clientId, String topicFilter) {
        return sessions.unsubscribe(clientId, topicFilter);
    }

    @Override
    public CompletionStage<Boolean> disconnect(String clientId) {
        return sessions.disconnect(clientId);
    }
}
