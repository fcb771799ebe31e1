package io.mast.plugins;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The input of the file fuzz tests: a file's bytes, then optionally a NUL byte and lines that say what to do with the
 * parsed file. The file is written to a temporary path, so that it is read as the plugins read it.
 *
 * @param file  the file, as written
 * @param query the lines after the NUL byte (none without one)
 */
record FuzzInput(Path file, List<String> query) {

    private static final Path DIR;

    static {
        try {
            DIR = Files.createTempDirectory("mast-plugins-fuzz");
            DIR.toFile().deleteOnExit();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes the part before the first NUL byte to {@code name} in a temporary folder. */
    static FuzzInput of(byte[] input, String name) throws IOException {
        int nul = 0;
        while (nul < input.length && input[nul] != 0) {
            nul++;
        }
        Path file = DIR.resolve(name);
        file.toFile().deleteOnExit();
        Files.write(file, Arrays.copyOf(input, nul));
        List<String> query = nul == input.length ? List.of()
                : new String(input, nul + 1, input.length - nul - 1, StandardCharsets.UTF_8).lines().toList();
        return new FuzzInput(file, query);
    }

    /** The query line at an index, or {@code ""}. */
    String line(int i) {
        return i < query.size() ? query.get(i) : "";
    }

    /** A one-line message {@code file:line: problem}, as the parsers promise. */
    Pattern problemInLine() {
        return Pattern.compile(Pattern.quote(file.toString()) + ":[1-9][0-9]*: \\S.*");
    }
}
