package io.mast.exhook.sdk;

import java.util.List;
import java.util.Objects;

/**
 * The MQTT 5.0 properties of a packet (empty for MQTT 3.1.1 clients and with protocol v2): the standard ones and the
 * user properties, each in the order the client sent them.
 *
 * @param standard the standard properties other than user properties
 * @param user     the user properties; a name may repeat
 */
public record Properties(List<Property> standard, List<Property> user) {

    /** No properties. */
    public static final Properties NONE = new Properties(List.of(), List.of());

    /** Copies both lists. */
    public Properties {
        standard = List.copyOf(standard);
        user = List.copyOf(user);
    }

    /** The value of the first standard property with this name, or null. */
    public String get(String name) {
        return first(standard, name);
    }

    /** The value of the first user property with this name, or null. */
    public String userProperty(String name) {
        return first(user, name);
    }

    private static String first(List<Property> list, String name) {
        for (Property p : list) {
            if (Objects.equals(p.name(), name)) {
                return p.value();
            }
        }
        return null;
    }
}
