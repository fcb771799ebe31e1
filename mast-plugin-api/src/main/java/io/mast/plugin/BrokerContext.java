package io.mast.plugin;

import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * What a broker plugin may use: besides its logger, config, scheduler and metrics ({@link PluginContext}), the
 * broker's messages and sessions.
 */
public interface BrokerContext extends PluginContext {

    /** The broker's name, as hook servers see it in RequestMeta.node. */
    String brokerName();

    /** The broker's version. */
    String brokerVersion();

    /** When the broker started, epoch milliseconds. */
    long startedAt();

    /**
     * A snapshot of the broker's metrics by name: {@code connections.current}, {@code sessions.current},
     * {@code subscriptions.current}, {@code retained.current}, {@code messages.received}, {@code messages.sent},
     * {@code messages.dropped.*}, {@code bytes.received}, {@code bytes.sent}, and every plugin's own.
     */
    Map<String, Long> brokerMetrics();

    /**
     * Publishes a message as the broker. It goes through the topic and publish plugins like any other (with no client)
     * and completes with the number of sessions it was delivered to.
     */
    CompletionStage<Integer> publish(Message message);

    /** Sets the retained message of its topic (an empty payload clears it) without delivering it to anyone. */
    void setRetained(Message message);

    /** Clears the retained message of a topic; returns true when there was one. */
    boolean clearRetained(String topic);

    /** The retained message of a topic. */
    Optional<Message> retained(String topic);

    /** A snapshot of a client's session, if there is one. */
    CompletionStage<Optional<SessionInfo>> session(String clientId);

    /** The client identifiers of all sessions. */
    Collection<String> sessionIds();

    /**
     * Subscribes a client's session to a filter, creating an offline session (kept as long as
     * {@code session.max_expiry_interval}) when the client has none. Retained messages are sent as
     * {@link Subscription#retainHandling()} says.
     */
    CompletionStage<Void> subscribe(String clientId, Subscription subscription);

    /** Removes a subscription; completes with false when there was none. */
    CompletionStage<Boolean> unsubscribe(String clientId, String topicFilter);

    /**
     * Disconnects a client (MQTT 5.0: DISCONNECT 0x98 Administrative action); its will is published. Completes with
     * false when the client is not connected.
     */
    CompletionStage<Boolean> disconnect(String clientId);

    /**
     * Serves {@code resource} in the broker's admin API at {@code /api/v1/<name>} and below, for as long as the broker
     * runs. Register it when the plugin is created or in {@code onBrokerPreStart}. The admin API is off unless the
     * broker's config has an {@code admin:} section; registering works either way.
     *
     * @param name lower-case letters, digits and {@code -}, not {@code status}, {@code metrics} nor {@code plugins}
     *             (the broker's own), and not taken by another plugin
     * @throws IllegalArgumentException when the name is malformed, reserved or taken
     */
    void adminResource(String name, AdminResource resource);

    /**
     * Adds a condition to the broker's readiness ({@code /health/ready} of the admin listener answers 503 while one is
     * false), e.g. that a service the plugin cannot work without is reachable. Checked on every request: keep it
     * quick (read a state, do not call out).
     *
     * @param name  the check's name in the answer (the plugin's name is put before it)
     * @param ready true while the plugin is ready
     */
    default void readinessCheck(String name, java.util.function.BooleanSupplier ready) {
    }
}
