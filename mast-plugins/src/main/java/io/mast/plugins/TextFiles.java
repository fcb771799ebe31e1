package io.mast.plugins;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The text files the built-in plugins read (ACL and password files): UTF-8, one entry a line. */
final class TextFiles {

    private TextFiles() {
    }

    /**
     * The lines of a UTF-8 file, split at {@code \n}, {@code \r} or {@code \r\n} as {@link Files#readAllLines} splits
     * them, without a leading byte order mark.
     *
     * @throws IOException              when the file cannot be read
     * @throws IllegalArgumentException {@code file:line: problem} for a line that is not UTF-8 (where
     *                                  {@link Files#readAllLines} throws a {@link java.nio.charset.MalformedInputException}
     *                                  that says only "Input length = 1")
     */
    static List<String> readLines(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        List<String> lines = new ArrayList<>();
        int start = bytes.length >= 3 && (bytes[0] & 0xFF) == 0xEF && (bytes[1] & 0xFF) == 0xBB
                && (bytes[2] & 0xFF) == 0xBF ? 3 : 0;
        while (start < bytes.length) {
            int end = start;
            while (end < bytes.length && bytes[end] != '\n' && bytes[end] != '\r') {
                end++;
            }
            ByteBuffer in = ByteBuffer.wrap(bytes, start, end - start);
            CharBuffer out = CharBuffer.allocate(end - start);
            CoderResult result = utf8.reset().decode(in, out, true);
            if (!result.isError()) {
                result = utf8.flush(out);
            }
            if (result.isError()) {
                throw new IllegalArgumentException(String.format("%s:%d: not valid UTF-8 (byte 0x%02X at column %d); "
                        + "save the file as UTF-8", file, lines.size() + 1, bytes[in.position()] & 0xFF,
                        in.position() - start + 1));
            }
            lines.add(out.flip().toString());
            start = end + (end + 1 < bytes.length && bytes[end] == '\r' && bytes[end + 1] == '\n' ? 2 : 1);
        }
        return lines;
    }
}
