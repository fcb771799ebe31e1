package io.mast.it;

import static io.mast.it.ListenerTesting.TIMEOUT;
import static io.mast.it.ListenerTesting.pahoTls;
import static io.mast.it.ListenerTesting.tls;
import static io.mast.it.TestCertificates.dns;
import static io.mast.it.TestCertificates.email;
import static io.mast.it.TestCertificates.ip;
import static io.mast.it.TestCertificates.uri;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode;
import io.mast.broker.config.ListenerConfig;
import io.mast.broker.tls.ClientCert;
import io.mast.it.TestCertificates.Authority;
import io.mast.it.TestCertificates.Issued;
import io.mast.it.V311Clients.Command;
import io.mast.plugin.AuthDecision;
import io.mast.plugin.AuthPlugin;
import io.mast.plugin.BrokerContext;
import io.mast.plugin.BrokerPlugin;
import io.mast.plugin.ClientInfo;
import io.mast.plugin.ConnectInfo;
import io.mast.testkit.MastBrokerExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Client certificates (mTLS): {@code client_cert: required} refuses the handshake without a certificate or with one
 * from another CA and accepts a valid one; {@code optional} accepts both; a plugin sees the certificate's CN, subject
 * and Subject Alternative Names; {@code use_identity_as_username} makes the CN the user name. Clients: the HiveMQ
 * client, Paho and {@code mosquitto_sub --cafile --cert --key}.
 */
class TlsClientCertIT {

    static final TestCertificates CERTS = TestCertificates.temporary();
    static final Issued DEVICE;
    static final Issued STRANGER;

