package io.mast.broker.session;

import io.mast.broker.store.Persistence;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;

/**
 * The QoS 2 messages a session's client sent: the packet identifiers whose message was accepted and not yet released
 * (kept in the store, so that a re-send after a restart is answered and not routed twice), and those whose decision is
 * still under way (not stored). Used in the session's mailbox only.
 */
public final class InboundQos2 {

    private final String clientId;
    private final Persistence persistence;
    private Set<Integer> accepted;
    private Set<Integer> pending;

    InboundQos2(String clientId, Persistence persistence) {
        this.clientId = clientId;
        this.persistence = persistence;
    }

    /** True when a QoS 2 PUBLISH with this packet identifier was accepted and not yet released. */
    public boolean isAccepted(int packetId) {
        return accepted != null && accepted.contains(packetId);
    }

    /**
     * A QoS 2 PUBLISH arrived: returns false when its packet identifier is already taken, by a message accepted and
     * not yet released or by one whose decision is still under way, so that a re-send (DUP) is not routed twice. Until
     * {@link #accept} or {@link #refused}, the identifier counts as pending.
     */
    public boolean begin(int packetId) {
        if (isAccepted(packetId) || (pending != null && pending.contains(packetId))) {
            return false;
        }
        if (pending == null) {
            pending = new HashSet<>(4);
        }
        pending.add(packetId);
        return true;
    }

    /** The message was accepted (routed): PUBREC goes out, and the receipt is kept until PUBREL. */
    public void accept(int packetId) {
        if (pending != null) {
            pending.remove(packetId);
        }
        if (accepted == null) {
            accepted = new HashSet<>();
        }
        accepted.add(packetId);
        persistence.inboundQos2Received(clientId, packetId);
    }

    /** The message was refused (PUBREC with an error): its packet identifier is free again. */
    public void refused(int packetId) {
        if (pending != null) {
            pending.remove(packetId);
        }
    }

    /** PUBREL: returns false when the packet identifier was unknown. */
    public boolean release(int packetId) {
        if (accepted == null || !accepted.remove(packetId)) {
            return false;
        }
        persistence.inboundQos2Released(clientId, packetId);
        return true;
    }

    /** The receipts a restarted broker read from its store. */
    void restore(Collection<Integer> stored) {
        if (!stored.isEmpty()) {
            accepted = new HashSet<>(stored);
        }
    }

    /** The session ended. */
    void clear() {
        accepted = null;
        pending = null;
    }
}
