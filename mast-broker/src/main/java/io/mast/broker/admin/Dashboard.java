package io.mast.broker.admin;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * The dashboard's files (index.html, app.js, app.css), shipped in the broker's jar and served by the admin listener
 * at {@code /} and {@code /dashboard/...}. They are not secret: the data they show comes from the API, with the token.
 */
final class Dashboard {

    /** A file to serve. */
    record Asset(String contentType, byte[] bytes) {
    }

    private static final Map<String, Asset> ASSETS = Map.of(
            "/", load("index.html", "text/html; charset=utf-8"),
            "/dashboard/", load("index.html", "text/html; charset=utf-8"),
            "/dashboard/app.js", load("app.js", "text/javascript; charset=utf-8"),
            "/dashboard/app.css", load("app.css", "text/css; charset=utf-8"));

    /** Only this page's own files and the API: no inline script, nothing from elsewhere. */
    static final String CONTENT_SECURITY_POLICY = "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'";

    private Dashboard() {
    }

    /** The file at a path, or {@code null}. */
    static Asset get(String path) {
        return ASSETS.get(path);
    }

    private static Asset load(String name, String contentType) {
        try (InputStream in = Dashboard.class.getResourceAsStream("dashboard/" + name)) {
            if (in == null) {
                throw new IllegalStateException("the dashboard file " + name + " is missing from the jar");
            }
            return new Asset(contentType, in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