    static {
        try {
            DEVICE = CERTS.ca.client("device-7", "CN=device-7,OU=Sensors,O=Mast Tests",
                    dns("device-7.example.com"), ip("10.0.0.7"), email("ops@example.com"),
                    uri("spiffe://example.com/device/7"));
            Path otherDir = Files.createDirectories(CERTS.ca.dir.resolve("other"));
            STRANGER = Authority.create(otherDir, "other-ca", "Other CA").client("stranger", "CN=device-7");
        } catch (Exception e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    static final int REQUIRED = 0;
    static final int OPTIONAL = 1;
    static final int REQUIRED_IDENTITY = 2;
    static final int OPTIONAL_IDENTITY = 3;

    /** Records what each CONNECT looked like to a plugin, and allows it. */
    public static final class Identities extends BrokerPlugin implements AuthPlugin {
        static final BlockingQueue<ConnectInfo> SEEN = new LinkedBlockingQueue<>();

        public Identities(BrokerContext context) {
            super(context);
        }

        @Override
        public AuthDecision authenticate(ConnectInfo connect) {
            SEEN.add(connect);
            return AuthDecision.allow();
        }
    }

    private static ListenerConfig.Builder tlsListener(ClientCert mode) {
        return ListenerConfig.builder("tls").certificate(CERTS.serverCert, CERTS.serverKey).caFile(CERTS.caCert)
                .clientCert(mode);
    }

    @RegisterExtension
    static final MastBrokerExtension broker = MastBrokerExtension.withConfig(c -> c.withListeners(List.of(
            tlsListener(ClientCert.REQUIRED).name("required").build(),
            tlsListener(ClientCert.OPTIONAL).name("optional").build(),
            tlsListener(ClientCert.REQUIRED).name("required-identity").useIdentityAsUsername(true).build(),
            tlsListener(ClientCert.OPTIONAL).name("optional-identity").useIdentityAsUsername(true).build())))
            .plugin(Identities.class);

    @RegisterExtension
    final V5Clients clients = new V5Clients(broker);

    @BeforeEach
    void forget() {
        Identities.SEEN.clear();
    }

    private static ConnectInfo seen(String clientId) throws InterruptedException {
        ConnectInfo c = Identities.SEEN.poll(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(c).as("the plugin saw the CONNECT of %s", clientId).isNotNull();
        assertThat(c.clientId()).isEqualTo(clientId);
        return c;
    }

    @Test
    void requiredRefusesTheHandshakeWithoutACertificate() {
        Mqtt5BlockingClient c = clients.hive("no-cert", tls(broker.port(REQUIRED), CERTS.ca, null));
        assertThatThrownBy(c::connect).isNotInstanceOf(Mqtt5ConnAckException.class);
        assertThat(Identities.SEEN).as("no CONNECT reached the broker").isEmpty();
    }

    @Test
    void requiredRefusesACertificateFromAnotherCa() {
        Mqtt5BlockingClient c = clients.hive("stranger", tls(broker.port(REQUIRED), CERTS.ca, STRANGER));
        assertThatThrownBy(c::connect).isNotInstanceOf(Mqtt5ConnAckException.class);
        assertThat(Identities.SEEN).as("no CONNECT reached the broker").isEmpty();
    }

    @Test
    void requiredAcceptsAValidCertificateAndPluginsSeeItsNames() throws Exception {
        Mqtt5BlockingClient c = clients.hive("device-7", tls(broker.port(REQUIRED), CERTS.ca, DEVICE));
        assertThat(c.connect().getReasonCode()).isEqualTo(Mqtt5ConnAckReasonCode.SUCCESS);
        ClientInfo info = seen("device-7");
        assertThat(info.certificateCommonName()).isEqualTo("device-7");
        assertThat(info.certificateSubject()).isEqualTo("CN=device-7,OU=Sensors,O=Mast Tests");
        assertThat(info.certificateSans()).containsExactly("DNS:device-7.example.com", "IP:10.0.0.7",
                "email:ops@example.com", "URI:spiffe://example.com/device/7");
        assertThat(info.certificate()).isEqualTo(DEVICE.certificate());
        assertThat(info.username()).as("the user name is the client's own without use_identity_as_username").isNull();
        assertThat(info.listener()).isEqualTo("required");
    }

    @Test
    void pahoWithAClientCertificatePublishesAndReceives() throws Exception {
        try (V311Clients.Paho paho = new V311Clients.Paho("ssl://127.0.0.1:" + broker.port(REQUIRED), "paho-device")) {
            MqttConnectOptions o = V311Clients.options(true);
            o.setSocketFactory(pahoTls(CERTS.ca, DEVICE));
            paho.connect(o);
            assertThat(seen("paho-device").certificateCommonName()).isEqualTo("device-7");
            paho.subscribe("mtls/paho", 1);
            paho.publish("mtls/paho", "signed", 1, false);
            assertThat(paho.next().payload()).isEqualTo("signed");
        }
        try (V311Clients.Paho paho = new V311Clients.Paho("ssl://127.0.0.1:" + broker.port(REQUIRED), "paho-none")) {
            MqttConnectOptions o = V311Clients.options(true);
            o.setSocketFactory(pahoTls(CERTS.ca, null));
            assertThatThrownBy(() -> paho.connect(o)).isInstanceOf(MqttException.class);
        }
    }

    @Test
    void mosquittoSubWithCertAndKeyConnectsAndWithoutIsRefused() throws Exception {
        Path mosquittoSub = V311Clients.requireCommand("mosquitto_sub");
        try (Command sub = Command.start(mosquittoSub, broker.port(REQUIRED), List.of("--cafile",
                CERTS.caCert.toString(), "--cert", DEVICE.cert().toString(), "--key", DEVICE.key().toString(),
                "-i", "mosquitto-device", "-t", "mtls/mosquitto", "-C", "1", "-W", "10"))) {
            V311Clients.awaitSubscribed(broker, "mosquitto-device", "mtls/mosquitto");
            assertThat(seen("mosquitto-device").certificateCommonName()).isEqualTo("device-7");
            Mqtt5BlockingClient pub = clients.hive("mosquitto-pub", tls(broker.port(REQUIRED), CERTS.ca, DEVICE));
            pub.connect();
            pub.publishWith().topic("mtls/mosquitto").qos(MqttQos.AT_LEAST_ONCE).payload(V5Clients.utf8("mutual"))
                    .send();
            assertThat(sub.awaitSuccess(TIMEOUT)).contains("mutual");
        }
        Identities.SEEN.clear();
        try (Command refused = Command.start(mosquittoSub, broker.port(REQUIRED), List.of("--cafile",
                CERTS.caCert.toString(), "-i", "mosquitto-none", "-t", "mtls/mosquitto", "-C", "1", "-W", "5"))) {
            assertThat(refused.awaitExit(TIMEOUT.multipliedBy(2))).as("exit code; output: %s", refused.output())
                    .isNotZero();
        }
        assertThat(Identities.SEEN).as("no CONNECT reached the broker").isEmpty();
    }

    @Test
    void optionalAcceptsClientsWithAndWithoutACertificate() throws Exception {
        Mqtt5BlockingClient without = clients.hive("optional-none", tls(broker.port(OPTIONAL), CERTS.ca, null));
        assertThat(without.connect().getReasonCode()).isEqualTo(Mqtt5ConnAckReasonCode.SUCCESS);
        ClientInfo none = seen("optional-none");
        assertThat(none.certificateCommonName()).isNull();
        assertThat(none.certificateSubject()).isNull();
        assertThat(none.certificateSans()).isEmpty();
        assertThat(none.certificate()).isNull();

        Mqtt5BlockingClient with = clients.hive("optional-device", tls(broker.port(OPTIONAL), CERTS.ca, DEVICE));
        assertThat(with.connect().getReasonCode()).isEqualTo(Mqtt5ConnAckReasonCode.SUCCESS);
        assertThat(seen("optional-device").certificateCommonName()).isEqualTo("device-7");

        // A certificate that is presented must be valid, even when it is optional.
        Mqtt5BlockingClient stranger = clients.hive("optional-stranger", tls(broker.port(OPTIONAL), CERTS.ca, STRANGER));
        assertThatThrownBy(stranger::connect).isNotInstanceOf(Mqtt5ConnAckException.class);
    }

    @Test
    void useIdentityAsUsernameMakesTheCommonNameTheUserName() throws Exception {
        Mqtt5BlockingClient c = clients.hive("identity", tls(broker.port(REQUIRED_IDENTITY), CERTS.ca, DEVICE));
        c.connectWith().simpleAuth().username("mallory").password(V5Clients.utf8("pw")).applySimpleAuth().send();
        ConnectInfo info = seen("identity");
        assertThat(info.username()).isEqualTo("device-7");
        assertThat(info.certificateCommonName()).isEqualTo("device-7");
        assertThat(broker.broker().core().registry().get("identity").lastClient().username()).isEqualTo("device-7");
    }

    @Test
    void useIdentityAsUsernameRefusesAClientWithoutACertificate() throws Exception {
        Mqtt5BlockingClient c = clients.hive("identity-none", tls(broker.port(OPTIONAL_IDENTITY), CERTS.ca, null));
        assertThatThrownBy(() -> c.connectWith().simpleAuth().username("mallory").applySimpleAuth().send())
                .isInstanceOfSatisfying(Mqtt5ConnAckException.class, e -> assertThat(e.getMqttMessage().getReasonCode())
                        .isEqualTo(Mqtt5ConnAckReasonCode.NOT_AUTHORIZED));
        assertThat(Identities.SEEN).as("refused before any plugin was asked").isEmpty();

        Mqtt5BlockingClient with = clients.hive("identity-optional", tls(broker.port(OPTIONAL_IDENTITY), CERTS.ca,
                DEVICE));
        with.connect();
        assertThat(seen("identity-optional").username()).isEqualTo("device-7");
    }
}
