package io.mast.plugin;

/** Why a message was not delivered to a subscriber (or to anyone). */
public enum DropReason {
    /** No subscription matched the topic. */
    NO_SUBSCRIBERS,
    /**
     * The subscriber's queue was full (its {@code limits.max_queued_messages} or {@code max_queued_bytes}): this message,
     * or an older one that made room for a newer, as {@code slow_subscribers.overflow} says.
     */
    QUEUE_FULL,
    /** The message expired before it could be delivered. */
    EXPIRED,
    /** The message was larger than the subscriber's Maximum Packet Size. */
    TOO_LARGE,
    /** A QoS 0 message for a subscriber that is offline. */
    QOS0_OFFLINE,
    /** A topic plugin denied the subscriber receiving it. */
    NOT_AUTHORIZED,
    /** A publish plugin dropped it. */
    DROPPED_BY_PLUGIN,
    /** The subscriber's session ended with the message still queued. */
    SESSION_ENDED,
    /** The broker's queues together held {@code limits.max_queued_bytes_total}: it could not be queued. */
    OVERLOADED
}
