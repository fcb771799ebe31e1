package io.mast.plugins;

import io.mast.plugin.AuthDecision;
import io.mast.plugin.AuthPlugin;
import io.mast.plugin.BrokerContext;
import io.mast.plugin.BrokerPlugin;
import io.mast.plugin.ConnectInfo;
import io.mast.plugin.Default;
import io.mast.plugin.NonBlocking;
import io.mast.plugin.Reason;

/**
 * Decides on clients that connect without a user name: allowed, or refused with 0x87 Not authorized (MQTT 3.1.1: return
 * code 5) and a reason string. Clients with a user name are left to the other auth plugins (abstain).
 *
 * <pre>{@code
 * plugins:
 *   io.mast.plugins.AnonymousAuthPlugin: {allow_anonymous: true}
 * }</pre>
 */
@NonBlocking
public final class AnonymousAuthPlugin extends BrokerPlugin implements AuthPlugin {

    /**
     * The options.
     *
     * @param allowAnonymous {@code allow_anonymous}: whether clients without a user name may connect (default true)
     */
    public record Config(@Default("true") boolean allowAnonymous) {
    }

    private static final AuthDecision REFUSED = AuthDecision.deny(Reason.NOT_AUTHORIZED,
            "anonymous clients are not allowed: connect with a user name");

    private final boolean allow;

    /**
     * Reads the option; called by the broker at startup.
     */
    public AnonymousAuthPlugin(BrokerContext context) {
        super(context);
        this.allow = config(Config.class).allowAnonymous();
        log().info("Clients without a user name are {}", allow ? "allowed" : "refused");
    }

    @Override
    public AuthDecision authenticate(ConnectInfo connect) {
        if (connect.username() != null) {
            return AuthDecision.abstain();
        }
        return allow ? AuthDecision.allow() : REFUSED;
    }
}
