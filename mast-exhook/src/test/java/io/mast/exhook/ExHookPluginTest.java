package io.mast.exhook;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.mast.exhook.proto.v3.ClientAuthenticateRequest;
import io.mast.exhook.proto.v3.EmptySuccess;
import io.mast.exhook.proto.v3.HookProviderGrpc;
import io.mast.exhook.proto.v3.HookSpec;
import io.mast.exhook.proto.v3.LoadedResponse;
import io.mast.exhook.proto.v3.ProviderLoadedRequest;
import io.mast.exhook.proto.v3.ProviderUnloadedRequest;
import io.mast.exhook.proto.v3.ValuedResponse;
import io.mast.plugin.AuthDecision;
import io.mast.plugin.BrokerContext;
import io.mast.plugin.ConnectInfo;
import io.mast.plugin.Message;
import io.mast.plugin.PluginMetrics;
import io.mast.plugin.SessionInfo;
import io.mast.plugin.Subscription;
import io.mast.plugin.UserProperty;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The bridge alone, with a stand-in broker: enabling and disabling servers, and servers with several addresses. */
class ExHookPluginTest {

    /** A hook server that records the RPCs it receives and allows every login. */
    static final class Recorder extends HookProviderGrpc.HookProviderImplBase {
        final String name;
        final List<String> calls = new CopyOnWriteArrayList<>();
        Server server;

        Recorder(String name) {
            this.name = name;
        }

        Recorder start(int port) throws Exception {
            server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", port)).addService(this).build()
                    .start();
            return this;
        }

        String url() {
            return "http://127.0.0.1:" + server.getPort();
        }

        void stop() throws InterruptedException {
            server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }

        @Override
        public void onProviderLoaded(ProviderLoadedRequest r, StreamObserver<LoadedResponse> o) {
            calls.add("OnProviderLoaded");
            o.onNext(LoadedResponse.newBuilder().addHooks(HookSpec.newBuilder().setName("client.authenticate")).build());
            o.onCompleted();
        }

        @Override
        public void onProviderUnloaded(ProviderUnloadedRequest r, StreamObserver<EmptySuccess> o) {
            calls.add("OnProviderUnloaded");
            o.onNext(EmptySuccess.getDefaultInstance());
            o.onCompleted();
        }

        @Override
        public void onClientAuthenticate(ClientAuthenticateRequest r, StreamObserver<ValuedResponse> o) {
            calls.add("OnClientAuthenticate " + r.getClientinfo().getClientid());
            o.onNext(ValuedResponse.newBuilder().setType(ValuedResponse.ResponsedType.STOP_AND_RETURN)
                    .setBoolResult(true).build());
            o.onCompleted();
        }
    }

    /** The broker as the bridge sees it. */
    static final class Context implements BrokerContext {
        final Object config;
        final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        final Map<String, LongAdder> counters = new ConcurrentHashMap<>();
        final Map<String, LongSupplier> gauges = new ConcurrentHashMap<>();

        Context(Object config) {
            this.config = config;
        }

        @Override public String pluginName() { return ExHookPlugin.class.getName(); }
        @Override public Logger logger() { return LoggerFactory.getLogger(ExHookPlugin.class); }
        @Override public <T> T config(Class<T> type) { return type.cast(config); }
        @Override public ScheduledExecutorService scheduler() { return scheduler; }

        @Override
        public PluginMetrics metrics() {
            return new PluginMetrics() {
                @Override
                public Counter counter(String name) {
                    LongAdder a = counters.computeIfAbsent(name, k -> new LongAdder());
                    return new Counter() {
                        @Override public void increment() { a.increment(); }
                        @Override public void add(long delta) { a.add(delta); }
                        @Override public long count() { return a.sum(); }
                    };
                }

                @Override
                public void gauge(String name, LongSupplier value) {
                    gauges.put(name, value);
                }
            };
        }

        @Override public String brokerName() { return "mast@test"; }
        @Override public String brokerVersion() { return "0.0.0"; }
        @Override public long startedAt() { return System.currentTimeMillis(); }
        @Override public Map<String, Long> brokerMetrics() { return Map.of(); }
        @Override public CompletionStage<Integer> publish(Message message) { throw new UnsupportedOperationException(); }
        @Override public void setRetained(Message message) { throw new UnsupportedOperationException(); }
        @Override public boolean clearRetained(String topic) { throw new UnsupportedOperationException(); }
        @Override public Optional<Message> retained(String topic) { return Optional.empty(); }
        @Override public CompletionStage<Optional<SessionInfo>> session(String clientId) { throw new UnsupportedOperationException(); }
        @Override public Collection<String> sessionIds() { return List.of(); }
        @Override public CompletionStage<Void> subscribe(String clientId, Subscription s) { throw new UnsupportedOperationException(); }
        @Override public CompletionStage<Boolean> unsubscribe(String clientId, String filter) { throw new UnsupportedOperationException(); }
        @Override public CompletionStage<Boolean> disconnect(String clientId) { throw new UnsupportedOperationException(); }
        @Override public void adminResource(String name, io.mast.plugin.AdminResource resource) { }
    }

