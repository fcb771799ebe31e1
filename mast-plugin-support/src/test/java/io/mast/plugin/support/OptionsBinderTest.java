package io.mast.plugin.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.mast.plugin.Default;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class OptionsBinderTest {

    private final OptionsBinder binder = new OptionsBinder(StrictMapper.create());

    record Config(int port, @Default("guest") String user, @Default("5s") Duration timeout, Optional<String> note,
                  List<String> topics, String required) {
        Config {
            topics = topics == null ? List.of("a") : topics;
        }
    }

    record NeedsHost(String host) {
        NeedsHost {
            Objects.requireNonNull(host, "host");
        }
    }

    private static ObjectNode yaml(String text) throws Exception {
        return (ObjectNode) new YAMLMapper().readTree(text);
    }

    @Test
    void bindsWithDefaultsFromAnnotationsAndTheCompactConstructor() throws Exception {
        Config c = (Config) binder.bind(Config.class, yaml("port: 80\nrequired: x\n"), Set.of());
        assertThat(c.port()).isEqualTo(80);
        assertThat(c.user()).isEqualTo("guest");
        assertThat(c.timeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(c.note()).isEmpty();
        assertThat(c.topics()).containsExactly("a");
    }

    @Test
    void refusesUnknownOptionsWrongTypesAndMissingRequiredOnes() {
        assertThatThrownBy(() -> binder.bind(Config.class, yaml("port: 80\nrequired: x\nprot: 1\n"), Set.of()))
                .isInstanceOf(OptionsException.class).hasMessageContaining("prot").hasMessageContaining("unknown option");
        assertThatThrownBy(() -> binder.bind(Config.class, yaml("port: eighty\nrequired: x\n"), Set.of()))
                .isInstanceOf(OptionsException.class).hasMessageContaining("expected an integer");
        assertThatThrownBy(() -> binder.bind(Config.class, yaml("required: x\n"), Set.of()))
                .isInstanceOf(OptionsException.class).hasMessageContaining("missing required option port");
        assertThatThrownBy(() -> binder.bind(Config.class, yaml("port: 1\n"), Set.of()))
                .isInstanceOf(OptionsException.class).hasMessageContaining("missing required option required");
        assertThatThrownBy(() -> binder.bind(NeedsHost.class, yaml("{}"), Set.of()))
                .isInstanceOf(OptionsException.class).hasMessageContaining("missing required option host");
    }

    @Test
    void aNumberOrABooleanIsNotAString() {
        assertThatThrownBy(() -> binder.bind(Config.class, yaml("port: 80\nrequired: 5\n"), Set.of()))
                .isInstanceOf(OptionsException.class).hasMessageContaining("required").hasMessageContaining("a string");
        assertThatThrownBy(() -> binder.bind(Config.class, yaml("port: 80\nrequired: true\n"), Set.of()))
                .isInstanceOf(OptionsException.class).hasMessageContaining("a string");
    }

    @Test
    void reservedNamesMayNotBeOptions() {
        record Clash(int failedAction) {
        }
        assertThatThrownBy(() -> binder.bind(Clash.class, yaml("{}"), Set.of("failed_action")))
                .isInstanceOf(OptionsException.class).hasMessageContaining("reserved");
    }
}
