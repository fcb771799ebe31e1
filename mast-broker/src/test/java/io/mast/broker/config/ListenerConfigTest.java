package io.mast.broker.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The listener keys: defaults per type, per-listener limits, and one-line errors naming the file, line and key. */
class ListenerConfigTest {

    @TempDir
    Path dir;

    private final ConfigLoader loader = new ConfigLoader();

    private Path file(String yaml) throws IOException {
        return Files.writeString(dir.resolve("mast.yaml"), yaml);
    }

    /** The error for a config, without the file name (checked to be there, and the message to be one line). */
    private String error(String yaml) throws IOException {
        Path f = file(yaml);
        try {
            loader.load(f, Map.of());
        } catch (ConfigException e) {
            assertThat(e.getMessage()).doesNotContain("\n").startsWith(f.toString());
            return e.getMessage().substring(f.toString().length());
        }
        throw new AssertionError("no error for " + yaml);
    }

    @Test
    void eachTypeHasItsDefaultPortAndName() throws IOException {
        BrokerConfig c = loader.load(file("""
                listeners:
                  - type: tcp
                  - type: ws
                  - type: ws
                    path: /custom
                    port: 9001
                    allowed_origins: [https://app.example.com/, "*"]
                """), Map.of());
        assertThat(c.listeners()).extracting(ListenerConfig::port).containsExactly(1883, 8080, 9001);
        assertThat(c.listeners()).extracting(ListenerConfig::name).containsExactly("tcp/1883", "ws/8080", "ws/9001");
        assertThat(c.listeners().get(1).path()).isEqualTo("/mqtt");
        assertThat(c.listeners().get(1).allowedOrigins()).isNull();
        assertThat(c.listeners().get(2).path()).isEqualTo("/custom");
        assertThat(c.listeners().get(2).allowedOrigins()).containsExactly("https://app.example.com", "*");
        assertThat(c.listeners()).allMatch(l -> l.tls() == null && !l.useIdentityAsUsername());
    }

