package io.mast.it;

import java.io.IOException;
import java.io.OutputStream;
import java.io.StringWriter;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Comparator;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.KeyManagerFactorySpi;
import javax.net.ssl.ManagerFactoryParameters;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.sec.ECPrivateKey;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.io.pem.PemObject;

/**
 * Certificates made for one test run with BouncyCastle and written as PEM files (keys as unencrypted PKCS#8 unless
 * asked otherwise), as Mosquitto, Mast's client and Mast's listeners read them: a CA, a server certificate for
 * 127.0.0.1 and localhost, and a client certificate. {@link Authority} makes further CAs and certificates (client
 * certificates with any subject and Subject Alternative Names, servers for hot reload); {@link #sslContext} and
 * {@link #handshake} are the Java side of a TLS client.
 */
final class TestCertificates {

    private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());

    /** The CA that signed the server and client certificates below. */
    final Authority ca;
    final Issued server;
    final Issued client;
    final Path caCert;
    final Path serverCert;
    final Path serverKey;
    final Path clientCert;
    final Path clientKey;

    private TestCertificates(Path dir) throws Exception {
        ca = Authority.create(dir, "ca", "Mast Test CA");
        server = ca.server("server");
        client = ca.client("client", "CN=mast-test-client");
        caCert = ca.certFile;
        serverCert = server.cert();
        serverKey = server.key();
        clientCert = client.cert();
        clientKey = client.key();
    }

    /** Makes the certificates in {@code dir}: ca.crt, server.crt and .key, client.crt and .key. */
    static TestCertificates create(Path dir) throws Exception {
        return new TestCertificates(dir);
    }

    /**
     * Makes the certificates in a new temporary folder, deleted when the JVM exits: for a broker whose config is made
     * when the test class loads, before JUnit's temporary folders exist.
     */
    static TestCertificates temporary() {
        try {
            Path dir = Files.createTempDirectory("mast-certs");
            Runtime.getRuntime().addShutdownHook(new Thread(() -> delete(dir)));
            return create(dir);
        } catch (Exception e) {
            throw new IllegalStateException("cannot make test certificates", e);
        }
    }

    private static void delete(Path dir) {
        try (Stream<Path> all = Files.walk(dir)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // best effort at exit
        }
    }

    /** A certificate authority that signs certificates for the tests. */
    static final class Authority {
        final Path dir;
        final Path certFile;
        final X509Certificate certificate;
        private final X500Name name;
        private final KeyPair keys;

        private Authority(Path dir, Path certFile, X509Certificate certificate, X500Name name, KeyPair keys) {
            this.dir = dir;
            this.certFile = certFile;
            this.certificate = certificate;
            this.name = name;
            this.keys = keys;
        }

        /** A new self-signed CA, written to {@code dir/<file>.crt}. */
        static Authority create(Path dir, String file, String commonName) throws Exception {
            KeyPair keys = keyPair();
            X500Name name = new X500Name("CN=" + commonName);
            X509Certificate cert = sign(name, name, keys, keys.getPrivate(), true, null, List.of());
            return new Authority(dir, write(dir.resolve(file + ".crt"), pem(cert)), cert, name, keys);
        }

        /** A server certificate for 127.0.0.1 and localhost (CN=localhost), written to {@code <file>.crt/.key}. */
        Issued server(String file) throws Exception {
            return issue(file, "CN=localhost", KeyPurposeId.id_kp_serverAuth, List.of(
                    new GeneralName(GeneralName.iPAddress, "127.0.0.1"),
                    new GeneralName(GeneralName.dNSName, "localhost")), keyPair());
        }

        /** A server certificate as {@link #server} with an RSA key instead of an EC one. */
        Issued rsaServer(String file) throws Exception {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(2048);
            return issue(file, "CN=localhost", KeyPurposeId.id_kp_serverAuth, List.of(
                    new GeneralName(GeneralName.iPAddress, "127.0.0.1"),
                    new GeneralName(GeneralName.dNSName, "localhost")), g.generateKeyPair());
        }

        /** A client certificate with this subject ({@code CN=device-1,O=Acme}) and Subject Alternative Names. */
        Issued client(String file, String subject, GeneralName... sans) throws Exception {
            return issue(file, subject, KeyPurposeId.id_kp_clientAuth, List.of(sans), keyPair());
        }

        private Issued issue(String file, String subject, KeyPurposeId purpose, List<GeneralName> sans, KeyPair pair)
                throws Exception {
            // The subject as written in RFC 2253 (most specific first), encoded in the usual order (O before CN).
            X500Name x500 = X500Name.getInstance(new X500Principal(subject).getEncoded());
            X509Certificate cert = sign(x500, name, pair, keys.getPrivate(), false, purpose, sans);
            Path certPath = write(dir.resolve(file + ".crt"), pem(cert));
            Path keyPath = write(dir.resolve(file + ".key"), pkcs8(pair.getPrivate()));
            return new Issued(certPath, keyPath, cert, pair.getPrivate(), certificate);
        }
    }

    /**
     * A certificate and its key, signed by {@code issuer}.
     *
     * @param cert the PEM certificate file
     * @param key  the PEM key file (unencrypted PKCS#8)
     */
    record Issued(Path cert, Path key, X509Certificate certificate, PrivateKey privateKey, X509Certificate issuer) {

        /** The key and certificate chain as a PKCS#12 keystore. */
        Path pkcs12(Path file, String password) throws Exception {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setKeyEntry("key", privateKey, password.toCharArray(), new Certificate[] {certificate, issuer});
            try (OutputStream out = Files.newOutputStream(file)) {
                ks.store(out, password.toCharArray());
            }
            return file;
        }

        /**
         * The key in another PEM form, as OpenSSL writes them: {@code traditional} (PKCS#1 RSA, or SEC1 EC with its
         * named curve) or {@code encrypted} PKCS#8 (PBES2, AES-256-CBC, PBKDF2 with HMAC-SHA256).
         */
        Path writeKey(Path file, String form, String password) throws Exception {
            StringWriter w = new StringWriter();
            try (JcaPEMWriter p = new JcaPEMWriter(w)) {
                switch (form) {
                    case "traditional" -> {
                        if (privateKey.getAlgorithm().equals("EC")) {
                            PrivateKeyInfo info = PrivateKeyInfo.getInstance(privateKey.getEncoded());
                            ECPrivateKey inner = ECPrivateKey.getInstance(info.parsePrivateKey());
                            p.writeObject(new PemObject("EC PRIVATE KEY", new ECPrivateKey(256, inner.getKey(),
                                    info.getPrivateKeyAlgorithm().getParameters()).getEncoded()));
                        } else {
                            p.writeObject(privateKey);
                        }
                    }
                    case "encrypted" -> p.writeObject(new JcaPKCS8Generator(privateKey,
                            new JceOpenSSLPKCS8EncryptorBuilder(JcaPKCS8Generator.AES_256_CBC)
                                    .setPRF(JcaPKCS8Generator.PRF_HMACSHA256)
                                    .setProvider(new BouncyCastleProvider())
                                    .setPassword(password.toCharArray()).build()));
                    default -> throw new IllegalArgumentException(form);
                }
            }
            return write(file, w.toString());
        }

        /** Copies the certificate and key over other files (as a certificate rotation does), key first. */
        void installAs(Path certFile, Path keyFile) throws IOException {
            replace(key, keyFile);
            replace(cert, certFile);
        }

        /**
         * Key managers that always present this certificate, as OpenSSL clients (mosquitto_sub --cert) do: the JDK's
         * own would leave out a certificate whose issuer is not among the CAs the server names, and the server would
         * never see it.
         */
        KeyManagerFactory keyManagers() {
            X509Certificate[] chain = {certificate, issuer};
            X509ExtendedKeyManager always = new X509ExtendedKeyManager() {
                @Override
                public String[] getClientAliases(String keyType, Principal[] issuers) {
                    return new String[] {"key"};
                }

                @Override
                public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
                    return "key";
                }

                @Override
                public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
                    return "key";
                }

                @Override
                public String[] getServerAliases(String keyType, Principal[] issuers) {
                    return null;
                }

                @Override
                public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
                    return null;
                }

                @Override
                public X509Certificate[] getCertificateChain(String alias) {
                    return chain.clone();
                }

                @Override
                public PrivateKey getPrivateKey(String alias) {
                    return privateKey;
                }
            };
            return new KeyManagerFactory(new KeyManagerFactorySpi() {
                @Override
                protected void engineInit(KeyStore ks, char[] password) {
                }

                @Override
                protected void engineInit(ManagerFactoryParameters spec) {
                }

                @Override
                protected KeyManager[] engineGetKeyManagers() {
                    return new KeyManager[] {always};
                }
            }, null, "always") {
            };
        }
    }

    /** Replaces a file by another's contents in one step (a rename), so a reader never sees half of it. */
    static void replace(Path from, Path to) throws IOException {
        Path tmp = to.resolveSibling(to.getFileName() + ".tmp");
        Files.copy(from, tmp, StandardCopyOption.REPLACE_EXISTING);
        Files.move(tmp, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Trust in these CAs. */
    static TrustManagerFactory trust(X509Certificate... cas) throws GeneralSecurityException, IOException {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        for (int i = 0; i < cas.length; i++) {
            ks.setCertificateEntry("ca" + i, cas[i]);
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        return tmf;
    }

    /** A client TLS context trusting a CA, presenting a client certificate unless {@code client} is null. */
    static SSLContext sslContext(Authority trusted, Issued client) throws GeneralSecurityException, IOException {
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(client == null ? null : client.keyManagers().getKeyManagers(),
                trust(trusted.certificate).getTrustManagers(), null);
        return ctx;
    }

    /**
     * A TLS handshake with 127.0.0.1:port, checking the server's certificate against {@code trusted} and the host
     * name; returns the session (whose peer certificates show what the listener serves). Throws when it fails.
     */
    static SSLSession handshake(int port, Authority trusted, Issued client, String... protocols)
            throws GeneralSecurityException, IOException {
        SSLContext ctx = sslContext(trusted, client);
        try (SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            s.setSoTimeout(5_000);
            var params = s.getSSLParameters();
            params.setEndpointIdentificationAlgorithm("HTTPS");
            if (protocols.length > 0) {
                params.setProtocols(protocols);
            }
            s.setSSLParameters(params);
            s.startHandshake();
            return s.getSession();
        }
    }

    /** The certificate the listener on this port presents. */
    static X509Certificate serverCertificate(int port, Authority trusted) throws GeneralSecurityException, IOException {
        return (X509Certificate) handshake(port, trusted, null).getPeerCertificates()[0];
    }

    private static KeyPair keyPair() throws GeneralSecurityException {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        return g.generateKeyPair();
    }

    private static X509Certificate sign(X500Name subject, X500Name issuer, KeyPair keys, PrivateKey issuerKey,
                                        boolean ca, KeyPurposeId purpose, List<GeneralName> sans)
            throws IOException, GeneralSecurityException, OperatorCreationException {
        Instant now = Instant.now();
        X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(issuer, BigInteger.valueOf(SERIAL.incrementAndGet()),
                Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(2))), subject,
                keys.getPublic());
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
        if (ca) {
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        } else {
            int usage = keys.getPublic().getAlgorithm().equals("RSA")
                    ? KeyUsage.digitalSignature | KeyUsage.keyEncipherment
                    : KeyUsage.digitalSignature | KeyUsage.keyAgreement;
            b.addExtension(Extension.keyUsage, true, new KeyUsage(usage));
            b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purpose));
            if (!sans.isEmpty()) {
                b.addExtension(Extension.subjectAlternativeName, false,
                        new GeneralNames(sans.toArray(GeneralName[]::new)));
            }
        }
        String algorithm = issuerKey.getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA";
        return new JcaX509CertificateConverter().getCertificate(
                b.build(new JcaContentSignerBuilder(algorithm).build(issuerKey)));
    }

    private static String pem(X509Certificate c) throws IOException {
        StringWriter w = new StringWriter();
        try (JcaPEMWriter p = new JcaPEMWriter(w)) {
            p.writeObject(c);
        }
        return w.toString();
    }

    private static String pkcs8(PrivateKey key) {
        return "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(key.getEncoded())
                + "\n-----END PRIVATE KEY-----\n";
    }

    private static Path write(Path file, String text) throws IOException {
        return Files.writeString(file, text);
    }

    /** Subject Alternative Names for {@link Authority#client}. */
    static GeneralName dns(String name) {
        return new GeneralName(GeneralName.dNSName, name);
    }

    static GeneralName ip(String address) {
        return new GeneralName(GeneralName.iPAddress, address);
    }

    static GeneralName email(String address) {
        return new GeneralName(GeneralName.rfc822Name, address);
    }

    static GeneralName uri(String uri) {
        return new GeneralName(GeneralName.uniformResourceIdentifier, uri);
    }
}
