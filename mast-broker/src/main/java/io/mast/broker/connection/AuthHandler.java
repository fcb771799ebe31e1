package io.mast.broker.connection;

import io.mast.broker.policy.Policy.AuthResult;
import io.mast.codec.MqttProperties;
import io.mast.codec.ReasonCode;
import io.mast.codec.packet.Auth;
import java.util.concurrent.CompletableFuture;

/**
 * AUTH from a connected client: MQTT 5.0 re-authentication (reason 0x19) with the method of its CONNECT. The exchange
 * runs alongside the client's other packets; success is answered with AUTH 0x00, failure with DISCONNECT.
 */
final class AuthHandler {

    private final ConnectionServices core;

    AuthHandler(ConnectionServices core) {
        this.core = core;
    }

    void handle(Connection c, Auth auth) {
        String method = c.authMethod();
        if (method == null) {
            c.disconnect(ReasonCode.PROTOCOL_ERROR, "AUTH without enhanced authentication in CONNECT");
            return;
        }
        if (auth.reasonCode() != ReasonCode.RE_AUTHENTICATE || !method.equals(auth.properties().authenticationMethod())) {
            c.disconnect(ReasonCode.PROTOCOL_ERROR, "re-authentication must use reason 0x19 and method " + method);
            return;
        }
        step(c, method, core.policy().authenticateStep(c.info(), method, auth.properties().authenticationData(), true)
                .toCompletableFuture());
    }

    private void step(Connection c, String method, CompletableFuture<AuthResult> decision) {
        decision.whenComplete((r, e) -> c.eventLoop().execute(() -> {
            if (c.isClosing()) {
                return;
            }
            AuthResult result = e == null ? r : new AuthResult(ReasonCode.NOT_AUTHORIZED, "re-authentication failed");
            if (result.continues()) {
                MqttProperties challenge = MqttProperties.builder().authenticationMethod(method)
                        .authenticationData(result.authenticationData()).build();
                c.continueAuthentication(new Auth(ReasonCode.CONTINUE_AUTHENTICATION, challenge), answer -> {
                    if (answer.reasonCode() != ReasonCode.CONTINUE_AUTHENTICATION
                            || !method.equals(answer.properties().authenticationMethod())) {
                        c.disconnect(ReasonCode.PROTOCOL_ERROR, "AUTH must continue with method " + method);
                        return;
                    }
                    step(c, method, core.policy().authenticateStep(c.info(), method,
                            answer.properties().authenticationData(), true).toCompletableFuture());
                });
            } else if (result.allowed()) {
                c.send(new Auth(ReasonCode.SUCCESS, MqttProperties.builder().authenticationMethod(method)
                        .authenticationData(result.authenticationData()).build()));
            } else {
                ReasonCode rc = result.reasonCode().isValidFor(io.mast.codec.PacketType.DISCONNECT)
                        ? result.reasonCode() : ReasonCode.NOT_AUTHORIZED;
                c.disconnect(rc, result.reasonString() == null ? "re-authentication failed" : result.reasonString());
            }
        }));
    }
}
