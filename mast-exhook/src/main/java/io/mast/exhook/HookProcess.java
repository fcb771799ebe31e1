package io.mast.exhook;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A hook server the broker runs itself (the {@code command} of a server, EMQX 4.1's "driver" model on top of gRPC):
 * starts it, logs each line it writes under the logger {@code io.mast.exhook.server.<name>} (standard output at
 * INFO, standard error at WARN), restarts it with exponential backoff (1 s doubling to 60 s, back to 1 s once it
 * served) when it exits, and stops it (SIGTERM, then SIGKILL after 5 s, its child processes too) on shutdown.
 */
final class HookProcess {

    /** What the server learns about its process. */
    interface Listener {
        /** The process was (re)started. */
        void started();

        /** The process exited (by itself, not by {@link #stop()}). */
        void exited(String why);
    }

    private static final Logger log = LoggerFactory.getLogger(ExHookPlugin.class);
    private static final Duration FIRST_BACKOFF = Duration.ofSeconds(1);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(60);
    private static final Duration STOP_GRACE = Duration.ofSeconds(5);

    private final String name;
    private final ServerConfig config;
    private final ScheduledExecutorService scheduler;
    private final Listener listener;
    private final Logger output;
    private Process process;
    private Duration backoff = FIRST_BACKOFF;
    private ScheduledFuture<?> restart;
    private boolean stopped;

    HookProcess(ServerConfig config, ScheduledExecutorService scheduler, Listener listener) {
        this.name = config.name();
        this.config = config;
        this.scheduler = scheduler;
        this.listener = listener;
        this.output = LoggerFactory.getLogger("io.mast.exhook.server." + name);
    }

    /** Starts the process (or, when it cannot be started, schedules another try). */
    synchronized void start() {
        if (stopped) {
            return;
        }
        restart = null;
        ProcessBuilder pb = new ProcessBuilder(config.command());
        if (config.workdir() != null) {
            pb.directory(Path.of(config.workdir()).toFile());
        }
        pb.environment().putAll(config.env());
        Process p;
        try {
            p = pb.start();
        } catch (IOException | RuntimeException e) {
            log.error("ExHook server {}: cannot start {}: {}", name, config.command(), e.getMessage());
            scheduleRestart();
            return;
        }
        process = p;
        log.info("ExHook server {}: started {} (pid {})", name, String.join(" ", config.command()), p.pid());
        pipe(p.getInputStream(), false);
        pipe(p.getErrorStream(), true);
        p.onExit().thenAccept(this::onExit);
        listener.started();
    }

    /** The process served (answered OnProviderLoaded): the next restart waits the shortest time again. */
    synchronized void serving() {
        backoff = FIRST_BACKOFF;
    }

    synchronized boolean alive() {
        return process != null && process.isAlive();
    }

    /** The running process's id, or -1. */
    synchronized long pid() {
        return process != null && process.isAlive() ? process.pid() : -1;
    }

    private void onExit(Process p) {
        String why;
        synchronized (this) {
            if (stopped || p != process) {
                return;
            }
            why = "process " + p.pid() + " exited with code " + p.exitValue();
            log.warn("ExHook server {}: {}; restarting in {} ms", name, why, backoff.toMillis());
            scheduleRestart();
        }
        listener.exited(why);
    }

    private void scheduleRestart() {
        if (stopped || restart != null) {
            return;
        }
        Duration wait = backoff;
        backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
        restart = scheduler.schedule(this::start, wait.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Stops the process and its children for good; waits for them at most a few seconds. */
    void stop() {
        Process p;
        synchronized (this) {
            stopped = true;
            if (restart != null) {
                restart.cancel(false);
            }
            p = process;
        }
        if (p == null || !p.isAlive()) {
            return;
        }
        var children = p.descendants().toList();
        p.destroy();
        children.forEach(ProcessHandle::destroy);
        try {
            if (!p.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                log.warn("ExHook server {}: process {} did not stop within {} s; killing it", name, p.pid(),
                        STOP_GRACE.toSeconds());
                p.destroyForcibly();
                p.waitFor(2, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
        }
        children.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
        log.info("ExHook server {}: stopped process {}", name, p.pid());
    }

    /** Stops the process at once, for a JVM that is exiting without a clean shutdown. */
    void kill() {
        Process p;
        synchronized (this) {
            stopped = true;
            p = process;
        }
        if (p != null && p.isAlive()) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
    }

    private void pipe(InputStream in, boolean stderr) {
        Thread.ofVirtual().name("exhook-" + name + (stderr ? "-stderr" : "-stdout")).start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    if (stderr) {
                        output.warn("{}", line);
                    } else {
                        output.info("{}", line);
                    }
                }
            } catch (IOException e) {
                // the process is gone
            }
        });
    }
}
