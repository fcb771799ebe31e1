package io.mast.broker.policy;

import io.mast.broker.client.ConnectionInfo;
import io.mast.broker.message.BrokerMessage;
import io.mast.codec.Qos;
import io.mast.codec.ReasonCode;
import io.mast.codec.packet.Connect;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The policy when nothing else is configured, as Mosquitto 2 behaves without a configured authentication: clients
 * connecting from this machine are allowed without credentials, and so are clients that presented a TLS certificate
 * their listener verified (mTLS); others are refused (0x87 Not authorized); publishing
 * and subscribing are open, except that clients may not publish into {@code $SYS/}.
 */
public final class LoopbackPolicy implements Policy {

    private static final CompletableFuture<AuthResult> REMOTE_REFUSED = CompletableFuture.completedFuture(
            new AuthResult(ReasonCode.NOT_AUTHORIZED, "only clients on this machine may connect without authentication"));
    private static final CompletableFuture<PublishVerdict> DENIED = CompletableFuture.completedFuture(PublishVerdict.DENY);

    @Override
    public CompletionStage<AuthResult> authenticate(Connect connect, ConnectionInfo client) {
        String method = connect.properties().authenticationMethod();
        if (method != null) {
            return CompletableFuture.completedFuture(new AuthResult(ReasonCode.BAD_AUTHENTICATION_METHOD,
                    "authentication method " + method + " is not supported"));
        }
        // A certificate the listener verified (client_cert optional or required) identifies the client.
        return client.isLoopback() || client.certificate() != null ? ALLOWED : REMOTE_REFUSED;
    }

    @Override
    public CompletionStage<PublishVerdict> authorizePublish(ConnectionInfo client, BrokerMessage message) {
        return client != null && message.topic().startsWith("$SYS/") ? DENIED : PUBLISH_ALLOWED;
    }

    private static final CompletableFuture<SubscribeVerdict> GRANTED_0 =
            CompletableFuture.completedFuture(SubscribeVerdict.GRANTED_0);
    private static final CompletableFuture<SubscribeVerdict> GRANTED_1 =
            CompletableFuture.completedFuture(SubscribeVerdict.GRANTED_1);
    private static final CompletableFuture<SubscribeVerdict> GRANTED_2 =
            CompletableFuture.completedFuture(SubscribeVerdict.GRANTED_2);

    @Override
    public CompletionStage<SubscribeVerdict> authorizeSubscribe(ConnectionInfo client, String filter, Qos requested) {
        return switch (requested) {
            case AT_MOST_ONCE -> GRANTED_0;
            case AT_LEAST_ONCE -> GRANTED_1;
            case EXACTLY_ONCE -> GRANTED_2;
        };
    }
}
