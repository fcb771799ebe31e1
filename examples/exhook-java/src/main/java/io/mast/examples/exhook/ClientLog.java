package io.mast.examples.exhook;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/**
 * Clients' online status and history, in two text files of a directory (a database would do the same):
 * <ul>
 *   <li>{@code history.log}: one line per change, appended:
 *       {@code 2025-01-17T10:00:00.123Z connected sensor-1 username=alice peer=127.0.0.1:50123}, or
 *       {@code ... disconnected sensor-1 reason=normal};</li>
 *   <li>{@code status.txt}: every client seen, one line each, sorted, rewritten on each change:
 *       {@code sensor-1 online 2025-01-17T10:00:00.123Z}.</li>
 * </ul>
 * Thread-safe: hooks about different clients run concurrently.
 */
public final class ClientLog {

    private final Path history;
    private final Path status;
    private final Map<String, String> states = new TreeMap<>();

    /** Writes into {@code dir}, which is created if missing. */
    public ClientLog(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.history = dir.resolve("history.log");
        this.status = dir.resolve("status.txt");
    }

    /** Records that a client came online. */
    public synchronized void online(String clientId, String username, String peer) {
        record(clientId, "online", "connected " + clientId + " username=" + username + " peer=" + peer);
    }

    /** Records that a client went offline. */
    public synchronized void offline(String clientId, String reason) {
        record(clientId, "offline", "disconnected " + clientId + " reason=" + reason);
    }

    private void record(String clientId, String state, String event) {
        String now = Instant.now().toString();
        states.put(clientId, state + " " + now);
        StringBuilder all = new StringBuilder();
        states.forEach((id, s) -> all.append(id).append(' ').append(s).append('\n'));
        try {
            Files.writeString(history, now + " " + event + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
            Path tmp = status.resolveSibling("status.txt.tmp");
            Files.writeString(tmp, all, StandardCharsets.UTF_8);
            Files.move(tmp, status, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
