package io.mast.client;

import java.nio.file.Path;

/**
 * TLS settings. Without a CA file the JVM's trusted certificates are used. By default the server's certificate must
 * be signed by a trusted CA and match the host name (or IP address) connected to.
 *
 * @param caFile         PEM file of the CA certificates to trust, or {@code null} for the JVM's
 * @param certFile       PEM file of the client's certificate (chain) for client authentication, or {@code null}
 * @param keyFile        PEM file of the client's private key (PKCS#8, unencrypted), with {@code certFile}
 * @param verifyHostname check that the certificate names the host connected to (mosquitto's {@code --insecure}
 *                       turns this off)
 * @param trustAll       accept any certificate at all: for tests only
 */
public record TlsOptions(Path caFile, Path certFile, Path keyFile, boolean verifyHostname, boolean trustAll) {

    public TlsOptions {
        if ((certFile == null) != (keyFile == null)) {
            throw new IllegalArgumentException("a client certificate needs its key file, and a key file its certificate");
        }
    }

    /** TLS trusting the JVM's CA certificates. */
    public static TlsOptions system() {
        return new TlsOptions(null, null, null, true, false);
    }

    /** TLS trusting the CA certificates of a PEM file. */
    public static TlsOptions caFile(Path caFile) {
        return new TlsOptions(caFile, null, null, true, false);
    }

    /** TLS that accepts any server certificate: never in production. */
    public static TlsOptions insecureTrustAll() {
        return new TlsOptions(null, null, null, false, true);
    }

    /** The same settings with a client certificate and key (PEM) for client authentication. */
    public TlsOptions withClientCertificate(Path certFile, Path keyFile) {
        return new TlsOptions(caFile, certFile, keyFile, verifyHostname, trustAll);
    }

    /** The same settings without checking the host name against the certificate. */
    public TlsOptions withoutHostnameVerification() {
        return new TlsOptions(caFile, certFile, keyFile, false, trustAll);
    }
}
