package io.mast.broker.config;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.net.InetAddress;
import java.util.List;

/**
 * The broker's configuration, as read from YAML by {@link ConfigLoader}. Every section is optional; what is left out
 * takes its default, so an empty file (or none) gives a broker on 127.0.0.1:1883.
 *
 * @param name            the broker's name, as hook servers see it (default {@code mast@<host name>})
 * @param listeners       where the broker accepts connections (default: TCP on 127.0.0.1:1883)
 * @param limits          protocol and resource limits
 * @param session         session defaults
 * @param storage         where state is kept (RocksDB or memory)
 * @param pluginDir       the folder whose jars are loaded as plugins, each with its own class loader (default
 *                        {@code plugins}; a missing folder is fine)
 * @param admin           the admin API (HTTP, for {@code mast ctl}); off when left out
 * @param logging         level, format and destination of the log (applied by the {@code mast} command)
 * @param slowSubscribers what happens to a subscriber that cannot keep up (by default: it fills its own queue only)
 * @param logins          fair authentication under floods, and bans after repeated failures
 * @param plugins         the {@code plugins:} mapping from class name to options, in order (read by
 *                        {@link ConfigLoader})
 */
public record BrokerConfig(String name, List<ListenerConfig> listeners, LimitsConfig limits, SessionConfig session,
                           StorageConfig storage, String pluginDir, AdminConfig admin, LoggingConfig logging,
                           SlowSubscribersConfig slowSubscribers, LoginsConfig logins,
                           @JsonIgnore List<PluginDeclaration> plugins) {

    public BrokerConfig {
        name = name == null ? defaultName() : name;
        listeners = listeners == null || listeners.isEmpty() ? List.of(ListenerConfig.tcp("127.0.0.1", 1883)) : List.copyOf(listeners);
        limits = limits == null ? LimitsConfig.defaults() : limits;
        session = session == null ? SessionConfig.defaults() : session;
        storage = storage == null ? StorageConfig.defaults() : storage;
        pluginDir = pluginDir == null ? "plugins" : pluginDir;
        admin = admin == null ? AdminConfig.off() : admin;
        logging = logging == null ? LoggingConfig.defaults() : logging;
        slowSubscribers = slowSubscribers == null ? SlowSubscribersConfig.defaults() : slowSubscribers;
        logins = logins == null ? LoginsConfig.defaults() : logins;
        plugins = plugins == null ? List.of() : List.copyOf(plugins);
    }

    /** The defaults. */
    public static BrokerConfig defaults() {
        return new BrokerConfig(null, null, null, null, null, null, null, null, null, null, null);
    }

    private static String defaultName() {
        try {
            return "mast@" + InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            return "mast@localhost";
        }
    }

    /** This config with other plugin declarations. */
    public BrokerConfig withPlugins(List<PluginDeclaration> newPlugins) {
        return new BrokerConfig(name, listeners, limits, session, storage, pluginDir, admin, logging, slowSubscribers,
                logins, newPlugins);
    }

    /** This config with the first listener moved to another address and port (the CLI's --bind and --port). */
    public BrokerConfig withFirstListener(String bind, Integer port) {
        ListenerConfig first = listeners.get(0);
        ListenerConfig moved = first.withAddress(bind == null ? first.bind() : bind, port == null ? first.port() : port);
        List<ListenerConfig> all = new java.util.ArrayList<>(listeners);
        all.set(0, moved);
        return withListeners(all);
    }

    /** This config with other storage settings. */
    public BrokerConfig withStorage(StorageConfig newStorage) {
        return new BrokerConfig(name, listeners, limits, session, newStorage, pluginDir, admin, logging,
                slowSubscribers, logins, plugins);
    }

    /** This config with other limits. */
    public BrokerConfig withLimits(LimitsConfig newLimits) {
        return new BrokerConfig(name, listeners, newLimits, session, storage, pluginDir, admin, logging,
                slowSubscribers, logins, plugins);
    }

    /** This config with other session defaults. */
    public BrokerConfig withSession(SessionConfig newSession) {
        return new BrokerConfig(name, listeners, limits, newSession, storage, pluginDir, admin, logging,
                slowSubscribers, logins, plugins);
    }

    /** This config with another admin API setting. */
    public BrokerConfig withAdmin(AdminConfig newAdmin) {
        return new BrokerConfig(name, listeners, limits, session, storage, pluginDir, newAdmin, logging,
                slowSubscribers, logins, plugins);
    }

    /** This config with another way of handling slow subscribers. */
    public BrokerConfig withSlowSubscribers(SlowSubscribersConfig newSlowSubscribers) {
        return new BrokerConfig(name, listeners, limits, session, storage, pluginDir, admin, logging,
                newSlowSubscribers, logins, plugins);
    }

    /** This config with other login protections. */
    public BrokerConfig withLogins(LoginsConfig newLogins) {
        return new BrokerConfig(name, listeners, limits, session, storage, pluginDir, admin, logging,
                slowSubscribers, newLogins, plugins);
    }

    /** This config with other listeners. */
    public BrokerConfig withListeners(List<ListenerConfig> newListeners) {
        return new BrokerConfig(name, newListeners, limits, session, storage, pluginDir, admin, logging,
                slowSubscribers, logins, plugins);
    }
}
