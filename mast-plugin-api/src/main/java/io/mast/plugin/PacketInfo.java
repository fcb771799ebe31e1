package io.mast.plugin;

/**
 * An MQTT packet as the packet events show it.
 *
 * @param type        the packet type: {@code CONNECT}, {@code PUBLISH}, ...
 * @param packetId    the packet identifier, 0 when the packet has none
 * @param description the packet's fields in readable form (passwords and payloads are not printed)
 */
public record PacketInfo(String type, int packetId, String description) {
}
