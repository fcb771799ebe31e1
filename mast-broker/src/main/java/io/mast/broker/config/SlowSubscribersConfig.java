package io.mast.broker.config;

import io.mast.plugin.support.Durations;
import java.time.Duration;

/**
 * What the broker does about a subscriber that reads slowly or not at all. By default such a subscriber fills only its
 * own bounded queue ({@code limits.max_queued_messages}, {@code limits.max_queued_bytes}) and never slows anyone else
 * down: what does not fit is dropped as {@code overflow} says, counted, announced to plugins and logged.
 *
 * @param overflow         which message gives way when a session's queue is full (default {@code drop_qos0_first})
 * @param disconnectAfter  a connected subscriber whose queue overflowed and that took no message for this long is
 *                         disconnected (MQTT 5.0: DISCONNECT 0x97 Quota exceeded); its session stays as its expiry
 *                         says (default 60s; {@code never} keeps it connected)
 * @param pausePublishers  the "lossless" mode: instead of dropping, stop reading from the publishers of a subscriber
 *                         that cannot keep up, so that they slow down to its pace; a subscriber that takes no message
 *                         for a second while publishers wait for it stops holding them back until its queue drained
 *                         (default false)
 */
public record SlowSubscribersConfig(Overflow overflow, Duration disconnectAfter, Boolean pausePublishers) {

    /** Which message is dropped when a session's queue is full. */
    public enum Overflow {
        /** A new QoS 0 message is dropped; a new QoS 1 or 2 message takes the place of the oldest QoS 0 message
         *  queued, or of the oldest message when none is QoS 0. */
        DROP_QOS0_FIRST,
        /** The oldest queued message makes room for the new one. */
        DROP_OLDEST,
        /** The new message is dropped. */
        DROP_NEW
    }

    public SlowSubscribersConfig {
        overflow = overflow == null ? Overflow.DROP_QOS0_FIRST : overflow;
        disconnectAfter = disconnectAfter == null ? Duration.ofSeconds(60) : disconnectAfter;
        pausePublishers = pausePublishers != null && pausePublishers;
        if (disconnectAfter.isNegative() || disconnectAfter.isZero()) {
            throw new IllegalArgumentException("disconnect_after: expected a positive duration such as 60s, or never");
        }
    }

    /** True when slow subscribers are never disconnected. */
    public boolean neverDisconnects() {
        return Durations.isNever(disconnectAfter);
    }

    /** All defaults. */
    public static SlowSubscribersConfig defaults() {
        return new SlowSubscribersConfig(null, null, null);
    }
}
