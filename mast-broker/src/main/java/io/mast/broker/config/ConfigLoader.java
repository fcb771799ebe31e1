package io.mast.broker.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mast.broker.plugin.PluginDeclaration;
import io.mast.plugin.support.StrictMapper;
import io.mast.plugin.support.YamlTree;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Reads the broker's YAML config strictly: an unknown key, a wrong type or a value out of range is an error whose
 * message is one line with the file, the line, the key and what is expected.
 *
 * <p>Environment variables override keys: {@code MAST_} followed by the key path in capitals with {@code __} between
 * levels and list indexes as numbers, e.g. {@code MAST_LIMITS__MAX_PACKET_SIZE=65536} or
 * {@code MAST_LISTENERS__0__PORT=1884}. Only names containing {@code __} are overrides. The value is read as a YAML
 * scalar, so numbers and booleans keep their type.
 */
public final class ConfigLoader {

    /** The class of the ExHook bridge, configured by the {@code exhook:} section. */
    public static final String EXHOOK_PLUGIN = "io.mast.exhook.ExHookPlugin";

    /** The prefix of environment overrides. */
    public static final String ENV_PREFIX = "MAST_";


    private final ObjectMapper mapper;

    public ConfigLoader() {
        this.mapper = StrictMapper.create();
    }

    /** The mapper used for config records, for sections bound elsewhere (plugins). */
    public ObjectMapper mapper() {
        return mapper;
    }

    /** Reads a config file, applying the process's environment overrides. */
    public BrokerConfig load(Path file) {
        return load(file, System.getenv());
    }

    /** Reads a config file (or, when {@code file} is null, the defaults) with the given environment overrides. */
    public BrokerConfig load(Path file, Map<String, String> env) {
        String name = file == null ? "(defaults)" : file.toString();
        Map<String, String> where = new HashMap<>();
        ObjectNode root;
        if (file == null) {
            root = JsonNodeFactory.instance.objectNode();
        } else {
            root = parse(file, name, where);
        }
        applyEnvironment(root, env, where, name);
        List<PluginDeclaration> plugins = plugins(root.remove("plugins"), where, name);
        JsonNode exhook = root.remove("exhook");
        if (exhook != null && !exhook.isNull()) {
            // The exhook section configures the ExHook bridge, itself a plugin (module mast-exhook).
            plugins = new java.util.ArrayList<>(plugins);
            plugins.add(new PluginDeclaration(EXHOOK_PLUGIN, exhook, "exhook", where::get));
        }
        try {
            return mapper.treeToValue(root, BrokerConfig.class).withPlugins(plugins);
        } catch (JsonMappingException e) {
            throw explain(e, name, where, root);
        } catch (JsonProcessingException e) {
            throw new ConfigException(name + ": " + e.getOriginalMessage());
        }
    }

    /** The {@code plugins:} mapping, in order: class name to options. */
    private static List<PluginDeclaration> plugins(JsonNode node, Map<String, String> where, String name) {
        if (node == null || node.isNull()) {
            return List.of();
        }
        if (!node.isObject()) {
            throw new ConfigException(where.getOrDefault("plugins", name) + ": plugins: expected a mapping from plugin "
                    + "class names to their options, e.g. com.example.MyPlugin: {option: 1}");
        }
        List<PluginDeclaration> out = new java.util.ArrayList<>();
        node.fields().forEachRemaining(e -> out.add(new PluginDeclaration(e.getKey(), e.getValue(),
                key -> where.get(key))));
        return out;
    }

