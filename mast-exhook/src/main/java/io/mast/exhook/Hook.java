package io.mast.exhook;

import com.google.protobuf.Message;
import io.grpc.MethodDescriptor;
import io.mast.exhook.proto.v3.HookProviderGrpc;
import java.util.HashMap;
import java.util.Map;

/**
 * The ExHook RPCs: the hook points a server can list in {@code OnProviderLoaded} (by the names EMQX uses), and the two
 * control calls. Decisions answer with a {@code ValuedResponse}; the {@code message.*} hooks are filtered by the
 * topics of the server's HookSpec.
 */
enum Hook {
    PROVIDER_LOADED(null, Kind.CONTROL, HookProviderGrpc.getOnProviderLoadedMethod(),
            io.mast.exhook.proto.v2.HookProviderGrpc.getOnProviderLoadedMethod()),
    PROVIDER_UNLOADED(null, Kind.CONTROL, HookProviderGrpc.getOnProviderUnloadedMethod(),
            io.mast.exhook.proto.v2.HookProviderGrpc.getOnProviderUnloadedMethod()),
    CLIENT_CONNECT("client.connect", Kind.NOTIFICATION, HookProviderGrpc.getOnClientConnectMethod(),
            io.mast.exhook.proto.v2.HookProviderGrpc.getOnClientConnectMethod()),
    CLIENT_CONNACK("client.connack", Kind.NOTIFICATION, HookProviderGrpc.getOnClientConnackMethod(),
            io.mast.exhook.proto.v2.HookProviderGrpc.getOnClientConnackMethod()),
    CLIENT_CONNECTED("client.connected", Kind.NOTIFICATION, HookProviderGrpc.getOnClientConnectedMethod(),
            io.mast.exhook.proto.v2.HookProviderGrpc.getOnClientConnectedMethod()),
    CLIENT_DISCONNECTED("client.disconnected", Kind.NOTIFICATION, HookProviderGrpc.getOnClientDisconnectedMethod(),
            io.mast.exhook.proto.v2.HookProviderGrpc.getOnClientDisconnectedMethod()),
    CLIENT_AUTHENTICATE("client.authenticate", Kind.DECISION, HookProviderGrpc.getOnClientAuthenticateMethod(),
            io.mast.exhook.proto.v2.HookProviderGrpc.getOnClientAuthenticateMethod()),
    CLIENT_AUTHORIZE("client.authorize", Kind.DECISION, HookProviderGrpc.getOnClientAuthorizeMethod(),
            io.mast.exhook.proto.v2.HookProviderGrpc.getOnClientAuthorizeMethod()),
    CLIENT_SUBSCRIBE("client.subscribe", Kind.NOTIFICATION, HookProviderGrpc.getOnClientSubscribeMethod(),
            io.mast.exhook.proto.v2.HookProviderGrpc.getOnClientSubscribeMethod()),
    CLIENT_UNSUBSCRIBE("client.unsubscribe", Kind.NOTIFICATION, HookProviderGrpc.getOnClientUnsubscribeMethod(),
            io.mast.exhook.proto.v2.HookProviderGrpc.getOnClientUnsubscribeMethod()),
    SESSION_CREATED("session.created", Kind.NOTIFICATION, HookProviderGrpc.getOnSessionCreatedMethod(),
            io.mast.exhook.proto.v2.HookProviderGrpc.getOnSessionCreatedMethod()),
    SESSION_SUBSCRIBED("session.subscribed", Kind.NOTIFICATION, HookProviderGrpc.getOnSessionSubscribedMethod(),
            io.mast.exhook.proto.v2.HookProviderGrpc.getOnSessionSubscribedMethod()),
    SESSION_UNSUBSCRIBED("session.unsubscribed", Kind.NOTIFICATION, HookProviderGrpc.getOnSessionUnsubscribedMethod(),
            io.mast.exhook.proto.v2.HookProviderGrpc.getOnSessionUnsubscribedMethod()),
    SESSION_RESUMED("session.resumed", Kind.NOTIFICATION, HookProviderGrpc.getOnSessionResumedMethod(),
            io.mast.exhook.proto.v2.HookProviderGrpc.getOnSessionResumedMethod()),
    SESSION_DISCARDED("session.discarded", Kind.NOTIFICATION, HookProviderGrpc.getOnSessionDiscardedMethod(),
            io.mast.exhook.proto.v2.HookProviderGrpc.getOnSessionDiscardedMethod()),
    SESSION_TAKENOVER("session.takenover", Kind.NOTIFICATION, HookProviderGrpc.getOnSessionTakenoverMethod(),
            io.mast.exhook.proto.v2.HookProviderGrpc.getOnSessionTakenoverMethod()),
    SESSION_TERMINATED("session.terminated", Kind.NOTIFICATION, HookProviderGrpc.getOnSessionTerminatedMethod(),
            io.mast.exhook.proto.v2.HookProviderGrpc.getOnSessionTerminatedMethod()),
    MESSAGE_PUBLISH("message.publish", Kind.DECISION, HookProviderGrpc.getOnMessagePublishMethod(),
            io.mast.exhook.proto.v2.HookProviderGrpc.getOnMessagePublishMethod()),
    MESSAGE_DELIVERED("message.delivered", Kind.NOTIFICATION, HookProviderGrpc.getOnMessageDeliveredMethod(),
            io.mast.exhook.proto.v2.HookProviderGrpc.getOnMessageDeliveredMethod()),
    MESSAGE_ACKED("message.acked", Kind.NOTIFICATION, HookProviderGrpc.getOnMessageAckedMethod(),
            io.mast.exhook.proto.v2.HookProviderGrpc.getOnMessageAckedMethod()),
    MESSAGE_DROPPED("message.dropped", Kind.NOTIFICATION, HookProviderGrpc.getOnMessageDroppedMethod(),
            io.mast.exhook.proto.v2.HookProviderGrpc.getOnMessageDroppedMethod());

    /** What the broker does with the answer. */
    enum Kind {
        /** OnProviderLoaded and OnProviderUnloaded. */
        CONTROL,
        /** The answer is ignored ({@code EmptySuccess}); sent without waiting. */
        NOTIFICATION,
        /** The answer ({@code ValuedResponse}) is folded into a decision. */
        DECISION
    }

    private static final Map<String, Hook> BY_NAME = new HashMap<>();

    static {
        for (Hook h : values()) {
            if (h.hookName != null) {
                BY_NAME.put(h.hookName, h);
            }
        }
    }

    /** The name in a HookSpec, {@code null} for the control calls. */
    final String hookName;
    final Kind kind;
    /** The v3 method, also the request and response types the bridge builds and reads. */
    final MethodDescriptor<Message, Message> v3;
    /** The same call for a v2 server: v3 messages transcoded to and from v2 on the wire. */
    final MethodDescriptor<Message, Message> v2;

    Hook(String hookName, Kind kind, MethodDescriptor<?, ?> v3, MethodDescriptor<?, ?> v2) {
        this.hookName = hookName;
        this.kind = kind;
        this.v3 = V2Transcoder.untyped(v3);
        this.v2 = V2Transcoder.v2(v2, v3);
    }

    /** True for the hooks a HookSpec's topics filter. */
    boolean isMessageHook() {
        return hookName != null && hookName.startsWith("message.");
    }

    /** The hook of a HookSpec name, or {@code null} for a name the protocol does not have. */
    static Hook byName(String name) {
        return BY_NAME.get(name);
    }

    /** The method for a protocol version. */
    MethodDescriptor<Message, Message> method(ServerConfig.Protocol protocol) {
        return protocol == ServerConfig.Protocol.V2 ? v2 : v3;
    }
}
