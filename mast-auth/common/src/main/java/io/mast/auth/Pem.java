package io.mast.auth;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * PEM files read with the JDK alone: certificates, public keys ({@code BEGIN PUBLIC KEY}, or the key of a
 * {@code BEGIN CERTIFICATE}) and unencrypted PKCS#8 private keys ({@code BEGIN PRIVATE KEY}) of RSA, EC or EdDSA.
 * Errors name the file and say what was expected.
 */
public final class Pem {

    private static final Pattern BLOCK = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----([A-Za-z0-9+/=\\s]+)-----END \\1-----");
    private static final List<String> ALGORITHMS = List.of("RSA", "EC", "Ed25519", "Ed448");

    private Pem() {
    }

    /** The blocks of a PEM text: type ({@code CERTIFICATE}, {@code PUBLIC KEY} ...) and DER bytes. */
    private record Block(String type, byte[] der) {
    }

    private static List<Block> blocks(String text) {
        List<Block> out = new ArrayList<>();
        Matcher m = BLOCK.matcher(text);
        while (m.find()) {
            out.add(new Block(m.group(1), Base64.getMimeDecoder().decode(m.group(2))));
        }
        return out;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** Makes a key from its DER bytes with a key factory. */
    private interface KeyDecoder<K> {
        K decode(KeyFactory factory, byte[] der) throws GeneralSecurityException;
    }

    /** A key of whichever of RSA, EC or EdDSA it is. */
    private static <K> K key(byte[] der, String source, String what, KeyDecoder<K> decoder) {
        for (String algorithm : ALGORITHMS) {
            try {
                return decoder.decode(KeyFactory.getInstance(algorithm), der);
            } catch (GeneralSecurityException notThisOne) {
                // try the next algorithm
            }
        }
        throw new IllegalArgumentException(source + ": the " + what + " is not RSA, EC or EdDSA");
    }

    /** The certificates of a PEM file, in order. */
    public static List<X509Certificate> certificates(Path file) {
        return certificates(read(file), file.toString());
    }

    private static List<X509Certificate> certificates(String pem, String source) {
        List<X509Certificate> certs = new ArrayList<>();
        try {
            CertificateFactory f = CertificateFactory.getInstance("X.509");
            for (Block b : blocks(pem)) {
                if (b.type().equals("CERTIFICATE")) {
                    for (Certificate c : f.generateCertificates(new ByteArrayInputStream(b.der()))) {
                        certs.add((X509Certificate) c);
                    }
                }
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException(source + ": not a valid certificate: " + e.getMessage(), e);
        }
        if (certs.isEmpty()) {
            throw new IllegalArgumentException(source + " has no PEM certificate (-----BEGIN CERTIFICATE-----)");
        }
        return certs;
    }

    /** The public key of a PEM file: a {@code PUBLIC KEY} block, or the first certificate's key. */
    public static PublicKey publicKey(Path file) {
        return publicKey(read(file), file.toString());
    }

    /**
     * The public key of a PEM text: a {@code PUBLIC KEY} block, or the first certificate's key.
     *
     * @param source what the text is, for errors (a file name, an option)
     */
    public static PublicKey publicKey(String pem, String source) {
        for (Block b : blocks(pem)) {
            if (b.type().equals("PUBLIC KEY")) {
                return key(b.der(), source, "public key", (f, der) -> f.generatePublic(new X509EncodedKeySpec(der)));
            }
            if (b.type().equals("CERTIFICATE")) {
                return certificates(pem, source).get(0).getPublicKey();
            }
        }
        throw new IllegalArgumentException(source + " has no PEM public key (-----BEGIN PUBLIC KEY----- or "
                + "-----BEGIN CERTIFICATE-----)");
    }

    /** The unencrypted PKCS#8 private key of a PEM file. */
    public static PrivateKey privateKey(Path file) {
        for (Block b : blocks(read(file))) {
            if (b.type().equals("PRIVATE KEY")) {
                return key(b.der(), file.toString(), "private key",
                        (f, der) -> f.generatePrivate(new PKCS8EncodedKeySpec(der)));
            }
            if (b.type().endsWith("PRIVATE KEY")) {
                throw new IllegalArgumentException(file + " has a " + b.type() + "; expected an unencrypted PKCS#8 key "
                        + "(-----BEGIN PRIVATE KEY-----): convert it with openssl pkcs8 -topk8 -nocrypt");
            }
        }
        throw new IllegalArgumentException(file + " has no PEM private key (-----BEGIN PRIVATE KEY-----)");
    }
}
