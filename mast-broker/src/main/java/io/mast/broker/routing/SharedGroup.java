package io.mast.broker.routing;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The members of one shared subscription ({@code $share/group/filter}). Each message goes to one member, round robin,
 * preferring members whose client is online; an offline persistent member is picked only when no member is online.
 */
public final class SharedGroup {

    private final String name;
    private final String topicFilter;
    private final CopyOnWriteArrayList<SubscriptionEntry> members = new CopyOnWriteArrayList<>();
    private final AtomicInteger next = new AtomicInteger();

    public SharedGroup(String name, String topicFilter) {
        this.name = name;
        this.topicFilter = topicFilter;
    }

    public String name() {
        return name;
    }

    public String topicFilter() {
        return topicFilter;
    }

    /** Adds a member, replacing that session's earlier entry; returns the replaced entry or {@code null}. */
    SubscriptionEntry add(SubscriptionEntry entry) {
        for (int i = 0; i < members.size(); i++) {
            SubscriptionEntry e = members.get(i);
            if (e.subscriber() == entry.subscriber()) {
                members.set(i, entry);
                return e;
            }
        }
        members.add(entry);
        return null;
    }

    /** Removes a session's membership; returns its entry or {@code null}. */
    SubscriptionEntry remove(Subscriber subscriber) {
        for (SubscriptionEntry e : members) {
            if (e.subscriber() == subscriber) {
                members.remove(e);
                return e;
            }
        }
        return null;
    }

    boolean isEmpty() {
        return members.isEmpty();
    }

    /** The members now. */
    public List<SubscriptionEntry> members() {
        return List.copyOf(members);
    }

    /** The next member to receive a message, or {@code null} when the group is empty. */
    public SubscriptionEntry pick() {
        return pickExcept(null);
    }

    /** Like {@link #pick()}, never choosing {@code excluded} (a member whose connection just went away). */
    public SubscriptionEntry pickExcept(Subscriber excluded) {
        Object[] snapshot = members.toArray();
        int n = snapshot.length;
        if (n == 0) {
            return null;
        }
        int start = Math.floorMod(next.getAndIncrement(), n);
        SubscriptionEntry offline = null;
        for (int i = 0; i < n; i++) {
            SubscriptionEntry e = (SubscriptionEntry) snapshot[(start + i) % n];
            if (e.subscriber() == excluded) {
                continue;
            }
            if (e.subscriber().isOnline()) {
                return e;
            }
            if (offline == null) {
                offline = e;
            }
        }
        return offline;
    }
}
