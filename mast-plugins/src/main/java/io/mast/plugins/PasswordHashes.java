package io.mast.plugins;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * Salted password hashes as they appear in a password file, after {@code user:}. Reads:
 * <ul>
 *   <li>argon2id and argon2i in the PHC string format, {@code $argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>}
 *       (the {@code argon2} command, passlib, aMQTT);</li>
 *   <li>bcrypt, {@code $2a$}, {@code $2b$} and {@code $2y$} ({@code htpasswd -B}, passlib, aMQTT);</li>
 *   <li>Mosquitto's {@code $7$<iterations>$<salt>$<hash>} (PBKDF2-HMAC-SHA512, what {@code mosquitto_passwd} writes
 *       by default) and {@code $6$<salt>$<hash>} (SHA-512 of the password then the salt, {@code mosquitto_passwd -H
 *       sha512}), salt and hash in Base64, so existing Mosquitto password files work unchanged.</li>
 * </ul>
 * Writes argon2id with the OWASP parameters (19 MiB, 2 passes, 1 lane, 16-byte salt, 32-byte hash). Comparisons
 * take the same time whatever the password.
 */
public final class PasswordHashes {

    /** Memory of new argon2id hashes, KiB (OWASP's recommendation). */
    public static final int ARGON2_MEMORY_KIB = 19_456;
    /** Passes of new argon2id hashes. */
    public static final int ARGON2_ITERATIONS = 2;
    /** Lanes of new argon2id hashes. */
    public static final int ARGON2_PARALLELISM = 1;

    /** Hashes asking for more memory than this (1 GiB) are refused: each login would allocate it. */
    private static final int MAX_ARGON2_MEMORY_KIB = 1 << 20;
    /*
     * Hashes asking for more work than about 10 s of one core per check are refused: every login of the user would
     * hold one of the few hashing slots that long, and a client repeating such logins would stall everybody's. A typo
     * in a work factor does that too (found by PasswordFileFuzzTest: bcrypt cost 21, two minutes a check).
     */
    /** Largest bcrypt cost: about 7 s a check; Apache's {@code htpasswd -B} stops there too. */
    static final int MAX_BCRYPT_COST = 17;
    /** Most PBKDF2 iterations ({@code $7$}): about 10 s; {@code mosquitto_passwd} writes 101, OWASP asks 210,000. */
    static final int MAX_PBKDF2_ITERATIONS = 10_000_000;
    /** Most argon2 memory times passes, in KiB: 4 GiB-passes, about 13 s (libsodium's "sensitive" is 1 GiB, 4 passes). */
    static final long MAX_ARGON2_WORK_KIB = 4L << 20;
    private static final int SALT_BYTES = 16;
    private static final int HASH_BYTES = 32;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Decoder B64 = Base64.getDecoder();
    private static final Base64.Encoder B64_NO_PAD = Base64.getEncoder().withoutPadding();

    private static final Pattern ARGON2 = Pattern.compile(
            "\\$(argon2id|argon2i)(?:\\$v=(\\d+))?\\$m=(\\d+),t=(\\d+),p=(\\d+)(?:,[^$]*)?\\$([A-Za-z0-9+/]+)\\$([A-Za-z0-9+/]+)");
    private static final Pattern BCRYPT = Pattern.compile("\\$2[aby]\\$(\\d\\d)\\$[./A-Za-z0-9]{53}");
    private static final Pattern MOSQUITTO_PBKDF2 = Pattern.compile("\\$7\\$(\\d+)\\$([A-Za-z0-9+/=]+)\\$([A-Za-z0-9+/=]+)");
    private static final Pattern MOSQUITTO_SHA512 = Pattern.compile("\\$6\\$([A-Za-z0-9+/=]+)\\$([A-Za-z0-9+/=]+)");

    private PasswordHashes() {
    }

    /** A parsed hash: checks passwords against it. Immutable and safe to share between threads. */
    public sealed interface Hash permits Argon2, Bcrypt, Pbkdf2Sha512, Sha512 {

        /** True when the password (the bytes a client sent in CONNECT) is the one hashed. */
        boolean verify(byte[] password);

        /** The scheme's name: {@code argon2id}, {@code argon2i}, {@code bcrypt}, {@code pbkdf2-sha512} or {@code sha512}. */
        String scheme();
    }

