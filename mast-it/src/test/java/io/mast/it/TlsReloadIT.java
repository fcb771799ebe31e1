package io.mast.it;

import static io.mast.it.ListenerTesting.TIMEOUT;
import static io.mast.it.ListenerTesting.pahoTls;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.mast.broker.MastBroker;
import io.mast.broker.config.BrokerConfig;
import io.mast.broker.config.ListenerConfig;
import io.mast.it.PluginTesting.Logs;
import io.mast.it.TestCertificates.Issued;
import io.mast.testkit.NettyLeaks;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hot reload of a TLS listener's certificate: when its files change, new connections get the new certificate while
 * open ones carry on; a file that cannot be used is logged and the previous certificate stays in use. Each test has a
 * broker of its own whose listener checks its files every 100 ms.
 */
class TlsReloadIT {

    @RegisterExtension
    final Logs logs = new Logs();

    @TempDir
    Path dir;

    TestCertificates certs;
    Path certFile;
    Path keyFile;
    MastBroker broker;

    @BeforeEach
    void start() throws Exception {
        certs = TestCertificates.create(dir);
        certFile = dir.resolve("live.crt");
        keyFile = dir.resolve("live.key");
        certs.server.installAs(certFile, keyFile);
        ListenerConfig tls = ListenerConfig.builder("tls").bind("127.0.0.1").port(0).name("reloading")
                .certificate(certFile, keyFile).reloadInterval(Duration.ofMillis(100)).build();
        broker = MastBroker.builder().config(BrokerConfig.defaults().withListeners(List.of(tls))).build();
        broker.start().join();
    }

    @AfterEach
    void stop() {
        if (broker != null) {
            broker.close();
        }
    }

    @AfterAll
    static void noLeaks() {
        NettyLeaks.assertNone();
    }

    private X509Certificate served() throws Exception {
        return TestCertificates.serverCertificate(broker.port(), certs.ca);
    }

    private void awaitServed(Issued expected) {
        await("the listener serves " + expected.certificate().getSerialNumber()).atMost(TIMEOUT)
                .untilAsserted(() -> assertThat(served()).isEqualTo(expected.certificate()));
    }

    private V311Clients.Paho paho(String clientId) throws Exception {
        V311Clients.Paho p = new V311Clients.Paho("ssl://127.0.0.1:" + broker.port(), clientId);
        MqttConnectOptions o = V311Clients.options(true);
        o.setSocketFactory(pahoTls(certs.ca, null));
        p.connect(o);
        return p;
    }

    @Test
    void newConnectionsGetTheNewCertificateWhileOpenOnesCarryOn() throws Exception {
        assertThat(served()).isEqualTo(certs.server.certificate());
        try (V311Clients.Paho before = paho("before-reload")) {
            before.subscribe("reload/#", 1);

            Issued next = certs.ca.server("next");
            next.installAs(certFile, keyFile);
            awaitServed(next);
            logs.await("the reload is logged", l -> l.startsWith("INFO") && l.contains("Reloaded the TLS files of reloading")
                    && l.contains(next.certificate().getSerialNumber().toString(16)));

            try (V311Clients.Paho after = paho("after-reload")) {
                after.publish("reload/after", "new certificate", 1, false);
            }
            // The connection made with the old certificate is still there and still receives.
            V311Clients.Received r = before.next();
            assertThat(r.payload()).isEqualTo("new certificate");
        }
    }

    @Test
    void aBrokenFileIsLoggedAndThePreviousCertificateStays() throws Exception {
        Path garbage = Files.writeString(dir.resolve("garbage.crt"), "-----BEGIN CERTIFICATE-----\nnot base64 at all!\n"
                + "-----END CERTIFICATE-----\n");
        TestCertificates.replace(garbage, certFile);
        logs.await("the broken file is logged", l -> l.startsWith("WARN")
                && l.contains("Cannot reload the TLS files of reloading") && l.contains("cert_file"));
        assertThat(served()).isEqualTo(certs.server.certificate());
        try (V311Clients.Paho stillWorks = paho("during-breakage")) {
            assertThat(stillWorks.subscribe("reload/broken", 1)).isEqualTo(1);
        }

        // Fixing the files is picked up in turn.
        Issued fixed = certs.ca.server("fixed");
        fixed.installAs(certFile, keyFile);
        awaitServed(fixed);
    }

    @Test
    void aKeyThatDoesNotBelongToTheCertificateIsRefused() throws Exception {
        Issued other = certs.ca.server("other");
        TestCertificates.replace(other.cert(), certFile); // the key stays the old one
        logs.await("the mismatch is logged", l -> l.startsWith("WARN")
                && l.contains("Cannot reload the TLS files of reloading") && l.contains("is not the key of the certificate"));
        assertThat(served()).isEqualTo(certs.server.certificate());
    }
}
