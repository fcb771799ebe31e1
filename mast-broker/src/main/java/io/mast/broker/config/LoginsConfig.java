package io.mast.broker.config;

import java.time.Duration;

/**
 * How logins are kept fast for everyone under a flood. The authentication of CONNECT (password hashing, plugin and
 * hook decisions) runs at most {@code maxConcurrent} at a time, taken in turn from each source address's queue, so a
 * flood from one address waits behind its own logins only; and an address or client identifier with too many failed
 * logins is banned for a while (as EMQX's flapping detection does).
 *
 * @param maxConcurrent          authentications under way at once (default 16)
 * @param maxPendingPerAddress   authentications waiting from one source address; a CONNECT beyond is refused at once
 *                               with 0x89 Server busy (3.1.1: return code 3) (default 4096, so that a connection
 *                               storm from one address, behind NAT or a load balancer, waits rather than is refused)
 * @param banAfterFailures       failed logins from one address, or for one client identifier, within
 *                               {@code failureWindow} that ban it (default 10; 0 never bans)
 * @param failureWindow          the window in which failures are counted (default 60s)
 * @param banTime                how long a ban lasts: CONNECTs from a banned address or with a banned client
 *                               identifier are refused with 0x8A Banned (3.1.1: return code 5) without
 *                               authentication (default 5m)
 */
public record LoginsConfig(Integer maxConcurrent, Integer maxPendingPerAddress, Integer banAfterFailures,
                           Duration failureWindow, Duration banTime) {

    public LoginsConfig {
        maxConcurrent = Check.range("max_concurrent", maxConcurrent, 16, 1, 65535);
        maxPendingPerAddress = Check.range("max_pending_per_address", maxPendingPerAddress, 4096, 1, 1_000_000);
        banAfterFailures = Check.range("ban_after_failures", banAfterFailures, 10, 0, 1_000_000);
        failureWindow = Check.positive("failure_window", failureWindow, Duration.ofSeconds(60));
        banTime = Check.positive("ban_time", banTime, Duration.ofMinutes(5));
    }

    /** All defaults. */
    public static LoginsConfig defaults() {
        return new LoginsConfig(null, null, null, null, null);
    }
}
