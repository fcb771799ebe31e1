package io.mast.broker.session;

import java.util.Collection;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;

/** All sessions by client identifier, and the rules for opening one: resume, replace or create. */
public final class SessionRegistry {

    private final SessionServices services;
    private final ConcurrentHashMap<String, Session> sessions = new ConcurrentHashMap<>();

    public SessionRegistry(SessionServices services) {
        this.services = services;
    }

    /** What the sessions use of the rest of the broker. */
    public SessionServices services() {
        return services;
    }

    /**
     * Opens the session of an authenticated connection. With Clean Start, or when there is no session, a new one
     * replaces any existing one (whose connection is closed and which ends); otherwise the existing one is resumed
     * and its connection, if any, taken over. The callback runs in the session's mailbox once the connection is
     * attached, with whether the session was resumed.
     */
    public void open(ClientLink c, boolean cleanStart, long expirySeconds, BiConsumer<Session, Boolean> attached) {
        String id = c.info().clientId();
        if (!cleanStart) {
            Session existing = sessions.get(id);
            if (existing != null) {
                existing.mailbox().moveTo(c.eventLoop());
                existing.execute(() -> {
                    if (existing.attach(c, expirySeconds)) {
                        attached.accept(existing, Boolean.TRUE);
                    } else {
                        openNew(c, expirySeconds, attached);
                    }
                });
                return;
            }
        }
        openNew(c, expirySeconds, attached);
    }

    private void openNew(ClientLink c, long expirySeconds, BiConsumer<Session, Boolean> attached) {
        Session fresh = new Session(this, c.info().clientId(), c.eventLoop());
        Session previous = sessions.put(fresh.clientId(), fresh);
        if (previous != null) {
            previous.execute(() -> {
                services.events().sessionDiscarded(previous);
                previous.replaced("discarded");
            });
        }
        fresh.execute(() -> {
            fresh.attach(c, expirySeconds);
            attached.accept(fresh, Boolean.FALSE);
        });
    }

    /**
     * The session of a client, or a new offline one (no connection yet) lasting {@code expirySeconds} after creation,
     * for subscriptions made on a client's behalf.
     */
    public Session getOrCreateOffline(String clientId, long expirySeconds) {
        return sessions.computeIfAbsent(clientId, id -> {
            Session s = new Session(this, id, services.workers().get().next());
            s.execute(() -> {
                s.startOffline(expirySeconds);
                services.events().sessionCreated(s);
            });
            return s;
        });
    }

    /** Called by a session that ended. */
    void removed(Session session) {
        sessions.remove(session.clientId(), session);
    }

    /** The session of a client, or {@code null}. */
    public Session get(String clientId) {
        return sessions.get(clientId);
    }

    /**
     * Restores the stored sessions at startup, before the listeners open; expired ones are removed (their delayed wills
     * published). Returns how many were restored.
     */
    public int restore(java.util.List<io.mast.broker.store.Persistence.StoredSession> stored) {
        long now = System.currentTimeMillis();
        java.util.List<java.util.concurrent.CompletableFuture<Boolean>> done = new java.util.ArrayList<>(stored.size());
        for (io.mast.broker.store.Persistence.StoredSession st : stored) {
            Session s = new Session(this, st.record().clientId(), services.workers().get().next());
            sessions.put(s.clientId(), s);
            java.util.concurrent.CompletableFuture<Boolean> f = new java.util.concurrent.CompletableFuture<>();
            s.execute(() -> {
                boolean kept = s.restore(st, now);
                if (!kept) {
                    sessions.remove(s.clientId(), s);
                }
                f.complete(kept);
            });
            done.add(f);
        }
        int restored = 0;
        for (var f : done) {
            restored += f.join() ? 1 : 0;
        }
        return restored;
    }

    public Collection<Session> all() {
        return sessions.values();
    }

    public int size() {
        return sessions.size();
    }
}
