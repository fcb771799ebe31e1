package io.mast.exhook;

import io.mast.plugin.support.Durations;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * One hook server of the {@code exhook.servers} list, as the config file gives it. Options left out take the defaults
 * below; a wrong combination is refused when the broker starts, naming the option.
 *
 * @param name            the server's name in logs and metrics (letters, digits, {@code _ - .}); required, unique
 * @param enable          {@code false} keeps the server configured but never calls it (default {@code true})
 * @param url             the server's address, {@code http://host:port} or {@code https://host:port}
 * @param urls            several addresses of the same hook service, instead of {@code url}: calls are balanced
 *                        across those that are up, and one client's calls always go to the same address while it is up
 * @param requestTimeout  how long one call may take, counted from when the broker queued it (default {@code 5s})
 * @param failedAction    what a call that fails, times out or cannot be made (server down) counts as in a decision:
 *                        {@code deny} (the default) or {@code ignore} (the server abstains)
 * @param autoReconnect   {@code false}, or how long to wait before loading a server again after it went down or could
 *                        not be loaded (default {@code 60s})
 * @param poolSize        HTTP/2 connections per address (default 8); a client's calls always use the same one
 * @param tls             trust and client certificate for {@code https://} addresses (default: the JVM's trust store)
 * @param protocol        {@code v3} (EMQX 5.9 and later, the default) or {@code v2} (EMQX 5.0 to 5.8)
 * @param command         a program and its arguments that serve this hook server: the broker starts it, waits until it
 *                        answers OnProviderLoaded, logs its output, restarts it when it exits and stops it on shutdown
 * @param workdir         the working directory of {@code command} (default: the broker's)
 * @param env             variables added to the broker's environment for {@code command}
 * @param startTimeout    how long the broker waits at startup for {@code command} to serve (default {@code 30s})
 * @param publishInflight {@code message.publish} calls about one client that may be under way at once (default 1: one
 *                        after the other, as EMQX makes them); more overlaps the round trips of a client's messages.
 *                        The calls still start in the client's order and their answers are applied in that order.
 *                        Unary calls only: over Mast's stream a client's calls are always pipelined
 * @param streaming       whether to use Mast's batched streaming mode with a server that offers it in its
 *                        OnProviderLoaded answer (default {@code true}; servers written for EMQX never offer it and are
 *                        called with EMQX's unary RPCs either way); {@code protocol: v2} servers are always called
 *                        with unary RPCs
 * @param batchSize       the most requests in one frame of the stream (default 256)
 * @param batchDelay      how long a request may wait in the broker for more to fill its frame (default {@code 1ms};
 *                        {@code 0}: frames go out at once, holding only what queued while the transport was busy)
 */
public record ServerConfig(String name, Boolean enable, String url, List<String> urls, Duration requestTimeout,
                           FailedAction failedAction, Object autoReconnect, Integer poolSize, Tls tls,
                           Protocol protocol, List<String> command, String workdir, Map<String, String> env,
                           Duration startTimeout, Integer publishInflight, Boolean streaming, Integer batchSize,
                           Duration batchDelay) {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]+");

    /** What a failed call counts as in a decision. */
    public enum FailedAction {
        /** The decision is refused (authentication, authorization and message.publish alike). */
        DENY,
        /** The server abstains, as if it had answered IGNORE. */
        IGNORE
    }

    /** The ExHook protocol version the server speaks. */
    public enum Protocol {
        /** {@code emqx.exhook.v3}: EMQX 5.9 and later. */
        V3,
        /** {@code emqx.exhook.v2}: EMQX 5.0 to 5.8. */
        V2
    }

    /**
     * TLS towards {@code https://} addresses; PEM files.
     *
     * @param caFile    the certificates to trust (default: the JVM's trust store)
     * @param certFile  the broker's client certificate chain, for servers that ask for one
     * @param keyFile   the private key of {@code certFile} (PKCS#8 PEM)
     */
    public record Tls(String caFile, String certFile, String keyFile) {
        public Tls {
            if ((certFile == null) != (keyFile == null)) {
                throw new IllegalArgumentException("tls: cert_file and key_file go together");
            }
        }
    }

    public ServerConfig {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("name: missing required option name");
        }
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("name: expected letters, digits, '_', '-' or '.', got \"" + name + "\"");
        }
        enable = enable == null || enable;
        if (url != null && urls != null) {
            throw new IllegalArgumentException(name + ": give url or urls, not both");
        }
        if (url == null && (urls == null || urls.isEmpty())) {
            throw new IllegalArgumentException(name + ": missing required option url (or urls)");
        }
        urls = List.copyOf(url != null ? List.of(url) : urls);
        for (String u : urls) {
            parse(name, u);
        }
        if (urls.stream().distinct().count() != urls.size()) {
            throw new IllegalArgumentException(name + ": urls: an address is listed twice");
        }
        requestTimeout = requestTimeout == null ? Duration.ofSeconds(5) : requestTimeout;
        if (requestTimeout.isZero() || requestTimeout.isNegative() || Durations.isNever(requestTimeout)) {
            throw new IllegalArgumentException(name + ": request_timeout: expected a positive duration such as 5s");
        }
        failedAction = failedAction == null ? FailedAction.DENY : failedAction;
        autoReconnect = reconnectPeriod(name, autoReconnect == null ? "60s" : autoReconnect);
        poolSize = poolSize == null ? 8 : poolSize;
        if (poolSize < 1 || poolSize > 256) {
            throw new IllegalArgumentException(name + ": pool_size: expected an integer from 1 to 256, got " + poolSize);
        }
        boolean https = urls.stream().anyMatch(u -> u.startsWith("https:"));
        if (tls != null && !https) {
            throw new IllegalArgumentException(name + ": tls is set but no url is https://");
        }
        protocol = protocol == null ? Protocol.V3 : protocol;
        command = command == null ? null : List.copyOf(command);
        if (command != null && command.isEmpty()) {
            throw new IllegalArgumentException(name + ": command: expected the program and its arguments");
        }
        if (command == null && (workdir != null || env != null)) {
            throw new IllegalArgumentException(name + ": workdir and env need command");
        }
        env = env == null ? Map.of() : Map.copyOf(env);
        publishInflight = publishInflight == null ? 1 : publishInflight;
        if (publishInflight < 1 || publishInflight > 1024) {
            throw new IllegalArgumentException(name + ": publish_inflight: expected an integer from 1 to 1024, got "
                    + publishInflight);
        }
        streaming = streaming == null || streaming;
        batchSize = batchSize == null ? 256 : batchSize;
        if (batchSize < 1 || batchSize > 65_536) {
            throw new IllegalArgumentException(name + ": batch_size: expected an integer from 1 to 65536, got "
                    + batchSize);
        }
        batchDelay = batchDelay == null ? Duration.ofMillis(1) : batchDelay;
        if (batchDelay.isNegative() || batchDelay.compareTo(Duration.ofSeconds(1)) > 0) {
            throw new IllegalArgumentException(name + ": batch_delay: expected a duration from 0 to 1s, such as 1ms");
        }
        startTimeout = startTimeout == null ? Duration.ofSeconds(30) : startTimeout;
        if (startTimeout.isZero() || startTimeout.isNegative()) {
            throw new IllegalArgumentException(name + ": start_timeout: expected a positive duration such as 30s");
        }
    }

    /** The period of {@code auto_reconnect}, or {@code null} when it is off. */
    public Duration reconnectPeriod() {
        return autoReconnect instanceof Duration d ? d : null;
    }

    /** The addresses, parsed. */
    List<URI> addresses() {
        List<URI> out = new ArrayList<>(urls.size());
        for (String u : urls) {
            out.add(parse(name, u));
        }
        return out;
    }

    private static URI parse(String name, String url) {
        URI u;
        try {
            u = new URI(url);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(name + ": url: not a valid address: " + url);
        }
        String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IllegalArgumentException(name + ": url: expected http://host:port or https://host:port, got "
                    + url);
        }
        if (u.getHost() == null || u.getPort() < 0) {
            throw new IllegalArgumentException(name + ": url: expected a host and a port, as in http://127.0.0.1:9000, got "
                    + url);
        }
        return u;
    }

    private static Duration reconnectPeriod(String name, Object value) {
        if (value instanceof Duration d) {
            return d;
        }
        if (Boolean.FALSE.equals(value)) {
            return null;
        }
        try {
            Duration d = value instanceof Integer || value instanceof Long
                    ? Duration.ofSeconds(((Number) value).longValue()) : value instanceof String s ? Durations.parse(s) : null;
            if (d != null && !d.isZero() && !d.isNegative()) {
                return d;
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        throw new IllegalArgumentException(name + ": auto_reconnect: expected false or a duration such as 60s, got "
                + value);
    }
}
