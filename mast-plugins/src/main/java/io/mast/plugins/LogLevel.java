package io.mast.plugins;

import org.slf4j.Logger;

/** The level at which the logging plugins write: {@code info} or {@code debug}. */
public enum LogLevel {
    /** Seen with the default log configuration. */
    INFO,
    /** Seen only when the plugin's logger is set to DEBUG (e.g. {@code MAST_LOG_LEVEL=DEBUG}). */
    DEBUG;

    /** Logs a message with arguments at this level. */
    void log(Logger logger, String format, Object... args) {
        if (this == INFO) {
            logger.info(format, args);
        } else {
            logger.debug(format, args);
        }
    }
}
