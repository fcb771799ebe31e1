package io.mast.client;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * A broker address written as a URI: {@code mqtt://user:pass@host:port}, {@code mqtts://} for TLS, {@code ws://host:port/mqtt}
 * and {@code wss://} for WebSocket. {@code tcp://} and {@code ssl://} (Paho's spelling) are accepted too. The port
 * defaults to 1883, 8883, 80 and 443 by scheme.
 *
 * @param host      the host name or address
 * @param port      the port
 * @param tls       true for {@code mqtts}, {@code ssl} and {@code wss}
 * @param websocket true for {@code ws} and {@code wss}
 * @param path      the path without its leading slash, possibly empty: the WebSocket path, or (for the command
 *                  line's {@code --url}) a topic
 * @param username  the user name of the URI, or {@code null}
 * @param password  the password of the URI, or {@code null}
 */
public record ServerUri(String host, int port, boolean tls, boolean websocket, String path, String username,
                        String password) {

    /**
     * Parses a URI.
     *
     * @throws IllegalArgumentException naming what is wrong
     */
    public static ServerUri parse(String text) {
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("not a valid URI: " + text + " (" + e.getReason() + ")");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        boolean tls;
        boolean ws;
        int defaultPort;
        switch (scheme) {
            case "mqtt", "tcp" -> { tls = false; ws = false; defaultPort = 1883; }
            case "mqtts", "ssl", "tls" -> { tls = true; ws = false; defaultPort = 8883; }
            case "ws" -> { tls = false; ws = true; defaultPort = 80; }
            case "wss" -> { tls = true; ws = true; defaultPort = 443; }
            default -> throw new IllegalArgumentException("unsupported scheme in " + text
                    + ": expected mqtt://, mqtts://, ws:// or wss://");
        }
        String host = uri.getHost();
        if (host == null || host.isEmpty()) {
            throw new IllegalArgumentException("no host in " + text + " (expected e.g. mqtt://localhost:1883)");
        }
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        String user = null;
        String pass = null;
        String info = uri.getUserInfo();
        if (info != null) {
            int colon = info.indexOf(':');
            user = colon < 0 ? info : info.substring(0, colon);
            pass = colon < 0 ? null : info.substring(colon + 1);
        }
        String path = uri.getPath() == null ? "" : uri.getPath();
        if (path.startsWith("/")) {
            path = path.substring(1);
        }
        return new ServerUri(host, uri.getPort() < 0 ? defaultPort : uri.getPort(), tls, ws, path, user, pass);
    }
}
