package io.mast.plugins;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Fuzzes the password file parsers, {@link PasswordFile#read} and, through {@link PasswordFile#hashes},
 * {@link PasswordHashes#parse}: any file gives users or an {@link IllegalArgumentException} whose message is one line
 * {@code file:line: problem}; never another exception. A file that was read is written back unchanged, and each hash
 * checks a password without throwing.
 *
 * <p>The input: the file's bytes, then optionally a NUL byte and the password to check. The corpus in
 * {@code PasswordFileFuzzTestInputs/read} holds a hash of every scheme, with its password.
 */
class PasswordFileFuzzTest {

    /** The work of a check, as the hash states it: argon2 memory and passes, PBKDF2 iterations, bcrypt cost. */
    private static final Pattern ARGON2_WORK = Pattern.compile("m=(\\d{1,9}),t=(\\d{1,9})");
    private static final Pattern PBKDF2_WORK = Pattern.compile("^\\$7\\$(\\d{1,9})\\$");
    private static final Pattern BCRYPT_WORK = Pattern.compile("^\\$2[aby]\\$(\\d\\d)\\$");

    @FuzzTest
    void read(byte[] bytes) throws IOException {
        FuzzInput input = FuzzInput.of(bytes, "passwd");
        PasswordFile file;
        Map<String, PasswordHashes.Hash> hashes;
        try {
            file = PasswordFile.read(input.file());
            hashes = file.hashes();
        } catch (IllegalArgumentException e) {
            assertThat(e.getMessage()).matches(input.problemInLine());
            return;
        }
        PasswordFile again = PasswordFile.parse(file.text().lines().toList(), "again");
        assertThat(again.text()).isEqualTo(file.text());
        assertThat(again.users()).isEqualTo(file.users()).containsExactlyElementsOf(hashes.keySet());
        byte[] password = String.join("\n", input.query()).getBytes(StandardCharsets.UTF_8);
        for (String user : file.users()) {
            String encoded = file.encodedHash(user).orElseThrow().strip();
            if (cheap(encoded)) {
                boolean ok = hashes.get(user).verify(password);
                assertThat(PasswordHashes.verify(encoded, password)).isEqualTo(ok);
            }
        }
    }

    /**
     * Whether a check is quick: the fuzzer may raise a hash's work factor to where one check takes minutes. What the
     * parser refuses outright is {@link PasswordHashesTest}'s to test.
     */
    private static boolean cheap(String encoded) {
        Matcher m;
        if ((m = ARGON2_WORK.matcher(encoded)).find()) {
            return Long.parseLong(m.group(1)) * Long.parseLong(m.group(2)) <= 4096;
        }
        if ((m = PBKDF2_WORK.matcher(encoded)).find()) {
            return Long.parseLong(m.group(1)) <= 10_000;
        }
        if ((m = BCRYPT_WORK.matcher(encoded)).find()) {
            return Integer.parseInt(m.group(1)) <= 6;
        }
        return true;
    }
}
