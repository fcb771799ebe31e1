package io.mast.broker.client;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The Common Name taken from a certificate's subject, as OpenSSL (and so Mosquitto) takes it. */
class ClientCertificateTest {

    @Test
    void theCommonNameIsFoundWhereverItIs() {
        assertThat(ClientCertificate.commonName("CN=device-1,OU=Sensors,O=Acme")).isEqualTo("device-1");
        assertThat(ClientCertificate.commonName("O=Acme,CN=device-2")).isEqualTo("device-2");
        assertThat(ClientCertificate.commonName("OU=Sensors+CN=device-3,O=Acme")).isEqualTo("device-3");
    }

    @Test
    void escapedCharactersAreUnescaped() {
        assertThat(ClientCertificate.commonName("CN=Doe\\, John,O=Acme")).isEqualTo("Doe, John");
        assertThat(ClientCertificate.commonName("CN=a\\+b,O=Acme")).isEqualTo("a+b");
    }

    @Test
    void aSubjectWithoutCommonNameHasNone() {
        assertThat(ClientCertificate.commonName("O=Acme,C=DE")).isNull();
        assertThat(ClientCertificate.commonName("")).isNull();
    }

    @Test
    void ofSeveralCommonNamesTheFirstEncodedOneCounts() {
        // RFC 2253 writes the last encoded name first: the first encoded CN is the rightmost one.
        assertThat(ClientCertificate.commonName("CN=second,CN=first,O=Acme")).isEqualTo("first");
    }
}
