package io.mast.plugin;

import java.util.Objects;

/**
 * The answer of an {@link AuthPlugin}: allow, deny with a reason (MQTT 5.0 clients get it in CONNACK: 0x86 bad user
 * name or password, 0x87 not authorized, ...), abstain, or, for MQTT 5.0 enhanced authentication, continue with data
 * for the client (sent in an AUTH packet with reason 0x18).
 *
 * <p>Chains run in config order: the first deny stops them; allow lets the next plugins still deny; when every plugin
 * abstains the client is refused (0x87).
 */
public final class AuthDecision {

    /** The kinds of answer. */
    public enum Kind { ALLOW, DENY, ABSTAIN, CONTINUE }

    private static final AuthDecision ALLOW = new AuthDecision(Kind.ALLOW, null, null, null);
    private static final AuthDecision ABSTAIN = new AuthDecision(Kind.ABSTAIN, null, null, null);

    private final Kind kind;
    private final Reason reason;
    private final String reasonString;
    private final byte[] authenticationData;

    private AuthDecision(Kind kind, Reason reason, String reasonString, byte[] authenticationData) {
        this.kind = kind;
        this.reason = reason;
        this.reasonString = reasonString;
        this.authenticationData = authenticationData;
    }

    public static AuthDecision allow() {
        return ALLOW;
    }

    public static AuthDecision abstain() {
        return ABSTAIN;
    }

    /** Refused with 0x86 Bad user name or password. */
    public static AuthDecision badCredentials() {
        return deny(Reason.BAD_USER_NAME_OR_PASSWORD, null);
    }

    /** Refused with 0x87 Not authorized. */
    public static AuthDecision notAuthorized() {
        return deny(Reason.NOT_AUTHORIZED, null);
    }

    /** Refused with a reason and an explanation for MQTT 5.0 clients. */
    public static AuthDecision deny(Reason reason, String reasonString) {
        return new AuthDecision(Kind.DENY, Objects.requireNonNull(reason, "reason"), reasonString, null);
    }

    /** Enhanced authentication continues: the data goes to the client in AUTH (0x18 Continue authentication). */
    public static AuthDecision continueWith(byte[] authenticationData) {
        return new AuthDecision(Kind.CONTINUE, null, null, authenticationData.clone());
    }

    /** {@link #allow()} for true, {@link #badCredentials()} for false. */
    public static AuthDecision of(boolean allowed) {
        return allowed ? ALLOW : badCredentials();
    }

    /** Allowed, with authentication data for the client in CONNACK (the last step of enhanced authentication). */
    public static AuthDecision allowWith(byte[] authenticationData) {
        return new AuthDecision(Kind.ALLOW, null, null, authenticationData.clone());
    }

    public Kind kind() {
        return kind;
    }

    public Reason reason() {
        return reason;
    }

    public String reasonString() {
        return reasonString;
    }

    /** Data for the client (CONTINUE, or ALLOW at the end of enhanced authentication), or {@code null}. */
    public byte[] authenticationData() {
        return authenticationData == null ? null : authenticationData.clone();
    }

    @Override
    public String toString() {
        return kind == Kind.DENY ? "DENY(" + reason + ")" : kind.name();
    }
}
