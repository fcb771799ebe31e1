package io.mast.cli;

import io.mast.client.MqttMessage;
import io.mast.codec.MqttProperties;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * {@code mast sub -F}: mosquitto_sub's output format, checked when the command starts (an unknown code is a usage
 * error, as in mosquitto_sub). {@code %} codes: {@code t} topic, {@code p} payload, {@code x}/{@code X} payload in
 * hex, {@code l} payload length, {@code q} QoS, {@code r} retain flag, {@code m} packet identifier, {@code j} JSON of the
 * message, {@code J} the same with the payload as JSON, {@code I} ISO 8601 time, {@code U} Unix time with nanoseconds,
 * {@code %}; MQTT 5.0 properties {@code A} topic alias, {@code C} content type, {@code D} correlation data,
 * {@code E} message expiry interval, {@code F} payload format indicator, {@code P} user properties ({@code key:value}
 * separated by spaces), {@code R} response topic, {@code S} subscription identifier. Width, {@code -} (align left),
 * {@code 0} (pad numbers with zeros) and {@code .precision} (cut strings) as in printf: {@code %-10t}, {@code %05l}.
 * {@code @} codes are strftime's ({@code @Y-@m-@dT@H:@M:@S}, {@code @N} nanoseconds, {@code @@}); escapes
 * {@code \n \t \\ \0 \a \e}.
 */
final class Formatter {

    private static final DateTimeFormatter ISO = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssxx", Locale.ROOT);

    /** One piece of the format. */
    private sealed interface Part permits Literal, Field, Time {
    }

    private record Literal(byte[] bytes) implements Part {
    }

    private record Field(char code, boolean left, boolean zeros, int width, int precision) implements Part {
    }

    private record Time(char code) implements Part {
    }

    private final List<Part> parts;
    private final boolean pretty;

    private Formatter(List<Part> parts, boolean pretty) {
        this.parts = parts;
        this.pretty = pretty;
    }

    /**
     * Reads a format.
     *
     * @param pretty {@code --pretty}: {@code %j} and {@code %J} spread over lines
     * @throws UsageException with mosquitto_sub's words for an unknown or incomplete code
     */
    static Formatter parse(String format, boolean pretty) {
        List<Part> parts = new ArrayList<>();
        ByteArrayOutputStream literal = new ByteArrayOutputStream();
        Consumer<Part> add = p -> {
            if (literal.size() > 0) {
                parts.add(new Literal(literal.toByteArray()));
                literal.reset();
            }
            parts.add(p);
        };
        int n = format.length();
        for (int i = 0; i < n; i++) {
            char c = format.charAt(i);
            if (c == '%') {
                int j = i + 1;
                boolean left = false;
                boolean zeros = false;
                while (j < n && (format.charAt(j) == '-' || format.charAt(j) == '0')) {
                    left |= format.charAt(j) == '-';
                    zeros |= format.charAt(j) == '0';
                    j++;
                }
                int width = 0;
                while (j < n && Character.isDigit(format.charAt(j))) {
                    width = Math.min(10_000, width * 10 + format.charAt(j++) - '0');
                }
                int precision = -1;
                if (j < n && format.charAt(j) == '.') {
                    precision = 0;
                    j++;
                    while (j < n && Character.isDigit(format.charAt(j))) {
                        precision = Math.min(10_000, precision * 10 + format.charAt(j++) - '0');
                    }
                }
                if (j >= n) {
                    throw new UsageException("Incomplete format specifier.");
                }
                char code = format.charAt(j);
                if (code == '%') {
                    literal.write('%');
                } else if ("ACDEFIjJlmpPqrRStUxX".indexOf(code) >= 0) {
                    add.accept(new Field(code, left, zeros, width, precision));
                } else {
                    throw new UsageException("Invalid format specifier '" + code + "'.");
                }
                i = j;
            } else if (c == '@') {
                if (i + 1 >= n) {
                    throw new UsageException("Incomplete format specifier.");
                }
                char code = format.charAt(++i);
                if (code == '@') {
                    literal.write('@');
                } else {
                    add.accept(new Time(code));
                }
            } else if (c == '\\') {
                if (i + 1 >= n) {
                    throw new UsageException("Incomplete escape specifier.");
                }
                char e = format.charAt(++i);
                switch (e) {
                    case '\\' -> literal.write('\\');
                    case '0' -> literal.write(0);
                    case 'a' -> literal.write(0x07);
                    case 'e' -> literal.write(0x1B);
                    case 'n' -> literal.write('\n');
                    case 't' -> literal.write('\t');
                    default -> throw new UsageException("Invalid escape specifier '" + e + "'.");
                }
            } else {
                literal.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
            }
        }
        if (literal.size() > 0) {
            parts.add(new Literal(literal.toByteArray()));
        }
        return new Formatter(List.copyOf(parts), pretty);
    }

