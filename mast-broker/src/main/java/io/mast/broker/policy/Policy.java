package io.mast.broker.policy;

import io.mast.broker.client.ConnectionInfo;
import io.mast.broker.message.BrokerMessage;
import io.mast.codec.Qos;
import io.mast.codec.ReasonCode;
import io.mast.codec.packet.Connect;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The decisions the broker asks for: who may connect, publish and subscribe. Answers may come later (a plugin that
 * reads a database); the broker holds the client's following packets meanwhile and never blocks a thread. An answer
 * that is already complete costs nothing extra.
 */
public interface Policy {

    /**
     * The outcome of authentication: {@link ReasonCode#SUCCESS}, the CONNACK reason to refuse with, or (MQTT 5.0
     * enhanced authentication) {@link ReasonCode#CONTINUE_AUTHENTICATION} with data for the client's next AUTH.
     *
     * @param authenticationData data for the client (AUTH when continuing, CONNACK when done), or {@code null}
     * @param superuser          allowed as a superuser: no topic decisions are asked about the client
     */
    record AuthResult(ReasonCode reasonCode, String reasonString, byte[] authenticationData, boolean continues,
                      boolean superuser) {
        public static final AuthResult ALLOW = new AuthResult(ReasonCode.SUCCESS, null);

        public AuthResult(ReasonCode reasonCode, String reasonString) {
            this(reasonCode, reasonString, null, false);
        }

        public AuthResult(ReasonCode reasonCode, String reasonString, byte[] authenticationData, boolean continues) {
            this(reasonCode, reasonString, authenticationData, continues, false);
        }

        /** Enhanced authentication goes on: send the data in AUTH 0x18 and wait for the client's answer. */
        public static AuthResult continueWith(byte[] data) {
            return new AuthResult(ReasonCode.CONTINUE_AUTHENTICATION, null, data, true);
        }

        public boolean allowed() {
            return reasonCode == ReasonCode.SUCCESS;
        }
    }

    /**
     * The outcome for a PUBLISH: allowed (possibly with a changed message) or refused with a reason code.
     *
     * @param reasonCode   {@link ReasonCode#SUCCESS}, or why it was refused (0x87 Not authorized ...)
     * @param reasonString the explanation of a refusal for MQTT 5.0 clients, or {@code null} for the broker's own
     * @param message      the message to route when allowed and changed; {@code null} keeps the original
     * @param drop         true to drop the message silently yet acknowledge it as accepted
     */
    record PublishVerdict(ReasonCode reasonCode, String reasonString, BrokerMessage message, boolean drop) {
        public static final PublishVerdict ALLOW = new PublishVerdict(ReasonCode.SUCCESS, null, null, false);
        public static final PublishVerdict DENY = new PublishVerdict(ReasonCode.NOT_AUTHORIZED, null, null, false);

        /** Refused with this reason and explanation. */
        public static PublishVerdict deny(ReasonCode reasonCode, String reasonString) {
            return new PublishVerdict(reasonCode, reasonString, null, false);
        }

        public boolean allowed() {
            return !reasonCode.isError();
        }
    }

    /**
     * The outcome for one filter of a SUBSCRIBE.
     *
     * @param reasonCode   the QoS granted (0x00, 0x01, 0x02) or why it was refused
     * @param reasonString the explanation of a refusal for MQTT 5.0 clients, or {@code null}
     */
    record SubscribeVerdict(ReasonCode reasonCode, String reasonString) {
        public static final SubscribeVerdict GRANTED_0 = new SubscribeVerdict(ReasonCode.GRANTED_QOS_0, null);
        public static final SubscribeVerdict GRANTED_1 = new SubscribeVerdict(ReasonCode.GRANTED_QOS_1, null);
        public static final SubscribeVerdict GRANTED_2 = new SubscribeVerdict(ReasonCode.GRANTED_QOS_2, null);

        /** The QoS requested, granted. */
        public static SubscribeVerdict granted(Qos qos) {
            return switch (qos) {
                case AT_MOST_ONCE -> GRANTED_0;
                case AT_LEAST_ONCE -> GRANTED_1;
                case EXACTLY_ONCE -> GRANTED_2;
            };
        }
    }

    CompletableFuture<AuthResult> ALLOWED = CompletableFuture.completedFuture(AuthResult.ALLOW);
    CompletableFuture<PublishVerdict> PUBLISH_ALLOWED = CompletableFuture.completedFuture(PublishVerdict.ALLOW);

    /** May this client connect? */
    CompletionStage<AuthResult> authenticate(Connect connect, ConnectionInfo client);

    /**
     * The next step of MQTT 5.0 enhanced authentication (an AUTH from the client), or the start of a
     * re-authentication. Without support for the method the answer is 0x8C Bad authentication method.
     */
    default CompletionStage<AuthResult> authenticateStep(ConnectionInfo client, String method, byte[] data,
                                                         boolean reauthentication) {
        return CompletableFuture.completedFuture(new AuthResult(ReasonCode.BAD_AUTHENTICATION_METHOD,
                "authentication method " + method + " is not supported"));
    }

    /** May this client (or, for {@code client == null}, the broker itself) publish this message? */
    CompletionStage<PublishVerdict> authorizePublish(ConnectionInfo client, BrokerMessage message);

    /**
     * May this client subscribe to this filter? Answers the QoS to grant (at most {@code requested}), or a failure
     * reason code for the SUBACK.
     */
    CompletionStage<SubscribeVerdict> authorizeSubscribe(ConnectionInfo client, String filter, Qos requested);

    /** True when deliveries must be checked per subscriber ({@link #authorizeReceive}); false skips the checks. */
    default boolean checksReceive() {
        return false;
    }

    /** May this subscriber receive this message? Asked per delivery when {@link #checksReceive()}. */
    default CompletionStage<Boolean> authorizeReceive(ConnectionInfo subscriber, BrokerMessage message) {
        return CompletableFuture.completedFuture(Boolean.TRUE);
    }
}
