package io.mast.auth;

import java.net.Socket;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * TLS towards a service (an {@code https://} URL): the {@code tls:} option of the HTTP and JWT sources.
 *
 * <pre>{@code
 * tls:
 *   ca_file: /etc/mast/service-ca.pem     # default: the JDK's trusted CAs
 *   cert_file: /etc/mast/client.pem       # a client certificate, when the service asks for one
 *   key_file: /etc/mast/client.key        # its unencrypted PKCS#8 key
 *   verify: true                          # false accepts any server certificate (tests only)
 * }</pre>
 *
 * @param caFile   PEM certificates of the CAs that may sign the service's certificate, or {@code null} for the
 *                 JDK's
 * @param certFile PEM client certificate (chain), or {@code null}
 * @param keyFile  PEM PKCS#8 key of the client certificate, or {@code null}
 * @param verify   whether the service's certificate and host name are checked (default true)
 */
public record TlsClient(String caFile, String certFile, String keyFile, Boolean verify) {

    /** The JDK's defaults: its trusted CAs, no client certificate, verified. */
    public static final TlsClient DEFAULT = new TlsClient(null, null, null, null);

    public TlsClient {
        verify = verify == null || verify;
        if ((certFile == null) != (keyFile == null)) {
            throw new IllegalArgumentException("tls.cert_file and tls.key_file go together");
        }
    }

    /**
     * The SSL context, its files read and checked now.
     *
     * @throws IllegalArgumentException naming a file that cannot be read or used
     */
    public SSLContext context() {
        try {
            TrustManager[] trust = null;
            if (!verify) {
                trust = new TrustManager[] {new AcceptAny()};
            } else if (caFile != null) {
                KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
                ks.load(null, null);
                int i = 0;
                for (X509Certificate c : Pem.certificates(Path.of(caFile))) {
                    ks.setCertificateEntry("ca-" + i++, c);
                }
                TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                tmf.init(ks);
                trust = tmf.getTrustManagers();
            }
            KeyManagerFactory kmf = null;
            if (certFile != null) {
                List<X509Certificate> chain = Pem.certificates(Path.of(certFile));
                PrivateKey key = Pem.privateKey(Path.of(keyFile));
                KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
                ks.load(null, null);
                ks.setKeyEntry("client", key, new char[0], chain.toArray(Certificate[]::new));
                kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(ks, new char[0]);
            }
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf == null ? null : kmf.getKeyManagers(), trust, null);
            return ctx;
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new IllegalArgumentException("tls: " + e.getMessage(), e);
        }
    }

    /** {@code verify: false}: any certificate, any host name. */
    private static final class AcceptAny extends X509ExtendedTrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        }
    }
}
