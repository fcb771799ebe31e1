package io.mast.it;

import static io.mast.it.ListenerTesting.TIMEOUT;
import static io.mast.it.ListenerTesting.pahoTls;
import static io.mast.it.ListenerTesting.tls;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import io.mast.broker.MastBroker;
import io.mast.broker.config.BrokerConfig;
import io.mast.broker.config.ListenerConfig;
import io.mast.it.TestCertificates.Authority;
import io.mast.it.TestCertificates.Issued;
import io.mast.it.V311Clients.Command;
import io.mast.testkit.MastBrokerExtension;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSession;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * TLS listeners ({@code type: tls}) with certificates made by the test: Paho (3.1.1), the HiveMQ client (5.0) and
 * {@code mosquitto_sub --cafile} publish and receive over TLS; the listener serves its certificate from PEM files (in
 * the key formats OpenSSL writes) or a PKCS#12 keystore, and keeps to its {@code tls_versions}.
 */
class TlsIT {

    static final TestCertificates CERTS = TestCertificates.temporary();
    static final Issued KEYSTORE_SERVER;
    static final Path KEYSTORE;

    static {
        try {
            KEYSTORE_SERVER = CERTS.ca.server("keystore-server");
            KEYSTORE = KEYSTORE_SERVER.pkcs12(CERTS.ca.dir.resolve("server.p12"), "s3cret");
        } catch (Exception e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    static final int TCP = 0;
    static final int TLS = 1;
    static final int TLS_12 = 2;
    static final int TLS_KEYSTORE = 3;

    @RegisterExtension
    static final MastBrokerExtension broker = MastBrokerExtension.withConfig(c -> c.withListeners(List.of(
            ListenerConfig.tcp("127.0.0.1", 0),
            ListenerConfig.builder("tls").certificate(CERTS.serverCert, CERTS.serverKey).build(),
            ListenerConfig.builder("tls").name("tls-1.2").certificate(CERTS.serverCert, CERTS.serverKey)
                    .tlsVersions(List.of("TLSv1.2")).build(),
            ListenerConfig.builder("tls").name("keystore").keystore(KEYSTORE, "s3cret").build())));

    @RegisterExtension
    final V5Clients clients = new V5Clients(broker);

    @Test
    void pahoV311PublishesAndReceivesOverTls() throws Exception {
        try (V311Clients.Paho paho = new V311Clients.Paho("ssl://127.0.0.1:" + broker.port(TLS), "tls-paho")) {
            MqttConnectOptions o = V311Clients.options(true);
            o.setSocketFactory(pahoTls(CERTS.ca, null));
            paho.connect(o);
            assertThat(paho.subscribe("tls/paho", 1)).isEqualTo(1);
            paho.publish("tls/paho", "over tls", 1, false);
            V311Clients.Received r = paho.next();
            assertThat(r.topic()).isEqualTo("tls/paho");
            assertThat(r.payload()).isEqualTo("over tls");
        }
    }

    @Test
    void hiveMqMqtt5ReceivesOverTlsWhatATcpClientPublishes() throws Exception {
        Mqtt5BlockingClient sub = clients.hive("tls-hive-sub", tls(broker.port(TLS), CERTS.ca, null));
        sub.connect();
        try (Mqtt5BlockingClient.Mqtt5Publishes publishes = sub.publishes(MqttGlobalPublishFilter.ALL)) {
            sub.subscribeWith().topicFilter("tls/hive").qos(MqttQos.AT_LEAST_ONCE).send();
            Mqtt5BlockingClient pub = clients.hive("tls-hive-pub");
            pub.connect();
            pub.publishWith().topic("tls/hive").qos(MqttQos.AT_LEAST_ONCE).payload(V5Clients.utf8("hello")).send();
            assertThat(V5Clients.text(V5Clients.next(publishes).getPayloadAsBytes())).isEqualTo("hello");
        }
    }

    @Test
    void mosquittoSubWithCafileReceivesOverTls() throws Exception {
        Path mosquittoSub = V311Clients.requireCommand("mosquitto_sub");
        try (Command sub = Command.start(mosquittoSub, broker.port(TLS), List.of("--cafile",
                CERTS.caCert.toString(), "-i", "tls-mosquitto", "-t", "tls/mosquitto", "-C", "1", "-W", "10"))) {
            V311Clients.awaitSubscribed(broker, "tls-mosquitto", "tls/mosquitto");
            Mqtt5BlockingClient pub = clients.hive("tls-mosquitto-pub");
            pub.connect();
            pub.publishWith().topic("tls/mosquitto").qos(MqttQos.AT_LEAST_ONCE).payload(V5Clients.utf8("to mosquitto"))
                    .send();
            assertThat(sub.awaitSuccess(TIMEOUT)).contains("to mosquitto");
        }
    }

    @Test
    void aClientTrustingAnotherCaRefusesTheListener(@TempDir Path dir) throws Exception {
        Authority other = Authority.create(dir, "other-ca", "Other CA");
        assertThatThrownBy(() -> TestCertificates.handshake(broker.port(TLS), other, null))
                .isInstanceOf(SSLException.class);
        X509Certificate served = TestCertificates.serverCertificate(broker.port(TLS), CERTS.ca);
        assertThat(served).isEqualTo(CERTS.server.certificate());
    }

    @Test
    void tlsVersionsLimitWhatTheListenerNegotiates() throws Exception {
        assertThat(TestCertificates.handshake(broker.port(TLS), CERTS.ca, null).getProtocol()).isEqualTo("TLSv1.3");
        SSLSession onlyTwelve = TestCertificates.handshake(broker.port(TLS_12), CERTS.ca, null);
        assertThat(onlyTwelve.getProtocol()).isEqualTo("TLSv1.2");
        assertThatThrownBy(() -> TestCertificates.handshake(broker.port(TLS_12), CERTS.ca, null, "TLSv1.3"))
                .isInstanceOf(SSLException.class);
    }

    @Test
    void aKeystoreListenerServesItsCertificate() throws Exception {
        X509Certificate served = TestCertificates.serverCertificate(broker.port(TLS_KEYSTORE), CERTS.ca);
        assertThat(served).isEqualTo(KEYSTORE_SERVER.certificate());
        Mqtt5BlockingClient c = clients.hive("keystore-client", tls(broker.port(TLS_KEYSTORE), CERTS.ca, null));
        assertThat(c.connect().getReasonCode().isError()).isFalse();
    }

    /** Keys as OpenSSL writes them: SEC1 EC and PKCS#1 RSA ("traditional"), and encrypted PKCS#8. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"traditional-ec", "traditional-rsa", "encrypted-ec", "encrypted-rsa"})
    void keyFilesInOpenSslFormatsWork(String format, @TempDir Path dir) throws Exception {
        Issued server = format.endsWith("rsa") ? CERTS.ca.rsaServer("server-" + format)
                : CERTS.ca.server("server-" + format);
        String form = format.substring(0, format.indexOf('-'));
        Path key = server.writeKey(dir.resolve("key-" + format + ".pem"), form, "pw");
        ListenerConfig.Builder listener = ListenerConfig.builder("tls").bind("127.0.0.1").port(0)
                .certificate(server.cert(), key);
        if (form.equals("encrypted")) {
            listener.keyPassword("pw");
        }
        BrokerConfig config = BrokerConfig.defaults().withListeners(List.of(listener.build()));
        try (MastBroker b = MastBroker.builder().config(config).build()) {
            b.start().join();
            assertThat(TestCertificates.serverCertificate(b.port(), CERTS.ca)).isEqualTo(server.certificate());
        }
    }
}
