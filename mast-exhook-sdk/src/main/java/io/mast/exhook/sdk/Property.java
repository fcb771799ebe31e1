package io.mast.exhook.sdk;

/**
 * One MQTT 5.0 property or user property, as a name and a value in text.
 *
 * @param name  the property's name, e.g. {@code session_expiry_interval}, or a user property's key
 * @param value its value
 */
public record Property(String name, String value) {
}
