package io.mast.broker.config;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * The admin API: HTTP with JSON bodies, for {@code mast ctl} and for programs (status, metrics, plugins, and what
 * plugins serve, such as the ExHook servers). Off unless the config has an {@code admin:} section.
 *
 * @param enable {@code false} keeps the section without serving it (default {@code true} once the section is there)
 * @param bind   the address to listen on (default 127.0.0.1)
 * @param port   the port (default 18083, EMQX's dashboard port; 0 picks a free one)
 * @param token  when set, every request must carry {@code Authorization: Bearer <token>}; required when
 *               {@code bind} is not a loopback address
 */
public record AdminConfig(Boolean enable, String bind, Integer port, String token) {

    /** The default port. */
    public static final int DEFAULT_PORT = 18083;

    public AdminConfig {
        enable = enable == null || enable;
        bind = Check.nonEmpty("bind", bind, "127.0.0.1");
        port = Check.range("port", port, DEFAULT_PORT, 0, 65535);
        if (token != null && token.isBlank()) {
            throw new IllegalArgumentException("token: expected a non-empty string or no token key");
        }
        if (enable && token == null && !loopback(bind)) {
            throw new IllegalArgumentException("token: required when bind (" + bind
                    + ") is not a loopback address, or anyone who reaches it could manage the broker");
        }
    }

    /** The admin API off (no {@code admin:} section). */
    public static AdminConfig off() {
        return new AdminConfig(false, null, null, null);
    }

    private static boolean loopback(String host) {
        if (host.equalsIgnoreCase("localhost")) {
            return true;
        }
        try {
            // a literal address is parsed without a lookup; a host name is resolved as the listener would
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("bind: cannot resolve " + host);
        }
    }
}
