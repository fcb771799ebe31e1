package io.mast.client;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.mast.codec.packet.MqttPacket;
import io.mast.codec.packet.PublishAcknowledgement;
import io.mast.codec.packet.Publish;
import io.mast.codec.packet.SubAck;
import io.mast.codec.packet.Subscribe;
import io.mast.codec.packet.UnsubAck;
import io.mast.codec.packet.Unsubscribe;
import io.mast.plugin.ClientContext;
import io.mast.plugin.ClientPlugin;
import io.mast.plugin.PacketInfo;
import io.mast.plugin.support.AbstractPluginContext;
import io.mast.plugin.support.Metrics;
import io.mast.plugin.support.OptionsBinder;
import io.mast.plugin.support.OptionsException;
import io.mast.plugin.support.StrictMapper;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client's plugins: loaded from their declarations with their options bound strictly, then called in order on
 * one thread the client owns. A plugin's exception is logged with its name and changes nothing else; events beyond
 * {@link #QUEUE_LIMIT} waiting are dropped and counted rather than letting memory grow.
 */
final class ClientPlugins {

    private static final Logger log = LoggerFactory.getLogger(ClientPlugins.class);
    static final int QUEUE_LIMIT = 100_000;
    private static final AtomicInteger THREADS = new AtomicInteger();
    private static final ObjectMapper MAPPER = StrictMapper.create();

    private record Loaded(String name, ClientPlugin plugin, boolean packets, boolean connection) {
    }

    private final List<Loaded> plugins;
    private final ScheduledThreadPoolExecutor thread;
    private final Metrics metrics = new Metrics();
    private final AtomicInteger waiting = new AtomicInteger();
    private final AtomicLong dropped = new AtomicLong();
    private final boolean wantsPackets;

    private ClientPlugins(List<PluginDeclaration> declarations, Supplier<String> clientId) {
        thread = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "mast-client-plugins-" + THREADS.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        thread.setRemoveOnCancelPolicy(true);
        OptionsBinder binder = new OptionsBinder(MAPPER);
        List<Loaded> loaded = new ArrayList<>();
        try {
            for (PluginDeclaration d : declarations) {
                loaded.add(load(d, binder, clientId));
            }
        } catch (RuntimeException e) {
            for (Loaded l : loaded) {
                closeQuietly(l);
            }
            thread.shutdownNow();
            throw e;
        }
        plugins = List.copyOf(loaded);
        wantsPackets = plugins.stream().anyMatch(Loaded::packets);
    }

    /** Loads the declared plugins, or returns {@code null} when there are none. */
    static ClientPlugins load(List<PluginDeclaration> declarations, Supplier<String> clientId) {
        return declarations.isEmpty() ? null : new ClientPlugins(declarations, clientId);
    }

    /** Options given in code as a map, as a tree to bind. */
    static com.fasterxml.jackson.databind.node.ObjectNode tree(Map<String, ?> options) {
        return options == null ? MAPPER.createObjectNode() : MAPPER.valueToTree(options);
    }

    private Loaded load(PluginDeclaration d, OptionsBinder binder, Supplier<String> clientId) {
        Class<?> type = d.type();
        if (type == null) {
            try {
                type = Class.forName(d.className(), true, Thread.currentThread().getContextClassLoader() != null
                        ? Thread.currentThread().getContextClassLoader() : ClientPlugins.class.getClassLoader());
            } catch (ClassNotFoundException | LinkageError e) {
                throw d.error(null, "class not found on the class path");
            }
        }
        if (!ClientPlugin.class.isAssignableFrom(type)) {
            throw d.error(null, type.getName() + " is not a client plugin: it must extend " + ClientPlugin.class.getName());
        }
        Constructor<?> ctor;
        try {
            ctor = type.getConstructor(ClientContext.class);
        } catch (NoSuchMethodException e) {
            throw d.error(null, "needs a public constructor taking a ClientContext");
        }
        Class<?> configType = OptionsBinder.configType(type);
        Object config;
        try {
            config = binder.bind(configType, d.options(), Set.of());
        } catch (OptionsException e) {
            throw d.error(e.key(), e.problem());
        }
        String name = type.getName();
        Context context = new Context(name, type, configType, config, thread, metrics, clientId);
        ClientPlugin instance;
        try {
            instance = (ClientPlugin) ctor.newInstance(context);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            throw d.error(null, "the plugin failed to start: " + (cause.getMessage() == null ? cause.toString()
                    : cause.getMessage()));
        } catch (ReflectiveOperationException e) {
            throw d.error(null, "cannot create the plugin: " + e);
        }
        boolean packets = overrides(type, "onPacketSent") || overrides(type, "onPacketReceived");
        boolean connection = overrides(type, "onConnected") || overrides(type, "onDisconnected");
        log.debug("Loaded client plugin {}", name);
        return new Loaded(name, instance, packets, connection);
    }

    private static boolean overrides(Class<?> type, String method) {
        for (var m : type.getMethods()) {
            if (m.getName().equals(method) && m.getDeclaringClass() != ClientPlugin.class) {
                return true;
            }
        }
        return false;
    }

    /** True when some plugin wants packet events (so the client describes packets at all). */
    boolean wantsPackets() {
        return wantsPackets;
    }

    void connected(boolean sessionPresent) {
        submit(l -> l.connection, p -> p.onConnected(sessionPresent));
    }

    void disconnected(int reasonCode, String reason) {
        submit(l -> l.connection, p -> p.onDisconnected(reasonCode, reason));
    }

    void packetSent(MqttPacket packet) {
        PacketInfo info = info(packet);
        submit(l -> l.packets, p -> p.onPacketSent(info));
    }

    void packetReceived(MqttPacket packet) {
        PacketInfo info = info(packet);
        submit(l -> l.packets, p -> p.onPacketReceived(info));
    }

    private interface Event {
        void call(ClientPlugin plugin) throws Exception;
    }

    private void submit(java.util.function.Predicate<Loaded> wants, Event event) {
        if (waiting.incrementAndGet() > QUEUE_LIMIT) {
            waiting.decrementAndGet();
            if (dropped.getAndIncrement() % 10_000 == 0) {
                log.warn("Client plugin events are dropped: {} waiting (dropped so far: {})", QUEUE_LIMIT, dropped.get());
            }
            return;
        }
        try {
            thread.execute(() -> {
                waiting.decrementAndGet();
                for (Loaded l : plugins) {
                    if (wants.test(l)) {
                        try {
                            event.call(l.plugin);
                        } catch (Throwable t) {
                            log.warn("Client plugin {} failed: {}", l.name, t.toString(), t);
                        }
                    }
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            waiting.decrementAndGet(); // closed
        }
    }

    static PacketInfo info(MqttPacket packet) {
        int id = switch (packet) {
            case Publish p -> p.packetId();
            case PublishAcknowledgement a -> a.packetId();
            case Subscribe s -> s.packetId();
            case SubAck s -> s.packetId();
            case Unsubscribe u -> u.packetId();
            case UnsubAck u -> u.packetId();
            default -> 0;
        };
        return new PacketInfo(packet.type().name(), id, packet.toString());
    }

    /** The plugins' metrics by full name ({@code plugin.<class>.<metric>}), and the count of dropped events. */
    Map<String, Long> metrics() {
        Map<String, Long> out = metrics.snapshot();
        out.put("plugins.events.dropped", dropped.get());
        return out;
    }

    /**
     * Runs the plugins' {@code close} after their last event and stops their thread; the future completes when the
     * thread has ended.
     */
    java.util.concurrent.CompletableFuture<Void> close() {
        java.util.concurrent.CompletableFuture<Void> done = new java.util.concurrent.CompletableFuture<>();
        try {
            thread.execute(() -> {
                plugins.forEach(ClientPlugins::closeQuietly);
                done.complete(null);
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            done.complete(null);
        }
        thread.shutdown();
        return done;
    }

    private static void closeQuietly(Loaded l) {
        try {
            l.plugin.close();
        } catch (Throwable t) {
            log.warn("Client plugin {} failed to close: {}", l.name, t.toString(), t);
        }
    }

    /** What one plugin is given. */
    private static final class Context extends AbstractPluginContext implements ClientContext {
        private final Supplier<String> clientId;

        Context(String name, Class<?> type, Class<?> configType, Object config, ScheduledExecutorService scheduler,
                Metrics metrics, Supplier<String> clientId) {
            super(name, type, configType, config, scheduler, metrics);
            this.clientId = clientId;
        }

        @Override
        public String clientId() {
            return clientId.get();
        }
    }
}