    /** A CONNECT from this machine, with the bridge as the only auth plugin: Mast's default allows it so far. */
    record Connect(String clientId) implements ConnectInfo {
        @Override public boolean authenticatedSoFar() { return true; }
        @Override public String username() { return null; }
        @Override public int protocolVersion() { return 5; }
        @Override public InetSocketAddress remoteAddress() { return new InetSocketAddress("127.0.0.1", 40000); }
        @Override public int localPort() { return 1883; }
        @Override public String listener() { return "tcp"; }
        @Override public int keepAlive() { return 60; }
        @Override public boolean cleanStart() { return true; }
        @Override public long connectedAt() { return 0; }
        @Override public byte[] password() { return null; }
        @Override public Message will() { return null; }
        @Override public long willDelayInterval() { return 0; }
        @Override public long sessionExpiryInterval() { return 0; }
        @Override public int receiveMaximum() { return 65535; }
        @Override public long maximumPacketSize() { return 0; }
        @Override public int topicAliasMaximum() { return 0; }
        @Override public List<UserProperty> userProperties() { return List.of(); }
        @Override public String authenticationMethod() { return null; }
        @Override public byte[] authenticationData() { return null; }
    }

    private final List<Recorder> servers = new ArrayList<>();
    private ExHookPlugin plugin;
    private Context context;

    @AfterEach
    void stop() throws Exception {
        if (plugin != null) {
            plugin.close();
        }
        if (context != null) {
            context.scheduler.shutdownNow();
        }
        for (Recorder r : servers) {
            r.stop();
        }
    }

    private Recorder server(String name) throws Exception {
        Recorder r = new Recorder(name).start(0);
        servers.add(r);
        return r;
    }

    private static ServerConfig config(String name, List<String> urls) {
        return new ServerConfig(name, true, null, urls, Duration.ofSeconds(2), null, "1s", 2, null, null, null, null,
                null, null, null, null, null, null);
    }

    private ExHookPlugin start(ServerConfig... configs) {
        context = new Context(new ExHookPlugin.Config(List.of(configs), null));
        plugin = new ExHookPlugin(context);
        plugin.onBrokerPreStart();
        return plugin;
    }

    private AuthDecision.Kind login(String clientId) {
        return plugin.authenticate(new Connect(clientId)).toCompletableFuture().join().kind();
    }

    @Test
    void disablingUnloadsTheServerAndEnablingLoadsItAgain() throws Exception {
        Recorder r = server("a");
        start(config("a", List.of(r.url())));
        assertThat(plugin.status("a")).contains(ServerStatus.CONNECTED);
        assertThat(context.gauges.get("exhook.a.status").getAsLong()).isEqualTo(2);
        assertThat(login("c1")).isEqualTo(AuthDecision.Kind.ALLOW);

        assertThat(plugin.disable("a")).isTrue();
        assertThat(r.calls).endsWith("OnProviderUnloaded");
        assertThat(plugin.status("a")).contains(ServerStatus.DISABLED);
        assertThat(context.gauges.get("exhook.a.status").getAsLong()).isEqualTo(3);
        int before = r.calls.size();
        assertThat(login("c2")).as("a disabled server takes no part: Mast's default").isEqualTo(AuthDecision.Kind.ALLOW);
        assertThat(r.calls).hasSize(before);

        plugin.enable("a").toCompletableFuture().get(5, TimeUnit.SECONDS);
        assertThat(plugin.status("a")).contains(ServerStatus.CONNECTED);
        assertThat(login("c3")).isEqualTo(AuthDecision.Kind.ALLOW);
        assertThat(r.calls).containsSubsequence("OnProviderLoaded", "OnProviderUnloaded", "OnProviderLoaded",
                "OnClientAuthenticate c3");
        assertThat(context.counters.get("exhook.a.client.authenticate.succeeded").sum()).isEqualTo(2);
        assertThat(plugin.status("nope")).isEmpty();
    }

    @Test
    void severalAddressesShareTheClientsAndOneClientStaysOnOne() throws Exception {
        Recorder one = server("one");
        Recorder two = server("two");
        start(config("multi", List.of(one.url(), two.url())));
        HookServer s = plugin.servers().get(0);
        List<String> clients = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            clients.add("client-" + i);
        }
        for (String c : clients) {
            assertThat(login(c)).isEqualTo(AuthDecision.Kind.ALLOW);
            assertThat(login(c)).isEqualTo(AuthDecision.Kind.ALLOW);
        }
        for (String c : clients) {
            Recorder at = s.calls.addressFor(c).toString().equals(one.url()) ? one : two;
            assertThat(at.calls.stream().filter(x -> x.equals("OnClientAuthenticate " + c)).count())
                    .as("both calls of %s on its address", c).isEqualTo(2);
        }
        assertThat(one.calls).anyMatch(x -> x.startsWith("OnClientAuthenticate"));
        assertThat(two.calls).anyMatch(x -> x.startsWith("OnClientAuthenticate"));

        // One address goes: its clients move to the other, the others stay where they were.
        String onTwo = clients.stream().filter(c -> s.calls.addressFor(c).toString().equals(two.url())).findFirst()
                .orElseThrow();
        String onOne = clients.stream().filter(c -> s.calls.addressFor(c).toString().equals(one.url())).findFirst()
                .orElseThrow();
        two.stop();
        assertThat(login(onTwo)).as("tried again at the address that is up").isEqualTo(AuthDecision.Kind.ALLOW);
        assertThat(one.calls).contains("OnClientAuthenticate " + onTwo);
        assertThat(s.calls.addressFor(onTwo).toString()).isEqualTo(one.url());
        assertThat(s.calls.addressFor(onOne).toString()).isEqualTo(one.url());
        assertThat(plugin.status("multi")).contains(ServerStatus.CONNECTED);
    }
}
