package io.mast.codec;

import java.util.Objects;

/** An MQTT 5.0 user property: a UTF-8 name and value pair. The same name may appear more than once. */
public record UserProperty(String name, String value) {
    public UserProperty {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "value");
    }
}
