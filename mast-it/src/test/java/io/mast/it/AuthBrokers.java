package io.mast.it;

import io.mast.broker.config.BrokerConfig;
import io.mast.broker.config.LoginsConfig;
import io.mast.testkit.MastBrokerExtension;
import java.util.function.UnaryOperator;

/**
 * Brokers for the authentication sources' tests. Those tests refuse many logins from 127.0.0.1 on purpose (a wrong
 * password for every hash scheme, every kind of bad token), so the broker's ban after repeated failed logins
 * ({@code logins.ban_after_failures}, tested by {@link LoginFloodIT}) is off: it would refuse the next test's
 * clients with 0x8A Banned, whatever the source answers.
 */
final class AuthBrokers {

    private AuthBrokers() {
    }

    /** A broker on the default config, without bans. */
    static MastBrokerExtension create() {
        return create(UnaryOperator.identity());
    }

    /** A broker on the config the function makes, without bans. */
    static MastBrokerExtension create(UnaryOperator<BrokerConfig> configure) {
        return MastBrokerExtension.withConfig(c -> configure.apply(c)
                .withLogins(new LoginsConfig(null, null, 0, null, null)));
    }
}
