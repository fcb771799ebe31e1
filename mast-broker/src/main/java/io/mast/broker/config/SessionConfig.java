package io.mast.broker.config;

import io.mast.plugin.support.Durations;
import java.time.Duration;

/**
 * Session defaults.
 *
 * @param maxExpiryInterval           the longest session expiry an MQTT 5.0 client may ask for (default never);
 *                                    a longer request is lowered and told in CONNACK
 * @param persistentClientExpiration  how long the session of a disconnected 3.1.1 client with clean session 0 is kept
 *                                    (default never, as in Mosquitto)
 * @param queueQos0Messages           also queue QoS 0 messages for offline persistent sessions (default false,
 *                                    as in Mosquitto)
 */
public record SessionConfig(Duration maxExpiryInterval, Duration persistentClientExpiration, Boolean queueQos0Messages) {

    public SessionConfig {
        maxExpiryInterval = maxExpiryInterval == null ? Durations.NEVER : maxExpiryInterval;
        persistentClientExpiration = persistentClientExpiration == null ? Durations.NEVER : persistentClientExpiration;
        queueQos0Messages = queueQos0Messages != null && queueQos0Messages;
        if (maxExpiryInterval.isNegative()) {
            throw new IllegalArgumentException("max_expiry_interval: expected a duration of 0 or more, or never");
        }
        if (persistentClientExpiration.isNegative()) {
            throw new IllegalArgumentException("persistent_client_expiration: expected a duration of 0 or more, or never");
        }
    }

    /** All defaults. */
    public static SessionConfig defaults() {
        return new SessionConfig(null, null, null);
    }
}
