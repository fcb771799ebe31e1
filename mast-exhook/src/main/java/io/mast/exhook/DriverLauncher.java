package io.mast.exhook;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Turns {@code exhook.drivers} into hook servers with a {@code command}, so that {@link HookProcess} starts,
 * supervises and stops them like any other: {@code python3} runs {@code python3 -m emqx_extension.driver} with the
 * Python SDK this jar carries (unpacked into a temporary folder, deleted by {@link #close()}) on
 * {@code PYTHONPATH}; {@code java} runs {@code io.mast.exhook.emqx4.Driver} in a JVM with the broker's own class path
 * (which must hold {@code mast-exhook-sdk-emqx4}) and the handler's folders and jars.
 */
final class DriverLauncher implements AutoCloseable {

    /** The Java driver's main class, in mast-exhook-sdk-emqx4. */
    static final String JAVA_DRIVER = "io.mast.exhook.emqx4.Driver";
    /** Where the build puts sdk/python's packages (and the .proto files) among this module's resources. */
    private static final String PYTHON_SDK = "/io/mast/exhook/python";
    private static final String DEBIAN_PYTHON = "/usr/bin/python3";

    private final List<ServerConfig> servers = new ArrayList<>();
    private Path pythonSdk;

    /**
     * @throws IllegalArgumentException when a driver's path does not exist or the Java driver is not on the class path
     * @throws UncheckedIOException     when the Python SDK cannot be unpacked
     */
    DriverLauncher(DriverConfig.Drivers drivers) {
        if (drivers == null) {
            return;
        }
        try {
            drivers.byName().forEach((name, d) -> servers.add(server(name, d)));
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /** The drivers as hook servers. */
    List<ServerConfig> servers() {
        return List.copyOf(servers);
    }

    /** {@code servers}, then the drivers. */
    List<ServerConfig> after(List<ServerConfig> servers) {
        List<ServerConfig> all = new ArrayList<>(servers);
        all.addAll(this.servers);
        return all;
    }

    private ServerConfig server(String name, DriverConfig d) {
        List<Path> paths = new ArrayList<>();
        for (String p : d.path().split(File.pathSeparator)) {
            if (!p.isBlank()) {
                paths.add(Path.of(p).toAbsolutePath().normalize());
            }
        }
        if (paths.stream().noneMatch(Files::exists)) {
            throw new IllegalArgumentException("drivers." + name + ".path: " + d.path() + " does not exist (relative "
                    + "to the broker's working directory " + Path.of("").toAbsolutePath() + ")");
        }
        int port = d.port() != 0 ? d.port() : freePort();
        Map<String, String> env = new LinkedHashMap<>(d.env());
        List<String> command = name.equals("java") ? javaCommand(d, paths, port) : pythonCommand(d, paths, port, env);
        return new ServerConfig(name, d.enable(), "http://127.0.0.1:" + port, null, d.callTimeout(), d.failedAction(),
                null, 1, null, null, command, null, env, d.startTimeout(), null, null, null, null);
    }

    private List<String> pythonCommand(DriverConfig d, List<Path> paths, int port, Map<String, String> env) {
        String initModule = d.initModule();
        if (initModule == null) {
            String first = paths.get(0).getFileName().toString();
            initModule = first.endsWith(".py") ? first.substring(0, first.length() - 3) : "main";
        }
        String executable = d.executable() != null ? d.executable()
                : Files.isExecutable(Path.of(DEBIAN_PYTHON)) ? DEBIAN_PYTHON : "python3";
        String inherited = env.getOrDefault("PYTHONPATH", System.getenv("PYTHONPATH"));
        env.put("PYTHONPATH", pythonSdk() + (inherited == null || inherited.isEmpty() ? ""
                : File.pathSeparator + inherited));
        return List.of(executable, "-u", "-m", "emqx_extension.driver", "--path", join(paths), "--init-module",
                initModule, "--port", Integer.toString(port));
    }

    private static List<String> javaCommand(DriverConfig d, List<Path> paths, int port) {
        try {
            Class.forName(JAVA_DRIVER, false, DriverLauncher.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalArgumentException("drivers.java: the Java driver (" + JAVA_DRIVER + ", module "
                    + "mast-exhook-sdk-emqx4) is not on the broker's class path; mast.jar has it");
        }
        List<Path> classPath = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (!entry.isEmpty()) {
                classPath.add(Path.of(entry).toAbsolutePath());
            }
        }
        for (Path p : paths) {
            classPath.add(p);
            if (Files.isDirectory(p)) {
                try (Stream<Path> files = Files.list(p)) {
                    files.filter(f -> f.toString().endsWith(".jar") || f.toString().endsWith(".zip")).sorted()
                            .forEach(classPath::add);
                } catch (IOException e) {
                    throw new UncheckedIOException("drivers.java.path: cannot list " + p, e);
                }
            }
        }
        List<String> command = new ArrayList<>();
        if (d.executable() != null) {
            command.add(d.executable());
        } else {
            // The broker's own JVM, told that gRPC may load its native transport and protobuf use Unsafe, so that
            // its first lines are not warnings about them.
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.add("--enable-native-access=ALL-UNNAMED");
            if (Runtime.version().feature() >= 23) {
                command.add("--sun-misc-unsafe-memory-access=allow");
            }
        }
        command.addAll(List.of("-cp", join(classPath), JAVA_DRIVER, "--init-module",
                d.initModule() != null ? d.initModule() : "Main", "--port", Integer.toString(port)));
        return command;
    }

    private static String join(List<Path> paths) {
        return String.join(File.pathSeparator, paths.stream().map(Path::toString).toList());
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port for a driver on 127.0.0.1", e);
        }
    }

    /** The Python SDK (mast_exhook and emqx_extension), unpacked once into a temporary folder. */
    private Path pythonSdk() {
        if (pythonSdk != null) {
            return pythonSdk;
        }
        URL resource = DriverLauncher.class.getResource(PYTHON_SDK);
        if (resource == null) {
            throw new IllegalStateException("the Python SDK is missing from mast-exhook's resources (" + PYTHON_SDK
                    + ")");
        }
        try {
            URI source = resource.toURI();
            Path target = Files.createTempDirectory("mast-exhook-python-");
            pythonSdk = target;
            if (source.getScheme().equals("jar")) {
                FileSystem fs;
                boolean opened = false;
                try {
                    fs = FileSystems.newFileSystem(source, Map.of());
                    opened = true;
                } catch (FileSystemAlreadyExistsException e) {
                    fs = FileSystems.getFileSystem(source);
                }
                try {
                    copy(fs.getPath(PYTHON_SDK), target);
                } finally {
                    if (opened) {
                        fs.close();
                    }
                }
            } else {
                copy(Path.of(source), target);
            }
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot unpack the Python SDK for exhook.drivers.python3", e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException("the Python SDK's resources have no valid address: " + resource, e);
        }
    }

    private static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path f : files.toList()) {
                Path t = to.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(t);
                } else {
                    Files.copy(f, t);
                }
            }
        }
    }

    /** Deletes the unpacked Python SDK. */
    @Override
    public void close() {
        Path dir = pythonSdk;
        pythonSdk = null;
        if (dir == null) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(f);
            }
        } catch (IOException e) {
            // a temporary folder: what is left is the system's to clean
        }
    }
}
