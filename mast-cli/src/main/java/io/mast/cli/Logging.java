package io.mast.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.rolling.FixedWindowRollingPolicy;
import ch.qos.logback.core.rolling.RollingFileAppender;
import ch.qos.logback.core.rolling.SizeBasedTriggeringPolicy;
import ch.qos.logback.core.util.FileSize;
import io.mast.broker.config.LoggingConfig;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.slf4j.LoggerFactory;

/**
 * Applies the config's {@code logging:} section to Logback: the levels, text or JSON, standard error or a file rotated
 * by size. Until it is applied, the {@code logback.xml} of the jar logs text to standard error.
 */
public final class Logging {

    /** The text layout on standard error (as before the config is read). */
    static final String CONSOLE_PATTERN = "%d{HH:mm:ss.SSS} %-5level %logger{0} - %msg%n";
    /** The text layout in a file: the date and the thread too. */
    static final String FILE_PATTERN = "%d{yyyy-MM-dd HH:mm:ss.SSS} %-5level [%thread] %logger{0} - %msg%n";

    private Logging() {
    }

    /** Replaces the logging set up so far by the config's. */
    public static void apply(LoggingConfig config) {
        LoggerContext ctx = context();
        ctx.reset();
        Logger root = ctx.getLogger(Logger.ROOT_LOGGER_NAME);
        if (config.file() == null || config.console()) {
            ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
            console.setTarget("System.err");
            start(ctx, console, "console", encoder(ctx, config.json(), CONSOLE_PATTERN));
            root.addAppender(console);
        }
        if (config.file() != null) {
            root.addAppender(file(ctx, config));
        }
        String level = config.level() != null ? config.level() : System.getenv().getOrDefault("MAST_LOG_LEVEL", "info");
        root.setLevel(Level.toLevel(level, Level.INFO));
        ctx.getLogger("io.netty").setLevel(Level.WARN);
        config.loggers().forEach((name, l) -> ctx.getLogger(name).setLevel(Level.toLevel(l)));
    }

    /** The levels set on loggers, by logger name ({@code ROOT} for the root), lower case. */
    public static Map<String, String> levels() {
        Map<String, String> out = new LinkedHashMap<>();
        for (Logger l : context().getLoggerList()) {
            if (l.getLevel() != null) {
                out.put(l.getName(), l.getLevel().toString().toLowerCase(Locale.ROOT));
            }
        }
        return out;
    }

    /**
     * Sets the level of a logger ({@code root} or {@code ROOT} for the root) while the broker runs; {@code null}
     * makes it inherit its parent's again (not for the root).
     */
    public static void level(String logger, String level) {
        String name = logger.equalsIgnoreCase(Logger.ROOT_LOGGER_NAME) ? Logger.ROOT_LOGGER_NAME : logger;
        Logger l = context().getLogger(name);
        if (level == null) {
            if (name.equals(Logger.ROOT_LOGGER_NAME)) {
                throw new IllegalArgumentException("the root logger needs a level");
            }
            l.setLevel(null);
        } else {
            l.setLevel(Level.toLevel(level, null));
        }
    }

    private static RollingFileAppender<ILoggingEvent> file(LoggerContext ctx, LoggingConfig config) {
        Path file = Path.of(config.file()).toAbsolutePath();
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String pattern = dot > 0 ? name.substring(0, dot) + ".%i" + name.substring(dot) : name + ".%i";
        RollingFileAppender<ILoggingEvent> appender = new RollingFileAppender<>();
        appender.setContext(ctx);
        appender.setFile(file.toString());
        FixedWindowRollingPolicy rolling = new FixedWindowRollingPolicy();
        rolling.setContext(ctx);
        rolling.setParent(appender);
        rolling.setFileNamePattern(file.resolveSibling(pattern).toString());
        rolling.setMinIndex(1);
        rolling.setMaxIndex(config.maxFiles());
        rolling.start();
        SizeBasedTriggeringPolicy<ILoggingEvent> trigger = new SizeBasedTriggeringPolicy<>();
        trigger.setContext(ctx);
        trigger.setMaxFileSize(new FileSize(config.maxFileBytes()));
        trigger.setCheckIncrement(ch.qos.logback.core.util.Duration.buildBySeconds(1)); // Logback's default is 60 s
        trigger.start();
        appender.setRollingPolicy(rolling);
        appender.setTriggeringPolicy(trigger);
        start(ctx, appender, "file", encoder(ctx, config.json(), FILE_PATTERN));
        return appender;
    }

    private static Encoder<ILoggingEvent> encoder(LoggerContext ctx, boolean json, String pattern) {
        if (json) {
            // One object per line: timestamp, level, thread, logger, the message with its arguments filled in, MDC,
            // key-value pairs and the exception.
            JsonEncoder e = new JsonEncoder();
            e.setContext(ctx);
            e.setWithSequenceNumber(false);
            e.setWithNanoseconds(false);
            e.setWithContext(false);
            e.setWithMessage(false);
            e.setWithArguments(false);
            e.setWithFormattedMessage(true);
            e.start();
            return e;
        }
        PatternLayoutEncoder e = new PatternLayoutEncoder();
        e.setContext(ctx);
        e.setPattern(pattern);
        e.start();
        return e;
    }

    private static void start(LoggerContext ctx, OutputStreamAppender<ILoggingEvent> appender, String name,
                              Encoder<ILoggingEvent> encoder) {
        appender.setContext(ctx);
        appender.setName(name);
        appender.setEncoder(encoder);
        appender.start();
    }

    private static LoggerContext context() {
        return (LoggerContext) LoggerFactory.getILoggerFactory();
    }
}