    /**
     * Parses a hash.
     *
     * @throws IllegalArgumentException saying what is wrong or which formats are expected
     */
    public static Hash parse(String encoded) {
        Matcher m;
        if ((m = ARGON2.matcher(encoded)).matches()) {
            return argon2(m);
        }
        if ((m = BCRYPT.matcher(encoded)).matches()) {
            int cost = Integer.parseInt(m.group(1));
            if (cost < 4 || cost > 31) {
                throw new IllegalArgumentException("bcrypt cost must be from 04 to 31, got " + m.group(1));
            }
            if (cost > MAX_BCRYPT_COST) {
                throw tooSlow("bcrypt cost " + cost + " is more than " + MAX_BCRYPT_COST);
            }
            return new Bcrypt(encoded);
        }
        if ((m = MOSQUITTO_PBKDF2.matcher(encoded)).matches()) {
            int iterations = positive(m.group(1), "the iteration count of a $7$ hash");
            if (iterations > MAX_PBKDF2_ITERATIONS) {
                throw tooSlow(iterations + " iterations are more than " + MAX_PBKDF2_ITERATIONS);
            }
            return new Pbkdf2Sha512(iterations, base64(m.group(2), "salt"), base64(m.group(3), "hash", 64));
        }
        if ((m = MOSQUITTO_SHA512.matcher(encoded)).matches()) {
            try {
                return new Sha512(base64(m.group(1), "salt"), base64(m.group(2), "hash", 64));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(e.getMessage() + "; expected Mosquitto's $6$<salt base64>$<hash "
                        + "base64> (SHA-512 crypt(3) hashes are not supported)");
            }
        }
        if (encoded.startsWith("$6$")) {
            throw new IllegalArgumentException("this $6$ hash is SHA-512 crypt(3), which is not supported; expected "
                    + "Mosquitto's $6$<salt base64>$<hash base64>");
        }
        if (encoded.startsWith("$argon2d$")) {
            throw new IllegalArgumentException("argon2d is not supported for passwords; use argon2id");
        }
        throw new IllegalArgumentException("not a supported password hash; expected argon2id or argon2i "
                + "($argon2id$v=19$m=...,t=...,p=...$salt$hash), bcrypt ($2a$, $2b$, $2y$) or Mosquitto's $7$ or $6$"
                + (encoded.startsWith("$") ? "" : " (a plain-text password is not accepted: hash it with mast passwd)"));
    }

