package io.mast.broker.admin;

import java.util.Map;

/**
 * The levels of the log, changed while the broker runs ({@code /api/v1/log/levels}, {@code mast ctl log level}). The
 * broker logs through SLF4J only; the {@code mast} command gives it Logback's. Embedded without one, the resource
 * answers 501.
 */
public interface LogLevels {

    /** The levels set on loggers by logger name ({@code ROOT} for the root), in lower case. */
    Map<String, String> levels();

    /**
     * Sets the level of a logger ({@code ROOT} for the root): {@code error}, {@code warn}, {@code info},
     * {@code debug}, {@code trace}, {@code off}, or {@code null} to inherit its parent's again.
     *
     * @throws IllegalArgumentException for an unknown level, or {@code null} for the root
     */
    void level(String logger, String level);
}
