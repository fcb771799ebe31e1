package io.mast.broker.config;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A configuration that cannot be used. Each error is one line naming the file (and line, when known), the key and
 * what is expected: {@code mast.yaml:12: limits.max_packet_size: expected an integer from 16 to 268435460, got 0}.
 * A file with several errors gives them all, in the order of their lines; the message has one line per error.
 */
public final class ConfigException extends RuntimeException {

    private static final Pattern LINE = Pattern.compile("^[^:]*:(\\d+): ");

    private final List<String> errors;

    public ConfigException(String message) {
        this(List.of(message));
    }

    /** Several errors at once, each one line; they are put in the order of their lines in the file. */
    public ConfigException(List<String> errors) {
        super(String.join("\n", ordered(errors)), null, false, false);
        this.errors = ordered(errors);
    }

    /** The errors, one line each, in the order of their lines (errors without a line, e.g. from the environment, last). */
    public List<String> errors() {
        return errors;
    }

    private static List<String> ordered(List<String> errors) {
        if (errors.isEmpty()) {
            throw new IllegalArgumentException("a ConfigException needs at least one error");
        }
        List<String> out = new ArrayList<>(errors);
        out.sort(Comparator.comparingLong(ConfigException::lineOf));
        return List.copyOf(out);
    }

    private static long lineOf(String error) {
        Matcher m = LINE.matcher(error);
        return m.find() ? Long.parseLong(m.group(1)) : Long.MAX_VALUE;
    }
}
