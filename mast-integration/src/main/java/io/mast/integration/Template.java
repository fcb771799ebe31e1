package io.mast.integration;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * A text with placeholders, {@code ${name}}, compiled once and rendered for each message or event: a Kafka topic
 * such as {@code mqtt.${topic_level.1}}, a key such as {@code ${clientid}}, a URL. {@code $$} is a literal {@code $}.
 * Which names exist is up to the caller ({@link MessageVariables} for messages): an unknown name is refused when the
 * template is compiled, so a typo is a config error and not an empty string at run time.
 *
 * @param <C> what a template is rendered for (a {@link Published} message, say)
 */
public final class Template<C> {

    /** How a placeholder's value is found: the resolver for a name, or {@code null} when the name is unknown. */
    public interface Variables<C> {
        /** The resolver of {@code name}, or {@code null} when there is no such placeholder. */
        Function<C, String> resolver(String name);

        /** The names, for the error message of an unknown one. */
        String describe();
    }

    private final String text;
    private final List<Object> parts;   // String literals and Function<C, String> resolvers

    private Template(String text, List<Object> parts) {
        this.text = text;
        this.parts = parts;
    }

    /**
     * Compiles {@code text}.
     *
     * @throws IllegalArgumentException naming the first unknown or unclosed placeholder
     */
    public static <C> Template<C> compile(String text, Variables<C> variables) {
        List<Object> parts = new ArrayList<>();
        StringBuilder literal = new StringBuilder();
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '$' && i + 1 < text.length() && text.charAt(i + 1) == '$') {
                literal.append('$');
                i += 2;
            } else if (c == '$' && i + 1 < text.length() && text.charAt(i + 1) == '{') {
                int end = text.indexOf('}', i + 2);
                if (end < 0) {
                    throw new IllegalArgumentException("unclosed placeholder at \"" + text.substring(i)
                            + "\" (write ${name}, or $$ for a literal $)");
                }
                String name = text.substring(i + 2, end).trim();
                Function<C, String> resolver = variables.resolver(name);
                if (resolver == null) {
                    throw new IllegalArgumentException("unknown placeholder ${" + name + "}; expected one of: "
                            + variables.describe());
                }
                if (!literal.isEmpty()) {
                    parts.add(literal.toString());
                    literal.setLength(0);
                }
                parts.add(resolver);
                i = end + 1;
            } else {
                literal.append(c);
                i++;
            }
        }
        if (!literal.isEmpty()) {
            parts.add(literal.toString());
        }
        return new Template<>(text, List.copyOf(parts));
    }

    /** The text rendered for {@code context}; a placeholder without a value renders as the empty string. */
    @SuppressWarnings("unchecked")
    public String render(C context) {
        if (parts.size() == 1 && parts.get(0) instanceof String s) {
            return s;
        }
        StringBuilder out = new StringBuilder(text.length() + 32);
        for (Object part : parts) {
            if (part instanceof String s) {
                out.append(s);
            } else {
                String value = ((Function<C, String>) part).apply(context);
                if (value != null) {
                    out.append(value);
                }
            }
        }
        return out.toString();
    }

    /** Whether the template has no placeholder (it renders the same text every time). */
    public boolean constant() {
        return parts.stream().allMatch(p -> p instanceof String);
    }

    @Override
    public String toString() {
        return text;
    }
}
