package io.mast.exhook;

import io.mast.plugin.support.Durations;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * One of EMQX 4.x's "drivers" ({@code exhook.drivers.python3} or {@code exhook.drivers.java}): hook code written for
 * EMQX 4.1/4.2's Python or Java extension SDK, which the broker runs as a hook server of its own (named after the
 * driver) with the SDK on its path, and supervises as it does a server's {@code command}.
 * <pre>{@code
 * exhook:
 *   drivers:
 *     python3:
 *       path: data/extension/hooks.py     # exhook.drivers.python3.path
 *       call_timeout: 5s                  # exhook.drivers.python3.call_timeout
 *       init_module: hooks                # exhook.drivers.python3.init_module
 * }</pre>
 *
 * @param enable        {@code false} keeps the driver configured but does not run it (default {@code true})
 * @param path          where the hook code is, relative to the broker's working directory (default
 *                      {@code data/extension}): a folder, or for Python a {@code .py} file, or several separated by
 *                      {@code :}; for Java, the folders' {@code .jar} and {@code .zip} files are on the class path too
 * @param initModule    the Python module with {@code init()} and {@code deinit()} (default: the file's name when
 *                      {@code path} is a {@code .py} file, else {@code main}), or the Java handler class (default
 *                      {@code Main})
 * @param callTimeout   how long one hook call may take (default {@code 5s}), the server's {@code request_timeout}
 * @param executable    the interpreter: default {@code /usr/bin/python3} when it exists, else {@code python3} on the
 *                      {@code PATH}; for Java, the broker's own {@code java}
 * @param failedAction  what a failed or timed-out call counts as in a decision: {@code ignore} (the default, as in
 *                      EMQX 4.x, where the decision stayed as it was) or {@code deny}
 * @param port          the 127.0.0.1 port the driver serves on (default 0: one the broker picks at startup)
 * @param startTimeout  how long the broker waits at startup for the driver to serve (default {@code 30s})
 * @param env           variables added to the broker's environment for the driver's process
 */
public record DriverConfig(Boolean enable, String path, String initModule, Duration callTimeout, String executable,
                           ServerConfig.FailedAction failedAction, Integer port, Duration startTimeout,
                           Map<String, String> env) {

    /**
     * The {@code exhook.drivers} section: at most one driver of each kind, each a hook server named after it.
     *
     * @param python3 EMQX 4.x's Python driver ({@code emqx_extension} SDK)
     * @param java    EMQX 4.x's Java driver ({@code io.emqx.extension} SDK, from {@code mast-exhook-sdk-emqx4})
     */
    public record Drivers(DriverConfig python3, DriverConfig java) {

        /** The configured drivers by name, in this order: python3, java. */
        public Map<String, DriverConfig> byName() {
            Map<String, DriverConfig> out = new LinkedHashMap<>();
            if (python3 != null) {
                out.put("python3", python3);
            }
            if (java != null) {
                out.put("java", java);
            }
            return out;
        }

        /** {@code drivers}, or no drivers for null. */
        static Drivers orNone(Drivers drivers) {
            return drivers == null ? new Drivers(null, null) : drivers;
        }

        /** Refuses server names that are a configured driver's; returns this. */
        Drivers checkNames(Set<String> serverNames) {
            for (String driver : byName().keySet()) {
                if (serverNames.contains(driver)) {
                    throw new IllegalArgumentException("servers: the name " + driver + " is the driver's "
                            + "(exhook.drivers." + driver + ")");
                }
            }
            return this;
        }
    }

    public DriverConfig {
        enable = enable == null || enable;
        path = path == null ? "data/extension" : path;
        if (path.isBlank()) {
            throw new IllegalArgumentException("path: expected a file or folder such as data/extension");
        }
        if (initModule != null && initModule.isBlank()) {
            throw new IllegalArgumentException("init_module: expected a module or class name");
        }
        callTimeout = callTimeout == null ? Duration.ofSeconds(5) : callTimeout;
        if (callTimeout.isZero() || callTimeout.isNegative() || Durations.isNever(callTimeout)) {
            throw new IllegalArgumentException("call_timeout: expected a positive duration such as 5s");
        }
        failedAction = failedAction == null ? ServerConfig.FailedAction.IGNORE : failedAction;
        port = port == null ? 0 : port;
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port: expected 0 (any free port) or a port up to 65535, got " + port);
        }
        startTimeout = startTimeout == null ? Duration.ofSeconds(30) : startTimeout;
        if (startTimeout.isZero() || startTimeout.isNegative()) {
            throw new IllegalArgumentException("start_timeout: expected a positive duration such as 30s");
        }
        env = env == null ? Map.of() : Map.copyOf(env);
    }
}
