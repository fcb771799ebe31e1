package io.mast.broker.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mast.plugin.support.StrictMapper;
import io.mast.plugin.support.YamlTree;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
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
 * scalar, so numbers and booleans keep their type. Plugin options: {@code MAST_PLUGINS__<plugin>__<option>}, where
 * {@code <plugin>} is the simple class name of a plugin declared in the file, or its full name with {@code _} for
 * {@code .}, in any case ({@link ConfigTree#overridePlugin}).
 */
public final class ConfigLoader {

    /** The class of the ExHook bridge, configured by the {@code exhook:} section. */
    public static final String EXHOOK_PLUGIN = "io.mast.exhook.ExHookPlugin";

    /** The prefix of environment overrides. */
    public static final String ENV_PREFIX = "MAST_";

    /** The prefix of environment overrides of plugin options: {@code MAST_PLUGINS__<plugin>__<option>}. */
    public static final String ENV_PLUGINS = ENV_PREFIX + "PLUGINS__";

    /** At most this many errors of one file are reported. */
    private static final int MAX_ERRORS = 100;


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

    /**
     * Reads a config file (or, when {@code file} is null, the defaults) with the given environment overrides.
     *
     * @throws ConfigException with every error found, one line each, in the order of their lines
     */
    public BrokerConfig load(Path file, Map<String, String> env) {
        String name = file == null ? "(defaults)" : file.toString();
        Map<String, String> where = new HashMap<>();
        ObjectNode root;
        if (file == null) {
            root = JsonNodeFactory.instance.objectNode();
        } else {
            root = parse(file, name, where);
        }
        List<String> errors = new ArrayList<>();
        applyEnvironment(root, env, where, errors);
        List<PluginDeclaration> plugins = plugins(root.remove("plugins"), where, name, errors);
        JsonNode exhook = root.remove("exhook");
        if (exhook != null && !exhook.isNull()) {
            // The exhook section configures the ExHook bridge, itself a plugin (module mast-exhook).
            plugins = new ArrayList<>(plugins);
            plugins.add(new PluginDeclaration(EXHOOK_PLUGIN, exhook, "exhook", where::get));
        }
        BrokerConfig config = bind(root, name, where, errors);
        if (!errors.isEmpty()) {
            throw new ConfigException(errors);
        }
        return config.withPlugins(plugins);
    }

    /**
     * Binds the tree to the config records, collecting every error: after each one the key in error is dropped (its
     * default applies), or, when a record's own checks refused it, the whole record is replaced by its defaults (so
     * that one error is not followed by others it caused); then binding starts again, until it succeeds or the error
     * cannot be isolated.
     */
    private BrokerConfig bind(ObjectNode root, String name, Map<String, String> where, List<String> errors) {
        for (int attempt = 0; attempt < MAX_ERRORS; attempt++) {
            try {
                return mapper.treeToValue(root, BrokerConfig.class);
            } catch (JsonMappingException e) {
                Explained x = explain(e, name, where, root);
                errors.add(x.message());
                boolean isolated = x.record() == null ? ConfigTree.remove(root, x.key())
                        : ConfigTree.reset(root, x.record());
                if (!isolated) {
                    return null;
                }
            } catch (JsonProcessingException e) {
                errors.add(name + ": " + e.getOriginalMessage());
                return null;
            }
        }
        return null;
    }

    /** The {@code plugins:} mapping, in order: class name to options. */
    private static List<PluginDeclaration> plugins(JsonNode node, Map<String, String> where, String name,
                                                   List<String> errors) {
        if (node == null || node.isNull()) {
            return List.of();
        }
        if (!node.isObject()) {
            errors.add(where.getOrDefault("plugins", name) + ": plugins: expected a mapping from plugin "
                    + "class names to their options, e.g. com.example.MyPlugin: {option: 1}");
            return List.of();
        }
        List<PluginDeclaration> out = new ArrayList<>();
        node.fields().forEachRemaining(e -> out.add(new PluginDeclaration(e.getKey(), e.getValue(),
                key -> where.get(key))));
        return out;
    }

    private ObjectNode parse(Path file, String name, Map<String, String> where) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new ConfigException(name + ": cannot read the config file: it does not exist");
        } catch (IOException e) {
            throw new ConfigException(name + ": cannot read the config file: " + e.getMessage());
        }
        try {
            YamlTree tree = YamlTree.parse(YamlTree.utf8(bytes),
                    "expected a mapping of sections (listeners, limits, session ...) at the top level");
            tree.lines().forEach((path, line) -> where.put(path, name + ":" + line));
            return tree.root();
        } catch (YamlTree.InvalidYaml e) {
            throw new ConfigException(name + ":" + e.line() + ": " + e.getMessage());
        }
    }

    private static void applyEnvironment(ObjectNode root, Map<String, String> env, Map<String, String> where,
                                         List<String> errors) {
        env.entrySet().stream()
                .filter(e -> e.getKey().startsWith(ENV_PREFIX) && e.getKey().contains("__"))
                .sorted(Map.Entry.comparingByKey())
                .forEach(e -> {
                    try {
                        if (e.getKey().startsWith(ENV_PLUGINS)) {
                            ConfigTree.overridePlugin(root, e.getKey(), e.getValue(), where);
                        } else {
                            String[] keys = e.getKey().substring(ENV_PREFIX.length()).toLowerCase(Locale.ROOT).split("__");
                            String variable = "environment variable " + e.getKey();
                            where.put(ConfigTree.pathOf(keys), variable);
                            // An error can be reported on a level above the key (an unknown section): there too the
                            // variable is named, unless the file has that level. A number is a list index or, where
                            // there is no list (found by ConfigLoaderFuzzTest: MAST_0__X), a key: both are named.
                            for (int i = 1; i <= keys.length; i++) {
                                String[] level = java.util.Arrays.copyOf(keys, i);
                                where.putIfAbsent(ConfigTree.pathOf(level), variable);
                                where.putIfAbsent(String.join(".", level), variable);
                            }
                            // On a copy: a variable that fails leaves nothing half made behind it.
                            ObjectNode changed = root.deepCopy();
                            ConfigTree.set(changed, keys, YamlTree.value(e.getValue()), e.getKey());
                            root.removeAll();
                            root.setAll(changed);
                        }
                    } catch (ConfigException x) {
                        errors.add(x.getMessage());
                    }
                });
    }

    /**
     * An error's message, the key path it is about (empty when about the whole file) and, when a record's own checks
     * refused it (a value out of range, keys that do not go together), the key path of that record.
     */
    private record Explained(String message, String key, String record) {
    }

    private static Explained explain(JsonMappingException e, String name, Map<String, String> where,
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
        String record = null;
        String problem;
        if (e instanceof UnrecognizedPropertyException u) {
            String known = u.getKnownPropertyIds() == null ? "" : u.getKnownPropertyIds().stream()
                    .map(Object::toString).sorted().collect(Collectors.joining(", "));
            problem = (u.getPropertyName() == null || u.getPropertyName().isEmpty() ? "an empty key" : "unknown key")
                    + "; expected one of: " + known;
        } else if (e instanceof ValueInstantiationException || e.getCause() instanceof IllegalArgumentException) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            String msg = cause.getMessage();
            int colon = msg == null ? -1 : msg.indexOf(": ");
            if (colon > 0 && !msg.substring(0, colon).contains(" ")) {
                record = key; // the checks of a record (or of a section read as a whole) named one of its keys
                key = key.isEmpty() ? msg.substring(0, colon) : key + "." + msg.substring(0, colon);
                problem = msg.substring(colon + 2);
            } else {
                problem = msg;
                record = e instanceof ValueInstantiationException ? key : null;
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
        if (problem == null || problem.isBlank()) {
            // A check that failed on a missing value without saying which (found by ConfigLoaderFuzzTest: a list
            // item left empty, "listeners:\n  -"): name the first empty item below where it failed.
            String empty = firstEmptyItem(key.isEmpty() ? root : root.at(pointer(e)), key);
            if (empty != null) {
                key = empty;
                problem = "an empty item; expected a value";
            } else {
                problem = "a value is missing or empty";
            }
        }
        String location = lookup(where, key, name);
        return new Explained(location + ": " + (key.isEmpty() ? "" : key + ": ") + problem, key, record);
    }

    /** The path of the first null item of a list in {@code node} (at {@code path}), or null if there is none. */
    private static String firstEmptyItem(JsonNode node, String path) {
        if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                String item = path + "[" + i + "]";
                String found = node.get(i).isNull() ? item : firstEmptyItem(node.get(i), item);
                if (found != null) {
                    return found;
                }
            }
        } else if (node.isObject()) {
            for (var it = node.fields(); it.hasNext(); ) {
                var field = it.next();
                String found = firstEmptyItem(field.getValue(), path.isEmpty() ? field.getKey()
                        : path + "." + field.getKey());
                if (found != null) {
                    return found;
                }
            }
        }
        return null;
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
        while (true) {
            String w = where.get(k); // "" too: a key that is empty (found by ConfigLoaderFuzzTest) has its line
            if (w != null) {
                return w;
            }
            if (k.isEmpty()) {
                return name;
            }
            int cut = Math.max(k.lastIndexOf('.'), k.lastIndexOf('['));
            k = cut < 0 ? "" : k.substring(0, cut);
        }
    }


    private static String quote(Object value) {
        return value instanceof String s ? "\"" + s + "\"" : String.valueOf(value);
    }
}
