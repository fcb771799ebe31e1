package io.mast.broker.transport;

import io.mast.broker.config.ListenerConfig;
import io.mast.broker.tls.TlsFiles;
import io.mast.broker.tls.TlsSettings;
import io.mast.plugin.support.Durations;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.IdentityCipherSuiteFilter;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Date;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The TLS side of one {@code tls} or {@code wss} listener: the server's current {@link SslContext}, from which every
 * new connection gets its {@link SslHandler}, and the hot reload of the certificate files.
 *
 * <p>The files are read every {@code reload_interval} (a thread of its own, never a network thread); when their
 * contents changed they are loaded and checked (the key must match the certificate) and, if that works, new
 * connections use the new context while open ones keep theirs. A file that cannot be used is logged once per change
 * and the previous certificate stays in use.
 */
public final class ServerTls implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ServerTls.class);

    private final String listener;
    private final TlsSettings settings;
    private final long handshakeTimeoutMillis;
    private final ScheduledExecutorService poller;
    private volatile SslContext context;
    private volatile X509Certificate certificate;
    /** What the files held at the last check. Guarded by this. */
    private byte[] fingerprint;

    private ServerTls(ListenerConfig listener, long handshakeTimeoutMillis) {
        this.listener = listener.name();
        this.settings = listener.tls();
        this.handshakeTimeoutMillis = handshakeTimeoutMillis;
        TlsFiles.Snapshot files = TlsFiles.snapshot(settings);
        TlsFiles.Material material = TlsFiles.load(settings, files);
        this.context = build(settings, material);
        this.certificate = material.certificate();
        this.fingerprint = files.fingerprint();
        log.info("TLS on {}: certificate {} (valid until {}), client certificates {}", this.listener,
                certificate.getSubjectX500Principal().getName(), certificate.getNotAfter().toInstant(),
                settings.clientCert().name().toLowerCase(Locale.ROOT));
        warnIfExpired(material.certificate());
        if (Durations.isNever(settings.reloadInterval())) {
            poller = null;
        } else {
            poller = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "mast-tls-reload-" + this.listener);
                t.setDaemon(true);
                return t;
            });
            long every = Math.max(1, settings.reloadInterval().toMillis());
            poller.scheduleWithFixedDelay(this::checkQuietly, every, every, TimeUnit.MILLISECONDS);
        }
    }

    /**
     * Loads the listener's TLS files and starts watching them.
     *
     * @param handshakeTimeoutMillis how long a client has to complete the TLS handshake
     * @throws IllegalArgumentException naming the key when a file cannot be used
     */
    public static ServerTls start(ListenerConfig listener, long handshakeTimeoutMillis) {
        return new ServerTls(listener, handshakeTimeoutMillis);
    }

    /** The TLS handler of a new connection, from the current certificate. */
    public SslHandler newHandler(ByteBufAllocator alloc) {
        SslHandler h = context.newHandler(alloc);
        h.setHandshakeTimeoutMillis(handshakeTimeoutMillis);
        return h;
    }

    /** The server certificate new connections get. */
    public X509Certificate certificate() {
        return certificate;
    }

    /**
     * Reads the files and, when they changed and can be used, switches new connections to them. Returns true when a
     * new certificate was loaded. Called by the reload thread; tests may call it too.
     */
    public synchronized boolean checkForChanges() {
        TlsFiles.Snapshot files = TlsFiles.snapshot(settings);
        byte[] now = files.fingerprint();
        if (Arrays.equals(now, fingerprint)) {
            return false;
        }
        fingerprint = now;
        TlsFiles.Material material;
        SslContext next;
        try {
            material = TlsFiles.load(settings, files);
            next = build(settings, material);
        } catch (IllegalArgumentException e) {
            log.warn("Cannot reload the TLS files of {}: {}; new connections keep the previous certificate ({})",
                    listener, e.getMessage(), certificate.getSubjectX500Principal().getName());
            return false;
        }
        context = next;
        certificate = material.certificate();
        log.info("Reloaded the TLS files of {}: certificate {} (serial {}, valid until {}) for new connections",
                listener, certificate.getSubjectX500Principal().getName(), certificate.getSerialNumber().toString(16),
                certificate.getNotAfter().toInstant());
        warnIfExpired(certificate);
        return true;
    }

    private void checkQuietly() {
        try {
            checkForChanges();
        } catch (RuntimeException e) {
            log.warn("Checking the TLS files of {} failed", listener, e);
        }
    }

    private void warnIfExpired(X509Certificate c) {
        if (c.getNotAfter().before(new Date())) {
            log.warn("The TLS certificate of {} expired on {}: clients will refuse it", listener,
                    c.getNotAfter().toInstant());
        }
    }

    /** A Netty server context (JDK provider) for the settings and the material read from their files. */
    static SslContext build(TlsSettings s, TlsFiles.Material m) {
        SslContextBuilder b = SslContextBuilder.forServer(m.keys())
                .sslProvider(SslProvider.JDK)
                .clientAuth(switch (s.clientCert()) {
                    case NONE -> ClientAuth.NONE;
                    case OPTIONAL -> ClientAuth.OPTIONAL;
                    case REQUIRED -> ClientAuth.REQUIRE;
                });
        if (m.trust() != null) {
            b.trustManager(m.trust());
        }
        if (s.tlsVersions() != null) {
            b.protocols(s.tlsVersions());
        }
        if (s.ciphers() != null) {
            b.ciphers(s.ciphers(), IdentityCipherSuiteFilter.INSTANCE);
        }
        try {
            return b.build();
        } catch (SSLException | IllegalArgumentException e) {
            throw new IllegalArgumentException((s.keystore() != null ? "keystore" : "cert_file")
                    + ": cannot make a TLS context: " + e.getMessage(), e);
        }
    }

    /** Stops watching the files. */
    @Override
    public void close() {
        if (poller != null) {
            poller.shutdownNow();
        }
    }
}