    /** Whether the format shows packet identifiers ({@code %m}, {@code %j}, {@code %J}). */
    boolean needsPacketId() {
        return parts.stream().anyMatch(p -> p instanceof Field f && "mjJ".indexOf(f.code()) >= 0);
    }

    /**
     * Formats a message.
     *
     * @param packetId its packet identifier (0 for QoS 0)
     * @param problems where a payload that {@code %J} cannot read as JSON is reported
     */
    byte[] format(MqttMessage m, int packetId, Consumer<String> problems) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ZonedDateTime now = ZonedDateTime.now();
        for (Part part : parts) {
            switch (part) {
                case Literal l -> out.writeBytes(l.bytes());
                case Time t -> text(out, Strftime.format(t.code(), now));
                case Field f -> field(out, f, m, packetId, now, problems);
            }
        }
        return out.toByteArray();
    }

    private void field(ByteArrayOutputStream out, Field f, MqttMessage m, int packetId, ZonedDateTime now,
                       Consumer<String> problems) {
        MqttProperties p = m.properties();
        switch (f.code()) {
            case 't' -> pad(out, f, m.topic().getBytes(StandardCharsets.UTF_8), false);
            case 'p' -> pad(out, f, m.payload(), false);
            case 'x' -> pad(out, f, HexFormat.of().formatHex(m.payload()).getBytes(StandardCharsets.US_ASCII), false);
            case 'X' -> pad(out, f, HexFormat.of().withUpperCase().formatHex(m.payload())
                    .getBytes(StandardCharsets.US_ASCII), false);
            case 'l' -> number(out, f, m.payload().length);
            case 'm' -> number(out, f, packetId);
            case 'q' -> text(out, Integer.toString(m.qos().level()));
            case 'r' -> text(out, m.retain() ? "1" : "0");
            case 'I' -> text(out, now.format(ISO));
            case 'U' -> {
                Instant i = now.toInstant();
                text(out, i.getEpochSecond() + "." + String.format(Locale.ROOT, "%09d", i.getNano()));
            }
            case 'A' -> optionalNumber(out, f, p.topicAlias());
            case 'C' -> optionalText(out, f, p.contentType());
            case 'D' -> pad(out, f, p.correlationData() == null ? new byte[0] : p.correlationData(), false);
            case 'E' -> optionalNumber(out, f, p.messageExpiryInterval());
            case 'F' -> optionalNumber(out, f, p.payloadFormatIndicator());
            case 'R' -> optionalText(out, f, p.responseTopic());
            case 'S' -> optionalNumber(out, f, p.subscriptionIdentifiers().isEmpty() ? null
                    : p.subscriptionIdentifiers().getFirst());
            case 'P' -> {
                StringBuilder sb = new StringBuilder();
                p.userProperties().forEach(u -> sb.append(sb.isEmpty() ? "" : " ").append(u.name()).append(':')
                        .append(u.value()));
                text(out, sb.toString());
            }
            case 'j', 'J' -> {
                String json = JsonMessage.write(m, packetId, now, f.code() == 'J', pretty);
                if (json == null) {
                    problems.accept("Error: Message payload is not valid JSON on topic " + m.topic() + ".");
                } else {
                    text(out, json);
                }
            }
            default -> throw new IllegalStateException("unchecked format code " + f.code());
        }
    }

    private static void optionalNumber(ByteArrayOutputStream out, Field f, Number n) {
        if (n == null) {
            pad(out, f, new byte[0], false);
        } else {
            number(out, f, n.longValue());
        }
    }

    private static void optionalText(ByteArrayOutputStream out, Field f, String s) {
        pad(out, f, s == null ? new byte[0] : s.getBytes(StandardCharsets.UTF_8), false);
    }

    private static void number(ByteArrayOutputStream out, Field f, long n) {
        pad(out, f, Long.toString(n).getBytes(StandardCharsets.US_ASCII), true);
    }

    private static void pad(ByteArrayOutputStream out, Field f, byte[] value, boolean numeric) {
        byte[] v = value;
        if (!numeric && f.precision() >= 0 && f.precision() < v.length) {
            v = java.util.Arrays.copyOf(v, f.precision());
        }
        int fill = Math.max(0, f.width() - v.length);
        if (f.left()) {
            out.writeBytes(v);
            out.writeBytes(" ".repeat(fill).getBytes(StandardCharsets.US_ASCII));
        } else if (numeric && f.zeros() && v.length > 0) {
            boolean negative = v[0] == '-';
            if (negative) {
                out.write('-');
            }
            out.writeBytes("0".repeat(fill).getBytes(StandardCharsets.US_ASCII));
            out.write(v, negative ? 1 : 0, v.length - (negative ? 1 : 0));
        } else {
            out.writeBytes(" ".repeat(fill).getBytes(StandardCharsets.US_ASCII));
            out.writeBytes(v);
        }
    }

    private static void text(ByteArrayOutputStream out, String s) {
        out.writeBytes(s.getBytes(StandardCharsets.UTF_8));
    }
}
