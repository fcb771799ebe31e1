package io.mast.it;

import static io.mast.it.ExHookTesting.CONNECTED;
import static io.mast.it.ExHookTesting.DISCONNECTED;
import static io.mast.it.ExHookTesting.awaitStatus;
import static io.mast.it.ExHookTesting.bool;
import static io.mast.it.ExHookTesting.server;
import static io.mast.it.ExHookTesting.spec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode;
import io.grpc.TlsServerCredentials;
import io.mast.broker.MastBroker;
import io.mast.exhook.proto.v3.ClientAuthenticateRequest;
import io.mast.exhook.proto.v3.ValuedResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An https:// hook server that trusts only clients with a certificate of its CA (tls.ca_file, cert_file, key_file). */
class ExHookTlsIT {

    @Test
    void httpsWithTheBrokersClientCertificate(@TempDir Path dir) throws Exception {
        TestCertificates certs = TestCertificates.create(dir);
        ExHookTesting.Calls calls = new ExHookTesting.Calls();
        try (ExHookTesting.TestServer s = new ExHookTesting.V3Server("tls", calls, List.of(spec("client.authenticate")))
                .tls(TlsServerCredentials.newBuilder()
                        .keyManager(certs.serverCert.toFile(), certs.serverKey.toFile())
                        .trustManager(certs.caCert.toFile())
                        .clientAuth(TlsServerCredentials.ClientAuth.REQUIRE).build())
                .start()) {
            s.answers.put("OnClientAuthenticate", r -> bool(ValuedResponse.ResponsedType.STOP_AND_RETURN,
                    !((ClientAuthenticateRequest) r).getClientinfo().getUsername().equals("tls-bad")));
            assertThat(s.url()).startsWith("https://");

            try (MastBroker b = ExHookTesting.startBroker(server("tls", s.url(), "tls", Map.of(
                    "ca_file", certs.caCert.toString(), "cert_file", certs.clientCert.toString(),
                    "key_file", certs.clientKey.toString())))) {
                awaitStatus(b, "tls", CONNECTED);
                Mqtt5ConnAckException refused = catchThrowableOfType(Mqtt5ConnAckException.class, () -> {
                    Mqtt5BlockingClient c = ExHookTesting.client(b.port(), "tls-1");
                    c.connectWith().simpleAuth().username("tls-bad").applySimpleAuth().send();
                });
                assertThat(refused).isNotNull();
                assertThat(refused.getMqttMessage().getReasonCode()).isEqualTo(Mqtt5ConnAckReasonCode.NOT_AUTHORIZED);
                ExHookTesting.connect(b.port(), "tls-2").disconnect();
            }

            // Without a client certificate the server refuses the handshake: the server cannot be loaded.
            try (MastBroker b = ExHookTesting.startBroker(server("tls", s.url(), "auto_reconnect", false,
                    "tls", Map.of("ca_file", certs.caCert.toString())))) {
                assertThat(ExHookTesting.metric(b, "tls", "status")).isEqualTo(DISCONNECTED);
            }
        }
    }
}
