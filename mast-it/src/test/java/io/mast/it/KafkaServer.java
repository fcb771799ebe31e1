package io.mast.it;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * A real Kafka broker (KRaft, broker and controller in one process) from Maven's {@code kafka_2.13}, started in a JVM
 * of its own on free 127.0.0.1 ports with a temporary log directory, and stopped through its process handle (never
 * by name). {@link #restart()} stops it and starts it again on the same ports and data, as a Kafka that went away
 * for a while. The jars come from {@code mast-it-kafka/target/kafka-server} (system property
 * {@code mast.kafka.server}, set by the build), outside the tests' class path. Start it once per test class: it
 * takes a few seconds.
 */
final class KafkaServer implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);

    private final Path dir;
    private final int port;
    private final int controllerPort;
    private Process process;

    private KafkaServer() throws IOException {
        this.dir = Files.createTempDirectory("mast-kafka-");
        this.port = freePort();
        this.controllerPort = freePort();
    }

    /** A started Kafka, formatted in a new temporary directory. */
    static KafkaServer start() throws IOException, InterruptedException {
        KafkaServer k = new KafkaServer();
        try {
            k.format();
            k.launch();
            return k;
        } catch (IOException | InterruptedException | RuntimeException | Error e) {
            k.close();
            throw e;
        }
    }

    /**
     * A started Kafka with these topics, for a test class's static field (declared before the brokers whose
     * plugins need its address); a failure to start is thrown unchecked.
     */
    static KafkaServer startForClass(int partitions, String... topics) {
        try {
            KafkaServer k = start();
            if (topics.length > 0) {
                k.createTopics(partitions, topics);
            }
            return k;
        } catch (Exception e) {
            throw new IllegalStateException("could not start Kafka for the test: " + e, e);
        }
    }

    /** A new temporary directory, for a static field. */
    static Path tempDir(String prefix) {
        try {
            return Files.createTempDirectory(prefix);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Deletes a directory and everything in it. */
    static void delete(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    /** Starts the broker again if a test stopped it. */
    void ensureRunning() throws IOException, InterruptedException {
        if (process == null || !process.isAlive()) {
            launch();
        }
    }

    /** {@code 127.0.0.1:port}, for {@code bootstrap.servers}. */
    String bootstrap() {
        return "127.0.0.1:" + port;
    }

    /** Stops the broker (SIGTERM, then SIGKILL after 30 s), keeping its data; {@link #launch()} starts it again. */
    void stop() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
        process = null;
    }

    /** Stops and starts the broker on the same ports and data. */
    void restart() throws IOException, InterruptedException {
        stop();
        launch();
    }

    /** Creates topics with the given number of partitions. */
    void createTopics(int partitions, String... topics) throws Exception {
        try (Admin admin = admin()) {
            List<NewTopic> news = Stream.of(topics).map(t -> new NewTopic(t, partitions, (short) 1)).toList();
            admin.createTopics(news).all().get(30, TimeUnit.SECONDS);
        }
    }

    /** Reads a topic from the beginning until {@code count} records came (or fails after {@code timeout}). */
    List<ConsumerRecord<byte[], byte[]>> read(String topic, int count, Duration timeout) {
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = consumer()) {
            List<TopicPartition> partitions = new ArrayList<>();
            await().atMost(timeout).until(() -> {
                partitions.clear();
                consumer.partitionsFor(topic, Duration.ofSeconds(5))
                        .forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
                return !partitions.isEmpty();
            });
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            await().atMost(timeout).pollInterval(Duration.ofMillis(1)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
                return records.size() >= count;
            });
            return records;
        }
    }

    /** Every record of a topic now, reading until the end offsets (none when the topic does not exist). */
    List<ConsumerRecord<byte[], byte[]>> readAll(String topic) {
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = consumer()) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
                return partitions.stream().allMatch(p -> consumer.position(p) >= end.get(p));
            });
            return records;
        }
    }

    private KafkaConsumer<byte[], byte[]> consumer() {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        return new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    private Admin admin() {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "10000");
        return Admin.create(p);
    }

    @Override
    public void close() throws InterruptedException, IOException {
        stop();
        delete(dir);
    }

    private void format() throws IOException, InterruptedException {
        Files.writeString(dir.resolve("server.properties"), String.join("\n",
                "process.roles=broker,controller",
                "node.id=1",
                "controller.quorum.voters=1@127.0.0.1:" + controllerPort,
                "listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort,
                "advertised.listeners=PLAINTEXT://127.0.0.1:" + port,
                "controller.listener.names=CONTROLLER",
                "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
                "log.dirs=" + dir.resolve("data"),
                "num.partitions=1",
                "offsets.topic.replication.factor=1",
                "transaction.state.log.replication.factor=1",
                "transaction.state.log.min.isr=1",
                "share.coordinator.state.topic.replication.factor=1",
                "share.coordinator.state.topic.min.isr=1",
                "group.initial.rebalance.delay.ms=0",
                "auto.create.topics.enable=true", ""));
        Process format = java("kafka.tools.StorageTool", "format", "-t", Uuid.randomUuid().toString(),
                "-c", dir.resolve("server.properties").toString()).start();
        if (!format.waitFor(60, TimeUnit.SECONDS) || format.exitValue() != 0) {
            format.destroyForcibly();
            throw new IllegalStateException("formatting Kafka's storage failed; see " + dir.resolve("kafka.log")
                    + ": " + Files.readString(dir.resolve("kafka.log")));
        }
    }

    /** Starts the broker and waits until it answers. */
    void launch() throws IOException, InterruptedException {
        process = java("kafka.Kafka", dir.resolve("server.properties").toString()).start();
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        try (Admin admin = admin()) {
            while (true) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("Kafka exited with " + process.exitValue() + "; see "
                            + dir.resolve("kafka.log"));
                }
                try {
                    admin.describeCluster().nodes().get(5, TimeUnit.SECONDS);
                    return;
                } catch (Exception notYet) {
                    if (System.nanoTime() > deadline) {
                        stop();
                        throw new IllegalStateException("Kafka did not answer within " + START_TIMEOUT + "; see "
                                + dir.resolve("kafka.log"), notYet);
                    }
                    Thread.sleep(200);
                }
            }
        }
    }

    private ProcessBuilder java(String mainClass, String... args) {
        String jars = System.getProperty("mast.kafka.server");
        if (jars == null || !Files.isDirectory(Path.of(jars))) {
            throw new IllegalStateException("mast.kafka.server does not name the Kafka jars (built by mast-it-kafka): "
                    + jars);
        }
        List<String> command = new ArrayList<>(List.of(
                ProcessHandle.current().info().command().orElse("java"),
                "-Xms64m", "-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xshare:auto",
                "-Djava.awt.headless=true", "-cp", Path.of(jars).toAbsolutePath() + "/*", mainClass));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("kafka.log").toFile()));
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress("127.0.0.1", 0));
            return s.getLocalPort();
        }
    }
}
