package io.mast.plugin;

import java.util.Objects;

/**
 * The answer of a {@link TopicPlugin}: allow, deny (with the reason the client is told), or abstain (let the other
 * plugins decide). Chains run in config order; the first deny stops them; abstentions are ignored; when every
 * plugin abstains the action is allowed.
 */
public final class Decision {

    /** Allowed, unless a later plugin denies. */
    public static final Decision ALLOW = new Decision(Kind.ALLOW, null, null);
    /** No opinion. */
    public static final Decision ABSTAIN = new Decision(Kind.ABSTAIN, null, null);
    /** Denied with 0x87 Not authorized. */
    public static final Decision DENY = new Decision(Kind.DENY, Reason.NOT_AUTHORIZED, null);

    /** The three kinds of answer. */
    public enum Kind { ALLOW, DENY, ABSTAIN }

    private final Kind kind;
    private final Reason reason;
    private final String reasonString;

    private Decision(Kind kind, Reason reason, String reasonString) {
        this.kind = kind;
        this.reason = reason;
        this.reasonString = reasonString;
    }

    /** Denied with a reason and an explanation sent to MQTT 5.0 clients that accept one. */
    public static Decision deny(Reason reason, String reasonString) {
        return new Decision(Kind.DENY, Objects.requireNonNull(reason, "reason"), reasonString);
    }

    /** {@link #ALLOW} for true, {@link #DENY} for false. */
    public static Decision of(boolean allowed) {
        return allowed ? ALLOW : DENY;
    }

    public Kind kind() {
        return kind;
    }

    /** The reason of a denial, {@code null} otherwise. */
    public Reason reason() {
        return reason;
    }

    /** The explanation of a denial, or {@code null}. */
    public String reasonString() {
        return reasonString;
    }

    @Override
    public String toString() {
        return kind == Kind.DENY ? "DENY(" + reason + (reasonString == null ? "" : ", " + reasonString) + ")" : kind.name();
    }
}
