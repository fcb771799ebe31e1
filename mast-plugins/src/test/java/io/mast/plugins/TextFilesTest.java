package io.mast.plugins;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading the plugins' text files: lines as Files.readAllLines splits them, and a clear error for a non-UTF-8 line. */
class TextFilesTest {

    @TempDir
    Path dir;

    private Path file(byte[] bytes) throws IOException {
        return Files.write(dir.resolve("f"), bytes);
    }

    @Test
    void splitsLinesAsReadAllLinesDoes() throws IOException {
        Path f = file("a\nb\r\nc\rd\n\né ü\n".getBytes(StandardCharsets.UTF_8));
        assertThat(TextFiles.readLines(f)).containsExactly("a", "b", "c", "d", "", "é ü")
                .isEqualTo(Files.readAllLines(f));
        assertThat(TextFiles.readLines(file(new byte[0]))).isEmpty();
        assertThat(TextFiles.readLines(file("x".getBytes(StandardCharsets.UTF_8)))).containsExactly("x");
    }

    /** Windows editors may start a UTF-8 file with a byte order mark: it is not part of the first user's name. */
    @Test
    void dropsALeadingByteOrderMark() throws IOException {
        assertThat(TextFiles.readLines(file(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF, 'a', ':', 'b'})))
                .containsExactly("a:b");
    }

    /** Found by PasswordFileFuzzTest and AclRulesFuzzTest: a Latin-1 byte gave "cannot read ...: Input length = 1". */
    @Test
    void aLineThatIsNotUtf8IsNamedWithItsByte() throws IOException {
        Path f = file("# users\nalice:x\nren\u00e9e:y\n".getBytes(StandardCharsets.ISO_8859_1));
        assertThatThrownBy(() -> TextFiles.readLines(f)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage(f + ":3: not valid UTF-8 (byte 0xE9 at column 4); save the file as UTF-8");
        Path cut = file(new byte[] {'a', '\n', 'b', (byte) 0xC3});
        assertThatThrownBy(() -> TextFiles.readLines(cut)).hasMessage(cut + ":2: not valid UTF-8 (byte 0xC3 at column 2); "
                + "save the file as UTF-8");
    }

    @Test
    void theAclAndPasswordFilesSayWhichLine() throws IOException {
        Path f = file("topic read a/#\nuser \u00e9\n".getBytes(StandardCharsets.ISO_8859_1));
        assertThatThrownBy(() -> AclRules.read(f)).hasMessageStartingWith(f + ":2: not valid UTF-8");
        assertThatThrownBy(() -> PasswordFile.read(f)).hasMessageStartingWith(f + ":2: not valid UTF-8");
    }
}
