package io.mast.cli;

import io.mast.cli.bench.BenchReport;
import io.mast.cli.bench.BenchResult;
import io.mast.cli.bench.BenchRunner;
import io.mast.cli.bench.Scenario;
import io.mast.codec.Qos;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code mast bench}: a load generator with emqtt-bench's scenarios ({@code conn}, {@code pub}, {@code sub}) and a
 * combined {@code pubsub} for 1-to-1, fan-in and fan-out, on the Mast client. The connection options (host, port,
 * version, credentials, TLS, QoS, persistent sessions) are those of {@code mast pub}; see docs/benchmarks.md.
 */
@Command(name = "bench", sortOptions = false, mixinStandardHelpOptions = true,
        description = {"Load generator: connections, publishers and subscribers with live figures and a summary.",
                "Example: mast bench pubsub --topology fanout --subs 100 --qos 0 --seconds 30"},
        subcommands = {BenchCommand.Conn.class, BenchCommand.Pub.class, BenchCommand.Sub.class,
                BenchCommand.PubSub.class})
public final class BenchCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(System.err);
        return 2;
    }

    /** Options every scenario has. */
    static final class Common {
        @Option(names = "--seconds", paramLabel = "S", description = "How long to run (default: 10 for pub and pubsub, "
                + "until Ctrl-C for sub and conn).")
        Double seconds;

        @Option(names = "--threads", paramLabel = "N", description = "I/O threads for all clients (default: one per core).")
        int threads;

        @Option(names = "--connect-rate", paramLabel = "N", description = "New connections per second (default: unlimited).")
        double connectRate;

        @Option(names = "--json", description = "Print the result as one JSON object instead of the table.")
        boolean json;

        @Option(names = "--csv", description = "Print the result as a CSV header and line instead of the table.")
        boolean csv;

        @Option(names = "--report", paramLabel = "FILE.html",
                description = "Also write an HTML page with throughput per second and the latency distribution as charts.")
        Path report;
    }

    /** Options of the scenarios that publish. */
    static final class Publishing {
        @Option(names = {"-t", "--topic"}, paramLabel = "PATTERN",
                description = "Topic to publish to; %%i is the client's index (default bench/%%i).")
        String topic = "bench/%i";

        @Option(names = {"-s", "--size"}, paramLabel = "BYTES",
                description = "Payload size, at least 26 (time stamp and sequence number; default 64).")
        int size = 64;

        @Option(names = "--rate", paramLabel = "MSG/S",
                description = "Messages per second of each publisher (default 0: as fast as the broker takes them).")
        double rate;

        @Option(names = "--count", paramLabel = "N", description = "Messages per publisher, then stop (default: no limit).")
        long count;

        @Option(names = "--inflight", paramLabel = "N",
                description = "Unfinished messages per publisher: unacknowledged, or unwritten at QoS 0 (default 1000).")
        int inflight = 1000;

        @Option(names = "--warmup", paramLabel = "S",
                description = "Publish this long first, unmeasured, so JIT compilers are done (default 0).")
        double warmup;

        @Option(names = "--drain", paramLabel = "S",
                description = "After publishing, seconds to wait at most for the last messages (default 10).")
        double drain = 10;
    }

    /** Runs a scenario: live lines on standard error, the result on standard output; exit 1 when it failed. */
    static int run(ConnectOptions connection, Common common, java.util.function.Function<Qos, Scenario> scenario,
                   String name) {
        return run(connection, common, null, scenario, name);
    }

    static int run(ConnectOptions connection, Common common, Publishing publishing,
                   java.util.function.Function<Qos, Scenario> scenario, String name) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        Scenario s;
        try {
            if (connection.id == null || connection.id.isEmpty()) {
                connection.id = name; // identifiers are this prefix and the client's index
            }
            ConnectOptions.Settings settings = connection.settings(err);
            s = scenario.apply(settings.qos());
        } catch (UsageException | IllegalArgumentException e) {
            err.println("Error: " + e.getMessage());
            err.println("Use 'mast bench " + name.replace("bench-", "") + " --help' to see usage.");
            return 2;
        }
        Duration warmup = publishing == null ? Duration.ZERO : drain(publishing.warmup);
        BenchRunner runner = new BenchRunner(s, warmup, () -> connection.settings(err).builder(), err);
        CountDownLatch printed = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            runner.requestStop();
            try {
                printed.await(20, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "mast-bench-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            BenchResult r = runner.run();
            if (common.report != null) {
                try {
                    Files.writeString(common.report, BenchReport.html(r, runner.timeline(),
                            BenchReport.distribution(runner.latencyHistogram())));
                    err.println("report: " + common.report);
                } catch (IOException e) {
                    err.println("Error: cannot write the report " + common.report + ": " + e.getMessage());
                    return 1;
                }
            }
            if (common.json) {
                out.println(r.json());
            } else if (common.csv) {
                out.println(r.csvHeader());
                out.println(r.csvRow());
            } else {
                out.println();
                out.print(r.table());
            }
            out.flush();
            return r.failed() ? 1 : 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        } finally {
            printed.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // shutting down already
            }
        }
    }

    static Duration duration(Double seconds, Double byDefault) {
        Double s = seconds != null ? seconds : byDefault;
        if (s == null) {
            return null;
        }
        if (s <= 0) {
            throw new IllegalArgumentException("--seconds must be positive");
        }
        return Duration.ofNanos((long) (s * 1e9));
    }

    static Duration drain(double seconds) {
        if (seconds < 0) {
            throw new IllegalArgumentException("--drain cannot be negative");
        }
        return Duration.ofNanos((long) (seconds * 1e9));
    }

    /** {@code mast bench conn}: opens connections at a rate and holds them. */
    @Command(name = "conn", sortOptions = false, description = {"Opens N connections at a rate, then holds them.",
            "Example: mast bench conn --connections 10000 --rate 2000 --seconds 60"})
    static final class Conn implements Callable<Integer> {
        @Mixin
        ConnectOptions connection;

        @Mixin
        Common common;

        @Option(names = {"-n", "--connections"}, paramLabel = "N", description = "Connections to open (default 100).")
        int connections = 100;

        @Option(names = "--rate", paramLabel = "N", description = "Connections per second (default: unlimited).")
        double rate;

        @Option(names = "--start", paramLabel = "I", description = "Index of the first client (default 1).")
        int start = 1;

        @Override
        public Integer call() {
            return run(connection, common, q -> new Scenario(Scenario.Mode.CONN, null, 0, 0, connections, "", "", q,
                    64, 0, rate > 0 ? rate : common.connectRate, duration(common.seconds, null), 0, 1, Duration.ZERO,
                    connection.id, start, common.threads), "bench-conn");
        }
    }

    /** {@code mast bench pub}: N publishers. */
    @Command(name = "pub", sortOptions = false, description = {"N clients publishing, each on its topic.",
            "Example: mast bench pub --clients 10 --topic 'sensors/%%i' --qos 1 --rate 1000 --seconds 30"})
    static final class Pub implements Callable<Integer> {
        @Mixin
        ConnectOptions connection;

        @Mixin
        Common common;

        @Mixin
        Publishing publishing;

        @Option(names = {"-n", "--clients"}, paramLabel = "N", description = "Publishing clients (default 1).")
        int clients = 1;

        @Option(names = "--start", paramLabel = "I", description = "Index of the first client, %%i (default 1).")
        int start = 1;

        @Override
        public Integer call() {
            Publishing p = publishing;
            return run(connection, common, p, q -> new Scenario(Scenario.Mode.PUB, null, clients, 0, clients, p.topic, "",
                    q, p.size, p.rate, common.connectRate, duration(common.seconds, p.count > 0 ? null : 10.0), p.count,
                    p.inflight, drain(p.drain), connection.id, start, common.threads), "bench-pub");
        }
    }

    /** {@code mast bench sub}: N subscribers. */
    @Command(name = "sub", sortOptions = false, description = {"N clients subscribing, counting and timing what arrives.",
            "Example: mast bench sub --clients 10 --topic 'sensors/#' --qos 1"})
    static final class Sub implements Callable<Integer> {
        @Mixin
        ConnectOptions connection;

        @Mixin
        Common common;

        @Option(names = {"-n", "--clients"}, paramLabel = "N", description = "Subscribing clients (default 1).")
        int clients = 1;

        @Option(names = {"-t", "--topic"}, paramLabel = "FILTER",
                description = "Topic filter; %%i is the client's index (default bench/#).")
        String topic = "bench/#";

        @Option(names = "--count", paramLabel = "N", description = "Stop after receiving N messages in all.")
        long count;

        @Option(names = "--start", paramLabel = "I", description = "Index of the first client, %%i (default 1).")
        int start = 1;

        @Override
        public Integer call() {
            return run(connection, common, q -> new Scenario(Scenario.Mode.SUB, null, 0, clients, clients, "", topic, q,
                    64, 0, common.connectRate, duration(common.seconds, null), count, 1, Duration.ZERO, connection.id,
                    start, common.threads), "bench-sub");
        }
    }

    /** {@code mast bench pubsub}: publishers and subscribers in one process, with exact loss and duplicate counts. */
    @Command(name = "pubsub", sortOptions = false, description = {
            "Publishers and subscribers together: 1-to-1, fan-in or fan-out, counting every message.",
            "Example: mast bench pubsub --topology fanout --subs 100 --qos 0 --seconds 30"})
    static final class PubSub implements Callable<Integer> {
        @Mixin
        ConnectOptions connection;

        @Mixin
        Common common;

        @Mixin
        Publishing publishing;

        @Option(names = "--topology", paramLabel = "T",
                description = "1to1 (publisher i to subscriber i), fanin (many to one) or fanout (one to many); default 1to1.")
        String topology = "1to1";

        @Option(names = "--pubs", paramLabel = "N",
                description = "Publishers (default: 1; 100 for fanin; as many as --subs for 1to1).")
        Integer pubs;

        @Option(names = "--subs", paramLabel = "N",
                description = "Subscribers (default: 1; 100 for fanout; as many as --pubs for 1to1).")
        Integer subs;

        @Option(names = "--sub-topic", paramLabel = "FILTER",
                description = "Subscribers' filter; %%i is the subscriber's index (default: the publish topic for 1to1, "
                        + "with %%i as + for fanin and fanout).")
        String subTopic;

        @Override
        public Integer call() {
            Publishing p = publishing;
            return run(connection, common, p, q -> {
                Scenario.Topology t = Scenario.Topology.parse(topology);
                int np;
                int ns;
                switch (t) {
                    case ONE_TO_ONE -> {
                        np = pubs != null ? pubs : subs != null ? subs : 1;
                        ns = subs != null ? subs : np;
                        if (np != ns) {
                            throw new IllegalArgumentException("1to1 pairs publishers and subscribers: --pubs and --subs must be equal");
                        }
                    }
                    case FANIN -> {
                        np = pubs != null ? pubs : 100;
                        ns = subs != null ? subs : 1;
                    }
                    default -> {
                        np = pubs != null ? pubs : 1;
                        ns = subs != null ? subs : 100;
                    }
                }
                if (np < 1 || ns < 1) {
                    throw new IllegalArgumentException("pubsub needs at least one publisher and one subscriber");
                }
                String filter = subTopic != null ? subTopic
                        : t == Scenario.Topology.ONE_TO_ONE ? p.topic : p.topic.replace("%i", "+");
                return new Scenario(Scenario.Mode.PUBSUB, t, np, ns, np + ns, p.topic, filter, q, p.size, p.rate,
                        common.connectRate, duration(common.seconds, p.count > 0 ? null : 10.0), p.count, p.inflight,
                        drain(p.drain), connection.id, 1, common.threads);
            }, "bench");
        }
    }
}
