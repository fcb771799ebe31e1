package io.mast.exhook;

import com.google.protobuf.Message;
import io.mast.exhook.proto.v3.BrokerInfo;
import io.mast.exhook.proto.v3.ClientAuthenticateRequest;
import io.mast.exhook.proto.v3.ClientAuthorizeRequest;
import io.mast.exhook.proto.v3.ClientConnackRequest;
import io.mast.exhook.proto.v3.ClientConnectRequest;
import io.mast.exhook.proto.v3.ClientConnectedRequest;
import io.mast.exhook.proto.v3.ClientDisconnectedRequest;
import io.mast.exhook.proto.v3.ClientSubscribeRequest;
import io.mast.exhook.proto.v3.ClientUnsubscribeRequest;
import io.mast.exhook.proto.v3.MessageAckedRequest;
import io.mast.exhook.proto.v3.MessageDeliveredRequest;
import io.mast.exhook.proto.v3.MessageDroppedRequest;
import io.mast.exhook.proto.v3.MessagePublishRequest;
import io.mast.exhook.proto.v3.SessionCreatedRequest;
import io.mast.exhook.proto.v3.SessionDiscardedRequest;
import io.mast.exhook.proto.v3.SessionResumedRequest;
import io.mast.exhook.proto.v3.SessionSubscribedRequest;
import io.mast.exhook.proto.v3.SessionTakenoverRequest;
import io.mast.exhook.proto.v3.SessionTerminatedRequest;
import io.mast.exhook.proto.v3.SessionUnsubscribedRequest;
import io.mast.exhook.proto.v3.SubOpts;
import io.mast.exhook.proto.v3.ValuedResponse;
import io.mast.plugin.AsyncAuthPlugin;
import io.mast.plugin.AsyncPublishPlugin;
import io.mast.plugin.AsyncTopicPlugin;
import io.mast.plugin.AuthDecision;
import io.mast.plugin.BrokerContext;
import io.mast.plugin.BrokerPlugin;
import io.mast.plugin.ClientInfo;
import io.mast.plugin.ConnectInfo;
import io.mast.plugin.Decision;
import io.mast.plugin.DecisionTimeout;
import io.mast.plugin.DisconnectInfo;
import io.mast.plugin.DropReason;
import io.mast.plugin.NonBlocking;
import io.mast.plugin.PublishDecision;
import io.mast.plugin.Reason;
import io.mast.plugin.SessionInfo;
import io.mast.plugin.Subscription;
import io.mast.plugin.TopicAction;
import io.mast.plugin.TopicFilters;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The ExHook bridge: calls hook servers written for EMQX's ExHook (gRPC, {@code emqx.exhook.v3} or {@code v2}) at
 * Mast's hook points, and folds their answers into Mast's decisions. Configured by the {@code exhook:} section of the
 * broker's config (see {@code docs/exhook.md}):
 * <pre>{@code
 * exhook:
 *   servers:
 *     - name: hooks
 *       url: http://127.0.0.1:9000
 *       failed_action: deny
 * }</pre>
 *
 * <p>Notifications (client.connect, session.created, message.delivered ...) are sent without waiting, concurrently
 * across clients; decisions (client.authenticate, client.authorize, message.publish) are awaited without a thread
 * (the client's packets wait, the PUBACK after message.publish too). Calls about one client reach each server in the
 * order the broker raised them. Servers are asked in config order.
 *
 * <p>The bridge never blocks a network thread: its event methods only queue calls, so the plugin runtime calls them
 * directly ({@link NonBlocking}), which also keeps them in order with the decisions of the same client.
 */
@DecisionTimeout("1h")
public final class ExHookPlugin extends BrokerPlugin implements AsyncAuthPlugin, AsyncTopicPlugin, AsyncPublishPlugin {

    /**
     * The {@code exhook:} section.
     *
     * @param servers the hook servers, asked in this order
     * @param drivers EMQX 4.x's drivers: its Python or Java hook code, run as servers after {@code servers}
     */
    public record Config(List<ServerConfig> servers, DriverConfig.Drivers drivers) {
        public Config {
            servers = servers == null ? List.of() : List.copyOf(servers);
            Set<String> names = new HashSet<>();
            for (ServerConfig s : servers) {
                if (!names.add(s.name())) {
                    throw new IllegalArgumentException("servers: the name " + s.name() + " is used twice");
                }
            }
            drivers = DriverConfig.Drivers.orNone(drivers).checkNames(names);
        }
    }

    private static final DateTimeFormatter DATETIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
    private static final Duration DRAIN = Duration.ofSeconds(2);

    private final ServerOrder order;
    private final Requests requests;
    private final ScheduledExecutorService scheduler;
    private final DriverLauncher drivers;
    /** Connected clients by identifier: their user name and address go into the headers of their messages. */
    private final Map<String, ClientInfo> clients = new ConcurrentHashMap<>();
    /** The reason of each client's last disconnection, for session.terminated after it. */
    private final Map<String, String> lastDisconnect = new ConcurrentHashMap<>();
    private volatile Thread exitHook;
    private final java.util.concurrent.CountDownLatch closeDone = new java.util.concurrent.CountDownLatch(1);
    private volatile boolean closed;

    public ExHookPlugin(BrokerContext context) {
        super(context);
        Config config = config(Config.class);
        this.requests = new Requests(context.brokerName(), context.brokerVersion());
        this.drivers = new DriverLauncher(config.drivers());
        this.scheduler = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("exhook-scheduler").daemon().factory());
        List<HookServer> list = new ArrayList<>();
        try {
            for (ServerConfig s : drivers.after(config.servers())) {
                list.add(new HookServer(s, requests, this::brokerInfo, scheduler, context.metrics()));
            }
        } catch (RuntimeException e) {
            list.forEach(HookServer::close);
            drivers.close();
            scheduler.shutdownNow();
            throw e;
        }
        this.order = new ServerOrder(list);
        if (list.isEmpty()) {
            log().warn("ExHook: no servers are configured (exhook.servers is empty)");
        }
        context.adminResource("exhooks", new ExHookAdmin(this));
        context.readinessCheck("servers", order::denyingServersReady);
    }

    private BrokerInfo brokerInfo() {
        BrokerContext c = context();
        return BrokerInfo.newBuilder().setVersion(c.brokerVersion()).setSysdescr("Mast")
                .setUptime(Math.max(0, System.currentTimeMillis() - c.startedAt()))
                .setDatetime(LocalDateTime.now().format(DATETIME)).build();
    }

    // ---- Lifecycle ----

    /**
     * Starts the servers (their processes first, with {@code command}) and waits until each was loaded once or
     * failed, so that the first clients meet servers in a known state.
     */
    @Override
    public void onBrokerPreStart() {
        if (servers().stream().anyMatch(s -> s.config.command() != null)) {
            // A JVM that exits without closing the broker would leave the processes running. When the broker does
            // close on exit (mast broker's own shutdown hook, which runs concurrently), its close unloads and stops
            // them first; this only kills what is left after that.
            Thread hook = new Thread(() -> {
                try {
                    closeDone.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                servers().forEach(HookServer::kill);
            }, "exhook-exit");
            Runtime.getRuntime().addShutdownHook(hook);
            exitHook = hook;
        }
        List<CompletableFuture<Void>> starts = new ArrayList<>();
        long waitMillis = 0;
        for (HookServer s : servers()) {
            starts.add(s.start());
            Duration bound = s.config.command() != null ? s.config.startTimeout() : s.config.requestTimeout();
            waitMillis = Math.max(waitMillis, bound.toMillis() + 1000);
        }
        try {
            CompletableFuture.allOf(starts.toArray(CompletableFuture[]::new)).get(waitMillis, TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            log().warn("ExHook: not every server was loaded at startup; the others follow their failed_action");
        }
    }

    /** Lets queued calls finish (at most 2 s), unloads every server (OnProviderUnloaded) and stops their processes. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        List<Thread> drains = new ArrayList<>();
        for (HookServer s : servers()) {
            drains.add(Thread.ofVirtual().start(() -> s.calls.drain(DRAIN)));
        }
        for (Thread t : drains) {
            try {
                t.join(DRAIN.toMillis() + 500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        List<Thread> closes = new ArrayList<>();
        for (HookServer s : servers()) {
            closes.add(Thread.ofVirtual().start(s::close));
        }
        for (Thread t : closes) {
            try {
                t.join(15_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        scheduler.shutdownNow();
        drivers.close();
        closeDone.countDown();
        Thread hook = exitHook;
        if (hook != null) {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // the JVM is exiting: the hook runs anyway, and finds nothing left to kill
            }
        }
    }

    // ---- Management ----

    /** The configured servers' names, in order. */
    public List<String> serverNames() {
        return order.names();
    }

    /** A server's status, or empty for an unknown name. */
    public Optional<ServerStatus> status(String server) {
        return find(server).map(HookServer::status);
    }

    /**
     * Stops calling a server: it is sent OnProviderUnloaded, its process (with {@code command}) is stopped, and its
     * decisions no longer count. Returns false for an unknown name.
     */
    public boolean disable(String server) {
        Optional<HookServer> s = find(server);
        s.ifPresent(HookServer::disable);
        return s.isPresent();
    }

    /** Calls a disabled server again, as at startup; completes when it was loaded once (or failed). */
    public CompletionStage<Boolean> enable(String server) {
        Optional<HookServer> s = find(server);
        return s.isEmpty() ? CompletableFuture.completedFuture(false) : s.get().enable().thenApply(x -> true);
    }

    /**
     * Moves a server in the call order, as EMQX's {@code POST /exhooks/{name}/move}: {@code position} is
     * {@code front}, {@code rear}, {@code before:<name>} or {@code after:<name>}. Calls raised afterwards follow the
     * new order. Returns the new order.
     *
     * @throws IllegalArgumentException for an unknown server or a malformed position
     */
    public List<String> move(String server, String position) {
        List<String> names = order.move(server, position);
        log().info("ExHook: server {} moved to {}; the order is now {}", server, position, names);
        return names;
    }

    private Optional<HookServer> find(String name) {
        return order.find(name);
    }

    /** The servers in call order (the admin API, tests). */
    List<HookServer> servers() {
        return order.list();
    }

    // ---- Decisions ----

    private static final Fold.Step<ClientAuthenticateRequest> AUTHENTICATE = (request, answer) ->
            answer.getValueCase() == ValuedResponse.ValueCase.BOOL_RESULT
                    ? Fold.Merge.of(request.toBuilder().setResult(answer.getBoolResult()).build()) : Fold.Merge.ignore();

    private static final Fold.Step<ClientAuthorizeRequest> AUTHORIZE = (request, answer) ->
            answer.getValueCase() == ValuedResponse.ValueCase.BOOL_RESULT
                    ? Fold.Merge.of(request.toBuilder().setResult(answer.getBoolResult()).build()) : Fold.Merge.ignore();

    private static final Fold.Step<MessagePublishRequest> PUBLISH = new Fold.Step<>() {
        @Override
        public boolean wanted(HookServer server, Hook hook, MessagePublishRequest request) {
            return server.wants(hook, request.getMessage().getTopic());
        }

        @Override
        public Fold.Merge<MessagePublishRequest> merge(MessagePublishRequest request, ValuedResponse answer) {
            if (answer.getValueCase() != ValuedResponse.ValueCase.MESSAGE) {
                return Fold.Merge.ignore();
            }
            io.mast.exhook.proto.v3.Message m = answer.getMessage();
            if (!TopicFilters.isTopicName(m.getTopic()) || m.getTopic().indexOf('\0') >= 0) {
                return Fold.Merge.invalid("answered message.publish with the topic \"" + m.getTopic()
                        + "\", which is not a topic name");
            }
            if (m.getQos() > 2) {
                return Fold.Merge.invalid("answered message.publish with QoS " + m.getQos());
            }
            return Fold.Merge.of(request.toBuilder().setMessage(m).build());
        }
    };

    /**
     * The reason code of a refusal (Mast's extension of ValuedResponse), or {@code null} when the answer has none, so
     * that EMQX's behaviour applies. A code that is not a refusal Mast knows ({@link Reason}) counts as 0x80
     * Unspecified error.
     */
    static Reason refusal(ValuedResponse answer) {
        if (answer == null || answer.getReasonCode() == 0) {
            return null;
        }
        for (Reason r : Reason.values()) {
            if (r.code() == answer.getReasonCode()) {
                return r;
            }
        }
        return Reason.UNSPECIFIED_ERROR;
    }

    private static String reasonString(ValuedResponse answer) {
        return answer.getReasonString().isEmpty() ? null : answer.getReasonString();
    }

    /** What stands when no server decides: the chain's result so far (ConnectInfo#authenticatedSoFar). */
    private static AuthDecision earlierResult(ConnectInfo c) {
        return c.authenticatedSoFar() ? AuthDecision.allow() : AuthDecision.abstain();
    }

    /**
     * client.authenticate. The request's {@code result} is whether the client counts as authenticated so far
     * ({@link ConnectInfo#authenticatedSoFar()}: an earlier plugin allowed it, or, with no other authentication plugin,
     * Mast's default would: a client on this machine). A value true allows the client, false refuses it
     * with 0x87 (EMQX's {@code not_authorized}); a failed server under {@code failed_action: deny} refuses it with
     * 0x88 Server unavailable; no value leaves the earlier result.
     */
    @Override
    public CompletionStage<AuthDecision> authenticate(ConnectInfo connect) {
        if (!Fold.anyWants(servers(), Hook.CLIENT_AUTHENTICATE, null)) {
            return CompletableFuture.completedFuture(earlierResult(connect));
        }
        ClientAuthenticateRequest request = ClientAuthenticateRequest.newBuilder()
                .setClientinfo(requests.clientInfoWithPassword(connect))
                .setResult(connect.authenticatedSoFar())
                .setMeta(requests.meta)
                .build();
        return Fold.run(servers(), Hook.CLIENT_AUTHENTICATE, connect.clientId(), request, AUTHENTICATE).thenApply(o -> {
            if (o.deniedBy() != null) {
                return AuthDecision.deny(Reason.SERVER_UNAVAILABLE, "hook server " + o.deniedBy().name
                        + " failed: " + o.why());
            }
            if (o.valued()) {
                if (o.request().getResult()) {
                    return AuthDecision.allow();
                }
                Reason reason = refusal(o.answer());
                return reason == null ? AuthDecision.notAuthorized()
                        : AuthDecision.deny(reason, reasonString(o.answer()));
            }
            return earlierResult(connect);
        });
    }

    /** PUBLISH and SUBSCRIBE, as client.authorize. */
    @Override
    public Set<TopicAction> actions() {
        return EnumSet.of(TopicAction.PUBLISH, TopicAction.SUBSCRIBE);
    }

    /**
     * client.authorize: the topic of a shared subscription without {@code $share/<group>/}; {@code result} is true
     * (the bridge is asked only when no earlier plugin denied, and Mast allows what no plugin denies). A value true
     * allows, false denies (0x87); a failed server under {@code deny} denies; no value abstains.
     */
    @Override
    public CompletionStage<Decision> authorize(ClientInfo client, TopicAction action, String topic) {
        if (action == TopicAction.RECEIVE || client == null
                || !Fold.anyWants(servers(), Hook.CLIENT_AUTHORIZE, null)) {
            return CompletableFuture.completedFuture(Decision.ABSTAIN);
        }
        ClientAuthorizeRequest request = ClientAuthorizeRequest.newBuilder()
                .setClientinfo(requests.clientInfo(client))
                .setType(action == TopicAction.PUBLISH ? ClientAuthorizeRequest.AuthorizeReqType.PUBLISH
                        : ClientAuthorizeRequest.AuthorizeReqType.SUBSCRIBE)
                .setTopic(Requests.realTopic(topic))
                .setResult(true)
                .setMeta(requests.meta)
                .build();
        return Fold.run(servers(), Hook.CLIENT_AUTHORIZE, client.clientId(), request, AUTHORIZE).thenApply(o -> {
            if (o.deniedBy() != null) {
                return Decision.deny(Reason.NOT_AUTHORIZED, "hook server " + o.deniedBy().name + " failed: " + o.why());
            }
            if (!o.valued()) {
                return Decision.ABSTAIN;
            }
            Reason reason = o.request().getResult() ? null : refusal(o.answer());
            return reason == null ? Decision.of(o.request().getResult())
                    : Decision.deny(reason, reasonString(o.answer()));
        });
    }

    /**
     * message.publish (never for {@code $SYS/} topics): the last value taken replaces the message's topic, QoS and
     * payload; its header {@code allow_publish: "false"} drops the message (the publisher is acknowledged). A failed
     * server under {@code failed_action: deny} refuses the message (0x87 in PUBACK/PUBREC for MQTT 5.0), unlike EMQX,
     * which lets it through.
     */
    @Override
    public CompletionStage<PublishDecision> onPublish(ClientInfo publisher, io.mast.plugin.Message message) {
        if (message.topic().startsWith("$SYS/") || !Fold.anyWants(servers(), Hook.MESSAGE_PUBLISH, message.topic())) {
            return CompletableFuture.completedFuture(PublishDecision.proceed(message));
        }
        MessagePublishRequest request = MessagePublishRequest.newBuilder()
                .setMessage(requests.message(message, publisher))
                .setMeta(requests.meta)
                .addAllProps(Requests.messageProps(message))
                .addAllUserProps(Requests.userProps(message.userProperties()))
                .build();
        String key = publisher != null ? publisher.clientId() : message.publisherId();
        return Fold.run(servers(), Hook.MESSAGE_PUBLISH, key, request, PUBLISH).thenApply(o -> {
            if (o.deniedBy() != null) {
                return PublishDecision.deny(Reason.NOT_AUTHORIZED, "hook server " + o.deniedBy().name + " failed: "
                        + o.why());
            }
            if (!o.valued() || o.request() == request) {
                return PublishDecision.proceed(message); // no value, or values that passed the message on unchanged
            }
            io.mast.exhook.proto.v3.Message m = o.request().getMessage();
            if ("false".equals(m.getHeadersMap().get("allow_publish"))) {
                Reason reason = refusal(o.answer());
                return reason == null ? PublishDecision.drop() : PublishDecision.deny(reason, reasonString(o.answer()));
            }
            boolean same = m.getTopic().equals(message.topic()) && m.getQos() == message.qos()
                    && m.getPayload().asReadOnlyByteBuffer().equals(message.payloadBuffer());
            return PublishDecision.proceed(same ? message : message.toBuilder().topic(m.getTopic()).qos(m.getQos())
                    .payload(m.getPayload().toByteArray()).build());
        });
    }

    // ---- Notifications ----

    /** Sends a notification to every server that wants it; the request is built once, only when one does. */
    private void notify(Hook hook, String key, String topic, Supplier<Message> request) {
        Message built = null;
        for (HookServer s : servers()) {
            if (s.wants(hook, topic)) {
                if (built == null) {
                    built = request.get();
                }
                s.calls.notify(hook, key, built);
            }
        }
    }

    @NonBlocking
    @Override
    public void onClientConnect(ConnectInfo c) {
        notify(Hook.CLIENT_CONNECT, c.clientId(), null, () -> ClientConnectRequest.newBuilder()
                .setConninfo(requests.connInfo(c))
                .addAllProps(Requests.connectProps(c))
                .addAllUserProps(Requests.userProps(c.userProperties()))
                .setMeta(requests.meta)
                .build());
    }

    @NonBlocking
    @Override
    public void onClientConnack(ConnectInfo c, int reasonCode) {
        notify(Hook.CLIENT_CONNACK, c.clientId(), null, () -> ClientConnackRequest.newBuilder()
                .setConninfo(requests.connInfo(c))
                .setResultCode(Requests.reasonName(reasonCode))
                .setMeta(requests.meta)
                .build());
    }

    @NonBlocking
    @Override
    public void onClientConnected(ClientInfo c) {
        clients.put(c.clientId(), c);
        lastDisconnect.remove(c.clientId());
        notify(Hook.CLIENT_CONNECTED, c.clientId(), null, () -> ClientConnectedRequest.newBuilder()
                .setClientinfo(requests.clientInfo(c)).setMeta(requests.meta).build());
    }

    @NonBlocking
    @Override
    public void onClientDisconnected(ClientInfo c, DisconnectInfo d) {
        clients.remove(c.clientId(), c);
        String reason = Requests.disconnectReason(d.reason());
        lastDisconnect.put(c.clientId(), reason);
        notify(Hook.CLIENT_DISCONNECTED, c.clientId(), null, () -> ClientDisconnectedRequest.newBuilder()
                .setClientinfo(requests.clientInfo(c)).setReason(reason).setMeta(requests.meta).build());
    }

    @NonBlocking
    @Override
    public void onSessionCreated(SessionInfo s) {
        notify(Hook.SESSION_CREATED, s.clientId(), null, () -> SessionCreatedRequest.newBuilder()
                .setClientinfo(requests.clientInfo(s)).setMeta(requests.meta).build());
    }

    @NonBlocking
    @Override
    public void onSessionResumed(SessionInfo s) {
        notify(Hook.SESSION_RESUMED, s.clientId(), null, () -> SessionResumedRequest.newBuilder()
                .setClientinfo(requests.clientInfo(s)).setMeta(requests.meta).build());
    }

    @NonBlocking
    @Override
    public void onSessionDiscarded(SessionInfo s) {
        notify(Hook.SESSION_DISCARDED, s.clientId(), null, () -> SessionDiscardedRequest.newBuilder()
                .setClientinfo(requests.clientInfo(s)).setMeta(requests.meta).build());
    }

    @NonBlocking
    @Override
    public void onSessionTakenOver(SessionInfo s) {
        notify(Hook.SESSION_TAKENOVER, s.clientId(), null, () -> SessionTakenoverRequest.newBuilder()
                .setClientinfo(requests.clientInfo(s)).setMeta(requests.meta).build());
    }

    /** {@code disconnected} (a session without expiry ended with its connection) is told as the connection's reason. */
    @NonBlocking
    @Override
    public void onSessionTerminated(SessionInfo s, String reason) {
        String last = lastDisconnect.remove(s.clientId());
        String r = "disconnected".equals(reason) ? (last == null ? "normal" : last) : reason;
        notify(Hook.SESSION_TERMINATED, s.clientId(), null, () -> SessionTerminatedRequest.newBuilder()
                .setClientinfo(requests.clientInfo(s)).setReason(r).setMeta(requests.meta).build());
    }

    /** client.subscribe (one filter per call, after authorization) then session.subscribed. */
    @NonBlocking
    @Override
    public void onClientSubscribed(ClientInfo c, Subscription sub) {
        SubOpts opts = Requests.subOpts(sub);
        notify(Hook.CLIENT_SUBSCRIBE, c.clientId(), null, () -> ClientSubscribeRequest.newBuilder()
                .setClientinfo(requests.clientInfo(c))
                .addAllProps(Requests.subscribeProps(sub))
                .addTopicFilters(Requests.topicFilter(sub.topicFilter(), opts))
                .setMeta(requests.meta)
                .build());
        notify(Hook.SESSION_SUBSCRIBED, c.clientId(), null, () -> SessionSubscribedRequest.newBuilder()
                .setClientinfo(requests.clientInfo(c)).setTopic(sub.topicFilter()).setSubopts(opts)
                .setMeta(requests.meta).build());
    }

    /** client.unsubscribe (one filter per call) then session.unsubscribed. */
    @NonBlocking
    @Override
    public void onClientUnsubscribed(ClientInfo c, String topicFilter) {
        notify(Hook.CLIENT_UNSUBSCRIBE, c.clientId(), null, () -> ClientUnsubscribeRequest.newBuilder()
                .setClientinfo(requests.clientInfo(c))
                .addTopicFilters(Requests.topicFilter(topicFilter, SubOpts.getDefaultInstance()))
                .setMeta(requests.meta)
                .build());
        notify(Hook.SESSION_UNSUBSCRIBED, c.clientId(), null, () -> SessionUnsubscribedRequest.newBuilder()
                .setClientinfo(requests.clientInfo(c)).setTopic(topicFilter).setMeta(requests.meta).build());
    }

    @NonBlocking
    @Override
    public void onMessageDelivered(ClientInfo subscriber, io.mast.plugin.Message m) {
        if (m.topic().startsWith("$SYS/")) {
            return;
        }
        notify(Hook.MESSAGE_DELIVERED, subscriber.clientId(), m.topic(), () -> MessageDeliveredRequest.newBuilder()
                .setClientinfo(requests.clientInfo(subscriber))
                .setMessage(requests.message(m, publisher(m)))
                .setMeta(requests.meta)
                .build());
    }

    @NonBlocking
    @Override
    public void onMessageAcked(ClientInfo subscriber, io.mast.plugin.Message m) {
        if (m.topic().startsWith("$SYS/")) {
            return;
        }
        notify(Hook.MESSAGE_ACKED, subscriber.clientId(), m.topic(), () -> MessageAckedRequest.newBuilder()
                .setClientinfo(requests.clientInfo(subscriber))
                .setMessage(requests.message(m, publisher(m)))
                .setMeta(requests.meta)
                .build());
    }

    @NonBlocking
    @Override
    public void onMessageDropped(ClientInfo subscriber, io.mast.plugin.Message m, DropReason reason) {
        if (m.topic().startsWith("$SYS/")) {
            return;
        }
        notify(Hook.MESSAGE_DROPPED, m.publisherId(), m.topic(), () -> MessageDroppedRequest.newBuilder()
                .setMessage(requests.message(m, publisher(m)))
                .setReason(Requests.dropReason(reason))
                .setMeta(requests.meta)
                .build());
    }

    private ClientInfo publisher(io.mast.plugin.Message m) {
        return m.publisherId() == null ? null : clients.get(m.publisherId());
    }
}
