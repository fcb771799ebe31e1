package io.mast.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mast.plugin.support.YamlTree;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
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


    private ClientConfigLoader() {
    }

    /** The plugins the file declares, in order. */
    static List<PluginDeclaration> load(Path file) {
        String name = file.toString();
        String text;
        try {
            text = YamlTree.utf8(Files.readAllBytes(file));
        } catch (NoSuchFileException e) {
            throw new ClientConfigException(name + ": cannot read the client config: it does not exist");
        } catch (IOException e) {
            throw new ClientConfigException(name + ": cannot read the client config: " + e.getMessage());
        } catch (YamlTree.InvalidYaml e) {
            throw new ClientConfigException(name + ":" + e.line() + ": " + e.getMessage());
        }
        return parse(text, name);
    }

    /** The plugins declared in YAML text; {@code name} is used in error messages. */
    static List<PluginDeclaration> parse(String text, String name) {
        YamlTree tree;
        try {
            tree = YamlTree.parse(text, "expected a mapping with the key plugins at the top level");
        } catch (YamlTree.InvalidYaml e) {
            throw new ClientConfigException(name + ":" + e.line() + ": " + e.getMessage());
        }
        JsonNode root = tree.root();
        List<PluginDeclaration> out = new ArrayList<>();
        for (var e : root.properties()) {
            if (!e.getKey().equals("plugins")) {
                throw new ClientConfigException(name + ":" + tree.line(e.getKey()) + ": " + e.getKey()
                        + ": unknown key; expected: plugins");
            }
            JsonNode plugins = e.getValue();
            if (plugins.isNull()) {
                continue;
            }
            if (!plugins.isObject()) {
                throw new ClientConfigException(name + ":" + tree.line("plugins")
                        + ": plugins: expected a mapping from plugin class name to its options");
            }
            for (var pe : plugins.properties()) {
                String cls = pe.getKey();
                Map<String, Integer> pluginLines = tree.linesUnder("plugins." + cls);
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
}
