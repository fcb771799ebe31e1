package io.mast.auth.jwt;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.util.ArrayList;
import java.util.List;

/**
 * The keys a token's signature is checked with, for a token's header: an HMAC secret (HS256, HS384, HS512), a public
 * key (RS*, PS* for RSA; ES* for EC), or the keys of a JWKS document chosen by the header's {@code kid} (every
 * signing key of the right type when the token names none). A token signed with another algorithm family than the
 * key's ({@code none}, or HS256 with an RSA public key as secret) finds no key.
 */
final class Verifiers {

    private Verifiers() {
    }

    /** An HMAC secret's verifier. */
    static JWSVerifier hmac(byte[] secret) {
        try {
            return new MACVerifier(secret);
        } catch (JOSEException e) {
            throw new IllegalArgumentException("secret: " + e.getMessage()
                    + " (HMAC needs a secret of at least 32 bytes for HS256, 48 for HS384, 64 for HS512)", e);
        }
    }

    /** A public key's verifier. */
    static JWSVerifier publicKey(PublicKey key) {
        try {
            if (key instanceof RSAPublicKey rsa) {
                return new RSASSAVerifier(rsa);
            }
            if (key instanceof ECPublicKey ec) {
                return new ECDSAVerifier(ec);
            }
        } catch (JOSEException e) {
            throw new IllegalArgumentException("public_key: " + e.getMessage(), e);
        }
        throw new IllegalArgumentException("public_key must be an RSA or EC key, got " + key.getAlgorithm());
    }

    /** The verifiers that may have signed a token with this header, among these. */
    static List<JWSVerifier> forHeader(JWSHeader header, List<JWSVerifier> verifiers) {
        List<JWSVerifier> out = new ArrayList<>(1);
        for (JWSVerifier v : verifiers) {
            if (v.supportedJWSAlgorithms().contains(header.getAlgorithm())) {
                out.add(v);
            }
        }
        return out;
    }

    /** The verifiers of a JWKS document's signing keys that may have signed a token with this header. */
    static List<JWSVerifier> forHeader(JWSHeader header, JWKSet jwks) throws JOSEException {
        JWSAlgorithm alg = header.getAlgorithm();
        List<JWSVerifier> out = new ArrayList<>(1);
        for (JWK k : jwks.getKeys()) {
            if ((header.getKeyID() != null && !header.getKeyID().equals(k.getKeyID()))
                    || (k.getKeyUse() != null && k.getKeyUse() != KeyUse.SIGNATURE)
                    || (k.getAlgorithm() != null && !k.getAlgorithm().equals(alg))) {
                continue;
            }
            if (k instanceof RSAKey rsa && JWSAlgorithm.Family.RSA.contains(alg)) {
                out.add(new RSASSAVerifier(rsa));
            } else if (k instanceof ECKey ec && JWSAlgorithm.Family.EC.contains(alg)) {
                out.add(new ECDSAVerifier(ec));
            }
        }
        return out;
    }
}
