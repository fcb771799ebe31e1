package io.mast.cli;

import io.mast.codec.MqttProperties;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * MQTT 5.0 properties given on the command line as Mosquitto's clients take them:
 * {@code -D <command> <property> <value>}, with two values (name and value) for {@code user-property}:
 * <pre>
 * -D connect session-expiry-interval 3600
 * -D publish user-property unit celsius
 * -D publish content-type text/plain
 * </pre>
 * Commands: {@code connect publish subscribe unsubscribe disconnect will}.
 */
final class V5Properties {

    /** Each property and the commands it may be given for. */
    private static final Map<String, Set<String>> ALLOWED = Map.ofEntries(
            Map.entry("payload-format-indicator", Set.of("publish", "will")),
            Map.entry("message-expiry-interval", Set.of("publish", "will")),
            Map.entry("content-type", Set.of("publish", "will")),
            Map.entry("response-topic", Set.of("publish", "will")),
            Map.entry("correlation-data", Set.of("publish", "will")),
            Map.entry("subscription-identifier", Set.of("subscribe")),
            Map.entry("session-expiry-interval", Set.of("connect", "disconnect")),
            Map.entry("request-problem-information", Set.of("connect")),
            Map.entry("request-response-information", Set.of("connect")),
            Map.entry("will-delay-interval", Set.of("will")),
            Map.entry("receive-maximum", Set.of("connect")),
            Map.entry("topic-alias-maximum", Set.of("connect")),
            Map.entry("maximum-packet-size", Set.of("connect")),
            Map.entry("reason-string", Set.of("disconnect")),
            Map.entry("user-property", Set.of("connect", "publish", "subscribe", "unsubscribe", "disconnect", "will")));

    static final Set<String> COMMANDS = Set.of("connect", "publish", "subscribe", "unsubscribe", "disconnect", "will",
            "auth");

    private final Map<String, MqttProperties.Builder> byCommand = new HashMap<>();

    /** How many values follow a property name. */
    static int valueCount(String property) {
        return "user-property".equals(property) ? 2 : 1;
    }

    /** True when no property was given. */
    boolean isEmpty() {
        return byCommand.isEmpty();
    }

    /** The properties given for a command (empty when none). */
    MqttProperties of(String command) {
        MqttProperties.Builder b = byCommand.get(command);
        return b == null ? MqttProperties.EMPTY : b.build();
    }

    /** Parses one {@code -D} (its values as picocli collected them). */
    void add(List<String> values) {
        String command = values.get(0);
        String name = values.get(1);
        if (!COMMANDS.contains(command)) {
            throw new UsageException("Invalid command " + command + " given in --property argument.");
        }
        Set<String> where = ALLOWED.get(name);
        if (where == null) {
            throw new UsageException("Invalid property name " + name + " in --property argument.");
        }
        if (!where.contains(command)) {
            throw new UsageException(name + " property not allowed for " + command + " in --property argument.");
        }
        if (values.size() != 2 + valueCount(name)) {
            throw new UsageException("-D " + command + " " + name + " needs " + (valueCount(name) == 2
                    ? "a name and a value" : "a value") + ".");
        }
        String v = values.get(2);
        MqttProperties.Builder b = byCommand.computeIfAbsent(command, c -> MqttProperties.builder());
        switch (name) {
            case "payload-format-indicator" -> b.payloadFormatIndicator(number(name, v, 1));
            case "message-expiry-interval" -> b.messageExpiryInterval(unsigned(name, v));
            case "content-type" -> b.contentType(v);
            case "response-topic" -> b.responseTopic(v);
            case "correlation-data" -> b.correlationData(v.getBytes(StandardCharsets.UTF_8));
            case "subscription-identifier" -> b.addSubscriptionIdentifier(range(name, v, 1, 268_435_455));
            case "session-expiry-interval" -> b.sessionExpiryInterval(unsigned(name, v));
            case "request-problem-information" -> b.requestProblemInformation(number(name, v, 1) == 1);
            case "request-response-information" -> b.requestResponseInformation(number(name, v, 1) == 1);
            case "will-delay-interval" -> b.willDelayInterval(unsigned(name, v));
            case "receive-maximum" -> b.receiveMaximum(range(name, v, 1, 65_535));
            case "topic-alias-maximum" -> b.topicAliasMaximum(number(name, v, 65_535));
            case "maximum-packet-size" -> b.maximumPacketSize((long) range(name, v, 1, Integer.MAX_VALUE));
            case "reason-string" -> b.reasonString(v);
            case "user-property" -> b.addUserProperty(v, values.get(3));
            default -> throw new UsageException("Invalid property name " + name + " in --property argument.");
        }
    }

    private static int number(String name, String v, int max) {
        return range(name, v, 0, max);
    }

    private static int range(String name, String v, int min, int max) {
        try {
            long n = Long.parseLong(v);
            if (n >= min && n <= max) {
                return (int) n;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw new UsageException("Invalid value " + v + " for " + name + ": expected an integer from " + min + " to "
                + max + ".");
    }

    private static long unsigned(String name, String v) {
        try {
            long n = Long.parseLong(v);
            if (n >= 0 && n <= 0xFFFF_FFFFL) {
                return n;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw new UsageException("Invalid value " + v + " for " + name + ": expected an integer from 0 to 4294967295.");
    }
}
