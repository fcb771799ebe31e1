package io.mast.exhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.mast.plugin.support.OptionsBinder;
import io.mast.plugin.support.OptionsException;
import io.mast.plugin.support.StrictMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** exhook.drivers: EMQX 4.x's driver keys in mast.yaml, and the hook servers they become. */
class DriverConfigTest {

    @TempDir
    Path dir;

    private static ExHookPlugin.Config bind(String yaml) throws Exception {
        ObjectNode node = (ObjectNode) new YAMLMapper().readTree(yaml);
        return (ExHookPlugin.Config) new OptionsBinder(StrictMapper.create()).bind(ExHookPlugin.Config.class, node,
                Set.of("decision_timeout", "failed_action", "event_queue_size"));
    }

    private static String error(String yaml) {
        OptionsException e = catchThrowableOfType(OptionsException.class, () -> bind(yaml));
        assertThat(e).as("an error for %s", yaml).isNotNull();
        return (e.key() == null ? "" : e.key() + ": ") + e.problem();
    }

    @Test
    void theSeedsLinesAndTheDefaults() throws Exception {
        DriverConfig d = bind("""
                drivers:
                  python3:
                    path: data/extension/hooks.py
                    call_timeout: 5s
                    init_module: hooks
                """).drivers().python3();
        assertThat(d.path()).isEqualTo("data/extension/hooks.py");
        assertThat(d.initModule()).isEqualTo("hooks");
        assertThat(d.callTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(d.enable()).isTrue();
        assertThat(d.failedAction()).isEqualTo(ServerConfig.FailedAction.IGNORE);
        assertThat(d.port()).isZero();
        assertThat(d.startTimeout()).isEqualTo(Duration.ofSeconds(30));

        DriverConfig java = bind("drivers: {java: {}}").drivers().java();
        assertThat(java.path()).isEqualTo("data/extension");
        assertThat(java.initModule()).isNull();
        assertThat(bind("servers: []").drivers().byName()).isEmpty();
    }

    @Test
    void mistakesAreNamed() {
        assertThat(error("drivers: {python2: {}}")).contains("drivers.python2").contains("java, python3");
        assertThat(error("drivers: {python3: {call_timeout: 0s}}")).contains("drivers.python3")
                .contains("call_timeout");
        assertThat(error("drivers: {java: {port: 70000}}")).contains("port");
        assertThat(error("drivers: {java: {pool_size: 8}}")).contains("unknown option");
        assertThat(error("drivers: {python3: {failed_action: maybe}}")).contains("deny");
        assertThat(error("""
                servers: [{name: java, url: 'http://127.0.0.1:9000'}]
                drivers: {java: {}}
                """)).contains("the name java is the driver's");
    }

    @Test
    void thePythonDriverIsAServerThatRunsTheSdksDriverModule() throws Exception {
        Path hooks = Files.writeString(dir.resolve("hooks.py"), "def init():\n    return 0, ([], ())\n");
        DriverConfig d = bind("drivers: {python3: {path: '" + hooks + "', call_timeout: 2s, failed_action: deny, "
                + "port: 4999, env: {PYTHONPATH: /opt/libs, DB: x}}}").drivers().python3();
        Path sdk;
        try (DriverLauncher launcher = new DriverLauncher(new DriverConfig.Drivers(d, null))) {
            ServerConfig s = launcher.servers().get(0);
            assertThat(s.name()).isEqualTo("python3");
            assertThat(s.urls()).containsExactly("http://127.0.0.1:4999");
            assertThat(s.requestTimeout()).isEqualTo(Duration.ofSeconds(2));
            assertThat(s.failedAction()).isEqualTo(ServerConfig.FailedAction.DENY);
            assertThat(s.command()).endsWith("-u", "-m", "emqx_extension.driver", "--path", hooks.toString(),
                    "--init-module", "hooks", "--port", "4999");
            assertThat(s.env()).containsEntry("DB", "x");
            String[] pythonPath = s.env().get("PYTHONPATH").split(java.io.File.pathSeparator);
            assertThat(pythonPath).hasSize(2).endsWith("/opt/libs");
            sdk = Path.of(pythonPath[0]);
            assertThat(sdk.resolve("emqx_extension/driver.py")).isRegularFile();
            assertThat(sdk.resolve("mast_exhook/_server.py")).isRegularFile();
            assertThat(sdk.resolve("mast_exhook/protos/emqx/exhook/v3/exhook.proto")).isRegularFile();
            assertThat(launcher.after(List.of())).containsExactly(s);
        }
        assertThat(sdk).as("deleted on close").doesNotExist();
    }

    @Test
    void theInitModuleDefaultsToThePythonFilesName() throws Exception {
        Path hooks = Files.writeString(dir.resolve("my_hooks.py"), "");
        DriverConfig d = bind("drivers: {python3: {path: '" + hooks + "'}}").drivers().python3();
        try (DriverLauncher launcher = new DriverLauncher(new DriverConfig.Drivers(d, null))) {
            List<String> command = launcher.servers().get(0).command();
            assertThat(command.get(command.indexOf("--init-module") + 1)).isEqualTo("my_hooks");
            assertThat(launcher.servers().get(0).urls().get(0)).matches("http://127\\.0\\.0\\.1:\\d+")
                    .doesNotEndWith(":0");
        }
    }

    @Test
    void aPathThatDoesNotExistOrAJavaDriverWithoutItsModuleIsRefused() throws Exception {
        DriverConfig missing = bind("drivers: {python3: {path: '" + dir.resolve("nothing.py") + "'}}")
                .drivers().python3();
        assertThatThrownBy(() -> new DriverLauncher(new DriverConfig.Drivers(missing, null)))
                .hasMessageContaining("drivers.python3.path").hasMessageContaining("does not exist");
        // mast-exhook's tests do not have mast-exhook-sdk-emqx4, which mast.jar has.
        DriverConfig java = bind("drivers: {java: {path: '" + dir + "'}}").drivers().java();
        assertThatThrownBy(() -> new DriverLauncher(new DriverConfig.Drivers(null, java)))
                .hasMessageContaining("mast-exhook-sdk-emqx4");
    }
}
