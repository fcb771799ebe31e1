package io.mast.broker.config;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code logging:} section: how much the broker logs, in which format and where. The {@code mast} command applies
 * it (with Logback); an embedding application keeps its own logging.
 *
 * @param level         the level of every logger not named in {@code loggers}: {@code error}, {@code warn},
 *                      {@code info}, {@code debug} or {@code trace} (default {@code $MAST_LOG_LEVEL}, else {@code info})
 * @param loggers       levels of single loggers (and the loggers below them), e.g. {@code io.mast.exhook: debug}
 * @param format        {@code text} (one line per event, default) or {@code json} (one JSON object per line, with the
 *                      message formatted)
 * @param file          a file to write to instead of standard error; rotated by size
 * @param maxFileSize   rotate the file when it reaches this size: bytes, or a number with {@code KB}, {@code MB},
 *                      {@code GB} (default {@code 10MB})
 * @param maxFiles      rotated files kept beside the current one, {@code mast.1.log} the newest: 1 to 20 (default 5)
 * @param console       also write to standard error when {@code file} is set (default {@code false})
 */
public record LoggingConfig(String level, Map<String, String> loggers, String format, String file, String maxFileSize,
                            Integer maxFiles, Boolean console) {

    private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*(|B|KB|MB|GB)", Pattern.CASE_INSENSITIVE);

    public LoggingConfig {
        level = level == null ? null : level("level", level);
        TreeMap<String, String> checked = new TreeMap<>();
        if (loggers != null) {
            loggers.forEach((name, l) -> checked.put(name, level("loggers." + name, l)));
        }
        loggers = Map.copyOf(checked);
        format = format == null ? "text" : format.toLowerCase(Locale.ROOT);
        if (!format.equals("text") && !format.equals("json")) {
            throw new IllegalArgumentException("format: expected text or json, got " + format);
        }
        if (file != null && file.isBlank()) {
            throw new IllegalArgumentException("file: expected a file path, or no file key for standard error");
        }
        maxFileSize = maxFileSize == null ? "10MB" : maxFileSize;
        if (bytes(maxFileSize) < 1024) {
            throw new IllegalArgumentException("max_file_size: expected a size of at least 1KB such as 10MB, got "
                    + maxFileSize);
        }
        maxFiles = Check.range("max_files", maxFiles, 5, 1, 20);
        console = console != null && console;
    }

    /** The defaults: text on standard error at the level of {@code $MAST_LOG_LEVEL} (else info). */
    public static LoggingConfig defaults() {
        return new LoggingConfig(null, null, null, null, null, null, null);
    }

    /** {@link #maxFileSize} in bytes. */
    public long maxFileBytes() {
        return bytes(maxFileSize);
    }

    /** Whether events are written as JSON. */
    public boolean json() {
        return format.equals("json");
    }

    private static String level(String key, String value) {
        String v = value == null ? "" : value.toLowerCase(Locale.ROOT);
        return switch (v) {
            case "error", "warn", "info", "debug", "trace", "off" -> v;
            default -> throw new IllegalArgumentException(key + ": expected one of error, warn, info, debug, trace, "
                    + "off, got " + value);
        };
    }

    private static long bytes(String size) {
        Matcher m = SIZE.matcher(size.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("max_file_size: expected a size such as 10MB, 512KB or 1GB, got " + size);
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2).toUpperCase(Locale.ROOT)) {
            case "KB" -> n * 1024;
            case "MB" -> n * 1024 * 1024;
            case "GB" -> n * 1024 * 1024 * 1024;
            default -> n;
        };
    }
}
