package io.mast.auth.sql;

import io.mast.plugins.PasswordHashes;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Locale;
import org.bouncycastle.crypto.Digest;
import org.bouncycastle.crypto.digests.MD4Digest;
import org.bouncycastle.crypto.digests.MD5Digest;
import org.bouncycastle.crypto.digests.RIPEMD160Digest;
import org.bouncycastle.crypto.digests.SHA1Digest;
import org.bouncycastle.crypto.digests.SHA224Digest;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.digests.SHA384Digest;
import org.bouncycastle.crypto.digests.SHA512Digest;
import org.bouncycastle.crypto.generators.PKCS5S2ParametersGenerator;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * How the stored password hashes were made: the {@code password_hash_algorithm} option, with EMQX's names and
 * meaning, so a table EMQX reads works unchanged.
 *
 * <pre>{@code
 * password_hash_algorithm: {name: sha256, salt_position: suffix}
 * password_hash_algorithm: {name: pbkdf2, mac_fun: sha256, iterations: 4096, dk_length: 32}
 * password_hash_algorithm: {name: bcrypt}
 * }</pre>
 *
 * <ul>
 *   <li>{@code plain}, {@code md5}, {@code sha} (SHA-1), {@code sha256}, {@code sha512}: the hash of the salt and the
 *       password ({@code salt_position: prefix}, the default), of the password and the salt ({@code suffix}), or of
 *       the password alone ({@code disable}), in lowercase hex (upper case is accepted too); {@code plain} stores
 *       the text itself;</li>
 *   <li>{@code bcrypt}: the whole bcrypt string ({@code $2b$10$...}) in the hash column; the salt column is not
 *       used;</li>
 *   <li>{@code pbkdf2}: PBKDF2 with HMAC over {@code mac_fun} ({@code md4}, {@code md5}, {@code ripemd160},
 *       {@code sha}, {@code sha224}, {@code sha256}, {@code sha384}, {@code sha512}), the salt column's text as salt,
 *       {@code iterations} (required) and {@code dk_length} bytes (default: the MAC's length), in lowercase hex;</li>
 *   <li>{@code argon2}: an argon2id or argon2i PHC string ({@code $argon2id$v=19$m=...}) in the hash column, as
 *       {@code mast passwd} writes it.</li>
 * </ul>
 *
 * Comparisons take the same time whatever the password.
 *
 * @param name         the scheme (default {@code sha256})
 * @param saltPosition {@code prefix} (default), {@code suffix} or {@code disable}, for the simple schemes
 * @param macFun       for {@code pbkdf2} (default {@code sha256})
 * @param iterations   for {@code pbkdf2}
 * @param dkLength     for {@code pbkdf2}, or {@code null}
 */
public record PasswordHashAlgorithm(Name name, SaltPosition saltPosition, MacFun macFun, Integer iterations,
                                    Integer dkLength) {

    /** The schemes. */
    public enum Name { PLAIN, MD5, SHA, SHA256, SHA512, BCRYPT, PBKDF2, ARGON2 }

    /** Where the salt goes for the simple schemes. */
    public enum SaltPosition { PREFIX, SUFFIX, DISABLE }

    /** The hash functions of PBKDF2's HMAC. */
    public enum MacFun { MD4, MD5, RIPEMD160, SHA, SHA224, SHA256, SHA384, SHA512 }

    /** EMQX's default: SHA-256 of the salt and the password. */
    public static final PasswordHashAlgorithm DEFAULT = new PasswordHashAlgorithm(null, null, null, null, null);

    public PasswordHashAlgorithm {
        name = name == null ? Name.SHA256 : name;
        saltPosition = saltPosition == null ? SaltPosition.PREFIX : saltPosition;
        macFun = macFun == null ? MacFun.SHA256 : macFun;
        if (name == Name.PBKDF2 && (iterations == null || iterations < 1)) {
            throw new IllegalArgumentException("password_hash_algorithm.iterations is required for pbkdf2 (a positive "
                    + "integer, e.g. 4096)");
        }
        if (dkLength != null && dkLength < 1) {
            throw new IllegalArgumentException("password_hash_algorithm.dk_length must be positive, got " + dkLength);
        }
    }

    /**
     * True when the password is the one hashed.
     *
     * @param stored   the hash column
     * @param salt     the salt column, or {@code null}
     * @param password what the client sent
     * @throws IllegalArgumentException when the stored hash is not of this scheme (a bcrypt or argon2 string that does
     *                                  not parse): the row is wrong, not the password
     */
    public boolean verify(String stored, byte[] salt, byte[] password) {
        byte[] s = salt == null ? new byte[0] : salt;
        return switch (name) {
            case BCRYPT, ARGON2 -> PasswordHashes.parse(stored).verify(password);
            case PBKDF2 -> equalHex(pbkdf2(password, s), stored);
            case PLAIN -> MessageDigest.isEqual(salted(s, password), stored.getBytes(StandardCharsets.UTF_8));
            case MD5, SHA, SHA256, SHA512 -> equalHex(digest(salted(s, password)), stored);
        };
    }

    private byte[] salted(byte[] salt, byte[] password) {
        if (saltPosition == SaltPosition.DISABLE || salt.length == 0) {
            return password;
        }
        byte[] first = saltPosition == SaltPosition.PREFIX ? salt : password;
        byte[] second = saltPosition == SaltPosition.PREFIX ? password : salt;
        byte[] out = new byte[first.length + second.length];
        System.arraycopy(first, 0, out, 0, first.length);
        System.arraycopy(second, 0, out, first.length, second.length);
        return out;
    }

    private byte[] digest(byte[] data) {
        String algorithm = switch (name) {
            case MD5 -> "MD5";
            case SHA -> "SHA-1";
            case SHA256 -> "SHA-256";
            default -> "SHA-512";
        };
        try {
            return MessageDigest.getInstance(algorithm).digest(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has no " + algorithm, e);
        }
    }

    private byte[] pbkdf2(byte[] password, byte[] salt) {
        Digest d = switch (macFun) {
            case MD4 -> new MD4Digest();
            case MD5 -> new MD5Digest();
            case RIPEMD160 -> new RIPEMD160Digest();
            case SHA -> new SHA1Digest();
            case SHA224 -> new SHA224Digest();
            case SHA256 -> new SHA256Digest();
            case SHA384 -> new SHA384Digest();
            case SHA512 -> new SHA512Digest();
        };
        int length = dkLength == null ? d.getDigestSize() : dkLength;
        PKCS5S2ParametersGenerator g = new PKCS5S2ParametersGenerator(d);
        g.init(password, salt, iterations);
        return ((KeyParameter) g.generateDerivedParameters(length * 8)).getKey();
    }

    /** Compares a hash with its stored hex text, in constant time for a given length. */
    private static boolean equalHex(byte[] hash, String storedHex) {
        byte[] hex = HexFormat.of().formatHex(hash).getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(hex, storedHex.toLowerCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII));
    }
}
