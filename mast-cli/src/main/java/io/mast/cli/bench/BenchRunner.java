package io.mast.cli.bench;

import io.mast.client.ConnectionListener;
import io.mast.client.DisconnectEvent;
import io.mast.client.MastClient;
import io.mast.client.MastClientBuilder;
import io.mast.client.MessageListener;
import io.netty.channel.EventLoopGroup;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;

/**
 * Runs one {@link Scenario}: connects the clients (at the connection rate), subscribes, publishes from each
 * publisher's own I/O thread, prints a {@link LiveLine} every second, drains, counts exactly what arrived, and
 * disconnects. Every wait is bounded. {@link #requestStop()} (Ctrl-C) ends the run early with a result all the same.
 */
public final class BenchRunner {

    /** Makes a new client builder with the command line's connection settings (host, port, TLS, version ...). */
    @FunctionalInterface
    public interface ClientFactory {
        /** A fresh builder; the runner sets the client identifier, the event loop group and the listeners. */
        MastClientBuilder newBuilder();
    }

    /** Connections being opened at once, at most. */
    private static final int CONNECTING_AT_ONCE = 1000;
    /** Without progress for this long after publishing, the messages still missing are taken as lost. */
    private static final long QUIET_NANOS = TimeUnit.SECONDS.toNanos(2);

    private final Scenario s;
    private final Duration warmup;
    private final ClientFactory factory;
    private final PrintStream live;
    private final BenchStats stats = new BenchStats();
    private final ErrorLog errors;
    private final int runId = Payload.newRunId();
    private final CountDownLatch stop = new CountDownLatch(1);
    private final List<MastClient> clients = new ArrayList<>();
    private final List<Publisher> publishers = new ArrayList<>();
    private final List<Subscriber> subscribers = new ArrayList<>();
    private final List<MastClient> subscriberClients = new ArrayList<>();
    private final Histogram latency = new Histogram(BenchStats.MAX_MICROS, 3);
    private final Histogram connectLatency = new Histogram(BenchStats.MAX_MICROS, 3);
    private volatile boolean closing;
    private EventLoopGroup group;
    private long runStart;
    private long lastSent;
    /** The live lines' figures, one per second, for {@code --report}. */
    private final List<BenchReport.Second> timeline = new ArrayList<>();
    private long lastReceived;
    private Histogram interval;
    private Histogram connectInterval;

    /**
     * @param scenario what to run
     * @param factory  the connection settings
     * @param live     where the live lines and the first errors go (standard error, so results on standard output
     *                 stay clean for scripts)
     */
    public BenchRunner(Scenario scenario, ClientFactory factory, PrintStream live) {
        this(scenario, Duration.ZERO, factory, live);
    }

    /**
     * @param scenario what to run
     * @param warmup   for scenarios that publish: how long to publish first without measuring (JIT compilation of the
     *                 broker and of this JVM)
     * @param factory  the connection settings
     * @param live     where the live lines and the first errors go
     */
    public BenchRunner(Scenario scenario, Duration warmup, ClientFactory factory, PrintStream live) {
        this.s = scenario;
        this.warmup = warmup;
        this.factory = factory;
        this.live = live;
        this.errors = new ErrorLog(live);
    }

    /** Ends the run early (from any thread, e.g. on Ctrl-C); {@link #run()} then drains briefly and reports. */
    public void requestStop() {
        stop.countDown();
    }

    private boolean stopRequested() {
        return stop.getCount() == 0;
    }

