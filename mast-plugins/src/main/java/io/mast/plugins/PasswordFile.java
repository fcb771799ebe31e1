package io.mast.plugins;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A password file as {@code mosquitto_passwd} and {@code mast passwd} write it: one {@code user:hash} line per user,
 * where the hash is one that {@link PasswordHashes} reads. Blank lines and lines starting with {@code #} are kept as
 * they are when the file is changed. Not thread-safe: read, change and write it from one thread.
 */
public final class PasswordFile {

    /** A line of the file: a user's entry ({@code user} not null) or a blank or comment line kept as it is. */
    private record Line(String user, String text, int number) {
    }

    private final List<Line> lines;
    private final String source;

    private PasswordFile(List<Line> lines, String source) {
        this.lines = lines;
        this.source = source;
    }

    /** A file without any user. */
    public static PasswordFile empty() {
        return new PasswordFile(new ArrayList<>(), "(new password file)");
    }

    /**
     * Reads a file's lines (not yet its hashes: see {@link #hashes()}).
     *
     * @throws IOException              when it cannot be read ({@link java.nio.file.NoSuchFileException} when it does
     *                                  not exist)
     * @throws IllegalArgumentException {@code file:line: problem} for a line that is not {@code user:hash} or not
     *                                  UTF-8, or a user listed twice
     */
    public static PasswordFile read(Path file) throws IOException {
        return parse(TextFiles.readLines(file), file.toString());
    }

    /**
     * Parses lines of a password file; {@code source} names it in error messages.
     *
     * @throws IllegalArgumentException {@code source:line: problem}
     */
    public static PasswordFile parse(List<String> text, String source) {
        List<Line> lines = new ArrayList<>(text.size());
        Map<String, Integer> seen = new LinkedHashMap<>();
        for (int i = 0; i < text.size(); i++) {
            int number = i + 1;
            String line = stripEnd(text.get(i));
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                lines.add(new Line(null, line, number));
                continue;
            }
            int colon = line.indexOf(':');
            if (colon < 0) {
                throw new IllegalArgumentException(source + ":" + number
                        + ": expected user:hash (write entries with mast passwd)");
            }
            if (colon == 0) {
                throw new IllegalArgumentException(source + ":" + number + ": the user name is empty");
            }
            String user = line.substring(0, colon);
            Integer before = seen.putIfAbsent(user, number);
            if (before != null) {
                throw new IllegalArgumentException(source + ":" + number + ": user " + user
                        + " is already on line " + before);
            }
            lines.add(new Line(user, line, number));
        }
        return new PasswordFile(lines, source);
    }

    private static String stripEnd(String s) {
        int end = s.length();
        while (end > 0 && Character.isWhitespace(s.charAt(end - 1))) {
            end--;
        }
        return s.substring(0, end);
    }

    /** The users, in file order. */
    public List<String> users() {
        List<String> users = new ArrayList<>();
        for (Line l : lines) {
            if (l.user != null) {
                users.add(l.user);
            }
        }
        return Collections.unmodifiableList(users);
    }

    /** The encoded hash of a user, as written in the file. */
    public Optional<String> encodedHash(String user) {
        for (Line l : lines) {
            if (user.equals(l.user)) {
                return Optional.of(l.text.substring(user.length() + 1));
            }
        }
        return Optional.empty();
    }

    /**
     * Every user's parsed hash, in file order.
     *
     * @throws IllegalArgumentException {@code source:line: user: problem} for a hash that cannot be read
     */
    public Map<String, PasswordHashes.Hash> hashes() {
        Map<String, PasswordHashes.Hash> out = new LinkedHashMap<>();
        for (Line l : lines) {
            if (l.user != null) {
                try {
                    out.put(l.user, PasswordHashes.parse(l.text.substring(l.user.length() + 1).strip()));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(source + ":" + l.number + ": user " + l.user + ": "
                            + e.getMessage());
                }
            }
        }
        return Collections.unmodifiableMap(out);
    }

    /**
     * Sets a user's hash: replaces the user's line, or adds one at the end.
     *
     * @return true when the user was already in the file
     * @throws IllegalArgumentException when the user name cannot be written in the file (see {@link #checkUsername})
     */
    public boolean set(String user, String encodedHash) {
        checkUsername(user);
        if (encodedHash.isEmpty() || encodedHash.indexOf('\n') >= 0 || encodedHash.indexOf('\r') >= 0) {
            throw new IllegalArgumentException("a hash is one non-empty line");
        }
        Line entry = new Line(user, user + ":" + encodedHash, 0);
        for (int i = 0; i < lines.size(); i++) {
            if (user.equals(lines.get(i).user)) {
                lines.set(i, entry);
                return true;
            }
        }
        lines.add(entry);
        return false;
    }

    /** Removes a user; returns false when the user was not in the file. */
    public boolean remove(String user) {
        return lines.removeIf(l -> user.equals(l.user));
    }

    /**
     * Checks that a user name can be stored: not empty, no {@code :}, no control characters, not starting with
     * {@code #} (that would be a comment), at most 65535 bytes in UTF-8 (MQTT's limit).
     *
     * @throws IllegalArgumentException saying what is wrong, in the words of {@code mosquitto_passwd} where it has them
     */
    public static void checkUsername(String user) {
        if (user.isEmpty()) {
            throw new IllegalArgumentException("Username must not be empty.");
        }
        if (user.indexOf(':') >= 0) {
            throw new IllegalArgumentException("Username must not contain the ':' character.");
        }
        if (user.strip().startsWith("#") || user.isBlank()) {
            throw new IllegalArgumentException("Username must not start with '#' or be blank.");
        }
        if (user.chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException("Username must not contain control characters.");
        }
        if (user.getBytes(StandardCharsets.UTF_8).length > 65535) {
            throw new IllegalArgumentException("Username must be less than 65536 bytes long.");
        }
    }

    /** The file's text, one line per entry or kept line, each ending with a newline. */
    public String text() {
        StringBuilder sb = new StringBuilder();
        for (Line l : lines) {
            sb.append(l.text).append('\n');
        }
        return sb.toString();
    }

    /**
     * Writes the file atomically with permissions 0600 (owner read and write only, where the file system has POSIX
     * permissions): a temporary file in the same folder, flushed to disk, then moved over the old one. A reader sees
     * either the old file or the new one, never a part.
     */
    public void write(Path file) throws IOException {
        Path target = file.toAbsolutePath();
        Path dir = target.getParent();
        boolean posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
        Path tmp = posix
                ? Files.createTempFile(dir, "." + target.getFileName(), ".tmp",
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))
                : Files.createTempFile(dir, "." + target.getFileName(), ".tmp");
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                java.nio.ByteBuffer bytes = StandardCharsets.UTF_8.encode(text());
                while (bytes.hasRemaining()) {
                    ch.write(bytes);
                }
                ch.force(true);
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
