package io.mast.cli;

import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.TextStyle;
import java.time.temporal.IsoFields;
import java.util.Locale;

/** The conversions of C's strftime in the C locale, for {@code mast sub -F}'s {@code @} codes ({@code @N}: nanoseconds). */
final class Strftime {

    private Strftime() {
    }

    static String format(char code, ZonedDateTime t) {
        return switch (code) {
            case 'a' -> t.getDayOfWeek().getDisplayName(TextStyle.SHORT, Locale.ROOT);
            case 'A' -> t.getDayOfWeek().getDisplayName(TextStyle.FULL, Locale.ROOT);
            case 'b', 'h' -> t.getMonth().getDisplayName(TextStyle.SHORT, Locale.ROOT);
            case 'B' -> t.getMonth().getDisplayName(TextStyle.FULL, Locale.ROOT);
            case 'c' -> format('a', t) + " " + format('b', t) + " " + format('e', t) + " " + format('T', t) + " "
                    + t.getYear();
            case 'C' -> two(t.getYear() / 100);
            case 'd' -> two(t.getDayOfMonth());
            case 'D' -> format('m', t) + "/" + format('d', t) + "/" + format('y', t);
            case 'e' -> space(t.getDayOfMonth());
            case 'F' -> t.getYear() + "-" + format('m', t) + "-" + format('d', t);
            case 'G' -> Integer.toString(t.get(IsoFields.WEEK_BASED_YEAR));
            case 'g' -> two(t.get(IsoFields.WEEK_BASED_YEAR) % 100);
            case 'H' -> two(t.getHour());
            case 'I' -> two(twelve(t.getHour()));
            case 'j' -> String.format(Locale.ROOT, "%03d", t.getDayOfYear());
            case 'k' -> space(t.getHour());
            case 'l' -> space(twelve(t.getHour()));
            case 'm' -> two(t.getMonthValue());
            case 'M' -> two(t.getMinute());
            case 'n' -> "\n";
            case 'N' -> String.format(Locale.ROOT, "%09d", t.getNano());
            case 'p' -> t.getHour() < 12 ? "AM" : "PM";
            case 'r' -> format('I', t) + ":" + format('M', t) + ":" + format('S', t) + " " + format('p', t);
            case 'R' -> format('H', t) + ":" + format('M', t);
            case 's' -> Long.toString(t.toEpochSecond());
            case 'S' -> two(t.getSecond());
            case 't' -> "\t";
            case 'T' -> format('H', t) + ":" + format('M', t) + ":" + format('S', t);
            case 'u' -> Integer.toString(t.getDayOfWeek().getValue());
            case 'V' -> two(t.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR));
            case 'w' -> Integer.toString(t.getDayOfWeek().getValue() % 7);
            case 'y' -> two(t.getYear() % 100);
            case 'Y' -> Integer.toString(t.getYear());
            case 'z' -> t.format(DateTimeFormatter.ofPattern("xx", Locale.ROOT));
            case 'Z' -> t.getZone().getDisplayName(TextStyle.SHORT, Locale.ROOT);
            case '%' -> "%";
            case 'U' -> two((t.getDayOfYear() + 6 - t.getDayOfWeek().getValue() % 7) / 7);
            case 'W' -> two((t.getDayOfYear() + 6 - (t.getDayOfWeek().getValue() + 6) % 7) / 7);
            case 'x' -> format('D', t);
            case 'X' -> format('T', t);
            default -> "@" + code;
        };
    }

    private static int twelve(int hour) {
        int h = hour % 12;
        return h == 0 ? 12 : h;
    }

    private static String two(int n) {
        return n < 10 ? "0" + n : Integer.toString(n);
    }

    private static String space(int n) {
        return n < 10 ? " " + n : Integer.toString(n);
    }
}
