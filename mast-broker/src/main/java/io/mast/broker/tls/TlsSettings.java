package io.mast.broker.tls;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The TLS part of a {@code tls} or {@code wss} listener, as {@code ListenerConfig.tls()} gives it: either PEM files
 * ({@code certFile} and {@code keyFile}) or a keystore, never both.
 *
 * @param certFile          the server's certificate chain (PEM, leaf first), or {@code null} with a keystore
 * @param keyFile           the private key of {@code certFile} (PEM: PKCS#8, PKCS#1 RSA or SEC1 EC), or {@code null}
 * @param keyPassword       the password of an encrypted PKCS#8 {@code keyFile}, or {@code null}
 * @param caFile            the CA certificates (PEM) client certificates are verified against, or {@code null}
 * @param keystore          a PKCS#12 keystore holding the private key and certificate chain, or {@code null}
 * @param keystorePassword  the keystore's password (also that of its key), or {@code null}
 * @param clientCert        whether clients are asked for a certificate
 * @param tlsVersions       the protocol versions allowed ({@code TLSv1.2}, {@code TLSv1.3}), or {@code null} for
 *                          the JDK's defaults
 * @param ciphers           the cipher suites allowed (JDK names), or {@code null} for the JDK's defaults
 * @param reloadInterval    how often the files are checked for changes; {@code never} turns reloading off
 */
public record TlsSettings(Path certFile, Path keyFile, String keyPassword, Path caFile, Path keystore,
                          String keystorePassword, ClientCert clientCert, List<String> tlsVersions,
                          List<String> ciphers, Duration reloadInterval) {

    public TlsSettings {
        tlsVersions = tlsVersions == null ? null : List.copyOf(tlsVersions);
        ciphers = ciphers == null ? null : List.copyOf(ciphers);
    }

    /** The files the settings read, for change detection: keystore or certificate and key, then the CA file. */
    public List<Path> files() {
        List<Path> all = new java.util.ArrayList<>();
        for (Path p : new Path[] {keystore, certFile, keyFile, caFile}) {
            if (p != null) {
                all.add(p);
            }
        }
        return all;
    }
}
