package io.mast.plugin;

/**
 * Decides whether a client may connect. Implemented by a {@link BrokerPlugin}. The method may block (read a database,
 * check a bcrypt hash): the runtime calls it on a virtual thread, never on a network thread, unless the class is
 * {@link NonBlocking}. An exception or a timeout counts as the plugin's {@code failed_action} (deny by default).
 *
 * @see AsyncAuthPlugin for an answer that arrives later without a thread
 */
public interface AuthPlugin {

    /** Allow, deny or abstain on a CONNECT. With MQTT 5.0 enhanced authentication, may continue with data. */
    AuthDecision authenticate(ConnectInfo connect) throws Exception;

    /**
     * MQTT 5.0 enhanced authentication: the client's next AUTH packet, or the start of a re-authentication.
     * Plugins that do not support the method abstain.
     */
    default AuthDecision authenticateStep(AuthStep step) throws Exception {
        return AuthDecision.abstain();
    }
}
