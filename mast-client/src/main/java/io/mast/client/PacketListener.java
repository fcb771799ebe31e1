package io.mast.client;

import io.mast.codec.packet.MqttPacket;

/**
 * Sees every packet the client sends and receives, synchronously on the client's I/O thread and in order with
 * message delivery: for tracing (as {@code mast sub -d} does). Must be quick and must not throw. Packets are the
 * codec's records; a PUBLISH shows the topic as sent (empty when a topic alias stands for it).
 */
public interface PacketListener {

    default void sent(MqttPacket packet) {
    }

    default void received(MqttPacket packet) {
    }
}
