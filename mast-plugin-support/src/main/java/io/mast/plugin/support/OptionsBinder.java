package io.mast.plugin.support;

import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.mast.plugin.Default;
import java.lang.reflect.Field;
import java.lang.reflect.RecordComponent;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Binds a plugin's options to its nested {@code Config} type, strictly: an unknown option, a value of the wrong type
 * or a missing required option is an {@link OptionsException} naming the option and what is expected. Option names
 * are the component names in snake case ({@code passwordFile} is {@code password_file}).
 *
 * <p>Defaults: {@link Default} on a component; or, for a non-primitive component, the record's compact constructor
 * (it receives {@code null}). A component still {@code null} after construction is a missing required option, as is
 * a primitive without {@link Default}. {@link Optional} components may be left out.
 */
public final class OptionsBinder {

    private static final YAMLMapper YAML = new YAMLMapper();

    private final ObjectMapper mapper;

    public OptionsBinder(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /** The nested type named {@code Config} of a plugin class (or its superclasses), or {@code null}. */
    public static Class<?> configType(Class<?> pluginClass) {
        for (Class<?> c = pluginClass; c != null && c != Object.class; c = c.getSuperclass()) {
            for (Class<?> nested : c.getDeclaredClasses()) {
                if (nested.getSimpleName().equals("Config")) {
                    return nested;
                }
            }
        }
        return null;
    }

    /** An option's name in the config file. */
    public static String optionName(String componentName) {
        return PropertyNamingStrategies.SnakeCaseStrategy.INSTANCE.translate(componentName);
    }

    /** Moves the keys of {@code reserved} (the runtime's own options) from the options into {@code taken}. */
    public static ObjectNode withoutReserved(JsonNode options, Set<String> reserved, Map<String, JsonNode> taken) {
        ObjectNode copy = options instanceof ObjectNode o ? o.deepCopy() : JsonNodeFactory.instance.objectNode();
        for (Iterator<String> it = copy.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (reserved.contains(k)) {
                taken.put(k, copy.get(k));
                it.remove();
            }
        }
        return copy;
    }

    /**
     * Binds the options.
     *
     * @param type     the plugin's Config type, or {@code null} when it has none (then there must be no options)
     * @param options  the options, without the runtime's reserved keys
     * @param reserved option names a Config may not use
     */
    public Object bind(Class<?> type, ObjectNode options, Set<String> reserved) {
        if (type == null) {
            if (options.size() > 0) {
                throw new OptionsException(options.fieldNames().next(),
                        "unknown option: the plugin takes no options (it has no nested Config type)");
            }
            return null;
        }
        ObjectNode node = options.deepCopy();
        if (type.isRecord()) {
            for (RecordComponent rc : type.getRecordComponents()) {
                String key = optionName(rc.getName());
                if (reserved.contains(key)) {
                    throw new OptionsException(key, "the option name " + key
                            + " is reserved by the plugin runtime; rename the Config component");
                }
                if (node.has(key)) {
                    continue;
                }
                Default def = rc.getAnnotation(Default.class);
                if (def != null) {
                    node.set(key, parseDefault(key, def.value()));
                } else if (rc.getType().isPrimitive()) {
                    throw new OptionsException(key, "missing required option " + key + " ("
                            + StrictMapper.describe(rc.getType()) + ")");
                }
            }
        } else {
            for (Field f : type.getDeclaredFields()) {
                Default def = f.getAnnotation(Default.class);
                String key = optionName(f.getName());
                if (def != null && !node.has(key)) {
                    node.set(key, parseDefault(key, def.value()));
                }
            }
        }
        Object config;
        try {
            config = mapper.treeToValue(node, type);
        } catch (JsonMappingException e) {
            throw explain(e, node);
        } catch (Exception e) {
            throw new OptionsException(null, String.valueOf(e.getMessage()));
        }
        if (type.isRecord()) {
            for (RecordComponent rc : type.getRecordComponents()) {
                String key = optionName(rc.getName());
                if (!node.has(key) && !rc.getType().isPrimitive() && rc.getType() != Optional.class) {
                    Object value;
                    try {
                        value = rc.getAccessor().invoke(config);
                    } catch (ReflectiveOperationException e) {
                        throw new OptionsException(key, "cannot read option " + key + ": " + e);
                    }
                    if (value == null) {
                        throw new OptionsException(key, "missing required option " + key + " ("
                                + StrictMapper.describe(rc.getType()) + ")");
                    }
                }
            }
        }
        return config;
    }

    /** Where the failing value is in the options. */
    private static com.fasterxml.jackson.core.JsonPointer pointer(JsonMappingException e) {
        StringBuilder p = new StringBuilder();
        for (JsonMappingException.Reference r : e.getPath()) {
            p.append('/').append(r.getFieldName() != null
                    ? r.getFieldName().replace("~", "~0").replace("/", "~1") : String.valueOf(r.getIndex()));
        }
        return com.fasterxml.jackson.core.JsonPointer.compile(p.toString());
    }

    private static JsonNode parseDefault(String key, String text) {
        try {
            JsonNode n = YAML.readTree(text);
            return n == null ? JsonNodeFactory.instance.nullNode() : n;
        } catch (Exception e) {
            throw new OptionsException(key, "the @Default of " + key + " is not valid YAML: " + text);
        }
    }

    private static OptionsException explain(JsonMappingException e, JsonNode options) {
        String key = e.getPath().isEmpty() ? null : e.getPath().stream()
                .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining("."));
        if (e instanceof UnrecognizedPropertyException u) {
            String known = u.getKnownPropertyIds() == null ? "" : u.getKnownPropertyIds().stream()
                    .map(Object::toString).sorted().collect(Collectors.joining(", "));
            return new OptionsException(key, "unknown option; expected one of: " + known);
        }
        if (e instanceof InvalidFormatException f) {
            Object v = f.getValue();
            return new OptionsException(key, "expected " + StrictMapper.describe(f.getTargetType()) + ", got "
                    + (v instanceof String s ? "\"" + s + "\"" : String.valueOf(v)));
        }
        if (e instanceof MismatchedInputException m) {
            JsonNode given = options.at(pointer(e));
            return new OptionsException(key, "expected " + StrictMapper.describe(m.getTargetType())
                    + (given.isMissingNode() || given.isContainerNode() ? "" : ", got " + given));
        }
        Throwable cause = e.getCause() == null ? e : e.getCause();
        String msg = cause.getMessage() == null ? cause.toString() : cause.getMessage();
        if (cause instanceof NullPointerException && cause.getMessage() != null && !msg.contains(" ")) {
            return new OptionsException(optionName(msg), "missing required option " + optionName(msg));
        }
        return new OptionsException(key, msg);
    }
}
