package io.mast.broker.plugin;

import static org.assertj.core.api.Assertions.assertThat;

import io.mast.plugin.BrokerPlugin;
import io.mast.plugin.support.YamlTree;
import java.net.URI;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class PluginClassLoadersTest {

    @Test
    void everyPackageOfThePluginApiIsSharedWithPluginJars() throws Exception {
        Set<String> packages = apiPackages();
        assertThat(packages).contains("io.mast.plugin");
        assertThat(PluginClassLoaders.API_PACKAGES).as("the packages of the plugin API's jar")
                .containsExactlyInAnyOrderElementsOf(packages);
        assertThat(PluginClassLoaders.shared(BrokerPlugin.class.getName())).isTrue();
        assertThat(PluginClassLoaders.shared("io.mast.plugin.AuthDecision$Kind")).isTrue();
    }

    @Test
    void slf4jIsSharedWithItsSubpackages() {
        assertThat(PluginClassLoaders.shared("org.slf4j.Logger")).isTrue();
        assertThat(PluginClassLoaders.shared("org.slf4j.spi.LoggingEventBuilder")).isTrue();
    }

    @Test
    void theRuntimeAndTheBrokerAreNotShared() {
        assertThat(PluginClassLoaders.shared(YamlTree.class.getName())).isFalse();
        assertThat(PluginClassLoaders.shared("io.mast.plugin.support.OptionsBinder")).isFalse();
        assertThat(PluginClassLoaders.shared(PluginRuntime.class.getName())).isFalse();
        assertThat(PluginClassLoaders.shared("io.mast.broker.MastBroker")).isFalse();
        assertThat(PluginClassLoaders.shared("io.mast.pluginx.Foo")).isFalse();
        assertThat(PluginClassLoaders.shared("io.mast.codec.packet.Publish")).isFalse();
        assertThat(PluginClassLoaders.shared("com.fasterxml.jackson.databind.ObjectMapper")).isFalse();
    }

    /** The packages of the classes in the plugin API's jar (or its classes folder, in a build's test phase). */
    private static Set<String> apiPackages() throws Exception {
        Path where = Path.of(BrokerPlugin.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        if (Files.isDirectory(where)) {
            return packagesUnder(where);
        }
        try (FileSystem jar = FileSystems.newFileSystem(URI.create("jar:" + where.toUri()), Map.of())) {
            return packagesUnder(jar.getPath("/"));
        }
    }

    private static Set<String> packagesUnder(Path root) throws Exception {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(p -> p.toString().endsWith(".class") && !p.getFileName().toString().contains("-info"))
                    .map(p -> root.relativize(p.getParent()).toString().replace('/', '.'))
                    .collect(Collectors.toSet());
        }
    }
}
