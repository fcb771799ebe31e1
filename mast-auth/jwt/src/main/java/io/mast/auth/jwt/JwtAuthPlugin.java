package io.mast.auth.jwt;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.mast.auth.AclRules;
import io.mast.auth.ClientValues;
import io.mast.auth.Flags;
import io.mast.auth.GrantingAuthPlugin;
import io.mast.auth.HttpClients;
import io.mast.auth.Pem;
import io.mast.auth.TlsClient;
import io.mast.integration.Template;
import io.mast.plugin.ClientInfo;
import io.mast.plugin.AuthDecision;
import io.mast.plugin.BrokerContext;
import io.mast.plugin.ConnectInfo;
import io.mast.plugin.Default;
import io.mast.plugin.Reason;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.text.ParseException;
import java.time.Duration;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Logins by JSON Web Token, taken as EMQX's JWT authenticator takes them, so tokens issued for EMQX work unchanged.
 *
 * <pre>{@code
 * io.mast.auth.jwt.JwtAuthPlugin:
 *   from: password                      # or username
 *   jwks_url: https://idp.example.com/.well-known/jwks.json
 *   jwks_refresh_interval: 5m
 *   verify_claims: {iss: "https://idp.example.com", aud: mqtt, sub: "${clientid}"}
 * }</pre>
 *
 * <ul>
 *   <li>The key: {@code secret} (HMAC: HS256, HS384, HS512; {@code secret_base64_encoded} for a Base64 secret),
 *       {@code public_key} (RSA or EC, a PEM file or PEM text: RS*, PS*, ES*), or {@code jwks_url} (the document's
 *       signing keys, by the token's {@code kid}); exactly one of them.</li>
 *   <li>No token, or a text that is not a signed JWT, or a signature no key verifies: no opinion (abstain), so a
 *       password plugin later in the chain may know the client.</li>
 *   <li>A valid signature, then: {@code exp} must be in the future and {@code nbf} not, when present; every claim of
 *       {@code verify_claims} must be present and equal its value ({@code ${clientid}}, {@code ${username}} ... are
 *       the client's; {@code aud} may be a list that contains it). Otherwise refused with 0x86.</li>
 *   <li>Accepted: as a superuser when the {@code is_superuser} claim is true; with the ACL rules of the
 *       {@code acl} claim (EMQX's formats, see {@link io.mast.auth.AclRule}) deciding its SUBSCRIBE and PUBLISH; and,
 *       with {@code disconnect_after_expire} (default), disconnected when {@code exp} passes.</li>
 *   <li>A JWKS document that could not be fetched yet: a failure, decided by {@code failed_action}.</li>
 * </ul>
 */
public final class JwtAuthPlugin extends GrantingAuthPlugin {

    /** Where the token is. */
    public enum From { PASSWORD, USERNAME }

    private static final Template.Variables<ClientInfo> CLAIM_VALUES = ClientValues.variables(ClientValues.CLIENT,
            v -> v, null);
    private static final AuthDecision EXPIRED = refuse("the token has expired");
    private static final AuthDecision NOT_YET = refuse("the token is not valid yet");

    /**
     * Options.
     *
     * @param from                  {@code password} (default) or {@code username}
     * @param secret                the HMAC secret
     * @param secretBase64Encoded   whether {@code secret} is Base64
     * @param publicKey             a PEM public key or certificate: a file, or the PEM text itself
     * @param jwksUrl               the URL of a JWKS document
     * @param jwksRefreshInterval   how often the JWKS document is fetched again
     * @param requestTimeout        how long fetching it may take
     * @param tls                   TLS for an {@code https} JWKS URL
     * @param verifyClaims          claims that must be present with these values (templates)
     * @param aclClaimName          the claim holding ACL rules
     * @param disconnectAfterExpire whether the client is disconnected when its token expires
     */
    public record Config(@Default("password") From from, Optional<String> secret,
                         @Default("false") boolean secretBase64Encoded, Optional<String> publicKey,
                         Optional<String> jwksUrl, @Default("5m") Duration jwksRefreshInterval,
                         @Default("5s") Duration requestTimeout, Optional<TlsClient> tls,
                         Map<String, String> verifyClaims, @Default("acl") String aclClaimName,
                         @Default("true") boolean disconnectAfterExpire) {
        public Config {
            verifyClaims = verifyClaims == null ? Map.of() : verifyClaims;
            int keys = (secret.isPresent() ? 1 : 0) + (publicKey.isPresent() ? 1 : 0) + (jwksUrl.isPresent() ? 1 : 0);
            if (keys != 1) {
                throw new IllegalArgumentException("give exactly one of secret, public_key and jwks_url, got " + keys);
            }
            if (jwksRefreshInterval.toMillis() < 1000) {
                throw new IllegalArgumentException("jwks_refresh_interval must be at least 1s");
            }
        }
    }

    private final Config config;
    private final List<JWSVerifier> verifiers;
    private final Jwks jwks;
    private final java.net.http.HttpClient client;
    private final Map<String, Template<ClientInfo>> claims = new LinkedHashMap<>();

    public JwtAuthPlugin(BrokerContext context) {
        super(context, "the token's " + context.config(Config.class).aclClaimName() + " claim");
        config = config(Config.class);
        config.verifyClaims().forEach((name, value) -> {
            try {
                claims.put(name, Template.compile(value, CLAIM_VALUES));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("verify_claims." + name + ": " + e.getMessage(), e);
            }
        });
        if (config.secret().isPresent()) {
            String s = config.secret().get();
            byte[] secret = config.secretBase64Encoded() ? base64(s) : s.getBytes(StandardCharsets.UTF_8);
            verifiers = List.of(Verifiers.hmac(secret));
            jwks = null;
            client = null;
        } else if (config.publicKey().isPresent()) {
            verifiers = List.of(Verifiers.publicKey(publicKey(config.publicKey().get())));
            jwks = null;
            client = null;
        } else {
            verifiers = List.of();
            client = HttpClients.create(config.tls().orElse(TlsClient.DEFAULT), config.requestTimeout());
            jwks = new Jwks(config.jwksUrl().get(), client, config.requestTimeout(), config.jwksRefreshInterval(),
                    context);
        }
    }

    private static byte[] base64(String s) {
        try {
            return Base64.getDecoder().decode(s);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("secret is not Base64 (secret_base64_encoded is true): "
                    + e.getMessage(), e);
        }
    }

    private static java.security.PublicKey publicKey(String value) {
        return value.contains("-----BEGIN") ? Pem.publicKey(value, "public_key") : Pem.publicKey(Path.of(value));
    }

    private static AuthDecision refuse(String why) {
        return AuthDecision.deny(Reason.BAD_USER_NAME_OR_PASSWORD, why);
    }

    @Override
    public AuthDecision authenticate(ConnectInfo connect) throws Exception {
        if (connect.authenticationMethod() != null) {
            return AuthDecision.abstain();
        }
        String token = config.from() == From.USERNAME ? connect.username()
                : connect.password() == null ? null : new String(connect.password(), StandardCharsets.UTF_8);
        if (token == null || token.isEmpty()) {
            return AuthDecision.abstain();
        }
        SignedJWT jwt;
        try {
            jwt = SignedJWT.parse(token);
        } catch (ParseException notAJwt) {
            return AuthDecision.abstain();
        }
        if (!verified(jwt)) {
            return AuthDecision.abstain();
        }
        JWTClaimsSet c;
        try {
            c = jwt.getJWTClaimsSet();
        } catch (ParseException e) {
            return refuse("the token's claims are not valid: " + e.getMessage());
        }
        long now = System.currentTimeMillis();
        Date exp = c.getExpirationTime();
        if (exp != null && exp.getTime() <= now) {
            return EXPIRED;
        }
        if (c.getNotBeforeTime() != null && c.getNotBeforeTime().getTime() > now) {
            return NOT_YET;
        }
        for (Map.Entry<String, Template<ClientInfo>> e : claims.entrySet()) {
            String expected = e.getValue().render(connect);
            if (!claimIs(c, e.getKey(), expected)) {
                return refuse("the token's " + e.getKey() + " claim is not " + expected);
            }
        }
        AclRules rules = AclRules.NONE;
        Object acl = c.getClaim(config.aclClaimName());
        if (acl != null) {
            try {
                rules = AclRules.parse(acl);
            } catch (IllegalArgumentException e) {
                return refuse("the token's " + config.aclClaimName() + " claim is not valid: " + e.getMessage());
            }
        }
        long expiresAt = config.disconnectAfterExpire() && exp != null ? exp.getTime() : 0;
        return accept(connect, Flags.truthy(c.getClaim("is_superuser")), rules, expiresAt);
    }

    /** True when one of the keys verifies the signature. */
    private boolean verified(SignedJWT jwt) throws JOSEException {
        List<JWSVerifier> candidates = jwks != null ? Verifiers.forHeader(jwt.getHeader(), jwks.keys())
                : Verifiers.forHeader(jwt.getHeader(), verifiers);
        for (JWSVerifier v : candidates) {
            if (jwt.verify(v)) {
                return true;
            }
        }
        return false;
    }

    /** A claim equals the value; {@code aud} may also be a list holding it. */
    private static boolean claimIs(JWTClaimsSet c, String name, String expected) {
        if (name.equals("aud")) {
            return c.getAudience() != null && c.getAudience().contains(expected);
        }
        Object v = c.getClaim(name);
        if (v instanceof Date d) {
            v = d.getTime() / 1000;
        }
        return v != null && String.valueOf(v).equals(expected);
    }

    @Override
    public void close() {
        super.close();
        if (jwks != null) {
            jwks.close();
        }
        if (client != null) {
            client.close();
        }
    }
}