    @Test
    void aListenersLimitsOverrideTheBrokersForItsClientsOnly() throws IOException {
        BrokerConfig c = loader.load(file("""
                listeners:
                  - type: tcp
                  - type: ws
                    max_packet_size: 4096
                    max_keepalive: 60
                    receive_maximum: 10
                    connect_timeout: 3s
                limits:
                  max_packet_size: 65536
                  max_keepalive: 600
                """), Map.of());
        LimitsConfig tcp = c.listeners().get(0).limits(c.limits());
        LimitsConfig ws = c.listeners().get(1).limits(c.limits());
        assertThat(tcp).isSameAs(c.limits());
        assertThat(ws.maxPacketSize()).isEqualTo(4096);
        assertThat(ws.maxKeepalive()).isEqualTo(60);
        assertThat(ws.receiveMaximum()).isEqualTo(10);
        assertThat(ws.connectTimeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(ws.maxQueuedMessages()).isEqualTo(c.limits().maxQueuedMessages());
    }

    @Test
    void movingAListenerKeepsAGivenNameAndRenamesADefaultOne() {
        ListenerConfig named = ListenerConfig.builder("ws").name("browsers").build().withAddress("127.0.0.1", 0);
        assertThat(named.name()).isEqualTo("browsers");
        assertThat(named.path()).isEqualTo("/mqtt");
        ListenerConfig unnamed = ListenerConfig.builder("ws").build().withAddress("127.0.0.1", 0);
        assertThat(unnamed.name()).isEqualTo("ws/0");
    }

    @Test
    void unknownTypeNamesTheChoices() throws IOException {
        assertThat(error("""
                listeners:
                  - type: quic
                """)).isEqualTo(":2: listeners[0].type: expected tcp, tls, ws or wss, got quic");
    }

    @Test
    void aMissingCertificateFileNamesTheKeyAndTheLine() throws IOException {
        Path key = Files.writeString(dir.resolve("server.key"), "not used");
        assertThat(error("""
                listeners:
                  - type: tcp
                  - type: tls
                    port: 8883
                    cert_file: %s
                    key_file: %s
                """.formatted(dir.resolve("missing.crt"), key)))
                .isEqualTo(":5: listeners[1].cert_file: cannot read " + dir.resolve("missing.crt")
                        + ": it does not exist");
    }

    @Test
    void aFileWithoutACertificateIsNamed() throws IOException {
        Path cert = Files.writeString(dir.resolve("server.crt"), "hello\n");
        Path key = Files.writeString(dir.resolve("server.key"), "hello\n");
        assertThat(error("""
                listeners:
                  - type: wss
                    cert_file: %s
                    key_file: %s
                """.formatted(cert, key)))
                .isEqualTo(":3: listeners[0].cert_file: " + cert + " holds no PEM certificate (-----BEGIN CERTIFICATE-----)");
    }

    @Test
    void anEnvironmentOverrideIsNamedWhenItsFileIsMissing() throws IOException {
        Path f = file("""
                listeners:
                  - type: tcp
                """);
        Map<String, String> env = Map.of("MAST_LISTENERS__0__TYPE", "tls",
                "MAST_LISTENERS__0__CERT_FILE", "/nowhere/server.crt", "MAST_LISTENERS__0__KEY_FILE", "/nowhere/server.key");
        assertThatThrownBy(() -> loader.load(f, env)).isInstanceOf(ConfigException.class)
                .hasMessage("environment variable MAST_LISTENERS__0__CERT_FILE: listeners[0].cert_file: cannot read "
                        + "/nowhere/server.crt: it does not exist");
    }

    @Test
    void tlsSettingsAreCheckedBeforeTheFiles() throws IOException {
        assertThat(error("""
                listeners:
                  - type: tls
                """)).startsWith(":2: listeners[0].cert_file: expected the server certificate (cert_file and key_file, PEM)"
                + " or a PKCS#12 keystore");
        assertThat(error("""
                listeners:
                  - type: tls
                    cert_file: a.crt
                """)).isEqualTo(":2: listeners[0].key_file: expected the private key (PEM) of cert_file");
        assertThat(error("""
                listeners:
                  - type: tls
                    keystore: a.p12
                    cert_file: a.crt
                """)).isEqualTo(":4: listeners[0].cert_file: expected either keystore or cert_file and key_file, not both");
        assertThat(error("""
                listeners:
                  - type: tls
                    cert_file: a.crt
                    key_file: a.key
                    client_cert: required
                """)).startsWith(":2: listeners[0].ca_file: expected the CA certificates (PEM) that sign client "
                + "certificates, for client_cert: required");
        assertThat(error("""
                listeners:
                  - type: tls
                    cert_file: a.crt
                    key_file: a.key
                    use_identity_as_username: true
                """)).isEqualTo(":5: listeners[0].use_identity_as_username: needs client_cert: required (or optional)");
        // A wrong value is reported with the other errors of the file: here, the files that do not exist.
        Path f = file("""
                listeners:
                  - type: tls
                    cert_file: a.crt
                    key_file: a.key
                    client_cert: maybe
                """);
        assertThatThrownBy(() -> loader.load(f, Map.of())).isInstanceOfSatisfying(ConfigException.class, e ->
                assertThat(e.errors()).containsExactly(
                        f + ":3: listeners[0].cert_file: cannot read a.crt: it does not exist",
                        f + ":5: listeners[0].client_cert: expected one of none, optional, required, got \"maybe\""));
        assertThat(error("""
                listeners:
                  - type: tls
                    cert_file: a.crt
                    key_file: a.key
                    tls_versions: [TLSv1.3, SSLv3]
                """)).isEqualTo(":5: listeners[0].tls_versions: expected TLSv1.2 and/or TLSv1.3, got SSLv3");
    }

    @Test
    void keysOfOtherTransportsAreRefused() throws IOException {
        assertThat(error("""
                listeners:
                  - type: tcp
                    cert_file: server.crt
                """)).isEqualTo(":3: listeners[0].cert_file: only tls and wss listeners take this key; this listener is tcp");
        assertThat(error("""
                listeners:
                  - type: tls
                    path: /mqtt
                """)).isEqualTo(":3: listeners[0].path: only ws and wss listeners take this key; this listener is tls");
        assertThat(error("""
                listeners:
                  - type: ws
                    path: mqtt
                """)).isEqualTo(":3: listeners[0].path: expected an HTTP path starting with /, such as /mqtt, got mqtt");
    }

    @Test
    void aListenerLimitOutOfRangeNamesTheRange() {
        assertThatThrownBy(() -> ListenerConfig.builder("ws").maxPacketSize(8).build())
                .hasMessage("max_packet_size: expected an integer from 16 to 268435460, got 8");
        assertThatThrownBy(() -> ListenerConfig.builder("ws").allowedOrigins(List.of(" ")).build())
                .hasMessageStartingWith("allowed_origins: expected origins");
    }
}
