package io.mast.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.Message;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.mast.broker.MastBroker;
import io.mast.exhook.ExHookPlugin;
import io.mast.exhook.proto.v3.EmptySuccess;
import io.mast.exhook.proto.v3.HookProviderGrpc;
import io.mast.exhook.proto.v3.HookSpec;
import io.mast.exhook.proto.v3.LoadedResponse;
import io.mast.exhook.proto.v3.ValuedResponse;
import io.mast.testkit.MastBrokerExtension;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Predicate;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * What the ExHook integration tests ({@code ExHook*IT}) share: hook servers written with the generated grpc-java
 * stubs (v3 and v2) on 127.0.0.1 that record every call and answer as the test says, the broker config for them,
 * MQTT 5.0 clients, and the bridge's metrics.
 */
final class ExHookTesting {

    /** The bound of every wait in the ExHook tests. */
    static final Duration TIMEOUT = Duration.ofSeconds(5);

    /** Every hook a server can ask for. */
    static final List<String> ALL_HOOKS = List.of("client.connect", "client.connack", "client.connected",
            "client.disconnected", "client.authenticate", "client.authorize", "client.subscribe", "client.unsubscribe",
            "session.created", "session.subscribed", "session.unsubscribed", "session.resumed", "session.discarded",
            "session.takenover", "session.terminated", "message.publish", "message.delivered", "message.acked",
            "message.dropped");

    private ExHookTesting() {
    }

    // ---- Broker config ----

