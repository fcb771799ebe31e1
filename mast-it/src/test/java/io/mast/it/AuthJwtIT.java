package io.mast.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.publish.puback.Mqtt5PubAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAckReasonCode;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.mast.auth.jwt.JwtAuthPlugin;
import io.mast.testkit.MastBrokerExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link JwtAuthPlugin} with tokens and keys the test makes (nimbus-jose-jwt): HMAC with a secret, RSA with a public
 * key file, EC from a JWKS document served over HTTP and refreshed on a schedule; {@code exp}, {@code nbf},
 * {@code aud} and {@code sub} checked; superusers and ACL rules from claims; a client disconnected when its token
 * expires; a JWKS service that is down.
 */
class AuthJwtIT {

    static final byte[] SECRET = "0123456789abcdef0123456789abcdef-mast".getBytes(StandardCharsets.UTF_8);
    static final Path DIR = BuiltinFiles.folder("mast-auth-jwt");
    static final KeyPair RSA = rsa();
    static final Path PUBLIC_KEY = pem(DIR.resolve("jwt-public.pem"), RSA);
    static final String ISSUER = "https://idp.mast.test";

    @RegisterExtension
    static final MastBrokerExtension broker = AuthBrokers.create().plugin(JwtAuthPlugin.class, Map.of(
            "secret", Base64.getEncoder().encodeToString(SECRET), "secret_base64_encoded", true,
            "verify_claims", Map.of("sub", "${clientid}", "aud", "mqtt", "iss", ISSUER)));

    @RegisterExtension
    final V5Clients clients = new V5Clients(broker);

    @AfterAll
    static void deleteFiles() throws Exception {
        BuiltinFiles.delete(DIR);
    }

