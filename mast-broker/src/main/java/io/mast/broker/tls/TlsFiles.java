package io.mast.broker.tls;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.UnrecoverableKeyException;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Cipher;
import javax.crypto.EncryptedPrivateKeyInfo;
import javax.crypto.SecretKey;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.TrustManagerFactory;

/**
 * Reads the key material of a TLS listener with the JDK alone: PEM certificate chains, PEM private keys (PKCS#8,
 * encrypted PKCS#8, PKCS#1 RSA and SEC1 EC, as OpenSSL writes them) and PKCS#12 keystores. Every problem is an
 * {@link IllegalArgumentException} whose message starts with the config key it is about ({@code cert_file: ...}), so
 * that the config loader can name the file and line.
 */
public final class TlsFiles {

    private static final Pattern PEM = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----(.*?)-----END \\1-----", Pattern.DOTALL);
    /** rsaEncryption */
    private static final byte[] OID_RSA = {0x06, 0x09, 0x2A, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xF7, 0x0D, 0x01,
            0x01, 0x01};
    /** id-ecPublicKey */
    private static final byte[] OID_EC = {0x06, 0x07, 0x2A, (byte) 0x86, 0x48, (byte) 0xCE, 0x3D, 0x02, 0x01};

    private TlsFiles() {
    }

    /** What a TLS listener needs from its files: the keys, the trusted CAs (or none), and the server certificate. */
    public record Material(KeyManagerFactory keys, TrustManagerFactory trust, X509Certificate certificate) {
    }

    /**
     * The bytes of every file the settings name, read once, so that what is checked for changes is exactly what is
     * loaded. A file that cannot be read is kept as its error.
     */
    public record Snapshot(Map<Path, byte[]> contents, Map<Path, String> errors) {

        /** A digest of the files' contents (and of which could not be read). */
        public byte[] fingerprint() {
            try {
                MessageDigest d = MessageDigest.getInstance("SHA-256");
                for (Map.Entry<Path, byte[]> e : contents.entrySet()) {
                    d.update(e.getKey().toString().getBytes(StandardCharsets.UTF_8));
                    d.update(e.getValue());
                }
                for (Map.Entry<Path, String> e : errors.entrySet()) {
                    d.update(e.getKey().toString().getBytes(StandardCharsets.UTF_8));
                    d.update(e.getValue().getBytes(StandardCharsets.UTF_8));
                }
                return d.digest();
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }

        byte[] read(String key, Path file) {
            String error = errors.get(file);
            if (error != null) {
                throw new IllegalArgumentException(key + ": cannot read " + file + ": " + error);
            }
            return contents.get(file);
        }
    }

