package io.mast.client;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the client's YAML config: a {@code plugins} mapping from class name to options.
 * <pre>{@code
 * plugins:
 *   io.mast.client.plugins.PacketLoggerPlugin:
 *     level: debug
 *   com.example.MyClientPlugin:
 * }</pre>
 */
final class ClientConfigLoader {

    private static final YAMLFactory YAML = new YAMLFactory();

    private ClientConfigLoader() {
    }

    /** The plugins the file declares, in order. */
    static List<PluginDeclaration> load(Path file) {
        String name = file.toString();
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new ClientConfigException(name + ": cannot read the client config: it does not exist");
        } catch (IOException e) {
            throw new ClientConfigException(name + ": cannot read the client config: " + e.getMessage());
        }
        return parse(text, name);
    }

    /** The plugins declared in YAML text; {@code name} is used in error messages. */
    static List<PluginDeclaration> parse(String text, String name) {
        Map<String, Integer> lines = new HashMap<>();
        JsonNode root;
        try (JsonParser p = YAML.createParser(text)) {
            JsonToken first = p.nextToken();
            if (first == null) {
                return List.of();
            }
            if (first != JsonToken.START_OBJECT) {
                throw new ClientConfigException(name + ":" + p.currentLocation().getLineNr()
                        + ": expected a mapping with the key plugins at the top level");
            }
            root = readNode(p, "", lines);
        } catch (JsonProcessingException e) {
            String problem = e.getOriginalMessage().lines().findFirst().orElse("invalid YAML");
            int line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
            throw new ClientConfigException(name + ":" + line + ": not valid YAML: " + problem);
        } catch (IOException e) {
            throw new ClientConfigException(name + ": cannot read the client config: " + e.getMessage());
        }
        List<PluginDeclaration> out = new ArrayList<>();
        for (var e : root.properties()) {
            if (!e.getKey().equals("plugins")) {
                throw new ClientConfigException(name + ":" + lines.get(e.getKey()) + ": " + e.getKey()
                        + ": unknown key; expected: plugins");
            }
            JsonNode plugins = e.getValue();
            if (plugins.isNull()) {
                continue;
            }
            if (!plugins.isObject()) {
                throw new ClientConfigException(name + ":" + lines.get("plugins")
                        + ": plugins: expected a mapping from plugin class name to its options");
            }
            for (var pe : plugins.properties()) {
                String cls = pe.getKey();
                Map<String, Integer> pluginLines = new HashMap<>();
                String prefix = "plugins." + cls;
                lines.forEach((k, v) -> {
                    if (k.equals(prefix)) {
                        pluginLines.put("", v);
                    } else if (k.startsWith(prefix + ".")) {
                        pluginLines.put(k.substring(prefix.length() + 1), v);
                    }
                });
                JsonNode options = pe.getValue();
                PluginDeclaration d = new PluginDeclaration(cls, null,
                        options instanceof ObjectNode o ? o : JsonNodeFactory.instance.objectNode(), name, pluginLines);
                if (!options.isNull() && !options.isObject()) {
                    throw d.error(null, "expected a mapping of options (or nothing for the defaults)");
                }
                out.add(d);
            }
        }
        return out;
    }

    /** Builds the tree while noting the line of every key ({@code a.b.c}). */
    private static JsonNode readNode(JsonParser p, String path, Map<String, Integer> lines) throws IOException {
        JsonNodeFactory f = JsonNodeFactory.instance;
        JsonToken t = p.currentToken();
        if (t == JsonToken.START_OBJECT) {
            ObjectNode obj = f.objectNode();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String key = p.currentName();
                String child = path.isEmpty() ? key : path + "." + key;
                lines.put(child, p.currentLocation().getLineNr());
                p.nextToken();
                obj.set(key, readNode(p, child, lines));
            }
            return obj;
        }
        if (t == JsonToken.START_ARRAY) {
            ArrayNode arr = f.arrayNode();
            int i = 0;
            while (p.nextToken() != JsonToken.END_ARRAY) {
                arr.add(readNode(p, path + "[" + i++ + "]", lines));
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
