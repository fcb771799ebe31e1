package io.mast.broker.config;

/**
 * Who the broker is, as plugins, hook servers and the admin API tell it.
 *
 * @param name      the broker's name ({@code name:} in the config)
 * @param version   the version of the build
 * @param startedAt when the broker was created, epoch milliseconds
 */
public record BrokerIdentity(String name, String version, long startedAt) {
}
