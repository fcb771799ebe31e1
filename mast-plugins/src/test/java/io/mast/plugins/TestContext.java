package io.mast.plugins;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mast.plugin.BrokerContext;
import io.mast.plugin.ClientInfo;
import io.mast.plugin.ConnectInfo;
import io.mast.plugin.Message;
import io.mast.plugin.SessionInfo;
import io.mast.plugin.Subscription;
import io.mast.plugin.UserProperty;
import io.mast.plugin.support.AbstractPluginContext;
import io.mast.plugin.support.Metrics;
import io.mast.plugin.support.OptionsBinder;
import io.mast.plugin.support.StrictMapper;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

/**
 * A broker context for unit tests of the built-in plugins, without a broker: the config is given, published messages
 * are recorded, metrics come from a map the test fills. Close it to stop its scheduler.
 */
final class TestContext extends AbstractPluginContext implements BrokerContext, AutoCloseable {

    final List<Message> published = new CopyOnWriteArrayList<>();
    final Map<String, Long> metrics = new ConcurrentHashMap<>();
    final long startedAt = System.currentTimeMillis();

    private TestContext(Class<?> pluginClass, Class<?> configType, Object config) {
        super(pluginClass.getName(), pluginClass, configType, config, Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("test-plugin-scheduler").factory()), new Metrics());
    }

    /**
     * A context for a plugin whose options are bound from this mapping as the broker binds them (snake case keys,
     * defaults from {@code @Default}, strict types).
     */
    static TestContext of(Class<?> pluginClass, Map<String, ?> options) {
        ObjectMapper mapper = StrictMapper.create();
        ObjectNode node = mapper.valueToTree(options);
        Class<?> configType = OptionsBinder.configType(pluginClass);
        Object config = new OptionsBinder(mapper).bind(configType, node,
                Set.of("decision_timeout", "failed_action", "event_queue_size"));
        return new TestContext(pluginClass, configType, config);
    }

    @Override
    public String brokerName() {
        return "test";
    }

    @Override
    public String brokerVersion() {
        return "9.9.9-test";
    }

    @Override
    public long startedAt() {
        return startedAt;
    }

    @Override
    public Map<String, Long> brokerMetrics() {
        return Map.copyOf(metrics);
    }

    @Override
    public CompletionStage<Integer> publish(Message message) {
        published.add(message);
        return CompletableFuture.completedFuture(0);
    }

    @Override
    public void setRetained(Message message) {
        throw new UnsupportedOperationException();
    }

    @Override
    public boolean clearRetained(String topic) {
        throw new UnsupportedOperationException();
    }

    @Override
    public Optional<Message> retained(String topic) {
        return Optional.empty();
    }

    @Override
    public CompletionStage<Optional<SessionInfo>> session(String clientId) {
        return CompletableFuture.completedFuture(Optional.empty());
    }

    @Override
    public Collection<String> sessionIds() {
        return List.of();
    }

    @Override
    public CompletionStage<Void> subscribe(String clientId, Subscription subscription) {
        throw new UnsupportedOperationException();
    }

    @Override
    public CompletionStage<Boolean> unsubscribe(String clientId, String topicFilter) {
        throw new UnsupportedOperationException();
    }

    @Override
    public CompletionStage<Boolean> disconnect(String clientId) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void adminResource(String name, io.mast.plugin.AdminResource resource) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void close() {
        scheduler().shutdownNow();
    }

    /** A client with this user name ({@code null}: anonymous) and client id. */
    static ClientInfo client(String username, String clientId) {
        return connect(username, null, clientId);
    }

    /** A CONNECT with this user name and password ({@code null}: none). */
    static ConnectInfo connect(String username, String password, String clientId) {
        byte[] pw = password == null ? null : password.getBytes(StandardCharsets.UTF_8);
        return new ConnectInfo() {
            @Override
            public String clientId() {
                return clientId;
            }

            @Override
            public String username() {
                return username;
            }

            @Override
            public int protocolVersion() {
                return 5;
            }

            @Override
            public InetSocketAddress remoteAddress() {
                return new InetSocketAddress("127.0.0.1", 50000);
            }

            @Override
            public int localPort() {
                return 1883;
            }

            @Override
            public String listener() {
                return "tcp";
            }

            @Override
            public int keepAlive() {
                return 60;
            }

            @Override
            public boolean cleanStart() {
                return true;
            }

            @Override
            public long connectedAt() {
                return 0;
            }

            @Override
            public byte[] password() {
                return pw == null ? null : pw.clone();
            }

            @Override
            public Message will() {
                return null;
            }

            @Override
            public long willDelayInterval() {
                return 0;
            }

            @Override
            public long sessionExpiryInterval() {
                return 0;
            }

            @Override
            public int receiveMaximum() {
                return 65535;
            }

            @Override
            public long maximumPacketSize() {
                return 0;
            }

            @Override
            public int topicAliasMaximum() {
                return 0;
            }

            @Override
            public List<UserProperty> userProperties() {
                return List.of();
            }

            @Override
            public String authenticationMethod() {
                return null;
            }

            @Override
            public byte[] authenticationData() {
                return null;
            }
        };
    }
}