    /** Runs the scenario and returns its result. */
    public BenchResult run() throws InterruptedException {
        runStart = System.nanoTime();
        group = MastClient.newEventLoopGroup(s.threads());
        ScheduledExecutorService reporter = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "mast-bench-report");
            t.setDaemon(true);
            return t;
        });
        reporter.scheduleAtFixedRate(this::report, 1, 1, TimeUnit.SECONDS);
        try {
            return switch (s.mode()) {
                case CONN -> runConn();
                case PUB -> runPublishing(false);
                case SUB -> runSub();
                case PUBSUB -> runPublishing(true);
            };
        } finally {
            reporter.shutdownNow();
            reporter.awaitTermination(2, TimeUnit.SECONDS);
            closeAll();
        }
    }

    // ---- scenarios ----

    private BenchResult runConn() throws InterruptedException {
        long opening = System.nanoTime();
        connect(s.connections(), i -> s.idPrefix() + "-" + (s.firstIndex() + i), i -> null);
        double rate = stats.connected() / Math.max(seconds(opening, System.nanoTime()), 1e-9);
        live.printf(Locale.ROOT, "all %,d connections are up, %,.0f/s (%,d failed); holding them%s%n",
                stats.connected(), rate, stats.connectFailures.sum(),
                s.duration() == null ? " until Ctrl-C" : " for " + s.duration().toSeconds() + " s");
        long start = System.nanoTime();
        awaitStopOr(s.duration() == null ? Long.MAX_VALUE : start + s.duration().toNanos(), () -> false);
        return result(seconds(start, System.nanoTime()), -1, -1).withConnectRate(rate);
    }

    private BenchResult runSub() throws InterruptedException {
        subscribe(i -> s.idPrefix() + "-" + (s.firstIndex() + i), i -> new Subscriber(stats));
        live.printf(Locale.ROOT, "%,d subscribers of %s are ready%n", subscribers.size(), s.subscribeTopic());
        long start = System.nanoTime();
        long limit = s.count();
        awaitStopOr(s.duration() == null ? Long.MAX_VALUE : start + s.duration().toNanos(),
                () -> limit > 0 && stats.received() >= limit);
        return result(seconds(start, System.nanoTime()), -1, -1);
    }

    private BenchResult runPublishing(boolean withSubscribers) throws InterruptedException {
        boolean pairs = s.mode() == Scenario.Mode.PUBSUB;
        if (withSubscribers) {
            int pubs = s.publishers();
            subscribe(i -> s.idPrefix() + "-sub-" + (s.firstIndex() + i), i -> new Subscriber(stats, runId, pubs));
        }
        List<MastClient> pubClients = connect(s.publishers(),
                i -> s.idPrefix() + (pairs ? "-pub-" : "-") + (s.firstIndex() + i), i -> null);
        if (!warmup.isZero() && !stopRequested()) {
            warmUp(pubClients);
        }
        for (int i = 0; i < pubClients.size(); i++) {
            MastClient c = pubClients.get(i);
            if (c != null) {
                publishers.add(new Publisher(c, i, Scenario.topic(s.publishTopic(), s.firstIndex() + i), s, runId,
                        stats, errors));
            } else {
                publishers.add(null);
            }
        }
        if (stopRequested()) {
            return result(0, -1, -1);
        }
        live.printf(Locale.ROOT, "%,d publishers%s connected; publishing%n", s.publishers(),
                withSubscribers ? " and " + s.subscribers() + " subscribers" : "");
        long start = System.nanoTime();
        publishers.stream().filter(p -> p != null).forEach(Publisher::start);
        awaitStopOr(s.duration() == null ? Long.MAX_VALUE : start + s.duration().toNanos(),
                () -> publishers.stream().allMatch(p -> p == null || p.finished()));
        long end = System.nanoTime();
        publishers.stream().filter(p -> p != null).forEach(Publisher::stop);

        long drainEnd = System.nanoTime() + (stopRequested() ? TimeUnit.SECONDS.toNanos(2) : s.drain().toNanos());
        while (System.nanoTime() < drainEnd && publishers.stream().anyMatch(p -> p != null && p.outstanding() > 0)) {
            Thread.sleep(10);
        }
        long unfinished = publishers.stream().filter(p -> p != null).mapToLong(Publisher::outstanding).sum();
        if (unfinished > 0) {
            errors.report(unfinished + " publishes were still unfinished after the drain time");
            stats.publishErrors.add(unfinished);
        }
        if (!withSubscribers) {
            return result(seconds(start, end), -1, -1);
        }
        long expected = expected();
        long lastCount = -1;
        long lastProgress = System.nanoTime();
        while (System.nanoTime() < drainEnd && stats.received() < expected) {
            // Any arrival is progress: a broker still delivering a backlog of warm-up messages is not quiet.
            long r = stats.received() + stats.stale.sum() + stats.duplicates.sum();
            if (r != lastCount) {
                lastCount = r;
                lastProgress = System.nanoTime();
            } else if (System.nanoTime() - lastProgress > QUIET_NANOS) {
                break;
            }
            Thread.sleep(10);
        }
        return result(seconds(start, end), expected, lost());
    }

    /**
     * Publishes as the run will, for the warm-up time, with another run identifier (so subscribers set those messages
     * aside as stale), lets them drain, and forgets the figures: the broker's and this JVM's code is then compiled and
     * the run measures the steady state. Errors of the warm-up still count.
     */
    private void warmUp(List<MastClient> pubClients) throws InterruptedException {
        live.printf(Locale.ROOT, "warming up for %s s%n", warmup.toMillis() / 1000.0);
        List<Publisher> warm = new ArrayList<>();
        for (int i = 0; i < pubClients.size(); i++) {
            MastClient c = pubClients.get(i);
            if (c != null) {
                warm.add(new Publisher(c, i, Scenario.topic(s.publishTopic(), s.firstIndex() + i), s, ~runId, stats,
                        errors));
            }
        }
        long start = System.nanoTime();
        warm.forEach(Publisher::start);
        awaitStopOr(start + warmup.toNanos(), () -> warm.stream().allMatch(Publisher::finished));
        warm.forEach(Publisher::stop);
        long end = System.nanoTime() + s.drain().toNanos();
        while (System.nanoTime() < end && warm.stream().anyMatch(p -> p.outstanding() > 0)) {
            Thread.sleep(10);
        }
        long last = -1;
        while (System.nanoTime() < end && stats.stale.sum() != last) { // until warm-up messages stop arriving
            last = stats.stale.sum();
            Thread.sleep(500);
        }
        synchronized (this) {
            stats.resetMessages();
            latency.reset();
            lastSent = 0;
            lastReceived = 0;
        }
        live.println("warm-up done; measuring");
    }

    /** What the subscribers should receive: each publisher's sent messages, once per subscriber that gets them. */
    private long expected() {
        long total = 0;
        for (int j = 0; j < subscribers.size(); j++) {
            for (int i = 0; i < publishers.size(); i++) {
                if (publishers.get(i) != null && (s.meshed() || i == j)) {
                    total += publishers.get(i).sent();
                }
            }
        }
        return total;
    }

    /** Expected messages that did not arrive, counted per publisher and subscriber on the subscriber's thread. */
    private long lost() throws InterruptedException {
        long lost = 0;
        for (int j = 0; j < subscribers.size(); j++) {
            Subscriber sub = subscribers.get(j);
            MastClient c = subscriberClients.get(j);
            int jj = j;
            CompletableFuture<Long> f = CompletableFuture.supplyAsync(() -> {
                long l = 0;
                for (int i = 0; i < publishers.size(); i++) {
                    Publisher p = publishers.get(i);
                    if (p != null && (s.meshed() || i == jj)) {
                        l += Math.max(0, p.sent() - sub.unique(i));
                    }
                }
                return l;
            }, c.executor());
            try {
                lost += f.get(5, TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                errors.report("cannot count the messages of subscriber " + j + ": " + ErrorLog.message(e));
            }
        }
        return lost;
    }

    // ---- connecting ----

    /** Connects subscribers and subscribes each to its filter. */
    private void subscribe(java.util.function.IntFunction<String> id,
                           java.util.function.IntFunction<Subscriber> accounting) throws InterruptedException {
        Subscriber[] subs = new Subscriber[s.subscribers()];
        for (int i = 0; i < subs.length; i++) {
            subs[i] = accounting.apply(i);
        }
        List<MastClient> connected = connect(subs.length, id, i -> subs[i]);
        List<CompletableFuture<?>> acks = new ArrayList<>();
        for (int i = 0; i < connected.size(); i++) {
            MastClient c = connected.get(i);
            if (c == null) {
                continue;
            }
            subscribers.add(subs[i]);
            subscriberClients.add(c);
            String filter = Scenario.topic(s.subscribeTopic(), s.firstIndex() + i);
            acks.add(c.subscribe(filter, s.qos()).whenComplete((r, e) -> {
                if (e != null || !r.isSuccess()) {
                    stats.subscribeFailures.increment();
                    errors.report("subscribing to " + filter + " failed: " + (e != null ? ErrorLog.message(e)
                            : r.reasonCodes()));
                }
            }));
        }
        awaitAll(acks, 30 + subs.length / 100);
    }

    /**
     * Opens {@code n} connections at the connection rate, at most {@link #CONNECTING_AT_ONCE} at a time, and returns
     * the clients by index ({@code null} where the connection failed).
     */
    private List<MastClient> connect(int n, java.util.function.IntFunction<String> id,
                                     java.util.function.IntFunction<MessageListener> listener)
            throws InterruptedException {
        List<MastClient> out = new ArrayList<>(n);
        List<CompletableFuture<?>> pending = new ArrayList<>();
        Semaphore window = new Semaphore(CONNECTING_AT_ONCE);
        long start = System.nanoTime();
        for (int i = 0; i < n && !stopRequested(); i++) {
            if (s.connectRate() > 0) {
                long due = start + (long) (i / s.connectRate() * 1e9);
                long wait;
                while ((wait = due - System.nanoTime()) > 0 && !stopRequested()) {
                    LockSupport.parkNanos(wait);
                }
            }
            if (!window.tryAcquire(30, TimeUnit.SECONDS)) {
                errors.report("connections take more than 30 s; stopping to open more");
                break;
            }
            MastClientBuilder b = factory.newBuilder().clientId(id.apply(i)).eventLoopGroup(group)
                    .connectionListener(new Lost());
            MessageListener l = listener.apply(i);
            if (l != null) {
                b.onMessage(l);
            }
            MastClient c = b.build();
            synchronized (clients) {
                clients.add(c);
            }
            out.add(c);
            int index = i;
            long t0 = System.nanoTime();
            pending.add(c.connect().whenComplete((r, e) -> {
                window.release();
                if (e != null) {
                    stats.connectFailures.increment();
                    errors.report("connection " + id.apply(index) + " failed: " + ErrorLog.message(e));
                } else {
                    // counted here, not in onConnected, which may run after this future completes
                    stats.connected.incrementAndGet();
                    stats.recordConnect(System.nanoTime() - t0);
                }
            }));
        }
        awaitAll(pending, 30 + n / 100);
        for (int i = 0; i < out.size(); i++) {
            if (!out.get(i).isConnected()) {
                out.set(i, null);
            }
        }
        return out;
    }

    /** Counts connections up and lost. */
    private final class Lost implements ConnectionListener {
        @Override
        public void onDisconnected(DisconnectEvent event) {
            stats.connected.decrementAndGet();
            if (!closing) {
                stats.connectionsLost.increment();
                errors.report("a connection was lost: " + event.describe());
            }
        }
    }

    // ---- waiting, reporting, closing ----

    private void awaitStopOr(long deadline, java.util.function.BooleanSupplier done) throws InterruptedException {
        while (!done.getAsBoolean()) {
            long left = deadline - System.nanoTime();
            if (left <= 0 || stop.await(Math.min(left, TimeUnit.MILLISECONDS.toNanos(10)), TimeUnit.NANOSECONDS)) {
                return;
            }
        }
    }

    private void awaitAll(List<CompletableFuture<?>> futures, long seconds) throws InterruptedException {
        try {
            CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).get(seconds, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            // each failure was counted where it happened
        } catch (java.util.concurrent.TimeoutException e) {
            errors.report("gave up waiting after " + seconds + " s");
        }
    }

    /** Prints the live line of the second just past (on the reporter thread). */
    private synchronized void report() {
        long second = Math.round((System.nanoTime() - runStart) / 1e9);
        long sent = stats.sent();
        long received = stats.received();
        Histogram con = stats.connectLatency.getIntervalHistogram(connectInterval);
        connectInterval = con;
        connectLatency.add(con);
        Histogram lat = stats.latency.getIntervalHistogram(interval);
        interval = lat;
        latency.add(lat);
        if (s.mode() == Scenario.Mode.CONN) {
            live.println(LiveLine.formatConn(second, stats.connected(), con.getTotalCount(), BenchStats.ms(con, 50),
                    BenchStats.ms(con, 99), stats.errors()));
        } else {
            live.println(LiveLine.format(second, sent - lastSent, received - lastReceived, BenchStats.ms(lat, 50),
                    BenchStats.ms(lat, 99), stats.errors(), stats.connected(), s.mode() != Scenario.Mode.SUB,
                    s.mode() == Scenario.Mode.SUB || s.mode() == Scenario.Mode.PUBSUB));
        }
        timeline.add(new BenchReport.Second(second, sent - lastSent, received - lastReceived, BenchStats.ms(lat, 50),
                BenchStats.ms(lat, 99), stats.errors(), stats.connected()));
        lastSent = sent;
        lastReceived = received;
    }

    /** The figures of each second of the run so far (for {@code --report}). */
    public synchronized List<BenchReport.Second> timeline() {
        return List.copyOf(timeline);
    }

    /** The end-to-end latency of the whole run (for {@code --report}: its percentile distribution). */
    public synchronized Histogram latencyHistogram() {
        return latency.copy();
    }

    private synchronized BenchResult result(double seconds, long expected, long lost) {
        latency.add(stats.latency.getIntervalHistogram());
        connectLatency.add(stats.connectLatency.getIntervalHistogram());
        long sent = stats.sent();
        long received = stats.received();
        int connections = s.mode() == Scenario.Mode.CONN ? s.connections()
                : (s.mode() == Scenario.Mode.SUB ? 0 : s.publishers())
                + (s.mode() == Scenario.Mode.PUB ? 0 : s.subscribers());
        int pubs = s.mode() == Scenario.Mode.PUB || s.mode() == Scenario.Mode.PUBSUB ? s.publishers() : 0;
        int subs = s.mode() == Scenario.Mode.SUB || s.mode() == Scenario.Mode.PUBSUB ? s.subscribers() : 0;
        double secs = Math.max(seconds, 1e-9);
        return new BenchResult(s.describe(), s.mode().name().toLowerCase(Locale.ROOT),
                s.topology() == null ? "" : s.topology().label(), s.qos().level(), s.payloadSize(), pubs, subs,
                connections, (int) Math.min(Integer.MAX_VALUE, connectLatency.getTotalCount()), seconds, sent, received,
                expected, lost, stats.duplicates.sum(), stats.stale.sum(), stats.errors(), sent / secs, received / secs,
                BenchResult.Latency.of(latency), BenchResult.Latency.of(connectLatency));
    }

    private static double seconds(long from, long to) {
        return (to - from) / 1e9;
    }

    /** Disconnects every client (so persistent sessions stay), closes them and stops the I/O threads. */
    private void closeAll() throws InterruptedException {
        closing = true;
        List<MastClient> all;
        synchronized (clients) {
            all = new ArrayList<>(clients);
        }
        List<CompletableFuture<?>> done = new ArrayList<>();
        for (MastClient c : all) {
            done.add(c.disconnect());
        }
        try {
            CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            // closing is best effort
        }
        for (MastClient c : all) {
            c.close();
        }
        if (group != null) {
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS).await(5, TimeUnit.SECONDS);
        }
    }
}
