package io.mast.plugins;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The hash formats, checked against hashes made by other programs: the reference {@code argon2} command, Apache's
 * {@code htpasswd -B}, Openwall's bcrypt test vector and Mosquitto's own {@code mosquitto_passwd} (fixed vectors, and
 * the installed command itself).
 */
class PasswordHashesTest {

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            // echo -n 'correct horse' | argon2 saltsalt1234 -id -t 2 -k 19456 -p 1 -e
            "argon2id|correct horse|$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQxMjM0$qamepIMNRwZZX7GfN9yh4uajDmEzd/oJnrE1xQk19pA",
            // echo -n 'correct horse' | argon2 othersalt567 -i -t 3 -m 12 -p 2 -e
            "argon2i|correct horse|$argon2i$v=19$m=4096,t=3,p=2$b3RoZXJzYWx0NTY3$5uKtBXEurTgzwKEMrP2UHtm1qfFiSdalT2nRS8dgJKE",
            // echo -n legacy | argon2 'v16saltsalt!' -id -t 1 -m 10 -p 1 -v 10 -e  (argon2 version 1.0)
            "argon2id|legacy|$argon2id$v=16$m=1024,t=1,p=1$djE2c2FsdHNhbHQh$zw+uF7Rz1GppbabGihIFBC60svrscvkEqLBt/kx82rw",
            // htpasswd -nbB -C 5 bob 'bcrypt pw'
            "bcrypt|bcrypt pw|$2y$05$LnFQyoBLh5c7AZ2onZFz..Z9QqwotAdVQhQGbHdsQt14VtYj9sDBS",
            // the same hash labelled $2b$ and $2a$: the same algorithm for passwords like this one
            "bcrypt|bcrypt pw|$2b$05$LnFQyoBLh5c7AZ2onZFz..Z9QqwotAdVQhQGbHdsQt14VtYj9sDBS",
            "bcrypt|bcrypt pw|$2a$05$LnFQyoBLh5c7AZ2onZFz..Z9QqwotAdVQhQGbHdsQt14VtYj9sDBS",
            // Openwall's crypt_blowfish test vector
            "bcrypt|U*U|$2a$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW",
            // mosquitto_passwd -c -b pw alice secret  (Mosquitto 2.0.11: PBKDF2-SHA512, 101 iterations)
            "pbkdf2-sha512|secret|$7$101$oWe4j4Ydh5JT/0lD$V0dRQvsBuIQ9p9txgvKyl1XXMGlVaZsrsQXqnSW6/WQHOqfaZwqdadFd441qSJWXTvkWRN5sGGCxOz0NahbTLA==",
            // mosquitto_passwd -H sha512 -b pw six sixpw
            "sha512|sixpw|$6$SOJvXP5a0BNunbc7$V0AllGvjUkgaeQNZu9N8naGlsDtughLoC08ogzE4HCgq9incXcB4wEKixJ5BdjPWZ+uy/VjZ6lljxELzb2wPXA==",
    })
    void verifiesHashesMadeByOtherPrograms(String scheme, String password, String encoded) {
        PasswordHashes.Hash h = PasswordHashes.parse(encoded);
        assertThat(h.scheme()).isEqualTo(scheme);
        assertThat(h.verify(utf8(password))).as("right password").isTrue();
        assertThat(h.verify(utf8(password + "x"))).as("longer password").isFalse();
        assertThat(h.verify(utf8(password.substring(1)))).as("shorter password").isFalse();
        assertThat(h.verify(new byte[0])).as("empty password").isFalse();
    }

    @Test
    void newHashesAreArgon2idWithOwaspParametersAndARandomSalt() {
        String a = PasswordHashes.hash(utf8("s3cret pä55"));
        String b = PasswordHashes.hash(utf8("s3cret pä55"));
        assertThat(a).startsWith("$argon2id$v=19$m=19456,t=2,p=1$").isNotEqualTo(b);
        assertThat(a.split("\\$")).hasSize(6);
        assertThat(PasswordHashes.verify(a, utf8("s3cret pä55"))).isTrue();
        assertThat(PasswordHashes.verify(b, utf8("s3cret pä55"))).isTrue();
        assertThat(PasswordHashes.verify(a, utf8("s3cret pa55"))).isFalse();
    }

    @Test
    void passwordsAreBytesNotCharacters() {
        byte[] notUtf8 = {(byte) 0xC3, (byte) 0x28, 0, (byte) 0xFF};
        String h = PasswordHashes.argon2id(notUtf8, 64, 1, 1);
        assertThat(PasswordHashes.verify(h, notUtf8)).isTrue();
        assertThat(PasswordHashes.verify(h, new String(notUtf8, StandardCharsets.UTF_8).getBytes(StandardCharsets.UTF_8)))
                .isFalse();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "plain text|not a supported password hash",
            "$6$rounds=5000$saltsalt$hjG1vX3PHM2aOuvK5m/EpJ3D.bFaxQYSX4j5c2BvM7JbQHUT8HTzu7lDqyLK4R8VfJu2N9kMOCXYbLeQ3W6eS1|SHA-512 crypt",
            "$argon2d$v=19$m=1024,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2g|argon2d is not supported",
            "$argon2id$v=18$m=1024,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2g|unknown argon2 version",
            "$argon2id$v=19$m=4,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2g|at least 8 KiB per lane",
            "$argon2id$v=19$m=2000000,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2g|more than 1 GiB",
            "$argon2id$v=19$m=1024,t=0,p=1$c2FsdHNhbHQ$aGFzaGhhc2g|passes (t) must be a positive integer",
            "$2b$03$LnFQyoBLh5c7AZ2onZFz..Z9QqwotAdVQhQGbHdsQt14VtYj9sDBS|cost must be from 04 to 31",
            // Found by PasswordFileFuzzTest: a check of bcrypt cost 21 takes two minutes. More than ~10 s is refused.
            "$2y$21$LnFQyoBLh5c7AZ2onZFz..Z9QqwotAdVQhQGbHdsQt14VtYj9sDBS|bcrypt cost 21 is more than 17: one check",
            "$7$10000001$oWe4j4Ydh5JT/0lD$V0dRQvsBuIQ9p9txgvKyl1XXMGlVaZsrsQXqnSW6/WQHOqfaZwqdadFd441qSJWXTvkWRN5sGGCxOz0NahbTLA==|10000001 iterations are more than 10000000",
            "$argon2id$v=19$m=1048576,t=5,p=1$c2FsdHNhbHQ$aGFzaGhhc2g|argon2 memory times passes (m=1048576, t=5) is more than",
            "$2b$05$short|not a supported password hash",
            "$7$0$oWe4j4Ydh5JT/0lD$V0dRQvsBuIQ9p9txgvKyl1XXMGlVaZsrsQXqnSW6/WQHOqfaZwqdadFd441qSJWXTvkWRN5sGGCxOz0NahbTLA==|iteration count",
            "$7$101$oWe4j4Ydh5JT/0lD$V0dRQvsB|hash must be 64 bytes",
            "$6$SOJvXP5a0BNun$V0AllGvjUkgaeQNZu9N8naGlsDtughLoC08ogzE4HCgq9incXcB4wEKixJ5BdjPWZ+uy/VjZ6lljxELzb2wPXA==|not valid Base64",
    })
    void refusesWhatItCannotCheckSayingWhy(String encoded, String message) {
        assertThatThrownBy(() -> PasswordHashes.parse(encoded)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message);
        assertThat(PasswordHashes.verify(encoded, utf8("anything"))).isFalse();
    }

    @Test
    void pbkdf2MatchesTheRfc6070StyleVectorForSha512() {
        // PBKDF2-HMAC-SHA512("password", "salt", 1 iteration, 64 bytes), a widely published vector
        byte[] dk = PasswordHashes.pbkdf2Sha512(utf8("password"), utf8("salt"), 1, 64);
        assertThat(java.util.HexFormat.of().formatHex(dk)).isEqualTo(
                "867f70cf1ade02cff3752599a3a53dc4af34c7a669815ae5d513554e1c8cf252"
                        + "c02d470a285a0501bad999bfe943c08f050235d7d68b1da55e63f73b60a57fce");
    }

    /**
     * A password file written by the real {@code mosquitto_passwd} (Debian package {@code mosquitto}): both its
     * default ($7$) and its -H sha512 ($6$) hashes verify. Skipped when the command is missing, except on CI.
     */
    @Test
    void readsAFileWrittenByMosquittoPasswd(@TempDir Path dir) throws Exception {
        Path command = mosquittoPasswd();
        Path file = dir.resolve("mosquitto.passwd");
        run(command.toString(), "-c", "-b", file.toString(), "alice", "wonder land ü");
        run(command.toString(), "-b", file.toString(), "bob", "b0b!");
        run(command.toString(), "-H", "sha512", "-b", file.toString(), "carol", "c:a:r:o:l");
        Map<String, PasswordHashes.Hash> users = PasswordFile.read(file).hashes();
        assertThat(users).containsOnlyKeys("alice", "bob", "carol");
        assertThat(users.get("alice").scheme()).isEqualTo("pbkdf2-sha512");
        assertThat(users.get("carol").scheme()).isEqualTo("sha512");
        assertThat(users.get("alice").verify(utf8("wonder land ü"))).isTrue();
        assertThat(users.get("bob").verify(utf8("b0b!"))).isTrue();
        assertThat(users.get("carol").verify(utf8("c:a:r:o:l"))).isTrue();
        assertThat(users.get("alice").verify(utf8("b0b!"))).isFalse();
        assertThat(users.get("carol").verify(utf8("c:a:r:o"))).isFalse();
    }

    private static void run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        if (!p.waitFor(10, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail(String.join(" ", cmd) + " did not finish within 10 s");
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as("exit code of %s: %s", List.of(cmd), out).isZero();
    }

    /** The mosquitto_passwd command; skips the test when it is missing, fails on CI (CI=true), which installs it. */
    static Path mosquittoPasswd() {
        String path = System.getenv("PATH");
        if (path != null) {
            for (String d : path.split(File.pathSeparator)) {
                Path p = Path.of(d, "mosquitto_passwd");
                if (Files.isExecutable(p)) {
                    return p;
                }
            }
        }
        String why = "mosquitto_passwd is not installed (Debian: apt-get install mosquitto)";
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            fail(why + "; CI must run the test that reads its files");
        }
        Assumptions.abort(why + ": skipping");
        return null;
    }
}
