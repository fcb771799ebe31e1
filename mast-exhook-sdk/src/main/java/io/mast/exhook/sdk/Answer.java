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
 * @param type  what the broker does with the value
 * @param value the value: the decision, or for {@code message.publish} the message to publish, null to drop it;
 *              ignored with {@link Type#IGNORE}
 * @param <T>   {@link Boolean} for authentication and authorization, {@link Message} for publishing
 */
public record Answer<T>(Type type, T value) {

    /** What the broker does with an answer, as in the protocol's {@code ValuedResponse.type}. */
    public enum Type {
        /** Use the value, then ask the next hook server. */
        CONTINUE,
        /** Ask the next hook server as if this one had not answered; the result so far stands. */
        IGNORE,
        /** Use the value and ask no further hook server. */
        STOP_AND_RETURN
    }

    /** Checks that the type is given. */
    public Answer {
        java.util.Objects.requireNonNull(type, "type");
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