    static KeyPair rsa() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(2048);
            return g.generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static Path pem(Path file, KeyPair keys) {
        try {
            Files.writeString(file, "-----BEGIN PUBLIC KEY-----\n"
                    + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                    .encodeToString(keys.getPublic().getEncoded()) + "\n-----END PUBLIC KEY-----\n");
            return file;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Claims valid for an hour for this client, adjusted by the test. */
    static JWTClaimsSet claims(String clientId, UnaryOperator<JWTClaimsSet.Builder> adjust) {
        long now = System.currentTimeMillis();
        return adjust.apply(new JWTClaimsSet.Builder().subject(clientId).issuer(ISSUER)
                .audience(List.of("mqtt", "other"))
                .issueTime(new Date(now)).expirationTime(new Date(now + 3_600_000))).build();
    }

    static String token(JWSSigner signer, JWSAlgorithm alg, String keyId, JWTClaimsSet claims) throws JOSEException {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(alg).keyID(keyId).build(), claims);
        jwt.sign(signer);
        return jwt.serialize();
    }

    static String hmac(JWTClaimsSet claims) throws JOSEException {
        return token(new MACSigner(SECRET), JWSAlgorithm.HS256, null, claims);
    }

    @Test
    void hmacTokensAndTheirClaims() throws Exception {
        assertThat(clients.connack("h1", "anyone", hmac(claims("h1", b -> b)))).isEqualTo(Mqtt5ConnAckReasonCode.SUCCESS);
        assertThat(clients.connack("h2", "anyone", token(new MACSigner(new byte[48]), JWSAlgorithm.HS256, null,
                claims("h2", b -> b)))).as("another secret: no opinion").isEqualTo(Mqtt5ConnAckReasonCode.NOT_AUTHORIZED);
        assertThat(clients.connack("h3", "anyone", "hunter2")).as("not a token: no opinion")
                .isEqualTo(Mqtt5ConnAckReasonCode.NOT_AUTHORIZED);
        long now = System.currentTimeMillis();
        assertThat(clients.connack("h4", "anyone", hmac(claims("h4", b -> b.expirationTime(new Date(now - 1000))))))
                .as("expired").isEqualTo(Mqtt5ConnAckReasonCode.BAD_USER_NAME_OR_PASSWORD);
        assertThat(clients.connack("h5", "anyone", hmac(claims("h5", b -> b.notBeforeTime(new Date(now + 600_000))))))
                .as("not valid yet").isEqualTo(Mqtt5ConnAckReasonCode.BAD_USER_NAME_OR_PASSWORD);
        assertThat(clients.connack("h6", "anyone", hmac(claims("someone-else", b -> b)))).as("sub is not ${clientid}")
                .isEqualTo(Mqtt5ConnAckReasonCode.BAD_USER_NAME_OR_PASSWORD);
        assertThat(clients.connack("h7", "anyone", hmac(claims("h7", b -> b.audience("web")))))
                .as("aud is not mqtt").isEqualTo(Mqtt5ConnAckReasonCode.BAD_USER_NAME_OR_PASSWORD);
        assertThat(clients.connack("h9", "anyone", hmac(claims("h9", b -> b.issuer("https://elsewhere.test")))))
                .as("iss is not the issuer").isEqualTo(Mqtt5ConnAckReasonCode.BAD_USER_NAME_OR_PASSWORD);
        assertThat(clients.connack("h10", "anyone", hmac(claims("h10", b -> b.issuer(null)))))
                .as("no iss").isEqualTo(Mqtt5ConnAckReasonCode.BAD_USER_NAME_OR_PASSWORD);
        assertThat(clients.connack("h8", "anyone", null)).as("no token").isEqualTo(Mqtt5ConnAckReasonCode.NOT_AUTHORIZED);
    }

    @Test
    void superuserAndAclFromClaims() throws Exception {
        Mqtt5BlockingClient ruled = clients.hive("acl1", "u", hmac(claims("acl1", b -> b.claim("acl", List.of(
                Map.of("permission", "allow", "action", "subscribe", "topic", "in/${clientid}/#"),
                Map.of("permission", "allow", "action", "publish", "topic", "out/#", "retain", false),
                Map.of("permission", "deny", "action", "all", "topic", "#"))))));
        assertThat(AuthHttpIT.subscribe(ruled, "in/acl1/+")).isEqualTo(Mqtt5SubAckReasonCode.GRANTED_QOS_0);
        assertThat(AuthHttpIT.subscribe(ruled, "in/other/+")).isEqualTo(Mqtt5SubAckReasonCode.NOT_AUTHORIZED);
        assertThat(AuthHttpIT.publish(ruled, "out/x", MqttQos.AT_LEAST_ONCE)).isNull();
        assertThat(AuthHttpIT.publish(ruled, "elsewhere", MqttQos.AT_LEAST_ONCE))
                .isEqualTo(Mqtt5PubAckReasonCode.NOT_AUTHORIZED);

        Mqtt5BlockingClient root = clients.hive("su1", "u", hmac(claims("su1", b -> b.claim("is_superuser", true)
                .claim("acl", List.of(Map.of("permission", "deny", "action", "all", "topic", "#"))))));
        assertThat(AuthHttpIT.subscribe(root, "in/other/+")).as("a superuser's rules are not asked")
                .isEqualTo(Mqtt5SubAckReasonCode.GRANTED_QOS_0);
        assertThat(AuthHttpIT.publish(root, "elsewhere", MqttQos.AT_LEAST_ONCE)).isNull();

        assertThat(clients.connack("bad-acl", "u", hmac(claims("bad-acl", b -> b.claim("acl", "all")))))
                .isEqualTo(Mqtt5ConnAckReasonCode.BAD_USER_NAME_OR_PASSWORD);
    }

    @Test
    void aClientIsDisconnectedWhenItsTokenExpires() throws Exception {
        long exp = System.currentTimeMillis() + 5000;
        Mqtt5BlockingClient c = clients.hive("exp1", "u", hmac(claims("exp1", b -> b.expirationTime(new Date(exp)))));
        assertThat(c.getState().isConnected()).isTrue();
        await().atMost(Duration.ofSeconds(20)).until(() -> !c.getState().isConnected());
    }

    @Test
    void rsaWithAPublicKeyFileAndTheTokenInTheUserName() throws Exception {
        MastBrokerExtension b = AuthBrokers.create().plugin(JwtAuthPlugin.class, Map.of(
                "public_key", PUBLIC_KEY.toString(), "from", "username"));
        b.restart();
        try {
            V5Clients c = new V5Clients(b);
            String good = token(new RSASSASigner(RSA.getPrivate()), JWSAlgorithm.RS256, null, claims("r1", x -> x));
            assertThat(c.connack("r1", good, null)).isEqualTo(Mqtt5ConnAckReasonCode.SUCCESS);
            String other = token(new RSASSASigner(rsa().getPrivate()), JWSAlgorithm.RS256, null, claims("r2", x -> x));
            assertThat(c.connack("r2", other, null)).as("another key").isEqualTo(Mqtt5ConnAckReasonCode.NOT_AUTHORIZED);
            // The public key's own bytes as an HMAC secret: the algorithm confusion attack finds no key.
            String confused = token(new MACSigner(Files.readAllBytes(PUBLIC_KEY)), JWSAlgorithm.HS256, null,
                    claims("r3", x -> x));
            assertThat(c.connack("r3", confused, null)).isEqualTo(Mqtt5ConnAckReasonCode.NOT_AUTHORIZED);
        } finally {
            b.stop();
        }
    }

    @Test
    void ecWithAPublicKeyFile() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair ec = g.generateKeyPair();
        MastBrokerExtension b = AuthBrokers.create().plugin(JwtAuthPlugin.class, Map.of(
                "public_key", pem(DIR.resolve("jwt-ec-public.pem"), ec).toString()));
        b.restart();
        try {
            V5Clients c = new V5Clients(b);
            String good = token(new ECDSASigner((ECPrivateKey) ec.getPrivate()), JWSAlgorithm.ES256, null,
                    claims("ec1", x -> x));
            assertThat(c.connack("ec1", "u", good)).isEqualTo(Mqtt5ConnAckReasonCode.SUCCESS);
            String other = token(new ECDSASigner((ECPrivateKey) g.generateKeyPair().getPrivate()), JWSAlgorithm.ES256,
                    null, claims("ec2", x -> x));
            assertThat(c.connack("ec2", "u", other)).as("another key").isEqualTo(Mqtt5ConnAckReasonCode.NOT_AUTHORIZED);
            String expired = token(new ECDSASigner((ECPrivateKey) ec.getPrivate()), JWSAlgorithm.ES256, null,
                    claims("ec3", x -> x.expirationTime(new Date(System.currentTimeMillis() - 60_000))));
            assertThat(c.connack("ec3", "u", expired)).isEqualTo(Mqtt5ConnAckReasonCode.BAD_USER_NAME_OR_PASSWORD);
        } finally {
            b.stop();
        }
    }

