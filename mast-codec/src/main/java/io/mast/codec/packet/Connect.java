package io.mast.codec.packet;

import io.mast.codec.MqttProperties;
import io.mast.codec.MqttVersion;
import io.mast.codec.PacketType;
import java.util.Arrays;
import java.util.Objects;

/**
 * CONNECT. The protocol name is implied by {@code version}.
 *
 * @param version    the protocol version the client asked for
 * @param cleanStart Clean Session (3.1.1) or Clean Start (5.0)
 * @param keepAlive  keep-alive in seconds, 0 = none
 * @param clientId   the client identifier, possibly empty
 * @param will       the will message, or {@code null}
 * @param username   the user name, or {@code null} when absent
 * @param password   the password, or {@code null} when absent (read-only)
 * @param properties MQTT 5.0 properties, {@link MqttProperties#EMPTY} for 3.1.1
 */
public record Connect(MqttVersion version, boolean cleanStart, int keepAlive, String clientId, Will will,
                      String username, byte[] password, MqttProperties properties) implements MqttPacket {

    public Connect {
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(properties, "properties");
    }

    @Override
    public PacketType type() {
        return PacketType.CONNECT;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Connect c && version == c.version && cleanStart == c.cleanStart
                && keepAlive == c.keepAlive && clientId.equals(c.clientId) && Objects.equals(will, c.will)
                && Objects.equals(username, c.username) && Arrays.equals(password, c.password)
                && properties.equals(c.properties);
    }

    @Override
    public int hashCode() {
        return Objects.hash(version, cleanStart, keepAlive, clientId, will, username, Arrays.hashCode(password), properties);
    }

    @Override
    public String toString() {
        return "Connect[version=" + version + ", cleanStart=" + cleanStart + ", keepAlive=" + keepAlive
                + ", clientId=" + clientId + ", will=" + will + ", username=" + username
                + ", password=" + (password == null ? "none" : "***") + ", properties=" + properties + "]";
    }
}
