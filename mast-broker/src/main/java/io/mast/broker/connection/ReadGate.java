package io.mast.broker.connection;

import io.netty.channel.Channel;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Whether the broker reads from a client's socket. Two reasons close the gate, independently: the client's packets
 * back up behind a pending decision (its backlog is full), or a subscriber it publishes to cannot keep up. Reading
 * resumes when every reason has cleared. A pause for a subscriber is checked every {@link #MAX_PAUSE_MS}: it goes on
 * while the subscriber makes progress (a slow subscriber slows its publishers down to its own pace, so that nothing is
 * dropped from its queue) and ends when it made none (a stuck subscriber cannot stall a publisher: what does not fit
 * its queue is then dropped and counted). Used on the channel's event loop only.
 */
final class ReadGate {

    /** The longest a publisher is paused for a congested subscriber that takes no message meanwhile. */
    static final long MAX_PAUSE_MS = 1000;

    private final Channel channel;
    private final Runnable onResume;
    private int reasons;
    private boolean backlogFull;
    private boolean paused;
    private ScheduledFuture<?> pauseTimer;
    private LongSupplier progress;
    private long progressSeen;

    private int pauses;

    /**
     * @param channel  the client's channel
     * @param onResume run (on the event loop) when a pause for a subscriber ends
     */
    ReadGate(Channel channel, Runnable onResume) {
        this.channel = channel;
        this.onResume = onResume;
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
     * Stops reading for a congested subscriber until {@link #resume()}, or until {@code progress} (the subscriber's
     * {@link io.mast.broker.routing.Subscriber#progress()}) stays the same for {@link #MAX_PAUSE_MS}; false when
     * already paused.
     *
     * @return the pause's number, for {@link #resume(int)}; 0 when already paused
     */
    int pause(LongSupplier progress) {
        if (paused) {
            return 0;
        }
        paused = true;
        if (++pauses == 0) {
            pauses = 1;
        }
        this.progress = progress;
        progressSeen = progress.getAsLong();
        close();
        schedule();
        return pauses;
    }

    /** True while reading is paused for a congested subscriber. */
    boolean isPaused() {
        return paused;
    }

    /** True while reading is stopped for any reason. */
    boolean isClosed() {
        return reasons > 0;
    }

    private void schedule() {
        pauseTimer = channel.eventLoop().schedule(this::check, MAX_PAUSE_MS, TimeUnit.MILLISECONDS);
    }

    private void check() {
        if (!paused) {
            return;
        }
        long now = progress.getAsLong();
        if (now != progressSeen && channel.isActive()) {
            progressSeen = now;
            schedule();
        } else {
            resume(pauses);
        }
    }

    /** The subscriber drained (or stalled): pause number {@code pause} ends, if it is still the current one. */
    void resume(int pause) {
        if (!paused || pause != pauses) {
            return;
        }
        paused = false;
        progress = null;
        cancelTimer();
        open();
        onResume.run();
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
