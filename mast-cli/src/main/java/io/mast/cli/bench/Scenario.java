package io.mast.cli.bench;

import io.mast.codec.Qos;
import java.time.Duration;
import java.util.Locale;

/**
 * What one {@code mast bench} run does.
 *
 * @param mode            {@link Mode#CONN}, {@link Mode#PUB}, {@link Mode#SUB} or {@link Mode#PUBSUB}
 * @param topology        for {@link Mode#PUBSUB}: how publishers and subscribers pair up; {@code null} otherwise
 * @param publishers      publishing clients
 * @param subscribers     subscribing clients
 * @param connections     for {@link Mode#CONN}: idle connections to open
 * @param publishTopic    topic pattern of the publishers; {@code %i} is the publisher's index
 * @param subscribeTopic  topic filter pattern of the subscribers; {@code %i} is the subscriber's index
 * @param qos             QoS of the messages and the subscriptions
 * @param payloadSize     bytes per message, at least {@link Payload#HEADER}
 * @param rate            messages per second of each publisher, 0 for as fast as the broker takes them
 * @param connectRate     new connections per second, 0 for as fast as they are accepted
 * @param duration        how long to publish (or, for {@code sub} and {@code conn}, to stay); {@code null} for no
 *                        limit
 * @param count           messages per publisher (for {@code sub}: messages to receive in all), 0 for no limit
 * @param inflight        messages a publisher may have unfinished (unacknowledged, or not yet written at QoS 0)
 * @param drain           after publishing, how long at most to wait for the last messages to arrive
 * @param idPrefix        client identifiers are this prefix, a dash and the index (and {@code pub-}/{@code sub-} in
 *                        {@code pubsub})
 * @param firstIndex      the index of the first client ({@code %i} of the first one)
 * @param threads         I/O threads for all clients together
 */
public record Scenario(Mode mode, Topology topology, int publishers, int subscribers, int connections,
                       String publishTopic, String subscribeTopic, Qos qos, int payloadSize, double rate,
                       double connectRate, Duration duration, long count, int inflight, Duration drain,
                       String idPrefix, int firstIndex, int threads) {

    /** The scenario kinds, as emqtt-bench has them. */
    public enum Mode { CONN, PUB, SUB, PUBSUB }

    /** How {@code pubsub} pairs its clients. */
    public enum Topology {
        /** Publisher i to subscriber i, each pair on its own topic. */
        ONE_TO_ONE,
        /** Many publishers, each on its topic, to subscribers of all their topics. */
        FANIN,
        /** Publishers whose every message goes to every subscriber. */
        FANOUT;

        /** The name on the command line. */
        public String label() {
            return switch (this) {
                case ONE_TO_ONE -> "1to1";
                case FANIN -> "fanin";
                case FANOUT -> "fanout";
            };
        }

        /** Parses {@code 1to1} (or {@code one-to-one}), {@code fanin}, {@code fanout}. */
        public static Topology parse(String s) {
            return switch (s.toLowerCase(Locale.ROOT).replace("_", "-")) {
                case "1to1", "1-to-1", "one-to-one", "onetoone" -> ONE_TO_ONE;
                case "fanin", "fan-in" -> FANIN;
                case "fanout", "fan-out" -> FANOUT;
                default -> throw new IllegalArgumentException("unknown topology '" + s
                        + "': expected 1to1, fanin or fanout");
            };
        }
    }

    public Scenario {
        if (payloadSize < Payload.HEADER) {
            throw new IllegalArgumentException("the payload size must be at least " + Payload.HEADER
                    + " bytes: each message carries its send time and sequence number");
        }
        if (inflight < 1) {
            throw new IllegalArgumentException("the inflight window must be at least 1");
        }
        if (rate < 0 || connectRate < 0 || count < 0 || threads < 0) {
            throw new IllegalArgumentException("rates, counts and threads cannot be negative");
        }
    }

    /** The topic of a client: the pattern with {@code %i} replaced by the index. */
    public static String topic(String pattern, int index) {
        return pattern.replace("%i", Integer.toString(index));
    }

    /** True when every subscriber gets every publisher's messages (fan-in, fan-out); false for 1-to-1. */
    public boolean meshed() {
        return topology != Topology.ONE_TO_ONE;
    }

    /** One line saying what runs, for the summary. */
    public String describe() {
        String what = switch (mode) {
            case CONN -> connections + " connections" + (connectRate > 0 ? " at " + fmt(connectRate) + "/s" : "");
            case PUB -> publishers + " publishers on " + publishTopic;
            case SUB -> subscribers + " subscribers of " + subscribeTopic;
            case PUBSUB -> topology.label() + ", " + publishers + " publishers on " + publishTopic + ", " + subscribers
                    + " subscribers of " + subscribeTopic;
        };
        if (mode == Mode.CONN) {
            return "conn: " + what;
        }
        String pace = rate > 0 ? fmt(rate) + " msg/s per publisher" : "unlimited rate";
        return mode.name().toLowerCase(Locale.ROOT) + ": " + what + ", QoS " + qos.level()
                + (mode == Mode.SUB ? "" : ", " + payloadSize + " bytes, " + pace);
    }

    private static String fmt(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }
}
