package io.mast.plugin;

import java.util.concurrent.CompletionStage;

/**
 * {@link AuthPlugin} for plugins whose answer comes asynchronously (an asynchronous database or HTTP client). The
 * methods are called on a network thread and must return at once; the stage completes when the answer is known.
 */
public interface AsyncAuthPlugin {

    CompletionStage<AuthDecision> authenticate(ConnectInfo connect);

    default CompletionStage<AuthDecision> authenticateStep(AuthStep step) {
        return java.util.concurrent.CompletableFuture.completedFuture(AuthDecision.abstain());
    }
}
