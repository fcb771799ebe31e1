package io.mast.auth.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mast.auth.sql.PasswordHashAlgorithm.MacFun;
import io.mast.auth.sql.PasswordHashAlgorithm.Name;
import io.mast.auth.sql.PasswordHashAlgorithm.SaltPosition;
import io.mast.plugins.PasswordHashes;
import java.nio.charset.StandardCharsets;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;
import org.junit.jupiter.api.Test;

/** EMQX's hash schemes, against hashes made by Python's hashlib (an independent implementation). */
class PasswordHashAlgorithmTest {

    private static final byte[] SECRET = "secret".getBytes(StandardCharsets.UTF_8);
    private static final byte[] WRONG = "Secret".getBytes(StandardCharsets.UTF_8);
    private static final byte[] SALT = "salt1".getBytes(StandardCharsets.UTF_8);

    private static PasswordHashAlgorithm simple(Name name, SaltPosition position) {
        return new PasswordHashAlgorithm(name, position, null, null, null);
    }

    private static void check(PasswordHashAlgorithm a, String stored, byte[] salt) {
        assertThat(a.verify(stored, salt, SECRET)).as("%s right password", a).isTrue();
        assertThat(a.verify(stored, salt, WRONG)).as("%s wrong password", a).isFalse();
    }

    @Test
    void simpleHashesWithTheSaltBeforeAfterOrNot() {
        // hashlib.sha256(b'salt1' + b'secret').hexdigest()
        check(simple(Name.SHA256, SaltPosition.PREFIX),
                "c7934fccd8a0287558e3525e36e605ff002f94415b817f48a0a4bd9787d3de60", SALT);
        check(simple(Name.SHA256, SaltPosition.SUFFIX),
                "4939e66d5bdea839ec10d823c86ebff624be8420882f26de1ec479530915e741", SALT);
        check(simple(Name.SHA512, SaltPosition.SUFFIX), "7cb19515add51b1964c6b50228cf05da28d826b30c54d7cfcb3f3540f6a5"
                + "464f155ac21e6e52cb92803b78c56f995d8a7229602bbd28fa1ebbe881ec40d396fc", SALT);
        check(simple(Name.MD5, SaltPosition.DISABLE), "5ebe2294ecd0e0f08eab7690d2a6ee69", SALT);
        check(simple(Name.SHA, SaltPosition.PREFIX), "2b38da78c7a49f327da23132d41482ff98268b5d", SALT);
        check(simple(Name.PLAIN, SaltPosition.DISABLE), "secret", null);
        check(simple(Name.PLAIN, SaltPosition.SUFFIX), "secretsalt1", SALT);
    }

    @Test
    void theDefaultIsSha256WithTheSaltFirstAndUpperCaseHexIsAccepted() {
        assertThat(PasswordHashAlgorithm.DEFAULT.name()).isEqualTo(Name.SHA256);
        check(PasswordHashAlgorithm.DEFAULT, "C7934FCCD8A0287558E3525E36E605FF002F94415B817F48A0A4BD9787D3DE60", SALT);
    }

    @Test
    void pbkdf2() {
        // hashlib.pbkdf2_hmac('sha256', b'secret', b'salt1', 4096, 32).hex()
        check(new PasswordHashAlgorithm(Name.PBKDF2, null, MacFun.SHA256, 4096, 32),
                "91892613f51c5754f283fb91b6c16fcc7004e4427213488d04741a5efd318225", SALT);
        // without dk_length: the MAC's length
        check(new PasswordHashAlgorithm(Name.PBKDF2, null, MacFun.SHA512, 1000, null), "f8786b3c89bd8c766c2f48c0c20"
                + "2e97f554aeba3dbbff88cb2ec5258199d747b9a95e8ced261861785827475250ff731584e64d37d0d5c03835a561429daea27",
                SALT);
        assertThatThrownBy(() -> new PasswordHashAlgorithm(Name.PBKDF2, null, null, null, null))
                .hasMessageContaining("iterations is required");
    }

    @Test
    void bcryptAndArgon2StringsInTheHashColumn() {
        String bcrypt = OpenBSDBCrypt.generate("2b", SECRET, new byte[16], 4);
        check(new PasswordHashAlgorithm(Name.BCRYPT, null, null, null, null), bcrypt, null);
        String argon2 = PasswordHashes.argon2id(SECRET, 64, 1, 1);
        check(new PasswordHashAlgorithm(Name.ARGON2, null, null, null, null), argon2, null);
        assertThatThrownBy(() -> new PasswordHashAlgorithm(Name.BCRYPT, null, null, null, null)
                .verify("c7934fccd8", null, SECRET)).isInstanceOf(IllegalArgumentException.class);
    }
}