    /** Reads the files of the settings; never throws. */
    public static Snapshot snapshot(TlsSettings s) {
        Map<Path, byte[]> contents = new LinkedHashMap<>();
        Map<Path, String> errors = new LinkedHashMap<>();
        for (Path p : s.files()) {
            try {
                if (Files.isDirectory(p)) {
                    errors.put(p, "it is a directory");
                } else {
                    contents.put(p, Files.readAllBytes(p));
                }
            } catch (NoSuchFileException e) {
                errors.put(p, "it does not exist");
            } catch (AccessDeniedException e) {
                errors.put(p, "permission denied");
            } catch (IOException e) {
                errors.put(p, e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
            }
        }
        return new Snapshot(Collections.unmodifiableMap(contents), Collections.unmodifiableMap(errors));
    }

    /** Reads and checks the files of the settings. */
    public static Material load(TlsSettings s) {
        return load(s, snapshot(s));
    }

    /**
     * Checks the settings against the files as read: the key must match the certificate, the keystore must open
     * with its password, the CA file must hold certificates, the versions and cipher suites must be known.
     */
    public static Material load(TlsSettings s, Snapshot files) {
        try {
            if (s.ciphers() != null) {
                checkCiphers(s.ciphers());
            }
            KeyStore keys = KeyStore.getInstance("PKCS12");
            keys.load(null, null);
            char[] password;
            X509Certificate leaf;
            if (s.keystore() != null) {
                password = s.keystorePassword() == null ? new char[0] : s.keystorePassword().toCharArray();
                KeyStore store = keystore(s.keystore(), files.read("keystore", s.keystore()), password);
                leaf = null;
                for (String alias : Collections.list(store.aliases())) {
                    if (store.isKeyEntry(alias)) {
                        PrivateKey key = keystoreKey(store, alias, s, password);
                        Certificate[] chain = store.getCertificateChain(alias);
                        if (key == null || chain == null || chain.length == 0) {
                            continue;
                        }
                        keys.setKeyEntry(alias, key, password, chain);
                        if (leaf == null) {
                            leaf = (X509Certificate) chain[0];
                        }
                    }
                }
                if (leaf == null) {
                    throw new IllegalArgumentException("keystore: " + s.keystore()
                            + " holds no private key with its certificate");
                }
            } else {
                List<X509Certificate> chain = certificates("cert_file", s.certFile(),
                        files.read("cert_file", s.certFile()));
                PrivateKey key = privateKey(s.keyFile(), files.read("key_file", s.keyFile()), s.keyPassword());
                leaf = chain.get(0);
                if (!matches(key, leaf.getPublicKey())) {
                    throw new IllegalArgumentException("key_file: " + s.keyFile() + " is not the key of the certificate"
                            + " in " + s.certFile() + " (" + leaf.getSubjectX500Principal().getName() + ")");
                }
                password = new char[0];
                keys.setKeyEntry("server", key, password, chain.toArray(Certificate[]::new));
            }
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keys, password);
            TrustManagerFactory tmf = null;
            if (s.caFile() != null) {
                KeyStore trusted = KeyStore.getInstance("PKCS12");
                trusted.load(null, null);
                int i = 0;
                for (X509Certificate ca : certificates("ca_file", s.caFile(), files.read("ca_file", s.caFile()))) {
                    trusted.setCertificateEntry("ca-" + i++, ca);
                }
                tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                tmf.init(trusted);
            }
            return new Material(kmf, tmf, leaf);
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalArgumentException((s.keystore() != null ? "keystore" : "cert_file")
                    + ": cannot use the TLS files: " + e.getMessage(), e);
        }
    }

    private static void checkCiphers(List<String> ciphers) {
        List<String> supported = Arrays.asList(
                ((SSLServerSocketFactory) SSLServerSocketFactory.getDefault()).getSupportedCipherSuites());
        for (String c : ciphers) {
            if (!supported.contains(c)) {
                throw new IllegalArgumentException("ciphers: " + c + " is not a cipher suite this Java supports, such "
                        + "as TLS_AES_128_GCM_SHA256 or TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384");
            }
        }
    }

    private static KeyStore keystore(Path file, byte[] bytes, char[] password) {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(new ByteArrayInputStream(bytes), password);
            return store;
        } catch (IOException e) {
            Throwable cause = e.getCause();
            if (cause instanceof UnrecoverableKeyException || String.valueOf(e.getMessage()).contains("password")) {
                throw new IllegalArgumentException("keystore: cannot open " + file + ": wrong keystore_password");
            }
            throw new IllegalArgumentException("keystore: cannot open " + file + ": not a PKCS#12 keystore ("
                    + e.getMessage() + ")");
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("keystore: cannot open " + file + ": " + e.getMessage());
        }
    }

    private static PrivateKey keystoreKey(KeyStore store, String alias, TlsSettings s, char[] password)
            throws GeneralSecurityException {
        try {
            return (PrivateKey) store.getKey(alias, password);
        } catch (UnrecoverableKeyException e) {
            throw new IllegalArgumentException("keystore_password: the key " + alias + " in " + s.keystore()
                    + " does not open with keystore_password");
        }
    }

    // ---- PEM ----

    private record Block(String type, Map<String, String> headers, byte[] der) {
    }

