package io.mast.broker.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mast.plugin.support.YamlTree;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Edits of the config tree before it is bound: environment overrides, and dropping a key found in error. */
final class ConfigTree {

    private ConfigTree() {
    }

    /** The key path of environment keys, e.g. {@code listeners[0].port}. */
    static String pathOf(String[] keys) {
        StringBuilder sb = new StringBuilder();
        for (String k : keys) {
            if (isIndex(k)) {
                sb.append('[').append(k).append(']');
            } else {
                sb.append(sb.isEmpty() ? "" : ".").append(k);
            }
        }
        return sb.toString();
    }

    /** Sets a value at a key path, making the mappings and lists on the way. */
    static void set(ObjectNode root, String[] keys, JsonNode value, String variable) {
        JsonNode node = root;
        for (int i = 0; i < keys.length; i++) {
            boolean last = i == keys.length - 1;
            String key = keys[i];
            boolean nextIsIndex = !last && isIndex(keys[i + 1]);
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
            } else if (node instanceof ArrayNode arr && isIndex(key)) {
                // An item of the list or the one after its end; past that (or past an int, found by
                // ConfigLoaderFuzzTest) it would be items made up for nothing, or a NumberFormatException.
                int index = key.length() > 9 ? Integer.MAX_VALUE : Integer.parseInt(key);
                if (index > arr.size()) {
                    throw new ConfigException("environment variable " + variable + ": index " + key + " is past the "
                            + "end of the list, which has " + arr.size() + (arr.size() == 1 ? " item" : " items"));
                }
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

    /**
     * Overrides a plugin option: {@code MAST_PLUGINS__<plugin>__<option>[__<key>...]}. {@code <plugin>} names a plugin
     * declared under {@code plugins:} by its simple class name, or by its full class name with {@code _} for each
     * {@code .}, in any case: {@code MAST_PLUGINS__PASSWORDFILEAUTHPLUGIN__PASSWORD_FILE=/etc/mast/passwd}. The option
     * keys follow the rule of the other overrides (lower case, numbers for list indexes).
     */
    static void overridePlugin(ObjectNode root, String variable, String value, Map<String, String> where) {
        String rest = variable.substring(ConfigLoader.ENV_PLUGINS.length());
        int cut = rest.indexOf("__");
        if (cut <= 0 || cut + 2 >= rest.length()) {
            throw new ConfigException("environment variable " + variable + ": expected MAST_PLUGINS__<plugin>__<option>,"
                    + " e.g. MAST_PLUGINS__PASSWORDFILEAUTHPLUGIN__PASSWORD_FILE");
        }
        String plugin = rest.substring(0, cut);
        JsonNode plugins = root.get("plugins");
        List<String> declared = new ArrayList<>();
        String className = null;
        if (plugins instanceof ObjectNode obj) {
            for (Iterator<String> it = obj.fieldNames(); it.hasNext(); ) {
                String c = it.next();
                declared.add(c);
                String simple = c.substring(c.lastIndexOf('.') + 1);
                if (plugin.equalsIgnoreCase(simple) || plugin.equalsIgnoreCase(c.replace('.', '_'))) {
                    if (className != null) {
                        throw new ConfigException("environment variable " + variable + ": " + plugin + " names both "
                                + className + " and " + c + "; use the full class name with _ for .");
                    }
                    className = c;
                }
            }
        }
        if (className == null) {
            throw new ConfigException("environment variable " + variable + ": no plugin " + plugin
                    + " is declared under plugins: in the config file" + (declared.isEmpty() ? ""
                    : " (declared: " + String.join(", ", declared) + ")"));
        }
        ObjectNode pluginsObj = (ObjectNode) plugins;
        if (!(pluginsObj.get(className) instanceof ObjectNode)) {
            pluginsObj.putObject(className);
        }
        String[] keys = rest.substring(cut + 2).toLowerCase(Locale.ROOT).split("__");
        set((ObjectNode) pluginsObj.get(className), keys, YamlTree.value(value), variable);
        where.put("plugins." + className + "." + pathOf(keys), "environment variable " + variable);
    }

    /**
     * Drops the key in error, or the nearest mapping key above it that exists, so that binding can go on to the next
     * error. Returns false when nothing can be dropped without moving other keys (a list element, or the whole file).
     */
    static boolean remove(ObjectNode root, String key) {
        List<String> segments = segments(key);
        while (!segments.isEmpty()) {
            String last = segments.getLast();
            if (isIndex(last)) {
                return false;
            }
            JsonNode parent = root;
            for (String s : segments.subList(0, segments.size() - 1)) {
                parent = isIndex(s) ? parent.path(Integer.parseInt(s)) : parent.path(s);
            }
            if (parent instanceof ObjectNode obj && obj.has(last)) {
                obj.remove(last);
                return true;
            }
            segments = segments.subList(0, segments.size() - 1);
        }
        return false;
    }

    /**
     * Replaces a record (a mapping, or a list element) by an empty mapping, so that its defaults apply; removes it
     * when it is already empty. Returns false for the whole file, or a record that cannot be found.
     */
    static boolean reset(ObjectNode root, String key) {
        List<String> segments = segments(key);
        if (segments.isEmpty()) {
            return false;
        }
        JsonNode parent = root;
        for (String s : segments.subList(0, segments.size() - 1)) {
            parent = isIndex(s) ? parent.path(Integer.parseInt(s)) : parent.path(s);
        }
        String last = segments.getLast();
        JsonNode current = isIndex(last) ? parent.path(Integer.parseInt(last)) : parent.path(last);
        if (current.isMissingNode()) {
            return false;
        }
        boolean empty = current.isObject() && current.isEmpty();
        if (parent instanceof ObjectNode obj) {
            if (empty) {
                obj.remove(last);
            } else {
                obj.putObject(last);
            }
            return true;
        }
        if (parent instanceof ArrayNode arr && isIndex(last) && !empty) {
            arr.set(Integer.parseInt(last), arr.objectNode());
            return true;
        }
        return false;
    }

    /** {@code listeners[0].tls.cert_file} as {@code listeners, 0, tls, cert_file}. */
    private static List<String> segments(String key) {
        List<String> out = new ArrayList<>();
        for (String part : key.split("\\.")) {
            int bracket = part.indexOf('[');
            String head = bracket < 0 ? part : part.substring(0, bracket);
            if (!head.isEmpty()) {
                out.add(head);
            }
            while (bracket >= 0) {
                int close = part.indexOf(']', bracket);
                if (close < 0) {
                    break;
                }
                out.add(part.substring(bracket + 1, close));
                bracket = part.indexOf('[', close);
            }
        }
        return out;
    }

    private static boolean isIndex(String key) {
        return !key.isEmpty() && key.chars().allMatch(Character::isDigit);
    }
}
