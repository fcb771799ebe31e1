package io.mast.plugin;

import java.net.InetSocketAddress;
import java.security.cert.X509Certificate;
import java.util.List;

/** What is known of a connected (or connecting) client. Immutable; safe to keep and share. */
public interface ClientInfo {

    String clientId();

    /** The user name, or {@code null} when the client sent none. */
    String username();

    /** True when the client sent no user name. */
    default boolean anonymous() {
        return username() == null;
    }

    /** 3 (MQTT 3.1), 4 (3.1.1) or 5 (5.0). */
    int protocolVersion();

    /** {@code MQTT} or {@code MQIsdp} (3.1). */
    default String protocolName() {
        return protocolVersion() == 3 ? "MQIsdp" : "MQTT";
    }

    /** The client's address. */
    InetSocketAddress remoteAddress();

    /** The broker port the client connected to. */
    int localPort();

    /** The name of the listener it connected through. */
    String listener();

    /** The keep-alive in force, in seconds. */
    int keepAlive();

    /** Clean Start (5.0) or Clean Session (3.1.1). */
    boolean cleanStart();

    /** When CONNECT was received, epoch milliseconds. */
    long connectedAt();

    /**
     * True when an auth plugin accepted the client as a superuser ({@link AuthDecision#allowSuperuser()}): the broker
     * then asks no {@link TopicPlugin} about its SUBSCRIBE, PUBLISH and RECEIVE (publish plugins are still called,
     * and nobody may publish to {@code $SYS/}). Decided once, when the client is accepted; always false while it is
     * being authenticated ({@link ConnectInfo}) and for clients of sessions restored from storage until they connect.
     */
    default boolean superuser() {
        return false;
    }

    /**
     * The Common Name (CN) of the client's TLS certificate, or {@code null} when the client presented none (or its
     * subject has no CN). A certificate is only ever presented on a listener that asks for one ({@code client_cert:
     * optional} or {@code required}), and only after the listener verified it against its {@code ca_file}, so the
     * name can be trusted as the client's identity.
     */
    default String certificateCommonName() {
        return null;
    }

    /**
     * The subject (distinguished name) of the client's TLS certificate in RFC 2253 form, most specific first
     * ({@code CN=device-1,OU=Sensors,O=Acme}), or {@code null} without a certificate.
     */
    default String certificateSubject() {
        return null;
    }

    /**
     * The Subject Alternative Names of the client's TLS certificate, in the certificate's order, each written as
     * type and value: {@code DNS:device-1.example.com}, {@code IP:10.0.0.7}, {@code email:ops@example.com},
     * {@code URI:spiffe://example.com/device/1}, {@code DirName:CN=...}, {@code RID:1.2.3.4} (other names are left
     * out). Empty without a certificate or when it has no such extension.
     */
    default List<String> certificateSans() {
        return List.of();
    }

    /**
     * The client's TLS certificate (the first of the chain it presented, already verified by the listener), for
     * what the names above do not cover (issuer, serial number, validity, extensions), or {@code null} without one.
     */
    default X509Certificate certificate() {
        return null;
    }
}
