package io.mast.broker.routing;

/**
 * Something a publisher may be paused for, so that it slows down instead of filling queues: a subscriber that cannot
 * keep up (when {@code slow_subscribers.pause_publishers} asks for it), or the broker's queues as a whole
 * ({@link QueueBudget}). A pause is bounded: while the congestion makes progress it goes on, and when a second passes
 * without progress the publisher resumes and the congestion is told it {@link #stalled()}, after which it pauses no
 * publisher until it was relieved. So a subscriber that stops reading can hold publishers back once, never for as long
 * as it stays connected.
 */
public interface Congestion {

    /** A count that grows whenever a message leaves the congested queues; a paused publisher watches it. */
    long progress();

    /** Runs the action once the congestion is relieved (or gone). Any thread. */
    void whenRelieved(Runnable action);

    /** A publisher's pause for this congestion ended without progress: pause no more publishers until relieved. */
    void stalled();
}
