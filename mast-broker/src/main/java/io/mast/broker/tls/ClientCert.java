package io.mast.broker.tls;

/** Whether clients of a TLS listener are asked for a certificate. */
public enum ClientCert {
    /** Clients are not asked for a certificate. */
    NONE,
    /** Clients may present a certificate; one they present must be valid (signed by {@code ca_file}). */
    OPTIONAL,
    /** Clients must present a valid certificate, or the TLS handshake fails. */
    REQUIRED
}
