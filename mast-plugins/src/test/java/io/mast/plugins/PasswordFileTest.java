package io.mast.plugins;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Reading, changing and writing password files. */
class PasswordFileTest {

    static final String ALICE = "$7$101$oWe4j4Ydh5JT/0lD$V0dRQvsBuIQ9p9txgvKyl1XXMGlVaZsrsQXqnSW6/WQHOqfaZwqdadFd441qSJWXTvkWRN5sGGCxOz0NahbTLA==";
    static final String BOB = "$2y$05$LnFQyoBLh5c7AZ2onZFz..Z9QqwotAdVQhQGbHdsQt14VtYj9sDBS";

    @TempDir
    Path dir;

    @Test
    void keepsCommentsAndBlankLinesAndReadsEntries() {
        PasswordFile f = PasswordFile.parse(List.of("# users", "", "alice:" + ALICE + "  ", "  # indented comment",
                "bob:" + BOB + "\r"), "pw");
        assertThat(f.users()).containsExactly("alice", "bob");
        assertThat(f.hashes().get("alice").verify("secret".getBytes(StandardCharsets.UTF_8))).isTrue();
        assertThat(f.hashes().get("bob").verify("bcrypt pw".getBytes(StandardCharsets.UTF_8))).isTrue();
        assertThat(f.encodedHash("bob")).contains(BOB);
        assertThat(f.text()).isEqualTo("# users\n\nalice:" + ALICE + "\n  # indented comment\nbob:" + BOB + "\n");
    }

    @Test
    void namesTheLineOfWhatIsWrong() {
        assertThatThrownBy(() -> PasswordFile.parse(List.of("# x", "alice"), "/etc/pw"))
                .hasMessage("/etc/pw:2: expected user:hash (write entries with mast passwd)");
        assertThatThrownBy(() -> PasswordFile.parse(List.of(":" + ALICE), "pw")).hasMessage("pw:1: the user name is empty");
        assertThatThrownBy(() -> PasswordFile.parse(List.of("a:" + ALICE, "b:" + BOB, "a:" + BOB), "pw"))
                .hasMessage("pw:3: user a is already on line 1");
        PasswordFile plain = PasswordFile.parse(List.of("alice:" + ALICE, "carol:hunter2"), "pw");
        assertThatThrownBy(plain::hashes).hasMessageStartingWith("pw:2: user carol: not a supported password hash")
                .hasMessageContaining("plain-text password is not accepted");
    }

    @Test
    void setReplacesInPlaceOrAppendsAndRemoveDeletes() {
        PasswordFile f = PasswordFile.parse(List.of("# head", "alice:" + ALICE, "bob:" + BOB), "pw");
        assertThat(f.set("alice", BOB)).isTrue();
        assertThat(f.set("carol", ALICE)).isFalse();
        assertThat(f.remove("bob")).isTrue();
        assertThat(f.remove("bob")).isFalse();
        assertThat(f.text()).isEqualTo("# head\nalice:" + BOB + "\ncarol:" + ALICE + "\n");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "a:b", "#admin", "  #x", "   ", "new\nline", "tab\there"})
    void refusesUserNamesTheFileCannotHold(String user) {
        assertThatThrownBy(() -> PasswordFile.empty().set(user, ALICE)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void colonMessageIsMosquittos() {
        assertThatThrownBy(() -> PasswordFile.checkUsername("a:b"))
                .hasMessage("Username must not contain the ':' character.");
    }

    @Test
    void writesAtomicallyWithOwnerOnlyPermissions() throws Exception {
        Path file = dir.resolve("passwd");
        Files.writeString(file, "old content that is not a password file\n");
        Files.setPosixFilePermissions(file, Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE,
                PosixFilePermission.GROUP_READ, PosixFilePermission.OTHERS_READ));
        PasswordFile f = PasswordFile.empty();
        f.set("alice", ALICE);
        f.write(file);
        assertThat(Files.readString(file)).isEqualTo("alice:" + ALICE + "\n");
        assertThat(Files.getPosixFilePermissions(file))
                .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).as("no temporary file left").containsExactly("passwd");
        }
        assertThat(PasswordFile.read(file).users()).containsExactly("alice");
    }
}
