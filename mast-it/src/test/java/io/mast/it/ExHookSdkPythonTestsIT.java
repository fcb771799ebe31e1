package io.mast.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The Python SDK's own tests ({@code sdk/python/tests}, pytest) as part of the Maven build, so that
 * {@code ./mvnw verify} runs every test of the repository. They need Debian's {@code python3-grpcio},
 * {@code python3-protobuf}, {@code python3-grpc-tools}, {@code python3-pytest} under {@code /usr/bin/python3}.
 */
class ExHookSdkPythonTestsIT {

    /** The Python that sees Debian's packages (another python3 may come first on PATH). */
    static final String PYTHON = "/usr/bin/python3";

    @Test
    void pythonSdkTestsPass() throws Exception {
        Path repo = Path.of("..").toAbsolutePath().normalize();
        Path log = Path.of("target", "python-sdk-tests.log").toAbsolutePath();
        Files.createDirectories(log.getParent());
        Process p = new ProcessBuilder(List.of(PYTHON, "-m", "pytest", "-p", "no:cacheprovider",
                "sdk" + File.separator + "python" + File.separator + "tests"))
                .directory(repo.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        boolean ended = p.waitFor(180, TimeUnit.SECONDS);
        if (!ended) {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        String out = Files.readString(log, StandardCharsets.UTF_8);
        assertThat(ended).as("pytest ended within 180s; output:\n%s", out).isTrue();
        assertThat(p.exitValue()).as("pytest's exit code (install python3-grpcio python3-protobuf "
                + "python3-grpc-tools python3-pytest if modules are missing); output:\n%s", out).isZero();
        assertThat(out).containsPattern("\\d+ passed");
    }
}
