package io.mast.broker;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** The version of this build of Mast, written into {@code version.properties} by the build (Maven resource filtering). */
public final class MastVersion {

    private static final String VERSION = load();

    private MastVersion() {
    }

    /** The project version of this build, for example {@code 0.1.0} or {@code 0.2.0-SNAPSHOT}. */
    public static String get() {
        return VERSION;
    }

    private static String load() {
        try (InputStream in = MastVersion.class.getResourceAsStream("version.properties")) {
            if (in == null) {
                throw new IllegalStateException("io/mast/broker/version.properties is missing from the class path: "
                        + "the build writes it; run ./mvnw package");
            }
            Properties p = new Properties();
            p.load(in);
            String v = p.getProperty("version");
            if (v == null || v.isBlank() || v.startsWith("${")) {
                throw new IllegalStateException("io/mast/broker/version.properties was not filtered by the build: " + v);
            }
            return v.trim();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