    private ObjectNode parse(Path file, String name, Map<String, String> where) {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new ConfigException(name + ": cannot read the config file: it does not exist");
        } catch (IOException e) {
            throw new ConfigException(name + ": cannot read the config file: " + e.getMessage());
        }
        try {
            YamlTree tree = YamlTree.parse(text,
                    "expected a mapping of sections (listeners, limits, session ...) at the top level");
            tree.lines().forEach((path, line) -> where.put(path, name + ":" + line));
            return tree.root();
        } catch (YamlTree.InvalidYaml e) {
            throw new ConfigException(name + ":" + e.line() + ": " + e.getMessage());
        }
    }

    private void applyEnvironment(ObjectNode root, Map<String, String> env, Map<String, String> where, String name) {
        env.entrySet().stream()
                .filter(e -> e.getKey().startsWith(ENV_PREFIX) && e.getKey().contains("__"))
                .sorted(Map.Entry.comparingByKey())
                .forEach(e -> {
                    String[] keys = e.getKey().substring(ENV_PREFIX.length()).toLowerCase(Locale.ROOT).split("__");
                    JsonNode value = YamlTree.value(e.getValue());
                    set(root, keys, value, e.getKey());
                    where.put(pathOf(keys), "environment variable " + e.getKey());
                });
    }

    private static String pathOf(String[] keys) {
        StringBuilder sb = new StringBuilder();
        for (String k : keys) {
            if (k.chars().allMatch(Character::isDigit) && !k.isEmpty()) {
                sb.append('[').append(k).append(']');
            } else {
                sb.append(sb.isEmpty() ? "" : ".").append(k);
            }
        }
        return sb.toString();
    }

    private static void set(ObjectNode root, String[] keys, JsonNode value, String variable) {
        JsonNode node = root;
        for (int i = 0; i < keys.length; i++) {
            boolean last = i == keys.length - 1;
            String key = keys[i];
            boolean nextIsIndex = !last && !keys[i + 1].isEmpty() && keys[i + 1].chars().allMatch(Character::isDigit);
            if (node instanceof ObjectNode obj) {
                if (last) {
                    obj.set(key, value);
                } else {
                    JsonNode child = obj.get(key);
                    if (child == null || !(child.isObject() || child.isArray())) {
                        child = nextIsIndex ? obj.putArray(key) : obj.putObject(key);
                    }
                    node = child;
                }
            } else if (node instanceof ArrayNode arr && key.chars().allMatch(Character::isDigit) && !key.isEmpty()) {
                int index = Integer.parseInt(key);
                while (arr.size() <= index) {
                    arr.addObject();
                }
                if (last) {
                    arr.set(index, value);
                } else {
                    node = arr.get(index);
                }
            } else {
                throw new ConfigException("environment variable " + variable + ": '" + key + "' cannot be set there");
            }
        }
    }

    private static ConfigException explain(JsonMappingException e, String name, Map<String, String> where,
                                           JsonNode root) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                path.append(path.isEmpty() ? "" : ".").append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                path.append('[').append(ref.getIndex()).append(']');
            }
        }
        String key = path.toString();
        String problem;
        if (e instanceof UnrecognizedPropertyException u) {
            String known = u.getKnownPropertyIds() == null ? "" : u.getKnownPropertyIds().stream()
                    .map(Object::toString).sorted().collect(Collectors.joining(", "));
            problem = "unknown key; expected one of: " + known;
        } else if (e instanceof ValueInstantiationException || e.getCause() instanceof IllegalArgumentException) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            String msg = cause.getMessage();
            int colon = msg == null ? -1 : msg.indexOf(": ");
            if (colon > 0 && !msg.substring(0, colon).contains(" ")) {
                key = key.isEmpty() ? msg.substring(0, colon) : key + "." + msg.substring(0, colon);
                problem = msg.substring(colon + 2);
            } else {
                problem = msg;
            }
        } else if (e instanceof InvalidFormatException f) {
            problem = "expected " + StrictMapper.describe(f.getTargetType()) + ", got " + quote(f.getValue());
        } else if (e instanceof MismatchedInputException m) {
            JsonNode given = root.at(pointer(e));
            problem = "expected " + StrictMapper.describe(m.getTargetType())
                    + (given.isMissingNode() || given.isContainerNode() ? "" : ", got " + given);
        } else {
            problem = e.getOriginalMessage();
        }
        String location = lookup(where, key, name);
        return new ConfigException(location + ": " + (key.isEmpty() ? "" : key + ": ") + problem);
    }

    private static com.fasterxml.jackson.core.JsonPointer pointer(JsonMappingException e) {
        StringBuilder p = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            p.append('/').append(ref.getFieldName() != null ? ref.getFieldName().replace("~", "~0").replace("/", "~1")
                    : String.valueOf(ref.getIndex()));
        }
        return com.fasterxml.jackson.core.JsonPointer.compile(p.toString());
    }

    private static String lookup(Map<String, String> where, String key, String name) {
        String k = key;
        while (!k.isEmpty()) {
            String w = where.get(k);
            if (w != null) {
                return w;
            }
            int cut = Math.max(k.lastIndexOf('.'), k.lastIndexOf('['));
            k = cut < 0 ? "" : k.substring(0, cut);
        }
        return name;
    }


    private static String quote(Object value) {
        return value instanceof String s ? "\"" + s + "\"" : String.valueOf(value);
    }
}
