package io.mast.broker.plugin;

import io.mast.broker.client.ConnectionInfo;
import io.mast.broker.message.BrokerMessage;
import io.mast.broker.policy.Policy;
import io.mast.codec.PacketType;
import io.mast.codec.Qos;
import io.mast.codec.ReasonCode;
import io.mast.codec.packet.Connect;
import io.mast.plugin.AuthDecision;
import io.mast.plugin.AuthStep;
import io.mast.plugin.Decision;
import io.mast.plugin.Message;
import io.mast.plugin.Reason;
import io.mast.plugin.TopicAction;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The broker's decisions made by the plugin chains. Without auth plugins, authentication falls back to the default
 * policy (anonymous from this machine only); without topic or publish plugins, everything is allowed at no cost.
 * Clients may never publish into {@code $SYS/}. The topic plugins are not asked about superusers.
 */
final class PluginPolicy implements Policy {

    private static final CompletableFuture<Boolean> RECEIVE_ALLOWED = CompletableFuture.completedFuture(Boolean.TRUE);
    private static final CompletableFuture<Boolean> RECEIVE_DENIED = CompletableFuture.completedFuture(Boolean.FALSE);
    private static final CompletableFuture<PublishVerdict> SYS_DENIED = CompletableFuture.completedFuture(
            PublishVerdict.deny(ReasonCode.NOT_AUTHORIZED, "clients may not publish to $SYS/"));

    private final PluginRuntime rt;
    private final Policy fallback;
    private final boolean publishChecks;
    private final boolean subscribeChecks;
    private final boolean receiveChecks;

    PluginPolicy(PluginRuntime rt, Policy fallback) {
        this.rt = rt;
        this.fallback = fallback;
        this.publishChecks = rt.hasTopicPlugins(TopicAction.PUBLISH) || rt.hasPublishPlugins();
        this.subscribeChecks = rt.hasTopicPlugins(TopicAction.SUBSCRIBE);
        this.receiveChecks = rt.hasTopicPlugins(TopicAction.RECEIVE);
    }

    @Override
    public CompletionStage<AuthResult> authenticate(Connect connect, ConnectionInfo client) {
        if (!rt.hasAuthPlugins()) {
            return fallback.authenticate(connect, client);
        }
        boolean enhanced = connect.properties().authenticationMethod() != null;
        CompletableFuture<AuthResult> byDefault = fallback.authenticate(connect, client).toCompletableFuture();
        boolean defaultAllows = byDefault.isDone() && !byDefault.isCompletedExceptionally() && byDefault.join().allowed();
        return rt.authenticate(Views.connect(connect, client), defaultAllows).thenApply(d -> result(d, enhanced));
    }

    @Override
    public CompletionStage<AuthResult> authenticateStep(ConnectionInfo client, String method, byte[] data,
                                                        boolean reauthentication) {
        if (!rt.hasAuthPlugins()) {
            return fallback.authenticateStep(client, method, data, reauthentication);
        }
        return rt.authenticateStep(new AuthStep(client, method, data, reauthentication)).thenApply(d -> result(d, true));
    }

    private static AuthResult result(AuthDecision d, boolean enhanced) {
        return switch (d.kind()) {
            case ALLOW -> d.authenticationData() == null && !d.superuser() ? AuthResult.ALLOW
                    : new AuthResult(ReasonCode.SUCCESS, null, d.authenticationData(), false, d.superuser());
            case CONTINUE -> enhanced ? AuthResult.continueWith(d.authenticationData())
                    : new AuthResult(ReasonCode.NOT_AUTHORIZED, "enhanced authentication was not requested");
            case DENY -> PluginRuntime.isAllAbstained(d) && enhanced
                    ? new AuthResult(ReasonCode.BAD_AUTHENTICATION_METHOD, "no plugin supports this authentication method")
                    : new AuthResult(code(d.reason(), PacketType.CONNACK), d.reasonString());
            case ABSTAIN -> new AuthResult(ReasonCode.NOT_AUTHORIZED, null);
        };
    }

    /** The reason code for a packet type, or 0x87 when the reason cannot be said in that packet. */
    static ReasonCode code(Reason reason, PacketType type) {
        ReasonCode rc = reason == null ? null : ReasonCode.of(reason.code(), type);
        return rc == null ? ReasonCode.NOT_AUTHORIZED : rc;
    }

    @Override
    public CompletionStage<PublishVerdict> authorizePublish(ConnectionInfo client, BrokerMessage message) {
        if (client != null && message.topic().startsWith("$SYS/")) {
            return SYS_DENIED;
        }
        if (!publishChecks) {
            return PUBLISH_ALLOWED;
        }
        if (!rt.hasTopicPlugins(TopicAction.PUBLISH) || superuser(client)) {
            return afterTopicDecision(client, message, Decision.ALLOW);
        }
        CompletableFuture<Decision> topicDecision = rt.authorize(client, TopicAction.PUBLISH, message.topic())
                .toCompletableFuture();
        if (topicDecision.isDone() && !topicDecision.isCompletedExceptionally()) {
            return afterTopicDecision(client, message, topicDecision.join()); // inline plugins: no staging
        }
        return topicDecision.thenCompose(d -> afterTopicDecision(client, message, d));
    }

    private CompletionStage<PublishVerdict> afterTopicDecision(ConnectionInfo client, BrokerMessage message, Decision d) {
        if (d.kind() == Decision.Kind.DENY) {
            return CompletableFuture.completedFuture(
                    PublishVerdict.deny(code(d.reason(), PacketType.PUBACK), d.reasonString()));
        }
        if (!rt.hasPublishPlugins()) {
            return PUBLISH_ALLOWED;
        }
        long now = System.currentTimeMillis();
        Message view = Views.message(message, now);
        return rt.onPublish(client, view).thenApply(pd -> switch (pd.kind()) {
            case CONTINUE -> pd.message() == view ? PublishVerdict.ALLOW
                    : new PublishVerdict(ReasonCode.SUCCESS, null, Views.changed(message, pd.message(), now),
                            false);
            case DROP -> new PublishVerdict(ReasonCode.SUCCESS, null, null, true);
            case DENY -> PublishVerdict.deny(code(pd.reason(), PacketType.PUBACK), pd.reasonString());
        });
    }

    @Override
    public CompletionStage<SubscribeVerdict> authorizeSubscribe(ConnectionInfo client, String filter, Qos requested) {
        if (!subscribeChecks || superuser(client)) {
            return fallback.authorizeSubscribe(client, filter, requested);
        }
        return rt.authorize(client, TopicAction.SUBSCRIBE, filter).thenApply(d -> d.kind() == Decision.Kind.DENY
                ? new SubscribeVerdict(code(d.reason(), PacketType.SUBACK), d.reasonString())
                : SubscribeVerdict.granted(requested));
    }

    /** A superuser's topics are not checked by topic plugins. */
    private static boolean superuser(ConnectionInfo client) {
        return client != null && client.superuser();
    }

    @Override
    public boolean checksReceive() {
        return receiveChecks;
    }

    @Override
    public CompletionStage<Boolean> authorizeReceive(ConnectionInfo subscriber, BrokerMessage message) {
        if (!receiveChecks || superuser(subscriber)) {
            return RECEIVE_ALLOWED;
        }
        CompletableFuture<Decision> f = rt.authorize(subscriber, TopicAction.RECEIVE, message.topic()).toCompletableFuture();
        if (f.isDone()) {
            return f.join().kind() == Decision.Kind.DENY ? RECEIVE_DENIED : RECEIVE_ALLOWED;
        }
        return f.thenApply(d -> d.kind() != Decision.Kind.DENY);
    }
}
