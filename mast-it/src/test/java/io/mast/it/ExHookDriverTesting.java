package io.mast.it;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/** What the EMQX 4.x driver tests ({@code ExHookDriver*IT}) share. */
final class ExHookDriverTesting {

    /** The example's hook code: the seed's hooks.py and a Java handler like EMQX's SampleHandler. */
    static final Path EXAMPLE = ExHookSdkTesting.REPO.resolve("examples/exhook-emqx4/data/extension");

    private ExHookDriverTesting() {
    }

    /**
     * A copy of the example's {@code data/extension} folder in a new temporary folder (so that running it leaves
     * nothing in the repository): returns the copy.
     */
    static Path extensionFolder(String prefix) {
        Path extension = ExHookSdkTesting.tempDir(prefix).resolve("data").resolve("extension");
        try (Stream<Path> files = Files.list(EXAMPLE)) {
            Files.createDirectories(extension);
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                Files.copy(f, extension.resolve(f.getFileName().toString()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return extension;
    }

    /**
     * Compiles a handler's source in {@code folder} into that folder, against this JVM's class path (which has
     * mast-exhook-sdk-emqx4), as a user compiles one against the SDK's jar.
     */
    static void compile(Path folder, String source) {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        StringWriter out = new StringWriter();
        boolean ok = javac.getTask(out, null, null, List.of("-classpath", System.getProperty("java.class.path"),
                "-d", folder.toString(), "-Xlint:none"), null,
                javac.getStandardFileManager(null, null, null).getJavaFileObjects(folder.resolve(source))).call();
        if (!ok) {
            throw new IllegalStateException("cannot compile " + source + ":\n" + out);
        }
    }

    /** The {@code exhook} options with one driver. */
    static Map<String, Object> driver(String name, Map<String, Object> options) {
        return Map.of("drivers", Map.of(name, options));
    }

    /** The root of a folder made by {@link #extensionFolder}, to delete. */
    static Path root(Path extension) {
        return extension.getParent().getParent();
    }
}
