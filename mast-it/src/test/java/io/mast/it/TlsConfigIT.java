package io.mast.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.mast.broker.config.ConfigException;
import io.mast.broker.config.ConfigLoader;
import io.mast.it.TestCertificates.Issued;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS listeners configured in YAML with real certificates: files that exist but cannot be used are one-line errors
 * naming the file, the line and the key; {@code mast broker -c} stops with exit code 2 on a missing certificate and
 * otherwise serves TLS and WebSocket listeners from the same file.
 */
class TlsConfigIT {

    private static final Duration START = Duration.ofSeconds(30);
    private static final Pattern LISTENING = Pattern.compile("Listening for MQTT on 127\\.0\\.0\\.1:(\\d+) \\((\\w+)\\)");

    @TempDir
    Path dir;

    TestCertificates certs;

    @BeforeEach
    void certificates() throws Exception {
        certs = TestCertificates.create(dir);
    }

    private String error(String yaml) throws Exception {
        Path config = Files.writeString(dir.resolve("mast.yaml"), yaml);
        try {
            new ConfigLoader().load(config, Map.of());
        } catch (ConfigException e) {
            assertThat(e.getMessage()).doesNotContain("\n").startsWith(config + ":");
            return e.getMessage().substring(config.toString().length());
        }
        throw new AssertionError("no error for " + yaml);
    }

    @Test
    void aKeyOfAnotherCertificateIsAnError() throws Exception {
        assertThat(error("""
                listeners:
                  - type: tls
                    cert_file: %s
                    key_file: %s
                """.formatted(certs.serverCert, certs.clientKey)))
                .isEqualTo(":4: listeners[0].key_file: " + certs.clientKey + " is not the key of the certificate in "
                        + certs.serverCert + " (CN=localhost)");
    }

    @Test
    void anEncryptedKeyNeedsItsPassword() throws Exception {
        Path key = certs.server.writeKey(dir.resolve("encrypted.key"), "encrypted", "right");
        String yaml = """
                listeners:
                  - type: tls
                    cert_file: %s
                    key_file: %s
                """.formatted(certs.serverCert, key);
        assertThat(error(yaml)).isEqualTo(":2: listeners[0].key_password: expected the password of the encrypted key in "
                + key);
        assertThat(error(yaml + "    key_password: wrong\n")).isEqualTo(":5: listeners[0].key_password: does not "
                + "decrypt the key in " + key);
    }

    @Test
    void aKeystoreNeedsItsPassword() throws Exception {
        Path p12 = certs.server.pkcs12(dir.resolve("server.p12"), "right");
        assertThat(error("""
                listeners:
                  - type: wss
                    keystore: %s
                    keystore_password: wrong
                """.formatted(p12))).isEqualTo(":3: listeners[0].keystore: cannot open " + p12
                + ": wrong keystore_password");
    }

    @Test
    void aCaFileWithoutCertificatesAndAnUnknownCipherAreErrors() throws Exception {
        assertThat(error("""
                listeners:
                  - type: tls
                    cert_file: %s
                    key_file: %s
                    client_cert: optional
                    ca_file: %s
                """.formatted(certs.serverCert, certs.serverKey, certs.serverKey)))
                .isEqualTo(":6: listeners[0].ca_file: " + certs.serverKey
                        + " holds no PEM certificate (-----BEGIN CERTIFICATE-----)");
        assertThat(error("""
                listeners:
                  - type: tls
                    cert_file: %s
                    key_file: %s
                    ciphers: [TLS_AES_128_GCM_SHA256, TLS_NOT_A_CIPHER]
                """.formatted(certs.serverCert, certs.serverKey)))
                .startsWith(":5: listeners[0].ciphers: TLS_NOT_A_CIPHER is not a cipher suite this Java supports");
    }

    @Test
    void theCommandExitsWith2OnAMissingCertificate() throws Exception {
        Path config = Files.writeString(dir.resolve("mast.yaml"), """
                listeners:
                  - type: tcp
                    port: 0
                  - type: tls
                    port: 0
                    cert_file: %s
                    key_file: %s
                """.formatted(dir.resolve("gone.crt"), certs.serverKey));
        try (MastProcess mast = MastProcess.start("broker", "-c", config.toString())) {
            assertThat(mast.awaitExit(START)).isEqualTo(2);
            List<String> out = mast.outputAfterExit().stream().filter(l -> !l.startsWith("WARNING")).toList();
            assertThat(out).containsExactly("mast: " + config + ":6: listeners[1].cert_file: cannot read "
                    + dir.resolve("gone.crt") + ": it does not exist");
        }
    }

    @Test
    void theCommandServesTlsAndWebSocketListenersFromItsConfig() throws Exception {
        Issued device = certs.ca.client("device", "CN=device-1");
        Path config = Files.writeString(dir.resolve("mast.yaml"), """
                listeners:
                  - type: tls
                    port: 0
                    cert_file: %s
                    key_file: %s
                    ca_file: %s
                    client_cert: required
                  - type: ws
                    port: 0
                    path: /ws
                """.formatted(certs.serverCert, certs.serverKey, certs.caCert));
        try (MastProcess mast = MastProcess.start("broker", "-c", config.toString())) {
            mast.awaitPort(START);
            Map<String, Integer> ports = new java.util.HashMap<>();
            org.awaitility.Awaitility.await().atMost(START).until(() -> {
                synchronized (mast.output) {
                    for (String line : mast.output) {
                        Matcher m = LISTENING.matcher(line);
                        if (m.find()) {
                            ports.put(m.group(2), Integer.parseInt(m.group(1)));
                        }
                    }
                }
                return ports.size() == 2;
            });
            assertThat(TestCertificates.handshake(ports.get("tls"), certs.ca, device).getPeerCertificates()[0])
                    .isEqualTo(certs.server.certificate());
            try (ListenerTesting.RawWebSocket ws = ListenerTesting.RawWebSocket.connect(ports.get("ws"), "/ws",
                    io.mast.codec.MqttVersion.MQTT_3_1_1)) {
                ws.send(V311Clients.connect("cli-ws", true, 30, null), io.mast.codec.MqttVersion.MQTT_3_1_1);
                assertThat(ws.expect(io.mast.codec.packet.ConnAck.class).reasonCode())
                        .isEqualTo(io.mast.codec.ReasonCode.SUCCESS);
            }
        }
    }
}
