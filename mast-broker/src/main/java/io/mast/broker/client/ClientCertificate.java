package io.mast.broker.client;

import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import javax.naming.InvalidNameException;
import javax.naming.NamingException;
import javax.naming.directory.Attribute;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.security.auth.x500.X500Principal;

/**
 * The certificate a client presented in the TLS handshake (and the listener verified), with the names plugins use.
 *
 * @param certificate the client's certificate, first of the chain it sent
 * @param commonName  the subject's Common Name, or {@code null} when it has none
 * @param subject     the subject in RFC 2253 form ({@code CN=device-1,O=Acme})
 * @param sans        the Subject Alternative Names as {@code type:value} ({@code DNS:}, {@code IP:}, {@code email:},
 *                    {@code URI:}, {@code DirName:}, {@code RID:})
 */
public record ClientCertificate(X509Certificate certificate, String commonName, String subject, List<String> sans) {

    public ClientCertificate {
        sans = List.copyOf(sans);
    }

    /** The names of a certificate. */
    public static ClientCertificate of(X509Certificate c) {
        String subject = c.getSubjectX500Principal().getName(X500Principal.RFC2253);
        return new ClientCertificate(c, commonName(subject), subject, sans(c));
    }

    /** The first CN of a subject (as OpenSSL, and so Mosquitto, take it), or null. */
    public static String commonName(String rfc2253) {
        try {
            for (Rdn rdn : new LdapName(rfc2253).getRdns()) {
                Attribute cn = rdn.toAttributes().get("CN");
                if (cn != null && cn.get() != null) {
                    Object v = cn.get();
                    return v instanceof String s ? s : null;
                }
            }
        } catch (InvalidNameException e) {
            return null;
        } catch (NamingException e) {
            return null;
        }
        return null;
    }

    private static List<String> sans(X509Certificate c) {
        Collection<List<?>> names;
        try {
            names = c.getSubjectAlternativeNames();
        } catch (CertificateParsingException e) {
            return List.of();
        }
        if (names == null) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (List<?> n : names) {
            if (n.size() < 2 || !(n.get(0) instanceof Integer type) || !(n.get(1) instanceof String value)) {
                continue; // otherName and the like come as DER bytes
            }
            String prefix = switch (type) {
                case 1 -> "email:";
                case 2 -> "DNS:";
                case 4 -> "DirName:";
                case 6 -> "URI:";
                case 7 -> "IP:";
                case 8 -> "RID:";
                default -> null;
            };
            if (prefix != null) {
                out.add(prefix + value);
            }
        }
        return out;
    }
}