    private static List<Block> blocks(byte[] bytes) {
        String text = new String(bytes, StandardCharsets.US_ASCII);
        List<Block> out = new ArrayList<>();
        Matcher m = PEM.matcher(text);
        while (m.find()) {
            Map<String, String> headers = new LinkedHashMap<>();
            StringBuilder base64 = new StringBuilder();
            for (String line : m.group(2).split("\\R")) {
                int colon = line.indexOf(':');
                if (colon > 0) {
                    headers.put(line.substring(0, colon).trim(), line.substring(colon + 1).trim());
                } else {
                    base64.append(line.trim());
                }
            }
            try {
                out.add(new Block(m.group(1), headers, Base64.getMimeDecoder().decode(base64.toString())));
            } catch (IllegalArgumentException e) {
                out.add(new Block(m.group(1), headers, null));
            }
        }
        return out;
    }

    /**
     * The certificates of a PEM file, in order.
     *
     * @throws IllegalArgumentException starting with the key, when there are none or one is broken
     */
    public static List<X509Certificate> certificates(String key, Path file, byte[] bytes) {
        List<X509Certificate> out = new ArrayList<>();
        try {
            CertificateFactory f = CertificateFactory.getInstance("X.509");
            for (Block b : blocks(bytes)) {
                if (!b.type().equals("CERTIFICATE")) {
                    continue;
                }
                if (b.der() == null) {
                    throw new IllegalArgumentException(key + ": " + file + " holds a certificate that is not valid "
                            + "base64");
                }
                out.add((X509Certificate) f.generateCertificate(new ByteArrayInputStream(b.der())));
            }
        } catch (CertificateException e) {
            throw new IllegalArgumentException(key + ": " + file + " holds a broken certificate: " + e.getMessage());
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException(key + ": " + file
                    + " holds no PEM certificate (-----BEGIN CERTIFICATE-----)");
        }
        return out;
    }

    /** The first private key of a PEM file. */
    static PrivateKey privateKey(Path file, byte[] bytes, String password) {
        for (Block b : blocks(bytes)) {
            if (!b.type().endsWith("PRIVATE KEY")) {
                continue;
            }
            if (b.der() == null) {
                throw new IllegalArgumentException("key_file: " + file + " holds a key that is not valid base64");
            }
            byte[] pkcs8 = switch (b.type()) {
                case "PRIVATE KEY" -> b.der();
                case "ENCRYPTED PRIVATE KEY" -> decrypt(file, b.der(), password);
                case "RSA PRIVATE KEY", "EC PRIVATE KEY" -> {
                    if (b.headers().containsKey("Proc-Type") || b.headers().containsKey("DEK-Info")) {
                        throw new IllegalArgumentException("key_file: " + file + " is encrypted in the legacy OpenSSL "
                                + "format; convert it with: openssl pkcs8 -topk8 -in " + file + " -out key.pem");
                    }
                    yield b.type().startsWith("RSA") ? pkcs8(OID_RSA, b.der()) : pkcs8(ecAlgorithm(file, b.der()), b.der());
                }
                default -> throw new IllegalArgumentException("key_file: " + file + " holds a " + b.type()
                        + ", expected a PRIVATE KEY, ENCRYPTED PRIVATE KEY, RSA PRIVATE KEY or EC PRIVATE KEY");
            };
            if (password != null && b.type().equals("PRIVATE KEY")) {
                throw new IllegalArgumentException("key_password: " + file + " is not encrypted");
            }
            for (String algorithm : new String[] {"RSA", "EC", "EdDSA", "RSASSA-PSS", "DSA"}) {
                try {
                    return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
                } catch (InvalidKeySpecException | NoSuchAlgorithmException | ClassCastException e) {
                    // try the next algorithm
                }
            }
            throw new IllegalArgumentException("key_file: " + file + " holds a private key of an unsupported kind "
                    + "(expected RSA, EC or Ed25519)");
        }
        throw new IllegalArgumentException("key_file: " + file + " holds no PEM private key (-----BEGIN PRIVATE KEY-----)");
    }

