package io.mast.plugin.support;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * A YAML document read into a tree together with the line of every key and list item, so that a config error can
 * name the line it is about. Paths are dotted keys with list indexes in brackets: {@code listeners[0].port}.
 *
 * @param root  the top-level mapping, empty when the document is empty
 * @param lines the 1-based line of every path in the document
 */
public record YamlTree(ObjectNode root, Map<String, Integer> lines) {

    private static final YAMLFactory YAML = new YAMLFactory();

    /** YAML that could not be read: the line (0 when unknown) and the parser's first line of explanation. */
    public static final class InvalidYaml extends Exception {
        private final int line;

        InvalidYaml(int line, String problem) {
            super(problem, null, false, false);
            this.line = line;
        }

        /** The 1-based line of the problem, 0 when unknown. */
        public int line() {
            return line;
        }
    }

    /**
     * Reads a document whose top level must be a mapping.
     *
     * @param text     the YAML text
     * @param topLevel what a top level that is not a mapping is told, e.g. "expected a mapping with the key plugins"
     * @throws InvalidYaml when the text is not YAML, or its top level is not a mapping
     */
    public static YamlTree parse(String text, String topLevel) throws InvalidYaml {
        Map<String, Integer> lines = new HashMap<>();
        try (JsonParser p = YAML.createParser(text)) {
            JsonToken first = p.nextToken();
            if (first == null) {
                return new YamlTree(JsonNodeFactory.instance.objectNode(), lines);
            }
            if (first != JsonToken.START_OBJECT) {
                throw new InvalidYaml(p.currentLocation().getLineNr(), topLevel);
            }
            return new YamlTree((ObjectNode) read(p, "", lines), lines);
        } catch (JsonProcessingException e) {
            String problem = e.getOriginalMessage().lines().findFirst().orElse("invalid YAML");
            int line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
            throw new InvalidYaml(line, "not valid YAML: " + problem);
        } catch (IOException e) {
            throw new InvalidYaml(0, "cannot read: " + e.getMessage());
        }
    }

    /**
     * A file's bytes as text: YAML files are UTF-8 (as JSON is, and what Jackson reads). Bytes that are not UTF-8 name
     * their line and column, where the JDK's own decoding says only "Input length = 1".
     *
     * @throws InvalidYaml at the first byte that is not UTF-8
     */
    public static String utf8(byte[] bytes) throws InvalidYaml {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length);
        CoderResult result = decoder.decode(in, out, true);
        if (!result.isError()) {
            result = decoder.flush(out);
        }
        if (result.isError()) {
            int at = in.position();
            int line = 1;
            int lineStart = 0;
            for (int i = 0; i < at; i++) {
                if (bytes[i] == '\n' || (bytes[i] == '\r' && (i + 1 >= bytes.length || bytes[i + 1] != '\n'))) {
                    line++;
                    lineStart = i + 1;
                }
            }
            throw new InvalidYaml(line, String.format("not valid UTF-8 (byte 0x%02X at column %d); save the file as "
                    + "UTF-8", bytes[at] & 0xFF, at - lineStart + 1));
        }
        return out.flip().toString();
    }

    /**
     * Reads one YAML value (a scalar, a list or a mapping), as given in an environment variable. Text that does not
     * parse is taken as a string.
     */
    public static JsonNode value(String text) {
        try (JsonParser p = YAML.createParser(text)) {
            p.nextToken();
            return p.currentToken() == null ? JsonNodeFactory.instance.textNode("")
                    : read(p, "", new HashMap<>());
        } catch (IOException e) {
            return JsonNodeFactory.instance.textNode(text);
        }
    }

    /** The line of a path, or {@code null} when the document does not have it. */
    public Integer line(String path) {
        return lines.get(path);
    }

    /** The lines of the paths below {@code prefix}, relative to it; the prefix itself maps to {@code ""}. */
    public Map<String, Integer> linesUnder(String prefix) {
        Map<String, Integer> out = new HashMap<>();
        lines.forEach((k, v) -> {
            if (k.equals(prefix)) {
                out.put("", v);
            } else if (k.startsWith(prefix + ".")) {
                out.put(k.substring(prefix.length() + 1), v);
            }
        });
        return out;
    }

    private static JsonNode read(JsonParser p, String path, Map<String, Integer> lines) throws IOException {
        JsonNodeFactory f = JsonNodeFactory.instance;
        JsonToken t = p.currentToken();
        if (t == JsonToken.START_OBJECT) {
            ObjectNode obj = f.objectNode();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String key = p.currentName();
                String child = path.isEmpty() ? key : path + "." + key;
                lines.put(child, p.currentLocation().getLineNr());
                p.nextToken();
                obj.set(key, read(p, child, lines));
            }
            return obj;
        }
        if (t == JsonToken.START_ARRAY) {
            ArrayNode arr = f.arrayNode();
            int i = 0;
            while (p.nextToken() != JsonToken.END_ARRAY) {
                String child = path + "[" + i++ + "]";
                lines.put(child, p.currentLocation().getLineNr());
                arr.add(read(p, child, lines));
            }
            return arr;
        }
        return switch (t) {
            case VALUE_NUMBER_INT -> p.getNumberType() == JsonParser.NumberType.BIG_INTEGER
                    ? f.numberNode(p.getBigIntegerValue()) : f.numberNode(p.getLongValue());
            case VALUE_NUMBER_FLOAT -> f.numberNode(p.getDoubleValue());
            case VALUE_TRUE -> f.booleanNode(true);
            case VALUE_FALSE -> f.booleanNode(false);
            case VALUE_NULL -> f.nullNode();
            default -> f.textNode(p.getText());
        };
    }
}
