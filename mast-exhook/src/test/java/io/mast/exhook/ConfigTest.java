package io.mast.exhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.mast.plugin.support.OptionsBinder;
import io.mast.plugin.support.OptionsException;
import io.mast.plugin.support.StrictMapper;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The exhook: section bound as the broker binds it. */
class ConfigTest {

    private static final ObjectMapper MAPPER = StrictMapper.create();

    private static ExHookPlugin.Config bind(String yaml) throws Exception {
        ObjectNode node = (ObjectNode) new YAMLMapper().readTree(yaml);
        return (ExHookPlugin.Config) new OptionsBinder(MAPPER).bind(ExHookPlugin.Config.class, node,
                Set.of("decision_timeout", "failed_action", "event_queue_size"));
    }

    private static String error(String yaml) {
        OptionsException e = catchThrowableOfType(OptionsException.class, () -> bind(yaml));
        assertThat(e).as("an error for %s", yaml).isNotNull();
        return (e.key() == null ? "" : e.key() + ": ") + e.problem();
    }

    @Test
    void defaults() throws Exception {
        ServerConfig s = bind("servers: [{name: a, url: 'http://127.0.0.1:9000'}]").servers().get(0);
        assertThat(s.enable()).isTrue();
        assertThat(s.urls()).containsExactly("http://127.0.0.1:9000");
        assertThat(s.requestTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(s.failedAction()).isEqualTo(ServerConfig.FailedAction.DENY);
        assertThat(s.reconnectPeriod()).isEqualTo(Duration.ofSeconds(60));
        assertThat(s.poolSize()).isEqualTo(8);
        assertThat(s.protocol()).isEqualTo(ServerConfig.Protocol.V3);
        assertThat(s.command()).isNull();
        assertThat(s.env()).isEmpty();
        assertThat(s.startTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(s.streaming()).isTrue();
        assertThat(s.batchSize()).isEqualTo(256);
        assertThat(s.batchDelay()).isEqualTo(Duration.ofMillis(1));
    }

    @Test
    void everyOption() throws Exception {
        ServerConfig s = bind("""
                servers:
                  - name: py
                    enable: false
                    urls: ['https://10.0.0.1:9000', 'https://10.0.0.2:9000']
                    request_timeout: 500ms
                    failed_action: ignore
                    auto_reconnect: false
                    pool_size: 2
                    tls: {ca_file: ca.pem, cert_file: c.pem, key_file: k.pem}
                    protocol: v2
                    command: [python3, hooks.py]
                    workdir: /srv/hooks
                    env: {PORT: '9000'}
                    start_timeout: 10s
                    streaming: false
                    batch_size: 32
                    batch_delay: 0
                """).servers().get(0);
        assertThat(s.enable()).isFalse();
        assertThat(s.urls()).hasSize(2);
        assertThat(s.requestTimeout()).isEqualTo(Duration.ofMillis(500));
        assertThat(s.failedAction()).isEqualTo(ServerConfig.FailedAction.IGNORE);
        assertThat(s.reconnectPeriod()).isNull();
        assertThat(s.poolSize()).isEqualTo(2);
        assertThat(s.tls().caFile()).isEqualTo("ca.pem");
        assertThat(s.protocol()).isEqualTo(ServerConfig.Protocol.V2);
        assertThat(s.command()).containsExactly("python3", "hooks.py");
        assertThat(s.env()).isEqualTo(Map.of("PORT", "9000"));
        assertThat(s.startTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(s.streaming()).isFalse();
        assertThat(s.batchSize()).isEqualTo(32);
        assertThat(s.batchDelay()).isZero();
        assertThat(bind("servers: [{name: a, url: 'http://h:1', auto_reconnect: 5s}]").servers().get(0)
                .reconnectPeriod()).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void mistakesAreNamed() {
        assertThat(error("servers: [{url: 'http://h:1'}]")).contains("name");
        assertThat(error("servers: [{name: a}]")).contains("url");
        assertThat(error("servers: [{name: a, url: 'http://h:1', urls: ['http://h:2']}]")).contains("not both");
        assertThat(error("servers: [{name: a, url: 'grpc://h:1'}]")).contains("http://host:port");
        assertThat(error("servers: [{name: a, url: 'http://h'}]")).contains("port");
        assertThat(error("servers: [{name: a, url: 'http://h:1', auto_reconnect: true}]")).contains("auto_reconnect");
        assertThat(error("servers: [{name: a, url: 'http://h:1', failed_action: maybe}]")).contains("deny");
        assertThat(error("servers: [{name: a, url: 'http://h:1', pool_size: 0}]")).contains("pool_size");
        assertThat(error("servers: [{name: a, url: 'http://h:1', tls: {ca_file: x}}]")).contains("https");
        assertThat(error("servers: [{name: a, url: 'http://h:1', env: {A: '1'}}]")).contains("command");
        assertThat(error("servers: [{name: a, url: 'http://h:1', colour: red}]")).contains("unknown option");
        assertThat(error("servers: [{name: a, url: 'http://h:1'}, {name: a, url: 'http://h:2'}]"))
                .contains("used twice");
        assertThat(error("servers: [{name: 'a b', url: 'http://h:1'}]")).contains("letters");
        assertThat(error("servers: [{name: a, url: 'http://h:1', batch_size: 0}]")).contains("batch_size");
        assertThat(error("servers: [{name: a, url: 'http://h:1', batch_delay: 2s}]")).contains("batch_delay");
        assertThat(error("servers: [{name: a, url: 'http://h:1', streaming: maybe}]")).contains("streaming");
    }
}
