package io.mast.plugin;

import java.util.Objects;

/**
 * The answer of a {@link PublishPlugin} about a message before it is routed: go on (with the same or a changed
 * message), drop it silently (the publisher is acknowledged as if it was delivered), or deny it (MQTT 5.0
 * publishers get the reason in PUBACK/PUBREC; 3.1.1 publishers are acknowledged and the message is dropped).
 */
public final class PublishDecision {

    /** The kinds of answer. */
    public enum Kind { CONTINUE, DROP, DENY }

    private static final PublishDecision DROP = new PublishDecision(Kind.DROP, null, null, null);

    private final Kind kind;
    private final Message message;
    private final Reason reason;
    private final String reasonString;

    private PublishDecision(Kind kind, Message message, Reason reason, String reasonString) {
        this.kind = kind;
        this.message = message;
        this.reason = reason;
        this.reasonString = reasonString;
    }

    /** Go on with this message: the one received, or a changed one ({@code message.toBuilder()...build()}). */
    public static PublishDecision proceed(Message message) {
        return new PublishDecision(Kind.CONTINUE, Objects.requireNonNull(message, "message"), null, null);
    }

    /** Drop the message; the publisher is acknowledged. */
    public static PublishDecision drop() {
        return DROP;
    }

    /** Refuse the message with a reason. */
    public static PublishDecision deny(Reason reason, String reasonString) {
        return new PublishDecision(Kind.DENY, null, Objects.requireNonNull(reason, "reason"), reasonString);
    }

    public Kind kind() {
        return kind;
    }

    /** The message to go on with (CONTINUE), {@code null} otherwise. */
    public Message message() {
        return message;
    }

    public Reason reason() {
        return reason;
    }

    public String reasonString() {
        return reasonString;
    }
}
