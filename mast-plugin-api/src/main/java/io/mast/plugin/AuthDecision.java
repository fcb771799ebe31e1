package io.mast.plugin;

import java.util.Objects;

/**
 * The answer of an {@link AuthPlugin}: allow, deny with a reason (MQTT 5.0 clients get it in CONNACK: 0x86 bad user
 * name or password, 0x87 not authorized, ...), abstain, or, for MQTT 5.0 enhanced authentication, continue with data
 * for the client (sent in an AUTH packet with reason 0x18).
 *
 * <p>Chains run in config order: the first deny stops them; allow lets the next plugins still deny; when every plugin
 * abstains the client is refused (0x87).
 *
 * <p>An allow may make the client a <b>superuser</b> ({@link #allowSuperuser()}, {@link #asSuperuser()}): once the
 * client is accepted, no topic plugin is asked about what it publishes, subscribes to or receives (see
 * {@link ClientInfo#superuser()}).
 */
public final class AuthDecision {

    /** The kinds of answer. */
    public enum Kind { ALLOW, DENY, ABSTAIN, CONTINUE }

    private static final AuthDecision ALLOW = new AuthDecision(Kind.ALLOW, null, null, null, false);
    private static final AuthDecision SUPERUSER = new AuthDecision(Kind.ALLOW, null, null, null, true);
    private static final AuthDecision ABSTAIN = new AuthDecision(Kind.ABSTAIN, null, null, null, false);

    private final Kind kind;
    private final Reason reason;
    private final String reasonString;
    private final byte[] authenticationData;
    private final boolean superuser;

    private AuthDecision(Kind kind, Reason reason, String reasonString, byte[] authenticationData, boolean superuser) {
        this.kind = kind;
        this.reason = reason;
        this.reasonString = reasonString;
        this.authenticationData = authenticationData;
        this.superuser = superuser;
    }

    public static AuthDecision allow() {
        return ALLOW;
    }

    /**
     * Allowed as a superuser: unless a later plugin of the chain denies, the client is accepted and the topic plugins
     * are not asked about it (its publish plugins still are). Same as {@code allow().asSuperuser()}.
     */
    public static AuthDecision allowSuperuser() {
        return SUPERUSER;
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
        return new AuthDecision(Kind.DENY, Objects.requireNonNull(reason, "reason"), reasonString, null, false);
    }

    /** Enhanced authentication continues: the data goes to the client in AUTH (0x18 Continue authentication). */
    public static AuthDecision continueWith(byte[] authenticationData) {
        return new AuthDecision(Kind.CONTINUE, null, null, authenticationData.clone(), false);
    }

    /** {@link #allow()} for true, {@link #badCredentials()} for false. */
    public static AuthDecision of(boolean allowed) {
        return allowed ? ALLOW : badCredentials();
    }

    /** Allowed, with authentication data for the client in CONNACK (the last step of enhanced authentication). */
    public static AuthDecision allowWith(byte[] authenticationData) {
        return new AuthDecision(Kind.ALLOW, null, null, authenticationData.clone(), false);
    }

    /**
     * This allow (with its authentication data, if any) for a superuser: see {@link #allowSuperuser()}. When several
     * plugins of a chain allow, the client is a superuser if any of them said so.
     *
     * @throws IllegalStateException when this decision is not an allow
     */
    public AuthDecision asSuperuser() {
        if (kind != Kind.ALLOW) {
            throw new IllegalStateException("only an allow can make a superuser, not " + this);
        }
        return superuser ? this : new AuthDecision(Kind.ALLOW, null, null, authenticationData, true);
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

    /** True for an allow that makes the client a superuser ({@link #allowSuperuser()}). */
    public boolean superuser() {
        return superuser;
    }

    /** Data for the client (CONTINUE, or ALLOW at the end of enhanced authentication), or {@code null}. */
    public byte[] authenticationData() {
        return authenticationData == null ? null : authenticationData.clone();
    }

    @Override
    public String toString() {
        return kind == Kind.DENY ? "DENY(" + reason + ")" : superuser ? "ALLOW(superuser)" : kind.name();
    }
}
