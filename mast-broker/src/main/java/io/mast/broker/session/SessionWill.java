package io.mast.broker.session;

import io.mast.broker.client.ConnectionInfo;
import io.mast.broker.message.BrokerMessage;
import io.mast.broker.store.Persistence;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A session's will: published when its connection is lost (at once, or after the Will Delay Interval, or when the
 * session ends, whichever comes first: MQTT 5.0 3.1.3.2.2), not published when the client comes back in time, kept in
 * the store meanwhile. Used in the session's mailbox only.
 */
final class SessionWill {

    private static final Logger log = LoggerFactory.getLogger(SessionWill.class);

    private final String clientId;
    private final SessionServices services;
    private final Mailbox mailbox;
    /** True while the session has no connection: a delayed will goes out only then. */
    private final BooleanSupplier offline;
    private BrokerMessage delayed;
    private ConnectionInfo publisher;
    private ScheduledFuture<?> timer;

    SessionWill(String clientId, SessionServices services, Mailbox mailbox, BooleanSupplier offline) {
        this.clientId = clientId;
        this.services = services;
        this.mailbox = mailbox;
        this.offline = offline;
    }

    /** A connection attached: its will is kept in the store while it is connected, for a broker that stops. */
    void connected(ClientLink c) {
        cancelDelayed(); // the client came back before the will delay elapsed: the will is not sent (MQTT-3.1.3-9)
        BrokerMessage will = c.peekWill();
        if (will != null) {
            services.persistence().willSaved(clientId, new Persistence.StoredWill(will, c.willDelaySeconds(), 0));
        }
    }

    /** The connection closed normally: its will is not published. */
    void discarded(ClientLink c) {
        if (c.peekWill() != null) {
            services.persistence().willRemoved(clientId);
        }
    }

    /** The will of a connection that was lost: now, after its delay, or when the session ends, whichever is first. */
    void lost(ClientLink c, boolean sessionContinues) {
        BrokerMessage will = c.takeWill();
        if (will == null) {
            return;
        }
        long delay = c.willDelaySeconds();
        if (delay == 0 || !sessionContinues) {
            services.persistence().willRemoved(clientId);
            publish(will, c.info());
            return;
        }
        delay(will, c.info(), delay, System.currentTimeMillis() + delay * 1000);
    }

    /** The session ended: a will still delayed goes out now. */
    void sessionEnded() {
        cancelTimer();
        if (delayed != null) {
            BrokerMessage will = delayed;
            delayed = null;
            publish(will, publisher);
        }
    }

    /** A will read from the store at startup: published now if its time passed, or held until then. */
    void restore(Persistence.StoredWill w, ConnectionInfo lastClient, long now) {
        long publishAt = w.publishAt() != 0 ? w.publishAt() : now + w.delaySeconds() * 1000;
        if (publishAt <= now) {
            services.persistence().willRemoved(clientId);
            publish(w.message(), lastClient);
        } else {
            delay(w.message(), lastClient, w.delaySeconds(), publishAt);
        }
    }

    /** Publishes a will read from the store of a session that had already ended. */
    void publishRestored(Persistence.StoredWill w, ConnectionInfo lastClient) {
        publish(w.message(), lastClient);
    }

    private void cancelDelayed() {
        cancelTimer();
        if (delayed != null) {
            delayed = null;
            publisher = null;
            services.persistence().willRemoved(clientId);
        }
    }

    void cancelTimer() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    /** Holds a will until {@code publishAt} (epoch ms), or until the session ends if that comes first. */
    private void delay(BrokerMessage will, ConnectionInfo from, long delaySeconds, long publishAt) {
        delayed = will;
        publisher = from;
        services.persistence().willSaved(clientId, new Persistence.StoredWill(will, delaySeconds, publishAt));
        long in = Math.max(0, publishAt - System.currentTimeMillis());
        timer = mailbox.home().schedule(() -> mailbox.execute(this::publishDelayed), in, TimeUnit.MILLISECONDS);
    }

    private void publishDelayed() {
        if (delayed != null && offline.getAsBoolean()) {
            BrokerMessage will = delayed;
            delayed = null;
            services.persistence().willRemoved(clientId);
            publish(will, publisher);
        }
    }

    private void publish(BrokerMessage will, ConnectionInfo from) {
        services.metrics().willsPublished.increment();
        log.debug("Publishing the will of {} to {}", clientId, will.topic());
        if (will.expiresAt() != 0) {
            // Its Message Expiry Interval (held as expiresAt - createdAt) counts from now (MQTT 5.0 3.1.3.2.4).
            long now = System.currentTimeMillis();
            will = new BrokerMessage(will.topic(), will.payload(), will.qos(), will.retain(), will.properties(),
                    will.publisherId(), now, now + (will.expiresAt() - will.createdAt()));
        }
        services.publisher().publish(will, from, null);
    }
}
