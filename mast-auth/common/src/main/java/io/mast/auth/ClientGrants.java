package io.mast.auth;

import io.mast.plugin.BrokerContext;
import io.mast.plugin.ClientInfo;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * What an authentication source granted each connection: the ACL rules that came with its login (an HTTP answer's
 * {@code acl}, a JWT's {@code acl} claim) and when the login expires ({@code expire_at}, {@code exp}).
 *
 * <p>A grant belongs to one connection, not to a client identifier: it is found again only for the connection that
 * logged in (same identifier, address and CONNECT time), so a client that takes over a session gets its own grant and
 * the end of the old connection does not remove the new one's. Grants are removed when their connection ends
 * ({@link #remove}, from {@code onClientDisconnected}), and a sweep every minute removes those of connections that
 * are gone without that event (refused by a later plugin, or an event dropped from a full queue).
 *
 * <p>When a grant expires, the client is disconnected (DISCONNECT 0x98, as an administrator would) and, until it is
 * gone, every ACL check of the grant denies, as EMQX does when a JWT or an HTTP login expires.
 */
public final class ClientGrants implements AutoCloseable {

    /** Connections younger than this are never swept: their login may still be in progress. */
    private static final long SWEEP_AFTER_MS = 60_000;

    /**
     * A grant.
     *
     * @param rules     the ACL rules ({@link AclRules#NONE} for none)
     * @param expiresAt epoch milliseconds when the login expires, or 0 for never
     */
    public record Grant(AclRules rules, long expiresAt) {
        public Grant {
            Objects.requireNonNull(rules, "rules");
        }

        /** True when the login has expired at this time. */
        public boolean expired(long now) {
            return expiresAt > 0 && now >= expiresAt;
        }
    }

    private record Entry(InetSocketAddress address, long connectedAt, Grant grant, ScheduledFuture<?> expiry) {
        boolean of(ClientInfo c) {
            return connectedAt == c.connectedAt() && Objects.equals(address, c.remoteAddress());
        }
    }

    private final BrokerContext context;
    private final Map<String, Entry> grants = new ConcurrentHashMap<>();
    private final ScheduledFuture<?> sweeper;

    /** Grants of a plugin, swept on the broker's scheduler. */
    public ClientGrants(BrokerContext context) {
        this.context = context;
        this.sweeper = context.scheduler().scheduleWithFixedDelay(this::sweep, 1, 1, TimeUnit.MINUTES);
    }

    /** Records what a connection was granted at login (replacing what an earlier connection of its id had). */
    public void put(ClientInfo connecting, Grant grant) {
        ScheduledFuture<?> expiry = null;
        if (grant.expiresAt() > 0) {
            long delay = Math.max(0, grant.expiresAt() - System.currentTimeMillis());
            expiry = context.scheduler().schedule(() -> expire(connecting), delay, TimeUnit.MILLISECONDS);
        }
        Entry old = grants.put(connecting.clientId(),
                new Entry(connecting.remoteAddress(), connecting.connectedAt(), grant, expiry));
        cancel(old);
    }

    /** What this connection was granted, or {@code null} (another connection's grant is never returned). */
    public Grant get(ClientInfo client) {
        if (client == null) {
            return null;
        }
        Entry e = grants.get(client.clientId());
        return e != null && e.of(client) ? e.grant() : null;
    }

    /** Forgets the grant of a connection that ended; a newer connection's grant stays. */
    public void remove(ClientInfo client) {
        Entry e = grants.get(client.clientId());
        if (e != null && e.of(client) && grants.remove(client.clientId(), e)) {
            cancel(e);
        }
    }

    /** How many connections have a grant. */
    public int size() {
        return grants.size();
    }

    private void expire(ClientInfo connection) {
        Entry e = grants.get(connection.clientId());
        if (e == null || !e.of(connection)) {
            return;
        }
        context.logger().info("The login of {} expired: disconnecting it", connection.clientId());
        context.session(connection.clientId()).thenAccept(s -> {
            // Only the connection that logged in, not one that took its session over since.
            if (s.isPresent() && s.get().connected() && s.get().client() != null && e.of(s.get().client())) {
                context.disconnect(connection.clientId());
            }
        });
    }

    /** Removes the grants of connections that are no longer connected. */
    void sweep() {
        long now = System.currentTimeMillis();
        for (Map.Entry<String, Entry> g : grants.entrySet()) {
            Entry e = g.getValue();
            if (now - e.connectedAt() < SWEEP_AFTER_MS) {
                continue;
            }
            context.session(g.getKey()).thenAccept(s -> {
                boolean current = s.isPresent() && s.get().connected() && s.get().client() != null
                        && e.of(s.get().client());
                if (!current && grants.remove(g.getKey(), e)) {
                    cancel(e);
                }
            });
        }
    }

    private static void cancel(Entry e) {
        if (e != null && e.expiry() != null) {
            e.expiry().cancel(false);
        }
    }

    @Override
    public void close() {
        sweeper.cancel(false);
        grants.values().forEach(ClientGrants::cancel);
        grants.clear();
    }
}
