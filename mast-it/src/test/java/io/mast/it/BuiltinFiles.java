package io.mast.it;

import io.mast.plugins.PasswordFile;
import io.mast.plugins.PasswordHashes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Files for the built-in plugins' integration tests ({@code Builtin*IT}), made while the test class is initialised so
 * that the broker extension can be given their paths: a folder of their own, password files written as
 * {@code mast passwd} writes them, ACL files.
 */
final class BuiltinFiles {

    private BuiltinFiles() {
    }

    /** A new temporary folder; delete it with {@link #delete} after the class. */
    static Path folder(String prefix) {
        try {
            return Files.createTempDirectory(prefix);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes a password file of user, password pairs (argon2id hashes with the default parameters). */
    static Path passwords(Path file, String... userPasswordPairs) {
        PasswordFile f = PasswordFile.empty();
        for (int i = 0; i < userPasswordPairs.length; i += 2) {
            f.set(userPasswordPairs[i], PasswordHashes.hash(userPasswordPairs[i + 1].getBytes(StandardCharsets.UTF_8)));
        }
        try {
            f.write(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    /** Writes a text file (an ACL file), one line per argument. */
    static Path lines(Path file, String... lines) {
        try {
            Files.writeString(file, String.join("\n", lines) + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    /** Deletes a folder and everything in it. */
    static void delete(Path folder) throws IOException {
        if (!Files.exists(folder)) {
            return;
        }
        try (Stream<Path> all = Files.walk(folder)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
