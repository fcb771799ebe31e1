package io.mast.broker.plugin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mast.broker.config.ConfigException;
import io.mast.broker.config.PluginDeclaration;
import io.mast.broker.policy.Policy;
import io.mast.plugin.BrokerContext;
import io.mast.plugin.BrokerPlugin;
import io.mast.plugin.support.Durations;
import io.mast.plugin.support.OptionsBinder;
import io.mast.plugin.support.OptionsException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads the plugins: those declared in the config, in order, then those a jar in the plugin folder lists in
 * {@code META-INF/services/io.mast.plugin.BrokerPlugin} (the {@link java.util.ServiceLoader} convention) and the
 * config does not declare, with their default options. Then installs the runtime's policy and events in the broker.
 *
 * <p>Each plugin's mapping may hold the runtime's own options next to the plugin's: {@code decision_timeout}
 * (default 5s, or the plugin's {@link io.mast.plugin.DecisionTimeout}), {@code failed_action} ({@code deny} by default, or {@code ignore}) and {@code event_queue_size}
 * (default 10000).
 */
public final class PluginLoader {

    private static final Logger log = LoggerFactory.getLogger(PluginLoader.class);

    /** The options the runtime reads from a plugin's mapping; a plugin's Config may not use these names. */
    public static final Set<String> RESERVED = Set.of("decision_timeout", "failed_action", "event_queue_size");
    private static final String SERVICES = "META-INF/services/" + BrokerPlugin.class.getName();
    private static final int LANES = 4;

    private PluginLoader() {
    }

    /**
     * A plugin whose class was found and whose options were bound to its {@code Config}, not yet created: checking a
     * whole config this way has no side effect (no store, port or plugin is opened).
     */
    record Resolved(PluginDeclaration declaration, Class<? extends BrokerPlugin> type,
                    Constructor<? extends BrokerPlugin> constructor, Class<?> configType, Object config,
                    Duration timeout, LoadedPlugin.FailedAction failedAction, int queueSize) {
    }

    /** The plugins of a config, resolved and checked; {@link #install} creates them. */
    public static final class Prepared implements AutoCloseable {
        private final List<Resolved> plugins;
        private final PluginClassLoaders jars;

        private Prepared(List<Resolved> plugins, PluginClassLoaders jars) {
            this.plugins = plugins;
            this.jars = jars;
        }

        /** Releases the plugin jars, when the broker is not built after all. */
        @Override
        public void close() {
            jars.close();
        }
    }

    /**
     * Finds every plugin class (declared in the config, then those the jars of the plugin folder list) and binds its
     * options, without creating anything: a config that names an unknown class or a wrong option fails here, before
     * the broker opens its store or a port.
     *
     * @throws ConfigException naming the plugin, the option and the config line when a plugin cannot be loaded
     */
    public static Prepared prepare(List<PluginDeclaration> declared, Path pluginDir, ObjectMapper mapper) {
        PluginClassLoaders jars = new PluginClassLoaders(pluginDir, BrokerPlugin.class.getClassLoader());
        try {
            List<PluginDeclaration> all = new ArrayList<>(declared);
            Set<String> names = new LinkedHashSet<>();
            declared.forEach(d -> names.add(d.className()));
            for (PluginDeclaration d : discovered(jars)) {
                if (names.add(d.className())) {
                    all.add(d);
                }
            }
            OptionsBinder binder = new OptionsBinder(mapper);
            List<Resolved> resolved = new ArrayList<>(all.size());
            List<String> errors = new ArrayList<>();
            for (PluginDeclaration d : all) {
                try {
                    resolved.add(resolve(d, jars, binder));
                } catch (ConfigException e) {
                    errors.addAll(e.errors()); // every plugin's error at once, as the rest of the file's
                }
            }
            if (!errors.isEmpty()) {
                throw new ConfigException(errors);
            }
            return new Prepared(resolved, jars);
        } catch (RuntimeException e) {
            jars.close();
            throw e;
        }
    }

    /**
     * Creates the prepared plugins. Returns {@code null} when there are none (the broker then runs with its defaults
     * and no event work at all); the broker installs the runtime's {@link PluginRuntime#policy policy} and
     * {@link PluginRuntime#events events}.
     *
     * @throws ConfigException naming the plugin when one fails to start
     */
    public static PluginRuntime install(PluginServices core, Prepared prepared) {
        if (prepared.plugins.isEmpty()) {
            prepared.close();
            return null;
        }
        ExecutorService blocking = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("plugin-decision-", 0).factory());
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("plugin-scheduler").daemon().factory());
        List<LoadedPlugin> loaded = new ArrayList<>();
        try {
            List<String> errors = new ArrayList<>();
            for (Resolved r : prepared.plugins) {
                try {
                    loaded.add(create(r, core, blocking, scheduler));
                } catch (ConfigException e) {
                    errors.addAll(e.errors()); // every plugin's error at once, as the rest of the file's
                }
            }
            if (!errors.isEmpty()) {
                throw new ConfigException(errors);
            }
        } catch (RuntimeException e) {
            for (LoadedPlugin p : loaded) {
                if (p.lanes != null) {
                    p.lanes.close(Duration.ofSeconds(1));
                }
                try {
                    p.instance.close();
                } catch (Exception ignored) {
                    // already failing
                }
            }
            blocking.shutdown();
            scheduler.shutdownNow();
            prepared.close();
            throw e;
        }
        PluginRuntime runtime = new PluginRuntime(loaded, blocking, scheduler, prepared.jars);
        log.info("Plugins: {}", String.join(", ", runtime.names()));
        return runtime;
    }

    private static Resolved resolve(PluginDeclaration d, PluginClassLoaders jars, OptionsBinder binder) {
        Class<?> type = jars.find(d.className());
        if (type == null) {
            try {
                type = Class.forName(d.className(), true, BrokerPlugin.class.getClassLoader());
            } catch (ClassNotFoundException | LinkageError e) {
                throw error(d, null, "class not found (looked in the class path and in the jars of "
                        + "the plugin folder)");
            }
        }
        if (!BrokerPlugin.class.isAssignableFrom(type)) {
            throw error(d, null, type.getName() + " is not a plugin: it must extend "
                    + BrokerPlugin.class.getName());
        }
        @SuppressWarnings("unchecked")
        Class<? extends BrokerPlugin> pluginType = (Class<? extends BrokerPlugin>) type;
        Constructor<? extends BrokerPlugin> ctor;
        try {
            ctor = pluginType.getConstructor(BrokerContext.class);
        } catch (NoSuchMethodException e) {
            throw error(d, null, "needs a public constructor taking a BrokerContext");
        }

        ObjectNode options = d.options() instanceof ObjectNode o ? o : JsonNodeFactory.instance.objectNode();
        if (d.options() != null && !d.options().isNull() && !d.options().isObject()) {
            throw error(d, null, "expected a mapping of options (or nothing for the defaults)");
        }
        Map<String, JsonNode> runtimeOptions = new HashMap<>();
        ObjectNode pluginOptions = OptionsBinder.withoutReserved(options, RESERVED, runtimeOptions);
        io.mast.plugin.DecisionTimeout own = pluginType.getAnnotation(io.mast.plugin.DecisionTimeout.class);
        Duration timeout = duration(d, runtimeOptions.get("decision_timeout"),
                own == null ? Duration.ofSeconds(5) : Durations.parse(own.value()));
        LoadedPlugin.FailedAction failedAction = failedAction(d, runtimeOptions.get("failed_action"));
        int queueSize = queueSize(d, runtimeOptions.get("event_queue_size"));

        Class<?> configType = OptionsBinder.configType(pluginType);
        Object config;
        try {
            config = binder.bind(configType, pluginOptions, RESERVED);
        } catch (OptionsException e) {
            throw error(d, e.key(), e.problem());
        }
        return new Resolved(d, pluginType, ctor, configType, config, timeout, failedAction, queueSize);
    }

    private static LoadedPlugin create(Resolved r, PluginServices core, ExecutorService blocking,
                                       ScheduledExecutorService scheduler) {
        Class<? extends BrokerPlugin> pluginType = r.type();
        String name = pluginType.getName();
        PluginContextImpl context = new PluginContextImpl(name, pluginType, r.configType(), r.config(), scheduler, core);
        BrokerPlugin instance;
        try {
            instance = r.constructor().newInstance(context);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            throw error(r.declaration(), null, "the plugin failed to start: " + (cause.getMessage() == null
                    ? cause.toString() : cause.getMessage()));
        } catch (ReflectiveOperationException e) {
            throw error(r.declaration(), null, "cannot create the plugin: " + e);
        }
        EnumSet<EventType> events = EnumSet.noneOf(EventType.class);
        for (EventType e : EventType.values()) {
            if (e.overriddenBy(pluginType)) {
                events.add(e);
            }
        }
        boolean queued = events.stream().anyMatch(e -> e.ordinal() > EventType.BROKER_POST_SHUTDOWN.ordinal()
                && !e.nonBlockingIn(pluginType));
        LongAdder dropped = core.metricsRegistry().counter("plugin." + name + ".events.dropped");
        EventLanes lanes = queued ? new EventLanes(pluginType.getSimpleName(), LANES, r.queueSize(), dropped) : null;
        log.debug("Loaded plugin {} from {}", name, PluginClassLoaders.describe(pluginType.getClassLoader()));
        return new LoadedPlugin(name, instance, events, lanes, r.timeout(), r.failedAction(), blocking,
                core.metricsRegistry());
    }

    /** A one-line error naming where the plugin (or option) was declared, its key path and the problem. */
    static ConfigException error(PluginDeclaration d, String key, String problem) {
        return new ConfigException(d.where(key) + ": " + d.keyOf(key) + ": " + problem);
    }

    private static Duration duration(PluginDeclaration d, JsonNode n, Duration def) {
        if (n == null) {
            return def;
        }
        try {
            Duration v = n.isIntegralNumber() ? Duration.ofSeconds(n.asLong()) : Durations.parse(n.asText());
            if (v.isZero() || v.isNegative()) {
                throw new IllegalArgumentException("expected a positive duration");
            }
            return v;
        } catch (IllegalArgumentException e) {
            throw error(d, "decision_timeout", "expected a positive duration such as 500ms or 5s, got " + n);
        }
    }

    private static LoadedPlugin.FailedAction failedAction(PluginDeclaration d, JsonNode n) {
        if (n == null) {
            return LoadedPlugin.FailedAction.DENY;
        }
        return switch (n.asText().toLowerCase(Locale.ROOT)) {
            case "deny" -> LoadedPlugin.FailedAction.DENY;
            case "ignore" -> LoadedPlugin.FailedAction.IGNORE;
            default -> throw error(d, "failed_action", "expected deny or ignore, got " + n);
        };
    }

    private static int queueSize(PluginDeclaration d, JsonNode n) {
        if (n == null) {
            return 10_000;
        }
        if (!n.isIntegralNumber() || n.asInt() < 16) {
            throw error(d, "event_queue_size", "expected an integer of at least 16, got " + n);
        }
        return n.asInt();
    }

    /** Plugins listed by the jars of the plugin folder in the ServiceLoader file. */
    private static List<PluginDeclaration> discovered(PluginClassLoaders jars) {
        List<PluginDeclaration> found = new ArrayList<>();
        for (ClassLoader l : jars.loaders()) {
            try {
                Enumeration<URL> files = l.getResources(SERVICES);
                while (files.hasMoreElements()) {
                    URL url = files.nextElement();
                    if (!url.toString().contains(PluginClassLoaders.describe(l).replace('\\', '/'))
                            && !url.getProtocol().equals("jar")) {
                        continue;
                    }
                    try (BufferedReader r = new BufferedReader(new InputStreamReader(url.openStream(), StandardCharsets.UTF_8))) {
                        String line;
                        while ((line = r.readLine()) != null) {
                            String name = line.replaceAll("#.*", "").trim();
                            if (!name.isEmpty()) {
                                String where = PluginClassLoaders.describe(l) + " (" + SERVICES + ")";
                                found.add(new PluginDeclaration(name, null, key -> where));
                            }
                        }
                    }
                }
            } catch (IOException e) {
                throw new ConfigException(PluginClassLoaders.describe(l) + ": cannot read " + SERVICES + ": " + e.getMessage());
            }
        }
        return found;
    }
}
