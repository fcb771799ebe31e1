package io.mast.broker.connection;

import io.netty.channel.Channel;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Whether the broker reads from a client's socket. Two reasons close the gate, independently: the client's packets
 * back up behind a pending decision (its backlog is full), or a subscriber it publishes to cannot keep up. Reading
 * resumes when every reason has cleared. A pause for a subscriber lasts at most {@link #MAX_PAUSE_MS}, so a dead
 * subscriber cannot stall a publisher. Used on the channel's event loop only.
 */
final class ReadGate {

    /** The longest a publisher is paused for a congested subscriber. */
    static final long MAX_PAUSE_MS = 1000;

    private final Channel channel;
    private int reasons;
    private boolean backlogFull;
    private boolean paused;
    private ScheduledFuture<?> pauseTimer;

    ReadGate(Channel channel) {
        this.channel = channel;
    }

    /** The client's backlog is full: stop reading until {@link #backlogDrained()}. */
    void backlogFull() {
        if (!backlogFull) {
            backlogFull = true;
            close();
        }
    }

    /** The client's backlog is short again. */
    void backlogDrained() {
        if (backlogFull) {
            backlogFull = false;
            open();
        }
    }

    /**
     * Stops reading for a congested subscriber until {@link #resume()} or for at most {@link #MAX_PAUSE_MS}; false
     * when already paused.
     */
    boolean pause() {
        if (paused) {
            return false;
        }
        paused = true;
        close();
        pauseTimer = channel.eventLoop().schedule(this::resume, MAX_PAUSE_MS, TimeUnit.MILLISECONDS);
        return true;
    }

    /** The subscriber drained (or the pause timed out). */
    void resume() {
        if (!paused) {
            return;
        }
        paused = false;
        cancelTimer();
        open();
    }

    /** The connection closed: no timer is left behind. */
    void cancelTimer() {
        if (pauseTimer != null) {
            pauseTimer.cancel(false);
            pauseTimer = null;
        }
    }

    private void close() {
        if (reasons++ == 0) {
            channel.config().setAutoRead(false);
        }
    }

    private void open() {
        if (reasons > 0 && --reasons == 0) {
            channel.config().setAutoRead(true);
        }
    }
}
