package io.mast.cli;

import io.mast.client.MqttMessage;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;

/**
 * {@code mast sub -F}: the subset of mosquitto_sub's output format that needs no date library:
 * {@code %t} topic, {@code %p} payload, {@code %x}/{@code %X} payload in hex, {@code %q} QoS, {@code %r} retain flag,
 * {@code %l} payload length, {@code %U} Unix time with fractions, {@code %I} ISO 8601 time, {@code %%};
 * escapes {@code \n}, {@code \t}, {@code \\}, {@code \e}.
 */
final class Formatter {

    private Formatter() {
    }

    static byte[] format(String format, MqttMessage m) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < format.length(); i++) {
            char c = format.charAt(i);
            if (c == '%' && i + 1 < format.length()) {
                char f = format.charAt(++i);
                switch (f) {
                    case 't' -> text(out, m.topic());
                    case 'p' -> out.writeBytes(m.payload());
                    case 'x' -> text(out, HexFormat.of().formatHex(m.payload()));
                    case 'X' -> text(out, HexFormat.of().withUpperCase().formatHex(m.payload()));
                    case 'q' -> text(out, Integer.toString(m.qos().level()));
                    case 'r' -> text(out, m.retain() ? "1" : "0");
                    case 'l' -> text(out, Integer.toString(m.payload().length));
                    case 'U' -> {
                        Instant now = Instant.now();
                        text(out, now.getEpochSecond() + "." + String.format("%09d", now.getNano()));
                    }
                    case 'I' -> text(out, OffsetDateTime.now(ZoneId.systemDefault())
                            .format(DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssxxx")));
                    case '%' -> out.write('%');
                    default -> {
                        out.write('%');
                        text(out, String.valueOf(f));
                    }
                }
            } else if (c == '\\' && i + 1 < format.length()) {
                char e = format.charAt(++i);
                switch (e) {
                    case 'n' -> out.write('\n');
                    case 't' -> out.write('\t');
                    case '\\' -> out.write('\\');
                    case 'e' -> out.write(0x1B);
                    default -> {
                        out.write('\\');
                        text(out, String.valueOf(e));
                    }
                }
            } else {
                text(out, String.valueOf(c));
            }
        }
        return out.toByteArray();
    }

    private static void text(ByteArrayOutputStream out, String s) {
        out.writeBytes(s.getBytes(StandardCharsets.UTF_8));
    }
}
