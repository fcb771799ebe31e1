package io.mast.auth;

import io.mast.integration.Template;
import io.mast.plugin.ClientInfo;
import io.mast.plugin.ConnectInfo;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

/**
 * The values of a client that templates ({@link Template}) may use, named as EMQX names them: {@code ${username}},
 * {@code ${clientid}},
 * {@code ${peerhost}}, {@code ${peerport}}, {@code ${cert_common_name}}, {@code ${cert_subject}}, {@code ${protocol}}
 * ({@code mqtt}), {@code ${proto_ver}} ({@code 3}, {@code 4}, {@code 5}) and, in a CONNECT only,
 * {@code ${password}}. A value the client does not have (no user name, no certificate) is {@code null}.
 */
public final class ClientValues {

    /** The names of a client's values, the password aside. */
    public static final Set<String> CLIENT = Set.of("username", "clientid", "peerhost", "peerport",
            "cert_common_name", "cert_subject", "protocol", "proto_ver");

    /** {@link #CLIENT} and {@code password}. */
    public static final Set<String> CONNECT = union(CLIENT, Set.of("password"));

    private ClientValues() {
    }

    /** Two sets of names as one. */
    public static Set<String> union(Set<String> a, Set<String> b) {
        java.util.HashSet<String> all = new java.util.HashSet<>(a);
        all.addAll(b);
        return Set.copyOf(all);
    }

    /**
     * The values of these names, in order ({@code null} for those the client does not have): what a source is asked
     * with, and so the key of its cached answer.
     */
    public static List<String> values(ClientInfo c, List<String> names) {
        String[] v = new String[names.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = value(c, names.get(i));
        }
        return Collections.unmodifiableList(Arrays.asList(v));
    }

    /**
     * The placeholders {@code names} for a template of a client ({@code Template.compile(text, variables(...))}).
     *
     * @param encode what each value goes through (URL or no escaping); a missing value is the empty string
     * @param used   where the names a template uses are added as it is compiled, or {@code null}
     */
    public static Template.Variables<ClientInfo> variables(Set<String> names, UnaryOperator<String> encode,
                                                           Collection<String> used) {
        String described = names.stream().sorted().collect(Collectors.joining(", "));
        return new Template.Variables<>() {
            @Override
            public Function<ClientInfo, String> resolver(String name) {
                if (!names.contains(name)) {
                    return null;
                }
                if (used != null) {
                    used.add(name);
                }
                return c -> {
                    String v = c == null ? null : value(c, name);
                    return encode.apply(v == null ? "" : v);
                };
            }

            @Override
            public String describe() {
                return described;
            }
        };
    }

    /** One value of a client, or {@code null}. */
    public static String value(ClientInfo c, String name) {
        InetSocketAddress a = c.remoteAddress();
        return switch (name) {
            case "username" -> c.username();
            case "clientid" -> c.clientId();
            case "peerhost" -> a == null || a.getAddress() == null ? null : a.getAddress().getHostAddress();
            case "peerport" -> a == null ? null : Integer.toString(a.getPort());
            case "cert_common_name" -> c.certificateCommonName();
            case "cert_subject" -> c.certificateSubject();
            case "protocol" -> "mqtt";
            case "proto_ver" -> Integer.toString(c.protocolVersion());
            case "password" -> c instanceof ConnectInfo ci && ci.password() != null
                    ? new String(ci.password(), StandardCharsets.UTF_8) : null;
            default -> null;
        };
    }
}
