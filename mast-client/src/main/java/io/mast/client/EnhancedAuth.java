package io.mast.client;

import java.util.concurrent.CompletionStage;

/**
 * MQTT 5.0 enhanced authentication (specification section 4.12): the method and data sent in CONNECT, and the
 * answers to the server's AUTH challenges.
 * <pre>{@code
 * MastClient.builder().enhancedAuth(new EnhancedAuth() {
 *     public String method() { return "SCRAM-SHA-1"; }
 *     public byte[] initialData() { return clientFirst(); }
 *     public CompletionStage<byte[]> onChallenge(byte[] serverData) {
 *         return CompletableFuture.completedFuture(clientFinal(serverData));
 *     }
 * })
 * }</pre>
 */
public interface EnhancedAuth {

    /** The authentication method, sent in CONNECT and every AUTH. */
    String method();

    /** The authentication data of CONNECT (and of a re-authentication), or {@code null} for none. */
    default byte[] initialData() {
        return null;
    }

    /**
     * The server sent AUTH with Continue authentication (0x18): return the data of the client's AUTH answer.
     * A failed stage closes the connection.
     */
    CompletionStage<byte[]> onChallenge(byte[] serverData);

    /** Authentication succeeded (CONNACK, or AUTH 0x00 after a re-authentication), with the server's final data. */
    default void onSuccess(byte[] serverData) {
    }
}
