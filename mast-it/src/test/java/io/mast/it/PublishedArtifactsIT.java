package io.mast.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What is built for use outside the repository: the plugin API and the Java SDK with sources, Javadoc and a POM without
 * the parent; the example plugin built from another folder against the installed API; the Python SDK as a wheel.
 */
class PublishedArtifactsIT {

    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    static final String VERSION = System.getProperty("mast.version");

    @TempDir
    Path dir;

    @Test
    void thePluginApiAndTheJavaSdkComeWithSourcesJavadocAndAPomWithoutParent() throws Exception {
        for (String module : List.of("mast-plugin-api", "mast-exhook-sdk")) {
            Path target = ROOT.resolve(module).resolve("target");
            assertThat(target.resolve(module + "-" + VERSION + ".jar")).isRegularFile();
            try (ZipFile sources = new ZipFile(target.resolve(module + "-" + VERSION + "-sources.jar").toFile());
                 ZipFile javadoc = new ZipFile(target.resolve(module + "-" + VERSION + "-javadoc.jar").toFile())) {
                assertThat(sources.stream().map(e -> e.getName())).anyMatch(n -> n.endsWith(".java"));
                assertThat(javadoc.stream().map(e -> e.getName())).contains("index.html")
                        .anyMatch(n -> n.startsWith("io/mast/") && n.endsWith(".html"));
            }
            String pom = Files.readString(ROOT.resolve(module).resolve(".flattened-pom.xml"));
            assertThat(pom).doesNotContain("<parent>").contains("<version>" + VERSION + "</version>");
        }
    }

    @Test
    void theExamplePluginBuildsOutsideTheRepositoryAgainstTheInstalledApi() throws Exception {
        // The API installed into a repository of this test's own, read before the user's (which stays untouched).
        Path repo = dir.resolve("repo");
        Path api = ROOT.resolve("mast-plugin-api");
        String jar = api.resolve("target/mast-plugin-api-" + VERSION + ".jar").toString();
        run(ROOT, List.of(mvnw(), "-B", "-q", "-ntp", "org.apache.maven.plugins:maven-install-plugin:3.2.0:install-file",
                "-Dfile=" + jar, "-DpomFile=" + api.resolve(".flattened-pom.xml"),
                "-Dsources=" + jar.replace(".jar", "-sources.jar"), "-Djavadoc=" + jar.replace(".jar", "-javadoc.jar"),
                "-Dmaven.repo.local=" + repo, "-Dmaven.repo.local.tail=" + userRepository()));
        assertThat(repo.resolve("io/mast/mast-plugin-api/" + VERSION)).isDirectory();

        Path project = Files.createDirectories(dir.resolve("my-plugin"));
        copy(ROOT.resolve("examples/broker-plugin/src"), project.resolve("src"));
        Files.copy(ROOT.resolve("examples/broker-plugin/standalone-pom.xml"), project.resolve("pom.xml"));
        run(project, List.of(mvnw(), "-B", "-q", "-ntp", "package", "-DskipTests",
                "-Dmast.version=" + VERSION, "-Dmaven.repo.local=" + repo, "-Dmaven.repo.local.tail=" + userRepository()));
        Path built = project.resolve("target/my-mast-plugin-1.0.0.jar");
        try (ZipFile z = new ZipFile(built.toFile())) {
            assertThat(z.getEntry("com/example/mast/AuditPlugin.class")).isNotNull();
            assertThat(z.stream().map(e -> e.getName())).noneMatch(n -> n.startsWith("io/mast/plugin/"));
        }
    }

    @Test
    void thePythonSdkBuildsAsAWheelThatInstallsAndImports() throws Exception {
        Path source = dir.resolve("python");
        run(ROOT, List.of("cp", "-rL", ROOT.resolve("sdk/python").toString(), source.toString()));
        Path wheels = dir.resolve("wheels");
        run(source, List.of("/usr/bin/python3", "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
                "--no-index", "-q", "-w", wheels.toString(), "."));
        Path wheel;
        try (var s = Files.list(wheels)) {
            wheel = s.filter(p -> p.getFileName().toString().endsWith(".whl")).findFirst().orElseThrow();
        }
        assertThat(wheel.getFileName().toString()).startsWith("mast_exhook-").endsWith("-py3-none-any.whl");
        try (ZipFile z = new ZipFile(wheel.toFile())) {
            assertThat(z.stream().map(e -> e.getName())).contains("mast_exhook/__init__.py",
                    "mast_exhook/protos/emqx/exhook/v3/exhook.proto");
        }
        Path site = dir.resolve("site");
        run(dir, List.of("/usr/bin/python3", "-m", "pip", "install", "-q", "--no-deps", "--no-index", "--target",
                site.toString(), wheel.toString()));
        ProcessBuilder py = new ProcessBuilder("/usr/bin/python3", "-c",
                "import mast_exhook, os; print(os.path.dirname(mast_exhook.__file__)); print(mast_exhook.HookProvider)")
                .directory(dir.toFile()).redirectErrorStream(true);
        py.environment().put("PYTHONPATH", site.toString());
        List<String> out = run(py);
        assertThat(out.get(0)).isEqualTo(site.resolve("mast_exhook").toString());
        assertThat(out.get(1)).contains("HookProvider");
    }

    private static String mvnw() {
        return ROOT.resolve("mvnw").toString();
    }

    private static String userRepository() {
        return Path.of(System.getProperty("user.home"), ".m2", "repository").toString();
    }

    private static void copy(Path from, Path to) throws Exception {
        run(ROOT, List.of("cp", "-r", from.toString(), to.toString()));
    }

    private static List<String> run(Path directory, List<String> command) throws Exception {
        return run(new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true));
    }

    private static List<String> run(ProcessBuilder pb) throws IOException, InterruptedException {
        Process p = pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        List<String> out = new ArrayList<>();
        Thread reader = Thread.ofPlatform().daemon().start(() -> p.inputReader().lines().forEach(out::add));
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
        }
        reader.join(10_000);
        assertThat(p.exitValue()).as("%s: %s", pb.command(), out).isZero();
        return out;
    }
}
