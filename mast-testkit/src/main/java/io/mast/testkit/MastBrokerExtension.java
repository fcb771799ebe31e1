package io.mast.testkit;

import io.mast.broker.MastBroker;
import io.mast.broker.config.BrokerConfig;
import io.mast.broker.policy.Policy;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Runs an embedded broker on 127.0.0.1 and a free port for a test class (registered on a static field) or for each
 * test (on an instance field), and fails the class when Netty reported a buffer leak.
 * <pre>{@code
 * @RegisterExtension
 * static final MastBrokerExtension broker = MastBrokerExtension.create();
 * ... new MqttClient(broker.uri(), "c1") ...
 * }</pre>
 */
public final class MastBrokerExtension implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback,
        AfterEachCallback {

    private final UnaryOperator<BrokerConfig> configure;
    private final java.util.List<java.util.Map.Entry<String, java.util.function.Supplier<java.util.Map<String, ?>>>>
            plugins = new java.util.ArrayList<>();
    private Policy policy;
    private MastBroker broker;
    private boolean perTest;

    private MastBrokerExtension(UnaryOperator<BrokerConfig> configure) {
        this.configure = configure;
    }

    /** A broker with the default config. */
    public static MastBrokerExtension create() {
        return new MastBrokerExtension(UnaryOperator.identity());
    }

    /**
     * A broker whose config the function adjusts. Every listener is then moved to 127.0.0.1 and a free port
     * ({@link #port(int)} tells which).
     */
    public static MastBrokerExtension withConfig(UnaryOperator<BrokerConfig> configure) {
        return new MastBrokerExtension(configure);
    }

    /** Loads a plugin, with options as the config file would give them (keys in snake case). */
    public MastBrokerExtension plugin(Class<?> type, java.util.Map<String, ?> options) {
        return plugin(type, () -> options);
    }

    /**
     * Loads a plugin with options made when the broker starts: options that another extension, registered before
     * this one, makes in its own {@code beforeAll} (a database's URL).
     */
    public MastBrokerExtension plugin(Class<?> type, java.util.function.Supplier<java.util.Map<String, ?>> options) {
        plugins.add(java.util.Map.entry(type.getName(), options));
        return this;
    }

    /** Loads a plugin with its default options. */
    public MastBrokerExtension plugin(Class<?> type) {
        return plugin(type, java.util.Map.of());
    }

    /** Uses a policy instead of the default one. */
    public MastBrokerExtension policy(Policy p) {
        this.policy = p;
        return this;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        start();
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        if (broker == null) {
            perTest = true;
            start();
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (perTest) {
            stop();
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        stop();
        NettyLeaks.assertNone();
    }

    private void start() {
        BrokerConfig c = configure.apply(BrokerConfig.defaults());
        c = c.withListeners(c.listeners().stream().map(l -> l.withAddress("127.0.0.1", 0)).toList());
        MastBroker.Builder b = MastBroker.builder().config(c).policy(policy);
        plugins.forEach(p -> b.plugin(p.getKey(), p.getValue().get()));
        broker = b.build();
        broker.start().join();
    }

    /** Stops the broker (a test may stop it early to check shutdown). */
    public void stop() {
        if (broker != null) {
            broker.close();
            broker = null;
        }
    }

    /** Restarts the broker on a new port (memory state is lost). */
    public void restart() {
        stop();
        start();
    }

    public MastBroker broker() {
        return broker;
    }

    /** The port of the first listener. */
    public int port() {
        return broker.port();
    }

    /** The port of a listener, by its index in the config. */
    public int port(int listener) {
        return broker.addresses().get(listener).getPort();
    }

    /** {@code tcp://127.0.0.1:port}, as Paho wants it. */
    public String uri() {
        return "tcp://127.0.0.1:" + port();
    }
}
