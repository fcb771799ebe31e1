package io.mast.plugins;

import io.mast.plugin.AuthDecision;
import io.mast.plugin.AuthPlugin;
import io.mast.plugin.BrokerContext;
import io.mast.plugin.BrokerPlugin;
import io.mast.plugin.ConnectInfo;
import io.mast.plugin.Default;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Semaphore;

/**
 * Checks user names and passwords against a password file of {@code user:hash} lines, as {@code mast passwd} and
 * {@code mosquitto_passwd} write it (hashes: argon2id, argon2i, bcrypt, Mosquitto's {@code $7$} and {@code $6$}; see
 * {@link PasswordHashes}). A known user with the right password is allowed; an unknown user or a wrong (or missing)
 * password is refused with 0x86 Bad user name or password (MQTT 3.1.1: return code 4); a client without a user name
 * is left to the other auth plugins (abstain).
 *
 * <p>The file is read at startup (a missing, unreadable or invalid file stops the broker with one line saying why)
 * and read again when it changes, checked every {@code check_interval}; a changed file that does not parse is logged
 * and the previous users stay in force. Hashing is deliberately slow, so the check runs on a virtual thread, never on
 * a network thread, and at most one check per processor runs at a time.
 *
 * <pre>{@code
 * plugins:
 *   io.mast.plugins.PasswordFileAuthPlugin: {password_file: /etc/mast/passwd}
 * }</pre>
 */
public final class PasswordFileAuthPlugin extends BrokerPlugin implements AuthPlugin {

    /**
     * The options.
     *
     * @param passwordFile  {@code password_file} (required): the file's path, relative to the broker's working directory
     * @param checkInterval {@code check_interval}: how often the file is checked for changes (default 5s; 0 never)
     */
    public record Config(String passwordFile, @Default("5s") Duration checkInterval) {
    }

    private final ReloadingFile<Map<String, PasswordHashes.Hash>> file;
    /**
     * Hashing is CPU-bound and an argon2 check takes its memory (19 MiB with the default parameters): at most one
     * check per processor at a time, so that a flood of CONNECTs queues up (within {@code decision_timeout}) instead
     * of taking all the memory.
     */
    private final Semaphore hashing = new Semaphore(Math.max(2, Runtime.getRuntime().availableProcessors()));

    /**
     * Reads the password file and starts watching it; called by the broker at startup.
     *
     * @throws IllegalStateException when the file cannot be read or is not valid (the broker then does not start)
     */
    public PasswordFileAuthPlugin(BrokerContext context) {
        super(context);
        Config c = config(Config.class);
        this.file = new ReloadingFile<>(Path.of(c.passwordFile()), "password file",
                p -> PasswordFile.read(p).hashes(), users -> users.size() + (users.size() == 1 ? " user" : " users"),
                log());
        file.watch(context.scheduler(), c.checkInterval());
    }

    @Override
    public AuthDecision authenticate(ConnectInfo connect) throws InterruptedException {
        String user = connect.username();
        if (user == null) {
            return AuthDecision.abstain();
        }
        hashing.acquire();
        try {
            return check(user, connect.password());
        } finally {
            hashing.release();
        }
    }

    private AuthDecision check(String user, byte[] given) {
        byte[] password = given == null ? new byte[0] : given;
        Map<String, PasswordHashes.Hash> users = file.current();
        PasswordHashes.Hash hash = users.get(user);
        if (hash == null) {
            // Spend about the time a known user costs, so that response times do not tell which users exist.
            users.values().stream().findFirst().ifPresent(h -> h.verify(password));
            return AuthDecision.badCredentials();
        }
        boolean matches = hash.verify(password);
        return matches && given != null ? AuthDecision.allow() : AuthDecision.badCredentials();
    }

    /** Reads the file now if it changed; returns true when new content is in force (for tests and tools). */
    boolean reloadIfChanged() {
        return file.check();
    }

    @Override
    public void close() {
        file.close();
    }
}
