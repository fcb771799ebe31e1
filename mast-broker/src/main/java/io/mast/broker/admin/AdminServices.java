package io.mast.broker.admin;

import io.mast.broker.config.AdminConfig;
import io.mast.broker.config.BrokerIdentity;
import io.mast.broker.metrics.PrometheusExport;
import io.mast.broker.retain.RetainedMessages;
import io.mast.broker.session.SessionAdmin;
import io.mast.broker.session.SessionRegistry;
import io.mast.plugin.support.Metrics;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * What the admin API reads and changes: who the broker is, its counters, sessions, retained messages, the resources
 * plugins serve, the log levels, the loaded plugins and the readiness checks. Made once by the broker.
 *
 * @param connections connections open now
 * @param logLevels   the log levels, when the {@code mast} command gave them (or {@code null})
 * @param plugins     the loaded plugins' names, in config order
 * @param readiness   the checks of {@code /health/ready} by name, each true when it passes
 */
public record AdminServices(AdminConfig config, BrokerIdentity identity, AtomicInteger connections,
                            SessionRegistry registry, SessionAdmin sessions, RetainedMessages retained,
                            Metrics metricsRegistry, PrometheusExport prometheus, AdminResources resources,
                            Supplier<LogLevels> logLevels, Supplier<List<String>> plugins,
                            Supplier<Map<String, Boolean>> readiness) {
}
