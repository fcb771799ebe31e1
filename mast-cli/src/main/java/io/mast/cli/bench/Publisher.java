package io.mast.cli.bench;

import io.mast.client.MastClient;
import io.mast.client.MqttMessage;
import io.mast.client.PublishResult;
import io.mast.codec.MqttProperties;
import io.mast.codec.Qos;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

/**
 * One publishing client's pump. It runs on the client's own I/O thread ({@link MastClient#executor()}), so each
 * publish is handed straight to the connection, without a task per message, and the writes of one batch go out in
 * few flushes. At an unlimited rate it keeps {@code window} messages unfinished and refills when half are done; at a
 * fixed rate it publishes what is due every millisecond. Every field except the counters read by the runner is
 * confined to that thread.
 */
final class Publisher implements Runnable {

    /** Messages published per turn of the I/O thread before it reads and writes again. */
    private static final int BATCH = 256;
    private static final long TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    private final MastClient client;
    private final ScheduledExecutorService loop;
    private final int index;
    private final String topic;
    private final Qos qos;
    private final int size;
    private final int runId;
    private final double rate;
    private final long limit;
    private final int window;
    private final BenchStats stats;
    private final ErrorLog errors;
    private final BiConsumer<PublishResult, Throwable> onDone = this::done;
    private final Runnable tick = this::onTick;

    private long sequence;
    private long startNanos;
    private boolean stopped;
    private boolean scheduled;
    private boolean ticking;

    /** Unfinished publishes (written by the I/O thread only). */
    private volatile int outstanding;
    /** Publishes that succeeded (written by the I/O thread only). */
    private volatile long sent;
    private volatile boolean finished;

    Publisher(MastClient client, int index, String topic, Scenario s, int runId, BenchStats stats, ErrorLog errors) {
        this.client = client;
        this.loop = client.executor();
        this.index = index;
        this.topic = topic;
        this.qos = s.qos();
        this.size = s.payloadSize();
        this.runId = runId;
        this.rate = s.rate();
        this.limit = s.count();
        this.window = s.inflight();
        this.stats = stats;
        this.errors = errors;
    }

    /** Starts publishing (from any thread). */
    void start() {
        loop.execute(() -> {
            startNanos = System.nanoTime();
            pump();
        });
    }

    /** Stops publishing (from any thread); what is unfinished still completes. */
    void stop() {
        loop.execute(() -> {
            stopped = true;
            finished = true;
        });
    }

    /** True once the publisher published its count, or was stopped. */
    boolean finished() {
        return finished;
    }

    int outstanding() {
        return outstanding;
    }

    /** Messages the broker took: acknowledged at QoS 1 and 2, written at QoS 0. */
    long sent() {
        return sent;
    }

    @Override
    public void run() {
        scheduled = false;
        pump();
    }

    private void onTick() {
        ticking = false;
        pump();
    }

    private void pump() {
        if (stopped) {
            return;
        }
        long now = System.nanoTime();
        long due = limit > 0 ? limit - sequence : Long.MAX_VALUE;
        if (rate > 0) {
            due = Math.min(due, (long) ((now - startNanos) / 1e9 * rate) + 1 - sequence);
        }
        long n = Math.min(Math.min(due, window - outstanding), BATCH);
        for (long k = 0; k < n; k++) {
            publishOne();
        }
        if (limit > 0 && sequence >= limit) {
            stopped = true;
            finished = true;
            return;
        }
        if (stopped) {
            return;
        }
        if (rate > 0) {
            if (!ticking) {
                ticking = true;
                long nextDue = startNanos + (long) (sequence / rate * 1e9);
                loop.schedule(tick, Math.max(TICK_NANOS, nextDue - now), TimeUnit.NANOSECONDS);
            }
        } else if (n == BATCH && outstanding < window && !scheduled) {
            scheduled = true; // let the thread read and write before the next batch
            loop.execute(this);
        }
    }

    private void publishOne() {
        outstanding++;
        byte[] payload = Payload.make(size, runId, index, sequence++, BenchClock.now());
        client.publish(new MqttMessage(topic, payload, qos, false, false, MqttProperties.EMPTY)).whenComplete(onDone);
    }

    private void done(PublishResult r, Throwable e) {
        outstanding--;
        if (e != null || !r.isSuccess()) {
            stats.publishErrors.increment();
            errors.report("publish to " + topic + " failed: " + (e != null ? ErrorLog.message(e)
                    : r.reasonCode().describe()));
            if (!client.isConnected()) {
                stopped = true; // every further publish would fail the same way
                finished = true;
            }
            return;
        }
        sent++;
        stats.sent.increment();
        if (rate == 0 && !stopped && !scheduled && outstanding <= window / 2) {
            scheduled = true;
            loop.execute(this);
        }
    }
}
