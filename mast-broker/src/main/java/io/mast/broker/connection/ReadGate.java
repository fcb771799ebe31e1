package io.mast.broker.connection;

import io.mast.broker.routing.Congestion;
import io.netty.channel.Channel;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Whether the broker reads from a client's socket. Several reasons close the gate, independently, and reading resumes
 * when every one has cleared: the client's packets back up behind a pending decision ({@link Reason#BACKLOG}), a 3.1.1
 * client has as many QoS 1 and 2 messages unacknowledged as {@code limits.receive_maximum} ({@link Reason#INFLIGHT}:
 * 3.1.1 has no Receive Maximum, so TCP slows it down instead), a CONNECT is being authenticated
 * ({@link Reason#LOGIN}: an unauthenticated client cannot make the broker buffer more), or a pause for a
 * {@link Congestion}. A pause is checked every {@link #MAX_PAUSE_MS}: it goes on while the congestion makes progress
 * and ends when it made none, telling the congestion it {@link Congestion#stalled() stalled}. Used on the channel's
 * event loop only.
 */
final class ReadGate {

    /** Why reading stops, besides a pause for a congestion. */
    enum Reason { BACKLOG, INFLIGHT, LOGIN }

    /** The longest a publisher is paused for a congestion that makes no progress meanwhile. */
    static final long MAX_PAUSE_MS = 1000;

    private final Channel channel;
    private final Runnable onResume;
    /** The {@link Reason}s holding the gate, as bits. */
    private int held;
    private boolean paused;
    private ScheduledFuture<?> pauseTimer;
    private Congestion congestion;
    private long progressSeen;

    private int pauses;

    /**
     * @param channel  the client's channel
     * @param onResume run (on the event loop) when a pause for a congestion ends
     */
    ReadGate(Channel channel, Runnable onResume) {
        this.channel = channel;
        this.onResume = onResume;
    }

    /** Stops reading for {@code reason} until {@link #release}. */
    void hold(Reason reason) {
        int bit = 1 << reason.ordinal();
        if ((held & bit) == 0) {
            boolean wasClosed = isClosed();
            held |= bit;
            if (!wasClosed) {
                channel.config().setAutoRead(false);
            }
        }
    }

    /** {@code reason} no longer stops reading. */
    void release(Reason reason) {
        int bit = 1 << reason.ordinal();
        if ((held & bit) != 0) {
            held &= ~bit;
            reopenIfClear();
        }
    }

    /** True while {@code reason} holds the gate. */
    boolean holds(Reason reason) {
        return (held & (1 << reason.ordinal())) != 0;
    }

    /**
     * Stops reading for a congestion until {@link #resume(int)}, or until its {@link Congestion#progress()} stays the
     * same for {@link #MAX_PAUSE_MS}.
     *
     * @return the pause's number, for {@link #resume(int)}; 0 when already paused
     */
    int pause(Congestion c) {
        if (paused) {
            return 0;
        }
        boolean wasClosed = isClosed();
        paused = true;
        if (++pauses == 0) {
            pauses = 1;
        }
        this.congestion = c;
        progressSeen = c.progress();
        if (!wasClosed) {
            channel.config().setAutoRead(false);
        }
        schedule();
        return pauses;
    }

    /** True while reading is paused for a congestion. */
    boolean isPaused() {
        return paused;
    }

    /** True while reading is stopped for any reason. */
    boolean isClosed() {
        return held != 0 || paused;
    }

    private void schedule() {
        pauseTimer = channel.eventLoop().schedule(this::check, MAX_PAUSE_MS, TimeUnit.MILLISECONDS);
    }

    private void check() {
        if (!paused) {
            return;
        }
        if (!channel.isActive()) {
            resume(pauses);
            return;
        }
        long now = congestion.progress();
        if (now != progressSeen) {
            progressSeen = now;
            schedule();
        } else {
            congestion.stalled();
            resume(pauses);
        }
    }

    /** The congestion was relieved (or stalled): pause number {@code pause} ends, if it is still the current one. */
    void resume(int pause) {
        if (!paused || pause != pauses) {
            return;
        }
        paused = false;
        congestion = null;
        cancelTimer();
        reopenIfClear();
        onResume.run();
    }

    /** The connection closed: no timer is left behind. */
    void cancelTimer() {
        if (pauseTimer != null) {
            pauseTimer.cancel(false);
            pauseTimer = null;
        }
    }

    private void reopenIfClear() {
        if (!isClosed()) {
            channel.config().setAutoRead(true);
        }
    }
}
