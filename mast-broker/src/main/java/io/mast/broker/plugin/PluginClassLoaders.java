package io.mast.broker.plugin;

import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * One class loader per jar in the plugin folder. A plugin jar sees the JDK, the plugin API and SLF4J from the broker,
 * and everything else from itself: its own Jackson, JDBC driver or HTTP client cannot clash with the broker's, and
 * the broker's internals (the runtime's helpers in {@code io.mast.plugin.support} included) are out of its reach.
 */
final class PluginClassLoaders implements AutoCloseable {

    /**
     * The packages of the public plugin API, taken from the broker: these exact packages, not their subpackages
     * ({@code io.mast.plugin.support} is the runtime's, not the API).
     */
    static final Set<String> API_PACKAGES = Set.of("io.mast.plugin");

    /** Package prefixes a plugin jar takes from the broker with all their subpackages: SLF4J's API. */
    private static final String[] SHARED_PREFIXES = {"org.slf4j."};

    /** True for a class a plugin jar takes from the broker rather than from itself. */
    static boolean shared(String className) {
        int dot = className.lastIndexOf('.');
        if (dot > 0 && API_PACKAGES.contains(className.substring(0, dot))) {
            return true;
        }
        for (String prefix : SHARED_PREFIXES) {
            if (className.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    private final List<JarLoader> loaders = new ArrayList<>();

    private static final class JarLoader extends URLClassLoader {
        private final ClassLoader api;
        private final Path jar;

        JarLoader(Path jar, ClassLoader api) throws MalformedURLException {
            super("plugin:" + jar.getFileName(), new URL[] {jar.toUri().toURL()}, ClassLoader.getPlatformClassLoader());
            this.api = api;
            this.jar = jar;
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            return shared(name) ? api.loadClass(name) : super.loadClass(name, resolve);
        }
    }

    /** Creates a loader for every {@code *.jar} in the folder; a missing folder means no plugin jars. */
    PluginClassLoaders(Path folder, ClassLoader api) {
        if (folder == null || !Files.isDirectory(folder)) {
            return;
        }
        try (Stream<Path> jars = Files.list(folder)) {
            for (Path jar : jars.filter(p -> p.toString().endsWith(".jar")).sorted().toList()) {
                loaders.add(new JarLoader(jar, api));
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot list the plugin folder " + folder + ": " + e.getMessage(), e);
        }
    }

    /** The jar loaders, in file name order. */
    List<? extends ClassLoader> loaders() {
        return loaders;
    }

    /** The class from the first jar that has it, or {@code null}. */
    Class<?> find(String className) {
        for (JarLoader l : loaders) {
            if (l.getResource(className.replace('.', '/') + ".class") != null) {
                try {
                    return Class.forName(className, true, l);
                } catch (ClassNotFoundException e) {
                    return null;
                }
            }
        }
        return null;
    }

    /** Which jar a loader reads, for logs. */
    static String describe(ClassLoader l) {
        return l instanceof JarLoader j ? j.jar.toString() : "the class path";
    }

    @Override
    public void close() {
        for (JarLoader l : loaders) {
            try {
                l.close();
            } catch (IOException ignored) {
                // closing at shutdown: nothing to do
            }
        }
    }
}
