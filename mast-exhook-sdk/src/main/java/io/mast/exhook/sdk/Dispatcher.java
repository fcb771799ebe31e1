package io.mast.exhook.sdk;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnknownFieldSet;
import io.grpc.MethodDescriptor;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import io.mast.exhook.proto.v3.EmptySuccess;
import io.mast.exhook.proto.v3.HookProviderGrpc;
import io.mast.exhook.proto.v3.HookSpec;
import io.mast.exhook.proto.v3.LoadedResponse;
import io.mast.exhook.proto.v3.StreamOffer;
import io.mast.exhook.proto.v3.ValuedResponse;
import io.mast.plugin.TopicFilters;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns ExHook requests into calls of a {@link HookProvider}'s methods and their results into responses, for the
 * services {@code emqx.exhook.v3.HookProvider} and {@code emqx.exhook.v2.HookProvider}. Version 2 requests are read
 * with the version 3 classes (the two differ only in fields v2 lacks, and in two fields v3 moved, which are read
 * from the unknown fields here); every response is the same in both versions.
 */
final class Dispatcher {

    static final ThreadLocal<HookCall> CURRENT = new ThreadLocal<>();

    private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);
    private static final String PROVIDER_LANE = "\u0000provider";
    private static final EmptySuccess EMPTY = EmptySuccess.getDefaultInstance();

    /** One hook: its protocol name, whether it is a message hook, and the provider methods that implement it. */
    private record Hook(String name, boolean message, List<Form> forms) {
    }

    /** A provider method by name and parameter types. */
    private record Form(String method, Class<?>... params) {
    }

    private static Hook hook(String name, Form... forms) {
        return new Hook(name, name.startsWith("message."), List.of(forms));
    }

    private static Form form(String method, Class<?>... params) {
        return new Form(method, params);
    }

    /** All 19 hooks, in the protocol's order. */
    private static final List<Hook> HOOKS = List.of(
            hook("client.connect", form("onClientConnect", ConnInfo.class, Properties.class)),
            hook("client.connack", form("onClientConnack", ConnInfo.class, String.class, Properties.class)),
            hook("client.connected", form("onClientConnected", ClientInfo.class)),
            hook("client.disconnected", form("onClientDisconnected", ClientInfo.class, String.class)),
            hook("client.authenticate", form("onClientAuthenticate", ClientInfo.class, boolean.class),
                    form("answerClientAuthenticate", ClientInfo.class, boolean.class)),
            hook("client.authorize",
                    form("onClientAuthorize", ClientInfo.class, AuthorizeAction.class, String.class, boolean.class),
                    form("answerClientAuthorize", ClientInfo.class, AuthorizeAction.class, String.class,
                            boolean.class)),
            hook("client.subscribe", form("onClientSubscribe", ClientInfo.class, List.class, Properties.class)),
            hook("client.unsubscribe", form("onClientUnsubscribe", ClientInfo.class, List.class, Properties.class)),
            hook("session.created", form("onSessionCreated", ClientInfo.class)),
            hook("session.subscribed", form("onSessionSubscribed", ClientInfo.class, String.class, SubOpts.class)),
            hook("session.unsubscribed", form("onSessionUnsubscribed", ClientInfo.class, String.class)),
            hook("session.resumed", form("onSessionResumed", ClientInfo.class)),
            hook("session.discarded", form("onSessionDiscarded", ClientInfo.class)),
            hook("session.takenover", form("onSessionTakenover", ClientInfo.class)),
            hook("session.terminated", form("onSessionTerminated", ClientInfo.class, String.class)),
            hook("message.publish", form("onMessagePublish", Message.class),
                    form("answerMessagePublish", Message.class)),
            hook("message.delivered", form("onMessageDelivered", ClientInfo.class, Message.class)),
            hook("message.acked", form("onMessageAcked", ClientInfo.class, Message.class)),
            hook("message.dropped", form("onMessageDropped", Message.class, String.class)));

    /**
     * One RPC's handling, the same for a unary call and a request on Mast's stream: its hook name, the client whose
     * lane it runs on, its RequestMeta, and the body that calls the provider.
     */
    record Handler(String hook, Function<com.google.protobuf.Message, String> lane,
                   Function<com.google.protobuf.Message, io.mast.exhook.proto.v3.RequestMeta> meta,
                   Function<com.google.protobuf.Message, Object> body) {
    }

    private final HookProvider provider;
    private final Lanes lanes;
    /** The registered hooks and their topic filters (empty = all topics), in the protocol's order. */
    private final Map<String, List<String>> registered;
    private final LoadedResponse loaded;
    /** The v3 handlers by request class, for requests arriving on Mast's stream. */
    private final Map<Class<?>, Handler> handlers = new java.util.HashMap<>();
    private final ServerServiceDefinition v3;
    private final ServerServiceDefinition v2;

    /**
     * Reads which hooks the provider overrides.
     *
     * @throws IllegalArgumentException when both forms of a decision hook are overridden, when {@link Topics} is on
     *                                  a method that is not a message hook, or a topic filter is malformed
     */
    Dispatcher(HookProvider provider, Lanes lanes) {
        this.provider = provider;
        this.lanes = lanes;
        this.registered = provider.hooksToRegister(registrations(provider.getClass()));
        LoadedResponse.Builder b = LoadedResponse.newBuilder();
        registered.forEach((name, topics) -> b.addHooks(HookSpec.newBuilder().setName(name).addAllTopics(topics)));
        // Mast's extension: the broker may call this server over Mast's stream (EMQX ignores the field).
        b.setStream(StreamOffer.newBuilder().setVersion(1).setStreams(1));
        this.loaded = b.build();
        this.v3 = build("v3");
        this.v2 = build("v2");
    }

    /** The handler of a request that came on Mast's stream, or null for a type the server does not know. */
    Handler handler(com.google.protobuf.Message request) {
        return handlers.get(request.getClass());
    }

    /**
     * Runs a handler on the calling thread, with {@link HookProvider#currentCall()} set: its result (a response
     * message), or the exception of the hook, thrown.
     */
    Object invoke(Handler h, com.google.protobuf.Message request, String protocol) {
        var m = h.meta().apply(request);
        CURRENT.set(new HookCall(h.hook(), protocol, new RequestMeta(m.getNode(), m.getVersion(), m.getSysdescr(),
                m.getClusterName()), request));
        try {
            return h.body().apply(request);
        } finally {
            CURRENT.remove();
        }
    }

    Lanes lanes() {
        return lanes;
    }

    /** The registered hooks with their topic filters, as sent in {@code OnProviderLoaded}. */
    Map<String, List<String>> registered() {
        return registered;
    }

    private static Map<String, List<String>> registrations(Class<?> type) {
        Map<String, List<String>> result = new LinkedHashMap<>();
        List<Method> hookMethods = new ArrayList<>();
        for (Hook h : HOOKS) {
            Method overridden = null;
            for (Form f : h.forms()) {
                Method m;
                try {
                    m = type.getMethod(f.method(), f.params());
                } catch (NoSuchMethodException e) {
                    throw new IllegalStateException(e);
                }
                hookMethods.add(m);
                if (m.getDeclaringClass() == HookProvider.class) {
                    continue;
                }
                if (overridden != null) {
                    throw new IllegalArgumentException(type.getName() + " overrides both " + overridden.getName()
                            + " and " + m.getName() + ": override one form of " + h.name());
                }
                overridden = m;
            }
            if (overridden == null) {
                continue;
            }
            Topics topics = overridden.getAnnotation(Topics.class);
            List<String> filters = List.of();
            if (topics != null) {
                if (!h.message()) {
                    throw new IllegalArgumentException(type.getName() + "." + overridden.getName()
                            + ": @Topics applies to message hooks only");
                }
                filters = List.of(topics.value());
                for (String f : filters) {
                    if (!TopicFilters.isTopicFilter(f)) {
                        throw new IllegalArgumentException(type.getName() + "." + overridden.getName()
                                + ": @Topics: '" + f + "' is not a topic filter ('#' only as the whole last level, "
                                + "'+' only as a whole level)");
                    }
                }
            }
            result.put(h.name(), filters);
        }
        for (Class<?> c = type; c != HookProvider.class && c != null; c = c.getSuperclass()) {
            for (Method m : c.getDeclaredMethods()) {
                if (m.isAnnotationPresent(Topics.class) && hookMethods.stream().noneMatch(h ->
                        h.getName().equals(m.getName()) && java.util.Arrays.equals(h.getParameterTypes(),
                                m.getParameterTypes()))) {
                    throw new IllegalArgumentException(c.getName() + "." + m.getName()
                            + ": @Topics is on a method that is not a message hook");
                }
            }
        }
        return java.util.Collections.unmodifiableMap(result);
    }

    /** The service for one protocol version: {@code v3} or {@code v2}. */
    ServerServiceDefinition service(String protocol) {
        return protocol.equals("v2") ? v2 : v3;
    }

    private ServerServiceDefinition build(String protocol) {
        String service = "emqx.exhook." + protocol + ".HookProvider";
        ServerServiceDefinition.Builder b = ServerServiceDefinition.builder(service);
        Binder s = new Binder(b, service, protocol);
        boolean v2 = protocol.equals("v2");

        s.bind(HookProviderGrpc.getOnProviderLoadedMethod(), "provider.loaded", q -> PROVIDER_LANE,
                q -> q.getMeta(), q -> {
                    var bi = q.getBroker();
                    provider.onProviderLoaded(new BrokerInfo(bi.getVersion(), bi.getSysdescr(), bi.getUptime(),
                            bi.getDatetime()));
                    return loaded;
                });
        s.bind(HookProviderGrpc.getOnProviderUnloadedMethod(), "provider.unloaded", q -> PROVIDER_LANE,
                q -> q.getMeta(), q -> {
                    provider.onProviderUnloaded();
                    return EMPTY;
                });

        s.bind(HookProviderGrpc.getOnClientConnectMethod(), "client.connect", q -> q.getConninfo().getClientid(),
                q -> q.getMeta(), q -> notify("client.connect", () -> provider.onClientConnect(
                        conn(q.getConninfo()), props(q.getPropsList(), q.getUserPropsList()))));
        s.bind(HookProviderGrpc.getOnClientConnackMethod(), "client.connack", q -> q.getConninfo().getClientid(),
                q -> q.getMeta(), q -> notify("client.connack", () -> provider.onClientConnack(
                        conn(q.getConninfo()), q.getResultCode(), props(q.getPropsList(), q.getUserPropsList()))));
        s.bind(HookProviderGrpc.getOnClientConnectedMethod(), "client.connected",
                q -> q.getClientinfo().getClientid(), q -> q.getMeta(),
                q -> notify("client.connected", () -> provider.onClientConnected(client(q.getClientinfo()))));
        s.bind(HookProviderGrpc.getOnClientDisconnectedMethod(), "client.disconnected",
                q -> q.getClientinfo().getClientid(), q -> q.getMeta(),
                q -> notify("client.disconnected", () -> provider.onClientDisconnected(client(q.getClientinfo()),
                        q.getReason())));
        s.bind(HookProviderGrpc.getOnClientAuthenticateMethod(), "client.authenticate",
                q -> q.getClientinfo().getClientid(), q -> q.getMeta(), q -> {
                    if (!registered.containsKey("client.authenticate")) {
                        return bool(Answer.ignore(), q.getResult());
                    }
                    return bool(provider.answerClientAuthenticate(client(q.getClientinfo()), q.getResult()),
                            q.getResult());
                });
        s.bind(HookProviderGrpc.getOnClientAuthorizeMethod(), "client.authorize",
                q -> q.getClientinfo().getClientid(), q -> q.getMeta(), q -> {
                    if (!registered.containsKey("client.authorize")) {
                        return bool(Answer.ignore(), q.getResult());
                    }
                    AuthorizeAction action = switch (q.getType()) {
                        case PUBLISH -> AuthorizeAction.PUBLISH;
                        case SUBSCRIBE -> AuthorizeAction.SUBSCRIBE;
                        case UNRECOGNIZED -> throw new IllegalArgumentException(
                                "unknown authorize type " + q.getTypeValue());
                    };
                    return bool(provider.answerClientAuthorize(client(q.getClientinfo()), action, q.getTopic(),
                            q.getResult()), q.getResult());
                });
        s.bind(HookProviderGrpc.getOnClientSubscribeMethod(), "client.subscribe",
                q -> q.getClientinfo().getClientid(), q -> q.getMeta(),
                q -> notify("client.subscribe", () -> provider.onClientSubscribe(client(q.getClientinfo()),
                        filters(q.getTopicFiltersList(), v2), props(q.getPropsList(), q.getUserPropsList()))));
        s.bind(HookProviderGrpc.getOnClientUnsubscribeMethod(), "client.unsubscribe",
                q -> q.getClientinfo().getClientid(), q -> q.getMeta(),
                q -> notify("client.unsubscribe", () -> provider.onClientUnsubscribe(client(q.getClientinfo()),
                        filters(q.getTopicFiltersList(), v2), props(q.getPropsList(), q.getUserPropsList()))));

        s.bind(HookProviderGrpc.getOnSessionCreatedMethod(), "session.created",
                q -> q.getClientinfo().getClientid(), q -> q.getMeta(),
                q -> notify("session.created", () -> provider.onSessionCreated(client(q.getClientinfo()))));
        s.bind(HookProviderGrpc.getOnSessionSubscribedMethod(), "session.subscribed",
                q -> q.getClientinfo().getClientid(), q -> q.getMeta(), q -> notify("session.subscribed", () -> {
                    var opts = q.getSubopts();
                    String share = v2 ? lastString(opts.getUnknownFields(), 2) : "";
                    String topic = share.isEmpty() ? q.getTopic() : "$share/" + share + "/" + q.getTopic();
                    provider.onSessionSubscribed(client(q.getClientinfo()), topic, subOpts(opts));
                }));
        s.bind(HookProviderGrpc.getOnSessionUnsubscribedMethod(), "session.unsubscribed",
                q -> q.getClientinfo().getClientid(), q -> q.getMeta(),
                q -> notify("session.unsubscribed", () -> provider.onSessionUnsubscribed(client(q.getClientinfo()),
                        q.getTopic())));
        s.bind(HookProviderGrpc.getOnSessionResumedMethod(), "session.resumed",
                q -> q.getClientinfo().getClientid(), q -> q.getMeta(),
                q -> notify("session.resumed", () -> provider.onSessionResumed(client(q.getClientinfo()))));
        s.bind(HookProviderGrpc.getOnSessionDiscardedMethod(), "session.discarded",
                q -> q.getClientinfo().getClientid(), q -> q.getMeta(),
                q -> notify("session.discarded", () -> provider.onSessionDiscarded(client(q.getClientinfo()))));
        s.bind(HookProviderGrpc.getOnSessionTakenoverMethod(), "session.takenover",
                q -> q.getClientinfo().getClientid(), q -> q.getMeta(),
                q -> notify("session.takenover", () -> provider.onSessionTakenover(client(q.getClientinfo()))));
        s.bind(HookProviderGrpc.getOnSessionTerminatedMethod(), "session.terminated",
                q -> q.getClientinfo().getClientid(), q -> q.getMeta(),
                q -> notify("session.terminated", () -> provider.onSessionTerminated(client(q.getClientinfo()),
                        q.getReason())));

        s.bind(HookProviderGrpc.getOnMessagePublishMethod(), "message.publish", q -> q.getMessage().getFrom(),
                q -> q.getMeta(), q -> {
                    var original = q.getMessage();
                    if (!wants("message.publish", original.getTopic())) {
                        return ValuedResponse.newBuilder().setType(ValuedResponse.ResponsedType.IGNORE)
                                .setMessage(original).build();
                    }
                    Message given = message(original);
                    return published(provider.answerMessagePublish(given), original, given);
                });
        s.bind(HookProviderGrpc.getOnMessageDeliveredMethod(), "message.delivered",
                q -> q.getClientinfo().getClientid(), q -> q.getMeta(), q -> {
                    if (wants("message.delivered", q.getMessage().getTopic())) {
                        provider.onMessageDelivered(client(q.getClientinfo()), message(q.getMessage()));
                    }
                    return EMPTY;
                });
        s.bind(HookProviderGrpc.getOnMessageAckedMethod(), "message.acked",
                q -> q.getClientinfo().getClientid(), q -> q.getMeta(), q -> {
                    if (wants("message.acked", q.getMessage().getTopic())) {
                        provider.onMessageAcked(client(q.getClientinfo()), message(q.getMessage()));
                    }
                    return EMPTY;
                });
        s.bind(HookProviderGrpc.getOnMessageDroppedMethod(), "message.dropped", q -> q.getMessage().getFrom(),
                q -> q.getMeta(), q -> {
                    if (wants("message.dropped", q.getMessage().getTopic())) {
                        provider.onMessageDropped(message(q.getMessage()), q.getReason());
                    }
                    return EMPTY;
                });
        return b.build();
    }

    /** Whether a message hook is registered for this topic (the broker filters too; this guards the contract). */
    private boolean wants(String hook, String topic) {
        List<String> filters = registered.get(hook);
        if (filters == null) {
            return false;
        }
        if (filters.isEmpty()) {
            return true;
        }
        for (String f : filters) {
            if (TopicFilters.matches(f, topic)) {
                return true;
            }
        }
        return false;
    }

    private EmptySuccess notify(String hook, Runnable call) {
        if (registered.containsKey(hook)) {
            call.run();
        }
        return EMPTY;
    }

    /** Binds the RPCs of one service, each running on the lane of its client. */
    private final class Binder {
        private final ServerServiceDefinition.Builder builder;
        private final String service;
        private final String protocol;

        Binder(ServerServiceDefinition.Builder builder, String service, String protocol) {
            this.builder = builder;
            this.service = service;
            this.protocol = protocol;
        }

        <Q extends com.google.protobuf.Message, R> void bind(MethodDescriptor<Q, R> v3Method, String hook,
                Function<Q, String> lane, Function<Q, io.mast.exhook.proto.v3.RequestMeta> meta,
                Function<Q, R> body) {
            MethodDescriptor<Q, R> method = protocol.equals("v3") ? v3Method : v3Method.toBuilder()
                    .setFullMethodName(MethodDescriptor.generateFullMethodName(service,
                            v3Method.getBareMethodName()))
                    .setSchemaDescriptor(null).build();
            @SuppressWarnings("unchecked")
            Handler h = new Handler(hook, q -> lane.apply((Q) q), q -> meta.apply((Q) q), q -> body.apply((Q) q));
            if (protocol.equals("v3") && v3Method.getRequestMarshaller()
                    instanceof MethodDescriptor.PrototypeMarshaller<Q> p) {
                handlers.put(p.getMessagePrototype().getClass(), h);
            }
            builder.addMethod(method, ServerCalls.asyncUnaryCall((Q request, StreamObserver<R> response) -> {
                ServerCallStreamObserver<R> call = (ServerCallStreamObserver<R>) response;
                call.setOnCancelHandler(() -> { });
                lanes.execute(lane.apply(request), () -> run(h, request, call));
            }));
        }

        @SuppressWarnings("unchecked")
        private <R> void run(Handler h, com.google.protobuf.Message request, ServerCallStreamObserver<R> call) {
            R result;
            try {
                result = (R) invoke(h, request, protocol);
            } catch (Throwable t) {
                log.warn("hook {} failed; answering with an error", h.hook(), t);
                if (!call.isCancelled()) {
                    call.onError(Status.INTERNAL.withDescription(h.hook() + " failed: " + t).asRuntimeException());
                }
                return;
            }
            if (!call.isCancelled()) {
                call.onNext(result);
                call.onCompleted();
            }
        }
    }

    // ---- Answers ----

    private static ValuedResponse bool(Answer<Boolean> answer, boolean resultSoFar) {
        if (answer == null) {
            throw new IllegalStateException("a decision hook returned a null Answer");
        }
        ValuedResponse.Builder b = ValuedResponse.newBuilder().setType(type(answer.type()));
        if (answer.type() == Answer.Type.IGNORE) {
            return b.setBoolResult(resultSoFar).build();
        }
        if (answer.value() == null) {
            throw new IllegalStateException("a decision hook answered " + answer.type() + " without a value");
        }
        return reason(b.setBoolResult(answer.value()), answer).build();
    }

    /** Mast's extension: the reason code and string of a refusal, when the answer has them. */
    private static ValuedResponse.Builder reason(ValuedResponse.Builder b, Answer<?> answer) {
        if (answer.reasonCode() != 0) {
            b.setReasonCode(answer.reasonCode());
        }
        if (answer.reasonString() != null) {
            b.setReasonString(answer.reasonString());
        }
        return b;
    }

    /**
     * The answer to message.publish. A message the hook passed on unchanged ({@code given}, or one equal to it) is
     * answered with the request's own message (no conversion back; over Mast's stream it is left out).
     */
    private static ValuedResponse published(Answer<Message> answer, io.mast.exhook.proto.v3.Message original,
                                            Message given) {
        if (answer == null) {
            throw new IllegalStateException("answerMessagePublish returned a null Answer");
        }
        ValuedResponse.Builder b = ValuedResponse.newBuilder().setType(type(answer.type()));
        if (answer.type() == Answer.Type.IGNORE) {
            return b.setMessage(original).build();
        }
        if (answer.value() == null) {
            return reason(b.setMessage(original.toBuilder().putHeaders("allow_publish", "false")), answer).build();
        }
        Message m = answer.value();
        return b.setMessage(m == given || m.equals(given) ? original : toProto(m)).build();
    }

    private static ValuedResponse.ResponsedType type(Answer.Type t) {
        return switch (t) {
            case CONTINUE -> ValuedResponse.ResponsedType.CONTINUE;
            case IGNORE -> ValuedResponse.ResponsedType.IGNORE;
            case STOP_AND_RETURN -> ValuedResponse.ResponsedType.STOP_AND_RETURN;
        };
    }

    // ---- Conversions ----

    static ClientInfo client(io.mast.exhook.proto.v3.ClientInfo c) {
        return new ClientInfo(c.getNode(), c.getClientid(), c.getUsername(), c.getPassword(), c.getPeerhost(),
                c.getPeerport(), c.getSockport(), c.getProtocol(), c.getMountpoint(), c.getIsSuperuser(),
                c.getAnonymous(), c.getCn(), c.getDn());
    }

    static ConnInfo conn(io.mast.exhook.proto.v3.ConnInfo c) {
        return new ConnInfo(c.getNode(), c.getClientid(), c.getUsername(), c.getPeerhost(), c.getPeerport(),
                c.getSockport(), c.getProtoName(), c.getProtoVer(), c.getKeepalive());
    }

    static Message message(io.mast.exhook.proto.v3.Message m) {
        return new Message(m.getNode(), m.getId(), m.getQos(), m.getFrom(), m.getTopic(), m.getPayload().toByteArray(),
                m.getTimestamp(), m.getHeadersMap());
    }

    static io.mast.exhook.proto.v3.Message toProto(Message m) {
        return io.mast.exhook.proto.v3.Message.newBuilder().setNode(m.node()).setId(m.id()).setQos(m.qos())
                .setFrom(m.from()).setTopic(m.topic()).setPayload(ByteString.copyFrom(m.payload()))
                .setTimestamp(m.timestamp()).putAllHeaders(m.headers()).build();
    }

    static Properties props(List<io.mast.exhook.proto.v3.Property> standard,
            List<io.mast.exhook.proto.v3.Property> user) {
        if (standard.isEmpty() && user.isEmpty()) {
            return Properties.NONE;
        }
        return new Properties(standard.stream().map(p -> new Property(p.getName(), p.getValue())).toList(),
                user.stream().map(p -> new Property(p.getName(), p.getValue())).toList());
    }

    static SubOpts subOpts(io.mast.exhook.proto.v3.SubOpts o) {
        return new SubOpts(o.getQos(), o.getRh(), o.getRap() != 0, o.getNl() != 0);
    }

    static List<TopicFilter> filters(List<io.mast.exhook.proto.v3.TopicFilter> filters, boolean v2) {
        return filters.stream().map(f -> {
            if (!v2) {
                return new TopicFilter(f.getName(), subOpts(f.getSubopts()));
            }
            // v2: TopicFilter{name = 1, qos = 2}; field 2 is reserved in v3, so it arrives as an unknown field.
            var qos = f.getUnknownFields().getField(2).getVarintList();
            int q = qos.isEmpty() ? 0 : qos.get(qos.size() - 1).intValue();
            return new TopicFilter(f.getName(), new SubOpts(q, 0, false, false));
        }).toList();
    }

    /** The last value of a length-delimited unknown field as UTF-8, or "". */
    private static String lastString(UnknownFieldSet fields, int number) {
        if (!fields.hasField(number)) {
            return "";
        }
        List<ByteString> values = fields.getField(number).getLengthDelimitedList();
        return values.isEmpty() ? "" : values.get(values.size() - 1).toStringUtf8();
    }
}
