package io.mast.broker.config;

import java.util.List;

/**
 * The broker's configuration, as read from YAML by {@link ConfigLoader}. Every section is optional; what is left out
 * takes its default, so an empty file (or none) gives a broker on 127.0.0.1:1883.
 *
 * @param listeners where the broker accepts connections (default: TCP on 127.0.0.1:1883)
 * @param limits    protocol and resource limits
 * @param session   session defaults
 */
public record BrokerConfig(List<ListenerConfig> listeners, LimitsConfig limits, SessionConfig session) {

    public BrokerConfig {
        listeners = listeners == null || listeners.isEmpty() ? List.of(ListenerConfig.tcp("127.0.0.1", 1883)) : List.copyOf(listeners);
        limits = limits == null ? LimitsConfig.defaults() : limits;
        session = session == null ? SessionConfig.defaults() : session;
    }

    /** The defaults. */
    public static BrokerConfig defaults() {
        return new BrokerConfig(null, null, null);
    }

    /** This config with the first listener moved to another address and port (the CLI's --bind and --port). */
    public BrokerConfig withFirstListener(String bind, Integer port) {
        ListenerConfig first = listeners.get(0);
        ListenerConfig moved = first.withAddress(bind == null ? first.bind() : bind, port == null ? first.port() : port);
        List<ListenerConfig> all = new java.util.ArrayList<>(listeners);
        all.set(0, moved);
        return new BrokerConfig(all, limits, session);
    }

    /** This config with other limits. */
    public BrokerConfig withLimits(LimitsConfig newLimits) {
        return new BrokerConfig(listeners, newLimits, session);
    }

    /** This config with other session defaults. */
    public BrokerConfig withSession(SessionConfig newSession) {
        return new BrokerConfig(listeners, limits, newSession);
    }

    /** This config with other listeners. */
    public BrokerConfig withListeners(List<ListenerConfig> newListeners) {
        return new BrokerConfig(newListeners, limits, session);
    }
}
