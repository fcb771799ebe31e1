package io.mast.broker.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Fuzzes {@link ConfigLoader}: any file, with any environment overrides, gives a config or a {@link ConfigException}
 * whose errors are each one line naming where the problem is (the file and its line, or the environment variable) and what
 * it is; never another exception.
 *
 * <p>The input: the bytes of the YAML file, then optionally a NUL byte followed by environment variables, one
 * {@code NAME=value} a line. The corpus in {@code ConfigLoaderFuzzTestInputs/load} holds the configs of the docs.
 */
class ConfigLoaderFuzzTest {

    private static final ConfigLoader LOADER = new ConfigLoader();
    private static final Path FILE;

    static {
        try {
            Path dir = Files.createTempDirectory("mast-config-fuzz");
            dir.toFile().deleteOnExit();
            FILE = dir.resolve("mast.yaml");
            FILE.toFile().deleteOnExit();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Where a problem is: the file and a line, or an environment variable; then what it is. */
    private static final Pattern MESSAGE = Pattern.compile(
            Pattern.quote(FILE.toString()) + ":[1-9][0-9]*: \\S.*|environment variable MAST_[^\\n]*: \\S.*");

    @FuzzTest
    void load(byte[] input) throws IOException {
        int nul = indexOf(input, (byte) 0);
        Files.write(FILE, nul < 0 ? input : Arrays.copyOf(input, nul));
        Map<String, String> env = nul < 0 ? Map.of()
                : environment(new String(input, nul + 1, input.length - nul - 1, StandardCharsets.UTF_8));
        BrokerConfig config;
        try {
            config = LOADER.load(FILE, env);
        } catch (ConfigException e) {
            assertThat(e.errors()).as("the errors").isNotEmpty();
            for (String error : e.errors()) {
                assertThat(error).as("each error one line naming where").matches(MESSAGE);
            }
            assertThat(e.getMessage()).isEqualTo(String.join("\n", e.errors()));
            return;
        }
        assertThat(config.listeners()).isNotEmpty().doesNotContainNull();
        assertThat(config.limits()).isNotNull();
        assertThat(config.session()).isNotNull();
        assertThat(config.storage()).isNotNull();
        assertThat(config.admin()).isNotNull();
        assertThat(config.plugins()).doesNotContainNull();
    }

    private static int indexOf(byte[] bytes, byte b) {
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == b) {
                return i;
            }
        }
        return -1;
    }

    private static Map<String, String> environment(String text) {
        Map<String, String> env = new HashMap<>();
        for (String line : text.split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                env.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        return env;
    }
}
