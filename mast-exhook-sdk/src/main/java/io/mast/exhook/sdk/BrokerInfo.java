package io.mast.exhook.sdk;

/**
 * The broker that loaded the hook server, given to {@link HookProvider#onProviderLoaded(BrokerInfo)}.
 *
 * @param version   the broker's version
 * @param sysdescr  the broker's description, e.g. {@code Mast}
 * @param uptime    milliseconds since the broker started
 * @param datetime  the broker's clock when it loaded the server, as it formats it
 */
public record BrokerInfo(String version, String sysdescr, long uptime, String datetime) {
}
