package io.mast.client;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

/**
 * TLS settings. Without a CA file (or folder) the JVM's trusted certificates are used. By default the server's
 * certificate must be signed by a trusted CA and match the host name (or IP address) connected to.
 *
 * @param caFile         PEM file of the CA certificates to trust, or {@code null}
 * @param certFile       PEM file of the client's certificate (chain) for client authentication, or {@code null}
 * @param keyFile        PEM file of the client's private key (PKCS#8, unencrypted), with {@code certFile}
 * @param verifyHostname check that the certificate names the host connected to (mosquitto's {@code --insecure}
 *                       turns this off)
 * @param trustAll       accept any certificate at all: for tests only
 * @param caPath         a folder of PEM CA certificates to trust (every file in it that holds certificates, as
 *                       OpenSSL's {@code -CApath} and Mosquitto's {@code --capath}), or {@code null}
 * @param protocols      the TLS versions allowed, e.g. {@code TLSv1.3}, or {@code null} for the JVM's defaults
 */
public record TlsOptions(Path caFile, Path certFile, Path keyFile, boolean verifyHostname, boolean trustAll,
                         Path caPath, List<String> protocols) {

    public TlsOptions {
        if ((certFile == null) != (keyFile == null)) {
            throw new IllegalArgumentException("a client certificate needs its key file, and a key file its certificate");
        }
        protocols = protocols == null ? null : List.copyOf(protocols);
    }

    /** The settings without a CA folder or TLS versions (as before those were added). */
    public TlsOptions(Path caFile, Path certFile, Path keyFile, boolean verifyHostname, boolean trustAll) {
        this(caFile, certFile, keyFile, verifyHostname, trustAll, null, null);
    }

    /** TLS trusting the JVM's CA certificates. */
    public static TlsOptions system() {
        return new TlsOptions(null, null, null, true, false);
    }

    /** TLS trusting the CA certificates of a PEM file. */
    public static TlsOptions caFile(Path caFile) {
        return new TlsOptions(caFile, null, null, true, false);
    }

    /** TLS trusting the CA certificates in the PEM files of a folder. */
    public static TlsOptions caPath(Path folder) {
        return new TlsOptions(null, null, null, true, false, folder, null);
    }

    /** TLS that accepts any server certificate: never in production. */
    public static TlsOptions insecureTrustAll() {
        return new TlsOptions(null, null, null, false, true);
    }

    /** The same settings with a client certificate and key (PEM) for client authentication. */
    public TlsOptions withClientCertificate(Path certFile, Path keyFile) {
        return new TlsOptions(caFile, certFile, keyFile, verifyHostname, trustAll, caPath, protocols);
    }

    /** The same settings without checking the host name against the certificate. */
    public TlsOptions withoutHostnameVerification() {
        return new TlsOptions(caFile, certFile, keyFile, false, trustAll, caPath, protocols);
    }

    /** The same settings allowing only these TLS versions ({@code TLSv1.2}, {@code TLSv1.3}). */
    public TlsOptions withProtocols(List<String> versions) {
        return new TlsOptions(caFile, certFile, keyFile, verifyHostname, trustAll, caPath, versions);
    }

    /** The certificates of every readable file of a folder that holds PEM (or DER) certificates; others are skipped. */
    static X509Certificate[] certificatesIn(Path folder) {
        List<X509Certificate> out = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(folder)) {
            CertificateFactory x509 = CertificateFactory.getInstance("X.509");
            for (Path f : files) {
                if (!Files.isRegularFile(f)) {
                    continue;
                }
                try (InputStream in = Files.newInputStream(f)) {
                    x509.generateCertificates(in).forEach(c -> out.add((X509Certificate) c));
                } catch (CertificateException | IOException e) {
                    // not a certificate file (a key, a CRL, a README): OpenSSL skips these too
                }
            }
        } catch (IOException | CertificateException e) {
            throw new IllegalArgumentException("cannot read the CA folder " + folder + ": " + e.getMessage(), e);
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("no CA certificate in the folder " + folder);
        }
        return out.toArray(X509Certificate[]::new);
    }
}