    /** One entry of {@code exhook.servers}: a name, a url and further options as key, value, key, value ... */
    static Map<String, Object> server(String name, String url, Object... options) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", name);
        m.put("url", url);
        for (int i = 0; i < options.length; i += 2) {
            m.put((String) options[i], options[i + 1]);
        }
        return m;
    }

    /** The {@code exhook} options for these servers. */
    static Map<String, Object> exhook(List<Map<String, Object>> servers) {
        return Map.of("servers", servers);
    }

    /** A broker extension with the bridge and these servers. */
    @SafeVarargs
    static MastBrokerExtension broker(Map<String, Object>... servers) {
        return MastBrokerExtension.create().plugin(ExHookPlugin.class, exhook(List.of(servers)));
    }

    /** A started broker with the bridge and these servers, for tests that need a broker of their own. */
    @SafeVarargs
    static MastBroker startBroker(Map<String, Object>... servers) {
        MastBroker b = MastBroker.builder().bind("127.0.0.1").port(0)
                .plugin(ExHookPlugin.class.getName(), exhook(List.of(servers))).build();
        b.start().join();
        return b;
    }

    /** A bridge metric: {@code exhook.<server>.<name>}, e.g. {@code message.publish.succeeded} or {@code status}. */
    static long metric(MastBroker broker, String server, String name) {
        return broker.metrics().value("plugin." + ExHookPlugin.class.getName() + ".exhook." + server + "." + name);
    }

    /** Waits until a server's status gauge says connected (2) or disconnected (0). */
    static void awaitStatus(MastBroker broker, String server, int status) {
        await().atMost(TIMEOUT.multipliedBy(2)).untilAsserted(() ->
                assertThat(metric(broker, server, "status")).as("status of %s", server).isEqualTo(status));
    }

    static final int DISCONNECTED = 0;
    static final int CONNECTED = 2;

    /** A port nothing listens on right now. */
    static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---- MQTT clients ----

    static Mqtt5BlockingClient connect(int port, String clientId) {
        Mqtt5BlockingClient c = client(port, clientId);
        c.connect();
        return c;
    }

    static Mqtt5BlockingClient client(int port, String clientId) {
        return Mqtt5Client.builder().identifier(clientId).serverHost("127.0.0.1").serverPort(port).buildBlocking();
    }

    static Mqtt5AsyncClient connectAsync(int port, String clientId) {
        Mqtt5AsyncClient c = Mqtt5Client.builder().identifier(clientId).serverHost("127.0.0.1").serverPort(port)
                .buildAsync();
        c.connect().orTimeout(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).join();
        return c;
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    // ---- Answers ----

    static ValuedResponse bool(ValuedResponse.ResponsedType type, boolean value) {
        return ValuedResponse.newBuilder().setType(type).setBoolResult(value).build();
    }

    static ValuedResponse ignore() {
        return ValuedResponse.newBuilder().setType(ValuedResponse.ResponsedType.IGNORE).build();
    }

    static ValuedResponse message(ValuedResponse.ResponsedType type, io.mast.exhook.proto.v3.Message m) {
        return ValuedResponse.newBuilder().setType(type).setMessage(m).build();
    }

    // ---- Recorded calls ----

    /** One call a hook server received: a unary call, or a request on Mast's stream ({@code streamed}). */
    record Call(long seq, String server, String method, Message request, boolean streamed) {
        /** The client the call is about (clientinfo, conninfo or the message's from). */
        String clientId() {
            for (var f : request.getAllFields().entrySet()) {
                String n = f.getKey().getName();
                if (n.equals("clientinfo") || n.equals("conninfo")) {
                    Message m = (Message) f.getValue();
                    return (String) m.getField(m.getDescriptorForType().findFieldByName("clientid"));
                }
            }
            return "";
        }
    }

    /** The calls of one or more servers, in the order they arrived. */
    static final class Calls {
        private static final AtomicLong SEQ = new AtomicLong();
        private final List<Call> calls = new CopyOnWriteArrayList<>();

        void add(String server, String method, Message request) {
            add(server, method, request, false);
        }

        void add(String server, String method, Message request, boolean streamed) {
            calls.add(new Call(SEQ.incrementAndGet(), server, method, request, streamed));
        }

        List<Call> all() {
            return List.copyOf(calls);
        }

        void clear() {
            calls.clear();
        }

        /** The requests of one RPC ({@code OnClientConnect} ...) that match. */
        <T extends Message> List<T> of(String method, Class<T> type, Predicate<T> match) {
            List<T> out = new ArrayList<>();
            for (Call c : calls) {
                if (c.method().equals(method) && type.isInstance(c.request()) && match.test(type.cast(c.request()))) {
                    out.add(type.cast(c.request()));
                }
            }
            return out;
        }

        /** Waits for a request of one RPC that matches, and returns the first. */
        <T extends Message> T await(String method, Class<T> type, Predicate<T> match) {
            org.awaitility.Awaitility.await().atMost(TIMEOUT).untilAsserted(() ->
                    assertThat(of(method, type, match)).as("a matching %s", method).isNotEmpty());
            return of(method, type, match).get(0);
        }

        /** The RPC names of the calls about one client, in order. */
        List<String> methodsFor(String server, String clientId) {
            return calls.stream().filter(c -> c.server().equals(server) && c.clientId().equals(clientId))
                    .map(Call::method).toList();
        }
    }

    // ---- Hook servers ----

    /**
     * What every test hook server shares: the gRPC server on 127.0.0.1 (restartable on the same port), the hooks it
     * lists in OnProviderLoaded, the answers by RPC name, and a gate that holds answers until the test opens it.
     */
    abstract static class TestServer implements AfterEachCallback, AfterAllCallback, AutoCloseable {
        final String name;
        final Calls calls;
        /** Answers by RPC name ({@code OnClientAuthenticate} ...); absent: EmptySuccess, or IGNORE for decisions. */
        final Map<String, Function<Message, Message>> answers = new ConcurrentHashMap<>();
        private volatile List<HookSpec> hooks;
        private volatile CountDownLatch gate = new CountDownLatch(0);
        private volatile String gatedMethod;
        private volatile Predicate<Message> gated = r -> true;
        private Server server;
        private int port;
        private io.grpc.ServerCredentials credentials;

        TestServer(String name, Calls calls, List<HookSpec> hooks) {
            this.name = name;
            this.calls = calls;
            this.hooks = hooks;
        }

        abstract io.grpc.BindableService service();

        /** Every service the server offers. */
        List<io.grpc.BindableService> services() {
            return List.of(service());
        }

        /** Starts on a free port, or on the port it had before a {@link #stop()}. */
        synchronized TestServer start() {
            try {
                InetSocketAddress at = new InetSocketAddress("127.0.0.1", port);
                NettyServerBuilder b = credentials == null ? NettyServerBuilder.forAddress(at)
                        : NettyServerBuilder.forAddress(at, credentials);
                services().forEach(b::addService);
                server = b.build().start();
            } catch (IOException e) {
                throw new IllegalStateException("cannot start hook server " + name, e);
            }
            port = server.getPort();
            return this;
        }

        /** Starts on a given port (one a broker was told about before anything listened there). */
        synchronized TestServer startOn(int fixedPort) {
            port = fixedPort;
            return start();
        }

        /** Kills the server: open calls fail, connections close. */
        synchronized void stop() {
            if (server != null) {
                gate.countDown();
                server.shutdownNow();
                try {
                    server.awaitTermination(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                server = null;
            }
        }

        /** Serves over TLS with these credentials (from the next start). */
        TestServer tls(io.grpc.ServerCredentials c) {
            credentials = c;
            return this;
        }

        String url() {
            return (credentials == null ? "http" : "https") + "://127.0.0.1:" + port;
        }

        /** The HookSpecs of the next OnProviderLoaded answer. */
        void hooks(List<HookSpec> specs) {
            this.hooks = specs;
        }

        List<HookSpec> hooks() {
            return hooks;
        }

        /** Holds the answers of one RPC until {@link #release()}. */
        void hold(String method) {
            hold(method, r -> true);
        }

        /** Holds the answers of the requests of one RPC that match until {@link #release()}. */
        void hold(String method, Predicate<Message> which) {
            gated = which;
            gatedMethod = method;
            gate = new CountDownLatch(1);
        }

        void release() {
            gate.countDown();
        }

        /** Records a call, waits at the gate when held, and answers. */
        @SuppressWarnings("unchecked")
        <R extends Message> void handle(String method, Message request, StreamObserver<R> out, Message fallback) {
            calls.add(name, method, request);
            try {
                out.onNext((R) answer(method, request, fallback));
                out.onCompleted();
            } catch (io.grpc.StatusRuntimeException e) {
                out.onError(e);
            }
        }

        /**
         * Waits at the gate when held, and gives the answer to a call ({@code fallback} when the test set none); a
         * failure as a StatusRuntimeException.
         */
        Message answer(String method, Message request, Message fallback) {
            if (method.equals(gatedMethod) && gated.test(request)) {
                try {
                    gate.await(TIMEOUT.toMillis() * 3, TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            Function<Message, Message> answer = answers.get(method);
            try {
                return answer == null ? fallback : answer.apply(request);
            } catch (io.grpc.StatusRuntimeException e) {
                throw e;
            } catch (RuntimeException e) {
                throw Status.INTERNAL.withDescription(e.toString()).asRuntimeException();
            }
        }

        @Override
        public void afterEach(ExtensionContext context) {
            answers.clear();
            release();
            gatedMethod = null;
            gated = r -> true;
        }

        @Override
        public void afterAll(ExtensionContext context) {
            close();
        }

        @Override
        public void close() {
            stop();
        }
    }

    static List<HookSpec> specs(List<String> names) {
        return names.stream().map(n -> HookSpec.newBuilder().setName(n).build()).toList();
    }

    static HookSpec spec(String name, String... topics) {
        return HookSpec.newBuilder().setName(name).addAllTopics(List.of(topics)).build();
    }

    /** An {@code emqx.exhook.v3} server on the generated HookProviderImplBase. */
    static class V3Server extends TestServer {
        V3Server(String name, Calls calls, List<HookSpec> hooks) {
            super(name, calls, hooks);
        }

        @Override
        io.grpc.BindableService service() {
            return new Service();
        }

        /** The answer to OnProviderLoaded. */
        LoadedResponse loaded() {
            return LoadedResponse.newBuilder().addAllHooks(hooks()).build();
        }

        static final EmptySuccess OK = EmptySuccess.getDefaultInstance();
        static final ValuedResponse IGNORE = ignore();

        private final class Service extends HookProviderGrpc.HookProviderImplBase {
            @Override
            public void onProviderLoaded(io.mast.exhook.proto.v3.ProviderLoadedRequest r, StreamObserver<LoadedResponse> o) {
                handle("OnProviderLoaded", r, o, loaded());
            }

            @Override
            public void onProviderUnloaded(io.mast.exhook.proto.v3.ProviderUnloadedRequest r, StreamObserver<EmptySuccess> o) {
                handle("OnProviderUnloaded", r, o, OK);
            }

            @Override
            public void onClientConnect(io.mast.exhook.proto.v3.ClientConnectRequest r, StreamObserver<EmptySuccess> o) {
                handle("OnClientConnect", r, o, OK);
            }

            @Override
            public void onClientConnack(io.mast.exhook.proto.v3.ClientConnackRequest r, StreamObserver<EmptySuccess> o) {
                handle("OnClientConnack", r, o, OK);
            }

            @Override
            public void onClientConnected(io.mast.exhook.proto.v3.ClientConnectedRequest r, StreamObserver<EmptySuccess> o) {
                handle("OnClientConnected", r, o, OK);
            }

            @Override
            public void onClientDisconnected(io.mast.exhook.proto.v3.ClientDisconnectedRequest r,
                                             StreamObserver<EmptySuccess> o) {
                handle("OnClientDisconnected", r, o, OK);
            }

            @Override
            public void onClientAuthenticate(io.mast.exhook.proto.v3.ClientAuthenticateRequest r,
                                             StreamObserver<ValuedResponse> o) {
                handle("OnClientAuthenticate", r, o, IGNORE);
            }

            @Override
            public void onClientAuthorize(io.mast.exhook.proto.v3.ClientAuthorizeRequest r, StreamObserver<ValuedResponse> o) {
                handle("OnClientAuthorize", r, o, IGNORE);
            }

            @Override
            public void onClientSubscribe(io.mast.exhook.proto.v3.ClientSubscribeRequest r, StreamObserver<EmptySuccess> o) {
                handle("OnClientSubscribe", r, o, OK);
            }

            @Override
            public void onClientUnsubscribe(io.mast.exhook.proto.v3.ClientUnsubscribeRequest r,
                                            StreamObserver<EmptySuccess> o) {
                handle("OnClientUnsubscribe", r, o, OK);
            }

            @Override
            public void onSessionCreated(io.mast.exhook.proto.v3.SessionCreatedRequest r, StreamObserver<EmptySuccess> o) {
                handle("OnSessionCreated", r, o, OK);
            }

            @Override
            public void onSessionSubscribed(io.mast.exhook.proto.v3.SessionSubscribedRequest r,
                                            StreamObserver<EmptySuccess> o) {
                handle("OnSessionSubscribed", r, o, OK);
            }

            @Override
            public void onSessionUnsubscribed(io.mast.exhook.proto.v3.SessionUnsubscribedRequest r,
                                              StreamObserver<EmptySuccess> o) {
                handle("OnSessionUnsubscribed", r, o, OK);
            }

            @Override
            public void onSessionResumed(io.mast.exhook.proto.v3.SessionResumedRequest r, StreamObserver<EmptySuccess> o) {
                handle("OnSessionResumed", r, o, OK);
            }

            @Override
            public void onSessionDiscarded(io.mast.exhook.proto.v3.SessionDiscardedRequest r, StreamObserver<EmptySuccess> o) {
                handle("OnSessionDiscarded", r, o, OK);
            }

            @Override
            public void onSessionTakenover(io.mast.exhook.proto.v3.SessionTakenoverRequest r, StreamObserver<EmptySuccess> o) {
                handle("OnSessionTakenover", r, o, OK);
            }

            @Override
            public void onSessionTerminated(io.mast.exhook.proto.v3.SessionTerminatedRequest r,
                                            StreamObserver<EmptySuccess> o) {
                handle("OnSessionTerminated", r, o, OK);
            }

            @Override
            public void onMessagePublish(io.mast.exhook.proto.v3.MessagePublishRequest r, StreamObserver<ValuedResponse> o) {
                handle("OnMessagePublish", r, o, IGNORE);
            }

            @Override
            public void onMessageDelivered(io.mast.exhook.proto.v3.MessageDeliveredRequest r, StreamObserver<EmptySuccess> o) {
                handle("OnMessageDelivered", r, o, OK);
            }

            @Override
            public void onMessageDropped(io.mast.exhook.proto.v3.MessageDroppedRequest r, StreamObserver<EmptySuccess> o) {
                handle("OnMessageDropped", r, o, OK);
            }

            @Override
            public void onMessageAcked(io.mast.exhook.proto.v3.MessageAckedRequest r, StreamObserver<EmptySuccess> o) {
                handle("OnMessageAcked", r, o, OK);
            }
        }
    }

    /** An {@code emqx.exhook.v2} server (EMQX 5.0 to 5.8) on the generated v2 HookProviderImplBase. */
    static final class V2Server extends TestServer {
        V2Server(String name, Calls calls, List<HookSpec> hooks) {
            super(name, calls, hooks);
        }

        @Override
        io.grpc.BindableService service() {
            return new Service();
        }

        private static final io.mast.exhook.proto.v2.EmptySuccess OK =
                io.mast.exhook.proto.v2.EmptySuccess.getDefaultInstance();
        private static final io.mast.exhook.proto.v2.ValuedResponse IGNORE = io.mast.exhook.proto.v2.ValuedResponse
                .newBuilder().setType(io.mast.exhook.proto.v2.ValuedResponse.ResponsedType.IGNORE).build();

        private io.mast.exhook.proto.v2.LoadedResponse loaded() {
            var b = io.mast.exhook.proto.v2.LoadedResponse.newBuilder();
            for (HookSpec h : hooks()) {
                b.addHooks(io.mast.exhook.proto.v2.HookSpec.newBuilder().setName(h.getName())
                        .addAllTopics(h.getTopicsList()));
            }
            return b.build();
        }

        private final class Service extends io.mast.exhook.proto.v2.HookProviderGrpc.HookProviderImplBase {
            @Override
            public void onProviderLoaded(io.mast.exhook.proto.v2.ProviderLoadedRequest r,
                                         StreamObserver<io.mast.exhook.proto.v2.LoadedResponse> o) {
                handle("OnProviderLoaded", r, o, loaded());
            }

            @Override
            public void onProviderUnloaded(io.mast.exhook.proto.v2.ProviderUnloadedRequest r,
                                           StreamObserver<io.mast.exhook.proto.v2.EmptySuccess> o) {
                handle("OnProviderUnloaded", r, o, OK);
            }

            @Override
            public void onClientConnect(io.mast.exhook.proto.v2.ClientConnectRequest r,
                                        StreamObserver<io.mast.exhook.proto.v2.EmptySuccess> o) {
                handle("OnClientConnect", r, o, OK);
            }

            @Override
            public void onClientConnack(io.mast.exhook.proto.v2.ClientConnackRequest r,
                                        StreamObserver<io.mast.exhook.proto.v2.EmptySuccess> o) {
                handle("OnClientConnack", r, o, OK);
            }

            @Override
            public void onClientConnected(io.mast.exhook.proto.v2.ClientConnectedRequest r,
                                          StreamObserver<io.mast.exhook.proto.v2.EmptySuccess> o) {
                handle("OnClientConnected", r, o, OK);
            }

            @Override
            public void onClientDisconnected(io.mast.exhook.proto.v2.ClientDisconnectedRequest r,
                                             StreamObserver<io.mast.exhook.proto.v2.EmptySuccess> o) {
                handle("OnClientDisconnected", r, o, OK);
            }

            @Override
            public void onClientAuthenticate(io.mast.exhook.proto.v2.ClientAuthenticateRequest r,
                                             StreamObserver<io.mast.exhook.proto.v2.ValuedResponse> o) {
                handle("OnClientAuthenticate", r, o, IGNORE);
            }

            @Override
            public void onClientAuthorize(io.mast.exhook.proto.v2.ClientAuthorizeRequest r,
                                          StreamObserver<io.mast.exhook.proto.v2.ValuedResponse> o) {
                handle("OnClientAuthorize", r, o, IGNORE);
            }

            @Override
            public void onClientSubscribe(io.mast.exhook.proto.v2.ClientSubscribeRequest r,
                                          StreamObserver<io.mast.exhook.proto.v2.EmptySuccess> o) {
                handle("OnClientSubscribe", r, o, OK);
            }

            @Override
            public void onClientUnsubscribe(io.mast.exhook.proto.v2.ClientUnsubscribeRequest r,
                                            StreamObserver<io.mast.exhook.proto.v2.EmptySuccess> o) {
                handle("OnClientUnsubscribe", r, o, OK);
            }

            @Override
            public void onSessionCreated(io.mast.exhook.proto.v2.SessionCreatedRequest r,
                                         StreamObserver<io.mast.exhook.proto.v2.EmptySuccess> o) {
                handle("OnSessionCreated", r, o, OK);
            }

            @Override
            public void onSessionSubscribed(io.mast.exhook.proto.v2.SessionSubscribedRequest r,
                                            StreamObserver<io.mast.exhook.proto.v2.EmptySuccess> o) {
                handle("OnSessionSubscribed", r, o, OK);
            }

            @Override
            public void onSessionUnsubscribed(io.mast.exhook.proto.v2.SessionUnsubscribedRequest r,
                                              StreamObserver<io.mast.exhook.proto.v2.EmptySuccess> o) {
                handle("OnSessionUnsubscribed", r, o, OK);
            }

            @Override
            public void onSessionResumed(io.mast.exhook.proto.v2.SessionResumedRequest r,
                                         StreamObserver<io.mast.exhook.proto.v2.EmptySuccess> o) {
                handle("OnSessionResumed", r, o, OK);
            }

            @Override
            public void onSessionDiscarded(io.mast.exhook.proto.v2.SessionDiscardedRequest r,
                                           StreamObserver<io.mast.exhook.proto.v2.EmptySuccess> o) {
                handle("OnSessionDiscarded", r, o, OK);
            }

            @Override
            public void onSessionTakenover(io.mast.exhook.proto.v2.SessionTakenoverRequest r,
                                           StreamObserver<io.mast.exhook.proto.v2.EmptySuccess> o) {
                handle("OnSessionTakenover", r, o, OK);
            }

            @Override
            public void onSessionTerminated(io.mast.exhook.proto.v2.SessionTerminatedRequest r,
                                            StreamObserver<io.mast.exhook.proto.v2.EmptySuccess> o) {
                handle("OnSessionTerminated", r, o, OK);
            }

            @Override
            public void onMessagePublish(io.mast.exhook.proto.v2.MessagePublishRequest r,
                                         StreamObserver<io.mast.exhook.proto.v2.ValuedResponse> o) {
                handle("OnMessagePublish", r, o, IGNORE);
            }

            @Override
            public void onMessageDelivered(io.mast.exhook.proto.v2.MessageDeliveredRequest r,
                                           StreamObserver<io.mast.exhook.proto.v2.EmptySuccess> o) {
                handle("OnMessageDelivered", r, o, OK);
            }

            @Override
            public void onMessageDropped(io.mast.exhook.proto.v2.MessageDroppedRequest r,
                                         StreamObserver<io.mast.exhook.proto.v2.EmptySuccess> o) {
                handle("OnMessageDropped", r, o, OK);
            }

            @Override
            public void onMessageAcked(io.mast.exhook.proto.v2.MessageAckedRequest r,
                                       StreamObserver<io.mast.exhook.proto.v2.EmptySuccess> o) {
                handle("OnMessageAcked", r, o, OK);
            }
        }
    }
}
