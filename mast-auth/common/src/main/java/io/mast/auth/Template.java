package io.mast.auth;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * A text with {@code ${name}} placeholders, as EMQX writes them: {@code SELECT ... WHERE username = ${username}},
 * {@code https://auth/check?client=${clientid}}, {@code users/${username}/#}. Parsed once, when a plugin starts, so a
 * misspelt placeholder is a config error; filled per request. Immutable.
 */
public final class Template {

    /** A part of the text: literal text, or a placeholder's name. */
    public record Part(String text, boolean placeholder) {
    }

    private final String source;
    private final List<Part> parts;

    private Template(String source, List<Part> parts) {
        this.source = source;
        this.parts = parts;
    }

    /**
     * Parses a text.
     *
     * @param allowed the placeholder names it may use
     * @throws IllegalArgumentException naming an unknown or unterminated placeholder and the allowed names
     */
    public static Template parse(String text, Set<String> allowed) {
        List<Part> parts = new ArrayList<>();
        int i = 0;
        while (i < text.length()) {
            int start = text.indexOf("${", i);
            if (start < 0) {
                parts.add(new Part(text.substring(i), false));
                break;
            }
            if (start > i) {
                parts.add(new Part(text.substring(i, start), false));
            }
            int end = text.indexOf('}', start);
            if (end < 0) {
                throw new IllegalArgumentException("unterminated placeholder at \"" + text.substring(start) + "\"");
            }
            String name = text.substring(start + 2, end).trim();
            if (!allowed.contains(name)) {
                throw new IllegalArgumentException("unknown placeholder ${" + name + "}; expected one of "
                        + String.join(", ", new TreeSet<>(allowed).stream().map(n -> "${" + n + "}").toList()));
            }
            parts.add(new Part(name, true));
            i = end + 1;
        }
        return new Template(text, Collections.unmodifiableList(parts));
    }

    /** The parts, in order. */
    public List<Part> parts() {
        return parts;
    }

    /** The placeholders used, in order of appearance (a name used twice is listed twice). */
    public List<String> placeholders() {
        return parts.stream().filter(Part::placeholder).map(Part::text).toList();
    }

    /** True when the text has no placeholder. */
    public boolean constant() {
        return parts.stream().noneMatch(Part::placeholder);
    }

    /**
     * The text with each placeholder replaced by its value (an absent value, {@code null}, is empty), passed through
     * {@code encode} (URL or JSON escaping; {@code UnaryOperator.identity()} for none).
     */
    public String render(Function<String, String> values, UnaryOperator<String> encode) {
        StringBuilder b = new StringBuilder(source.length() + 32);
        for (Part p : parts) {
            if (p.placeholder()) {
                String v = values.apply(p.text());
                b.append(encode.apply(v == null ? "" : v));
            } else {
                b.append(p.text());
            }
        }
        return b.toString();
    }

    @Override
    public String toString() {
        return source;
    }
}
