package io.emqx.extension.handler.codec;

/** One MQTT 5.0 property (or user property) of a CONNECT, CONNACK or SUBSCRIBE: a name and its value as text. */
public class Property implements HandlerParameter {

    public final String key;
    public final String value;

    public Property(String key, String value) {
        this.key = key;
        this.value = value;
    }

    @Override
    public String toString() {
        return "Property (key=" + key + ", value=" + value + ")";
    }
}
