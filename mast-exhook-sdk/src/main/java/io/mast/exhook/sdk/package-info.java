/**
 * The Java SDK for hook servers: extend {@link io.mast.exhook.sdk.HookProvider}, override only the hooks you want,
 * and serve it with {@link io.mast.exhook.sdk.HookServer#serve(HookProvider, int)}.
 * <pre>{@code
 * public final class MyHooks extends HookProvider {
 *     @Override public boolean onClientAuthenticate(ClientInfo client, boolean resultSoFar) {
 *         return !client.clientId().isEmpty();
 *     }
 *
 *     @Topics("sensors/#")
 *     @Override public Message onMessagePublish(Message message) {
 *         log.info("{} {}", message.topic(), message.payloadAsString());
 *         return message;
 *     }
 *
 *     public static void main(String[] args) throws InterruptedException {
 *         HookServer.serve(new MyHooks(), 9000).awaitTermination();
 *     }
 * }
 * }</pre>
 * The server speaks the ExHook protocol, versions {@code emqx.exhook.v3} and {@code emqx.exhook.v2}, so the same
 * hook server works with Mast and with EMQX 5.
 */
package io.mast.exhook.sdk;
