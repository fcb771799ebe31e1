package io.mast.plugin;

import java.util.Objects;

/** An MQTT 5.0 user property: a name and value pair; a name may repeat. */
public record UserProperty(String name, String value) {
    public UserProperty {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "value");
    }
}
