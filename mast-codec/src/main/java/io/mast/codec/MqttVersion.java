package io.mast.codec;

/**
 * The MQTT protocol versions Mast speaks, with the protocol name and level sent in CONNECT.
 */
public enum MqttVersion {
    /** MQTT 3.1 (protocol name {@code MQIsdp}, level 3). */
    MQTT_3_1("MQIsdp", 3),
    /** MQTT 3.1.1 (protocol name {@code MQTT}, level 4). */
    MQTT_3_1_1("MQTT", 4),
    /** MQTT 5.0 (protocol name {@code MQTT}, level 5). */
    MQTT_5("MQTT", 5);

    private final String protocolName;
    private final int level;

    MqttVersion(String protocolName, int level) {
        this.protocolName = protocolName;
        this.level = level;
    }

    /** The protocol name carried in CONNECT. */
    public String protocolName() {
        return protocolName;
    }

    /** The protocol level byte carried in CONNECT. */
    public int level() {
        return level;
    }

    /** True for MQTT 5.0, the only version with properties and reason codes on every packet. */
    public boolean isV5() {
        return this == MQTT_5;
    }

    /**
     * The version for a protocol name and level, or {@code null} when the pair is not one of the three
     * this codec speaks (for example {@code MQTT} with level 3).
     */
    public static MqttVersion of(String protocolName, int level) {
        for (MqttVersion v : values()) {
            if (v.level == level && v.protocolName.equals(protocolName)) {
                return v;
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return switch (this) {
            case MQTT_3_1 -> "3.1";
            case MQTT_3_1_1 -> "3.1.1";
            case MQTT_5 -> "5.0";
        };
    }
}
