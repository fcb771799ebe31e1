package io.mast.it;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The mast command run as a separate process from the shaded jar, as a user runs it. */
final class MastProcess implements AutoCloseable {

    private static final Pattern LISTENING = Pattern.compile("Listening for MQTT on [^:]+:(\\d+)");

    final Process process;
    /** The working directory this class made for the process (its ./data), deleted on close; or null. */
    private final Path ownDirectory;
    final List<String> output = Collections.synchronizedList(new ArrayList<>());
    private volatile int port = -1;

    private MastProcess(Process process, Path ownDirectory) {
        this.process = process;
        this.ownDirectory = ownDirectory;
        Thread.ofPlatform().daemon().start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    output.add(line);
                    Matcher m = LISTENING.matcher(line);
                    if (m.find() && port < 0) {
                        port = Integer.parseInt(m.group(1));
                    }
                }
            } catch (IOException ignored) {
                // the process ended
            }
        });
    }

    /** The shaded jar built by mast-cli. */
    static Path jar() {
        Path jar = Path.of("..", "mast-cli", "target", "mast.jar").toAbsolutePath().normalize();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: build with ./mvnw package first");
        }
        return jar;
    }

    /**
     * Starts {@code mast <args>} with the JVM running the tests, in a working directory of its own (so a broker's
     * default store, ./data, belongs to it alone); stdout and stderr are merged.
     */
    static MastProcess start(String... args) throws IOException {
        Path dir = Files.createTempDirectory("mast-process");
        return new MastProcess(builder(dir, args).start(), dir);
    }

    /** Starts {@code mast <args>} with these variables added to the environment, in a working directory of its own. */
    static MastProcess start(List<String> args, java.util.Map<String, String> env) throws IOException {
        Path dir = Files.createTempDirectory("mast-process");
        ProcessBuilder pb = builder(dir, args.toArray(String[]::new));
        pb.environment().putAll(env);
        return new MastProcess(pb.start(), dir);
    }

    /** Starts {@code mast <args>} in a given working directory (kept on close: a restarted broker reuses its store). */
    static MastProcess startIn(Path workingDirectory, String... args) throws IOException {
        return new MastProcess(builder(workingDirectory, args).start(), null);
    }

    private static ProcessBuilder builder(Path dir, String... args) {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = new ArrayList<>(List.of(java, "-jar", jar().toString()));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true);
    }

    /** Waits for the broker to log its listening port. */
    int awaitPort(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (port < 0 && System.nanoTime() < deadline && process.isAlive()) {
            Thread.sleep(20);
        }
        if (port < 0) {
            throw new IllegalStateException("mast did not start listening; output:\n" + String.join("\n", output));
        }
        return port;
    }

    /** Waits for the process to end; returns its exit code. */
    int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException("mast did not exit; output:\n" + String.join("\n", output));
        }
        return process.exitValue();
    }

    /** The output lines once the process ended (the reader thread may lag a little). */
    List<String> outputAfterExit() throws InterruptedException {
        for (int i = 0; i < 50; i++) {
            Thread.sleep(10);
        }
        return List.copyOf(output);
    }

    @Override
    public void close() {
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (ownDirectory != null) {
            try (var files = Files.walk(ownDirectory)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            } catch (IOException ignored) {
                // a temporary directory left behind
            }
        }
    }
}