    @Test
    void ecKeysFromAJwksDocumentRefreshedOnASchedule() throws Exception {
        ECKey k1 = new ECKeyGenerator(Curve.P_256).keyID("k1").generate();
        ECKey k2 = new ECKeyGenerator(Curve.P_256).keyID("k2").generate();
        AtomicReference<String> document = new AtomicReference<>(new JWKSet(k1.toPublicJWK()).toString());
        AuthService jwks = AuthService.start(r -> new AuthService.Reply(200, "application/json", document.get()));
        MastBrokerExtension b = AuthBrokers.create().plugin(JwtAuthPlugin.class, Map.of(
                "jwks_url", jwks.base() + "/.well-known/jwks.json", "jwks_refresh_interval", "1s"));
        b.restart();
        try {
            V5Clients c = new V5Clients(b);
            assertThat(c.connack("e1", "u", token(new ECDSASigner(k1), JWSAlgorithm.ES256, "k1", claims("e1", x -> x))))
                    .isEqualTo(Mqtt5ConnAckReasonCode.SUCCESS);
            String second = token(new ECDSASigner(k2), JWSAlgorithm.ES256, "k2", claims("e2", x -> x));
            assertThat(c.connack("e2", "u", second)).as("k2 is not published yet")
                    .isEqualTo(Mqtt5ConnAckReasonCode.NOT_AUTHORIZED);
            document.set(new JWKSet(List.of(k1.toPublicJWK(), k2.toPublicJWK())).toString());
            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(250))
                    .until(() -> c.connack("e2", "u", second) == Mqtt5ConnAckReasonCode.SUCCESS);
            assertThat(PluginTesting.pluginMetric(b, JwtAuthPlugin.class, "jwks.refreshes")).isGreaterThanOrEqualTo(2);
            assertThat(jwks.requests.get(0).uri()).isEqualTo("/.well-known/jwks.json");
        } finally {
            b.stop();
            jwks.close();
        }
    }

    @Test
    void aJwksServiceThatCannotBeReachedIsAFailure() throws Exception {
        AuthService gone = AuthService.start(r -> new AuthService.Reply(500, "text/plain", "down"));
        MastBrokerExtension b = AuthBrokers.create().plugin(JwtAuthPlugin.class, Map.of(
                "jwks_url", gone.base() + "/jwks", "jwks_refresh_interval", "1h"));
        b.restart();
        try {
            ECKey k = new ECKeyGenerator(Curve.P_256).keyID("k").generate();
            assertThat(new V5Clients(b).connack("g1", "u", token(new ECDSASigner(k), JWSAlgorithm.ES256, "k",
                    claims("g1", x -> x)))).as("failed_action deny").isEqualTo(Mqtt5ConnAckReasonCode.SERVER_UNAVAILABLE);
            assertThat(PluginTesting.pluginMetric(b, JwtAuthPlugin.class, "jwks.failures")).isEqualTo(1);
        } finally {
            b.stop();
            gone.close();
        }
    }
}
