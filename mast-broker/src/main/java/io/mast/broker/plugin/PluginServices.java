package io.mast.broker.plugin;

import io.mast.broker.admin.AdminResources;
import io.mast.broker.config.BrokerIdentity;
import io.mast.broker.events.BrokerEvents;
import io.mast.broker.publish.PublishService;
import io.mast.broker.retain.RetainedMessages;
import io.mast.broker.session.SessionAdmin;
import io.mast.broker.session.SessionRegistry;
import io.mast.plugin.support.Metrics;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * What plugins reach of the broker through their context: who it is, its counters, publishing, retained messages,
 * sessions, the admin API's resources and the readiness checks. Made once by the broker.
 *
 * @param readinessChecks the checks of {@code /health/ready}, by name; plugins add theirs
 */
public record PluginServices(BrokerIdentity identity, Metrics metricsRegistry, PublishService publisher,
                             RetainedMessages retained, SessionRegistry registry, SessionAdmin sessions,
                             AdminResources admin, Map<String, BooleanSupplier> readinessChecks,
                             Supplier<BrokerEvents> eventsSource) {

    /** Who listens to events now. */
    public BrokerEvents events() {
        return eventsSource.get();
    }
}