    private static byte[] decrypt(Path file, byte[] der, String password) {
        if (password == null) {
            throw new IllegalArgumentException("key_password: expected the password of the encrypted key in " + file);
        }
        try {
            EncryptedPrivateKeyInfo info = new EncryptedPrivateKeyInfo(der);
            String algorithm = info.getAlgName();
            if (algorithm.equals("1.2.840.113549.1.5.13") || algorithm.equalsIgnoreCase("PBES2")) {
                algorithm = info.getAlgParameters().toString();
            }
            SecretKey secret = SecretKeyFactory.getInstance(algorithm)
                    .generateSecret(new PBEKeySpec(password.toCharArray()));
            Cipher cipher = Cipher.getInstance(algorithm);
            cipher.init(Cipher.DECRYPT_MODE, secret, info.getAlgParameters());
            return info.getKeySpec(cipher).getEncoded();
        } catch (InvalidKeySpecException e) {
            throw new IllegalArgumentException("key_password: does not decrypt the key in " + file);
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalArgumentException("key_file: cannot decrypt the key in " + file + ": " + e.getMessage());
        }
    }

    /** True when the private key belongs to the public key: a signature made with one verifies with the other. */
    private static boolean matches(PrivateKey key, PublicKey pub) {
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            case "EdDSA", "Ed25519", "Ed448" -> "EdDSA";
            case "DSA" -> "SHA256withDSA";
            default -> null;
        };
        if (algorithm == null) {
            return true; // a kind of key this check does not know: the handshake will tell
        }
        try {
            byte[] data = "mast key check".getBytes(StandardCharsets.US_ASCII);
            Signature sign = Signature.getInstance(algorithm);
            sign.initSign(key);
            sign.update(data);
            byte[] signature = sign.sign();
            Signature verify = Signature.getInstance(algorithm);
            verify.initVerify(pub);
            verify.update(data);
            return verify.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    // ---- DER, just enough to wrap PKCS#1 and SEC1 keys in PKCS#8 ----

    /** PrivateKeyInfo: SEQUENCE { INTEGER 0, SEQUENCE { algorithm }, OCTET STRING key }. */
    private static byte[] pkcs8(byte[] algorithm, byte[] key) {
        return tlv(0x30, concat(new byte[] {0x02, 0x01, 0x00}, tlv(0x30, algorithm), tlv(0x04, key)));
    }

    /** id-ecPublicKey with the named curve of a SEC1 ECPrivateKey's [0] parameters. */
    private static byte[] ecAlgorithm(Path file, byte[] sec1) {
        try {
            int[] seq = header(sec1, 0);
            int end = seq[1] + seq[2];
            int i = seq[1];
            while (i < end) {
                int[] h = header(sec1, i);
                if ((sec1[i] & 0xFF) == 0xA0) {
                    int[] oid = header(sec1, h[1]);
                    if (sec1[h[1]] != 0x06) {
                        break;
                    }
                    return concat(OID_EC, Arrays.copyOfRange(sec1, h[1], oid[1] + oid[2]));
                }
                i = h[1] + h[2];
            }
        } catch (ArrayIndexOutOfBoundsException e) {
            // broken below
        }
        throw new IllegalArgumentException("key_file: " + file + " holds an EC PRIVATE KEY without its named curve; "
                + "convert it with: openssl pkcs8 -topk8 -nocrypt -in " + file + " -out key.pem");
    }

    /** The header of the DER element at {@code at}: tag, offset of the content, length of the content. */
    private static int[] header(byte[] der, int at) {
        int tag = der[at] & 0xFF;
        int len = der[at + 1] & 0xFF;
        int offset = at + 2;
        if (len > 0x80) {
            int n = len & 0x7F;
            len = 0;
            for (int k = 0; k < n; k++) {
                len = (len << 8) | (der[offset++] & 0xFF);
            }
        }
        if (offset + len > der.length) {
            throw new ArrayIndexOutOfBoundsException(offset + len);
        }
        return new int[] {tag, offset, len};
    }

    private static byte[] tlv(int tag, byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(tag);
        int len = content.length;
        if (len < 0x80) {
            out.write(len);
        } else if (len < 0x100) {
            out.write(0x81);
            out.write(len);
        } else if (len < 0x10000) {
            out.write(0x82);
            out.write(len >> 8);
            out.write(len & 0xFF);
        } else {
            out.write(0x83);
            out.write(len >> 16);
            out.write((len >> 8) & 0xFF);
            out.write(len & 0xFF);
        }
        out.writeBytes(content);
        return out.toByteArray();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
