package io.mast.exhook.sdk;

/**
 * A decision hook's full answer: a value and what the broker does next. The plain hooks
 * ({@link HookProvider#onClientAuthenticate}, {@link HookProvider#onClientAuthorize},
 * {@link HookProvider#onMessagePublish}) always answer {@link Type#CONTINUE}; override their {@code answer...} form
 * to ignore a request or to stop the chain of hook servers:
 * <pre>{@code
 * @Override public Answer<Boolean> answerClientAuthenticate(ClientInfo client, boolean resultSoFar) {
 *     if (!client.username().startsWith("db:")) return Answer.ignore();   // not ours: ask the next server
 *     return Answer.stop(db.check(client));                               // final, no further server is asked
 * }
 * }</pre>
 *
 * <p>A refusal can carry the MQTT 5.0 reason code and Reason String the client gets ({@link #deny(int, String)},
 * {@link #refuse(int, String)}, {@link #withReason(int, String)}). This is Mast's extension of the protocol
 * ({@code ValuedResponse.reason_code} and {@code reason_string}); EMQX ignores it and refuses with its defaults.
 *
 * @param type         what the broker does with the value
 * @param value        the value: the decision, or for {@code message.publish} the message to publish, null to drop
 *                     it; ignored with {@link Type#IGNORE}
 * @param reasonCode   with a refusal, the reason code the client gets (e.g. {@code 0x86} Bad user name or password,
 *                     {@code 0x8A} Banned, {@code 0x97} Quota exceeded); 0 for the defaults (0x87, or a silent drop for
 *                     {@code message.publish})
 * @param reasonString with a refusal, the Reason String the client gets, or null
 * @param <T>          {@link Boolean} for authentication and authorization, {@link Message} for publishing
 */
public record Answer<T>(Type type, T value, int reasonCode, String reasonString) {

    /** What the broker does with an answer, as in the protocol's {@code ValuedResponse.type}. */
    public enum Type {
        /** Use the value, then ask the next hook server. */
        CONTINUE,
        /** Ask the next hook server as if this one had not answered; the result so far stands. */
        IGNORE,
        /** Use the value and ask no further hook server. */
        STOP_AND_RETURN
    }

    /** Checks that the type is given and the reason code is a byte. */
    public Answer {
        java.util.Objects.requireNonNull(type, "type");
        if (reasonCode < 0 || reasonCode > 0xFF) {
            throw new IllegalArgumentException("a reason code is a byte (0 to 0xFF), not " + reasonCode);
        }
    }

    /** An answer without a reason code. */
    public Answer(Type type, T value) {
        this(type, value, 0, null);
    }

    /** This answer with the reason code and Reason String of a refusal. */
    public Answer<T> withReason(int code, String text) {
        return new Answer<>(type, value, code, text);
    }

    /**
     * Refuses a login ({@code client.authenticate}) or a publish or subscribe ({@code client.authorize}) with a reason
     * code, e.g. {@code Answer.deny(0x86, "unknown user")}; no further hook server is asked.
     */
    public static Answer<Boolean> deny(int reasonCode, String reasonString) {
        return new Answer<>(Type.STOP_AND_RETURN, false, reasonCode, reasonString);
    }

    /**
     * Refuses a message ({@code message.publish}) with a reason code, e.g. {@code Answer.refuse(0x97, "over quota")}:
     * the publisher gets it in PUBACK or PUBREC (MQTT 5.0), where {@link #drop()} acknowledges the message as if it
     * had been published. No further hook server is asked.
     */
    public static Answer<Message> refuse(int reasonCode, String reasonString) {
        return new Answer<>(Type.STOP_AND_RETURN, null, reasonCode, reasonString);
    }

    /** Use {@code value} and let the next hook server decide on top of it. */
    public static <T> Answer<T> proceed(T value) {
        return new Answer<>(Type.CONTINUE, value);
    }

    /** Use {@code value} as the final decision: no further hook server is asked. */
    public static <T> Answer<T> stop(T value) {
        return new Answer<>(Type.STOP_AND_RETURN, value);
    }

    /** No opinion: the next hook server decides, or the result so far stands. */
    public static <T> Answer<T> ignore() {
        return new Answer<>(Type.IGNORE, null);
    }

    /** For {@code message.publish}: drop the message (the protocol's header {@code allow_publish=false}). */
    public static Answer<Message> drop() {
        return new Answer<>(Type.CONTINUE, null);
    }
}
