package io.mast.plugins;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;

/**
 * A file read into memory at startup and read again when it changes, checked at an interval on the broker's
 * scheduler. A file that cannot be read or parsed at startup fails the plugin's start with one clear message; later,
 * a file that went missing or does not parse is logged and the last good content stays in force (a half-written edit
 * never locks everybody out), until the file changes again.
 *
 * @param <T> what the file is read into
 */
final class ReloadingFile<T> implements AutoCloseable {

    /** Reads the file; throws {@link IOException} or {@link IllegalArgumentException} ({@code file:line: problem}). */
    @FunctionalInterface
    interface Loader<T> {
        T load(Path file) throws IOException;
    }

    /** What identifies a version of the file without reading it. */
    private record Stamp(FileTime modified, long size, Object key) {
        static Stamp of(Path p) throws IOException {
            BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
            return new Stamp(a.lastModifiedTime(), a.size(), a.fileKey());
        }
    }

    private static final Stamp MISSING = new Stamp(null, -1, null);

    private final Path path;
    private final String what;
    private final Loader<T> loader;
    private final Function<T, String> describe;
    private final Logger log;
    private volatile T current;
    private Stamp stamp;
    private ScheduledFuture<?> task;

    /**
     * Reads the file for the first time.
     *
     * @param what     what the file is, for messages: {@code password file}
     * @param describe a summary of the content for the log: {@code 3 users}
     * @throws IllegalStateException with a one-line message when it cannot be read or parsed
     */
    ReloadingFile(Path path, String what, Loader<T> loader, Function<T, String> describe, Logger log) {
        this.path = path.toAbsolutePath().normalize();
        this.what = what;
        this.loader = loader;
        this.describe = describe;
        this.log = log;
        try {
            this.stamp = Stamp.of(this.path);
            this.current = Objects.requireNonNull(loader.load(this.path));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the " + what + " " + this.path + ": " + reason(e), e);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("the " + what + " is not valid: " + e.getMessage(), e);
        }
        log.info("Loaded the {} {}: {}", what, this.path, describe.apply(current));
    }

    /** The file, as an absolute path. */
    Path path() {
        return path;
    }

    /** The content last read successfully. */
    T current() {
        return current;
    }

    /** Checks the file at this interval on the scheduler; zero (or "never") checks never. */
    void watch(ScheduledExecutorService scheduler, Duration interval) {
        if (interval.isZero() || interval.isNegative() || interval.getSeconds() >= 0xFFFF_FFFFL) {
            log.info("The {} {} is not checked for changes (check interval {})", what, path, interval);
            return;
        }
        long ms = Math.max(1, interval.toMillis());
        task = scheduler.scheduleWithFixedDelay(this::checkQuietly, ms, ms, TimeUnit.MILLISECONDS);
    }

    private void checkQuietly() {
        try {
            check();
        } catch (RuntimeException e) {
            // A scheduled task that throws is never run again: log and keep watching.
            log.warn("Checking the {} {} failed: {}", what, path, e.toString());
        }
    }

    /**
     * Reads the file again if it changed since it was last looked at. Returns true when new content is now in force.
     */
    synchronized boolean check() {
        Stamp now;
        try {
            now = Stamp.of(path);
        } catch (IOException e) {
            if (!MISSING.equals(stamp)) {
                log.warn("The {} {} cannot be read ({}); keeping what was loaded before: {}", what, path, reason(e),
                        describe.apply(current));
                stamp = MISSING;
            }
            return false;
        }
        if (now.equals(stamp)) {
            return false;
        }
        stamp = now;
        try {
            T loaded = Objects.requireNonNull(loader.load(path));
            current = loaded;
            log.info("Reloaded the {} {}: {}", what, path, describe.apply(loaded));
            return true;
        } catch (IOException e) {
            log.warn("The {} {} cannot be read ({}); keeping what was loaded before: {}", what, path, reason(e),
                    describe.apply(current));
        } catch (IllegalArgumentException e) {
            log.error("The changed {} is not valid, keeping what was loaded before ({}): {}", what,
                    describe.apply(current), e.getMessage());
        }
        return false;
    }

    private static String reason(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "it does not exist";
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        return e.getMessage() == null ? e.toString() : e.getMessage();
    }

    /** Stops checking. */
    @Override
    public void close() {
        if (task != null) {
            task.cancel(false);
        }
    }
}