    /** Checks a password against an encoded hash; false for a hash that cannot be parsed. */
    public static boolean verify(String encoded, byte[] password) {
        try {
            return parse(encoded).verify(password);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** A new argon2id hash of a password with the OWASP parameters and a random salt, in the PHC string format. */
    public static String hash(byte[] password) {
        return argon2id(password, ARGON2_MEMORY_KIB, ARGON2_ITERATIONS, ARGON2_PARALLELISM);
    }

    /** A new argon2id hash of a password with these parameters and a random salt, in the PHC string format. */
    public static String argon2id(byte[] password, int memoryKiB, int iterations, int parallelism) {
        byte[] salt = new byte[SALT_BYTES];
        RANDOM.nextBytes(salt);
        Argon2 a = new Argon2(Argon2Parameters.ARGON2_id, Argon2Parameters.ARGON2_VERSION_13, memoryKiB, iterations,
                parallelism, salt, new byte[HASH_BYTES]);
        byte[] hash = a.derive(password, HASH_BYTES);
        return "$argon2id$v=19$m=" + memoryKiB + ",t=" + iterations + ",p=" + parallelism + "$"
                + B64_NO_PAD.encodeToString(salt) + "$" + B64_NO_PAD.encodeToString(hash);
    }

    private static Hash argon2(Matcher m) {
        int type = m.group(1).equals("argon2id") ? Argon2Parameters.ARGON2_id : Argon2Parameters.ARGON2_i;
        int version = m.group(2) == null ? Argon2Parameters.ARGON2_VERSION_10 : switch (m.group(2)) {
            case "16" -> Argon2Parameters.ARGON2_VERSION_10;
            case "19" -> Argon2Parameters.ARGON2_VERSION_13;
            default -> throw new IllegalArgumentException("unknown argon2 version v=" + m.group(2) + "; expected 19 or 16");
        };
        int memory = positive(m.group(3), "argon2 memory (m)");
        int iterations = positive(m.group(4), "argon2 passes (t)");
        int parallelism = positive(m.group(5), "argon2 lanes (p)");
        if (parallelism > 255) {
            throw new IllegalArgumentException("argon2 lanes (p) must be at most 255, got " + parallelism);
        }
        if (memory < 8 * parallelism) {
            throw new IllegalArgumentException("argon2 memory (m) must be at least 8 KiB per lane, got m=" + memory);
        }
        if (memory > MAX_ARGON2_MEMORY_KIB) {
            throw new IllegalArgumentException("argon2 memory (m) of more than 1 GiB per check is refused, got m="
                    + memory);
        }
        if ((long) memory * iterations > MAX_ARGON2_WORK_KIB) {
            throw tooSlow("argon2 memory times passes (m=" + memory + ", t=" + iterations + ") is more than "
                    + MAX_ARGON2_WORK_KIB + " KiB");
        }
        byte[] salt = base64(m.group(6), "salt");
        byte[] hash = base64(m.group(7), "hash");
        if (salt.length < 8 || hash.length < 4) {
            throw new IllegalArgumentException("argon2 salt must be at least 8 bytes and hash at least 4");
        }
        return new Argon2(type, version, memory, iterations, parallelism, salt, hash);
    }

    private static IllegalArgumentException tooSlow(String why) {
        return new IllegalArgumentException(why + ": one check would take more than about 10 s, and every login of the "
                + "user would wait for it; hash the password again (mast passwd)");
    }

    private static int positive(String digits, String what) {
        try {
            int v = Integer.parseInt(digits);
            if (v > 0) {
                return v;
            }
        } catch (NumberFormatException e) {
            // too large
        }
        throw new IllegalArgumentException(what + " must be a positive integer, got " + digits);
    }

    private static byte[] base64(String text, String what) {
        try {
            return B64.decode(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the " + what + " is not valid Base64");
        }
    }

    private static byte[] base64(String text, String what, int length) {
        byte[] b = base64(text, what);
        if (b.length != length) {
            throw new IllegalArgumentException("the " + what + " must be " + length + " bytes, got " + b.length);
        }
        return b;
    }

    /** argon2id or argon2i. */
    private record Argon2(int type, int version, int memoryKiB, int iterations, int parallelism, byte[] salt,
                          byte[] hash) implements Hash {
        @Override
        public boolean verify(byte[] password) {
            return MessageDigest.isEqual(derive(password, hash.length), hash);
        }

        byte[] derive(byte[] password, int length) {
            Argon2BytesGenerator g = new Argon2BytesGenerator();
            g.init(new Argon2Parameters.Builder(type).withVersion(version).withMemoryAsKB(memoryKiB)
                    .withIterations(iterations).withParallelism(parallelism).withSalt(salt).build());
            byte[] out = new byte[length];
            g.generateBytes(password, out);
            return out;
        }

        @Override
        public String scheme() {
            return type == Argon2Parameters.ARGON2_id ? "argon2id" : "argon2i";
        }
    }

    /** bcrypt; BouncyCastle compares in constant time. */
    private record Bcrypt(String encoded) implements Hash {
        @Override
        public boolean verify(byte[] password) {
            try {
                return OpenBSDBCrypt.checkPassword(encoded, password);
            } catch (RuntimeException e) {
                return false;
            }
        }

        @Override
        public String scheme() {
            return "bcrypt";
        }
    }

    /** Mosquitto's $7$: PBKDF2-HMAC-SHA512 over the password bytes. */
    private record Pbkdf2Sha512(int iterations, byte[] salt, byte[] hash) implements Hash {
        @Override
        public boolean verify(byte[] password) {
            return MessageDigest.isEqual(pbkdf2Sha512(password, salt, iterations, hash.length), hash);
        }

        @Override
        public String scheme() {
            return "pbkdf2-sha512";
        }
    }

    /** Mosquitto's $6$: SHA-512 of the password, then the salt. */
    private record Sha512(byte[] salt, byte[] hash) implements Hash {
        @Override
        public boolean verify(byte[] password) {
            try {
                MessageDigest d = MessageDigest.getInstance("SHA-512");
                d.update(password);
                d.update(salt);
                return MessageDigest.isEqual(d.digest(), hash);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("the JDK has no SHA-512", e);
            }
        }

        @Override
        public String scheme() {
            return "sha512";
        }
    }

    /**
     * PBKDF2 (RFC 8018) with HMAC-SHA512 over the password's bytes as they are: the JDK's PBKDF2 takes characters,
     * which would change passwords that are not valid UTF-8.
     */
    static byte[] pbkdf2Sha512(byte[] password, byte[] salt, int iterations, int length) {
        try {
            Mac mac = Mac.getInstance("HmacSHA512");
            // An empty key is valid for HMAC, but SecretKeySpec refuses it: a one-byte zero key gives the same HMAC.
            mac.init(new SecretKeySpec(password.length == 0 ? new byte[1] : password, "HmacSHA512"));
            int hLen = mac.getMacLength();
            byte[] out = new byte[length];
            byte[] u = new byte[hLen];
            byte[] t = new byte[hLen];
            for (int block = 1, offset = 0; offset < length; block++, offset += hLen) {
                mac.update(salt);
                mac.update(new byte[] {(byte) (block >>> 24), (byte) (block >>> 16), (byte) (block >>> 8), (byte) block});
                mac.doFinal(u, 0);
                System.arraycopy(u, 0, t, 0, hLen);
                for (int i = 1; i < iterations; i++) {
                    mac.update(u);
                    mac.doFinal(u, 0);
                    for (int j = 0; j < hLen; j++) {
                        t[j] ^= u[j];
                    }
                }
                System.arraycopy(t, 0, out, offset, Math.min(hLen, length - offset));
            }
            return out;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has no HmacSHA512", e);
        }
    }
}
