/**
 * Mast's MQTT client: {@link io.mast.client.MastClient}, built with {@link io.mast.client.MastClient#builder()}.
 * Asynchronous (every call returns a {@link java.util.concurrent.CompletableFuture}) with a blocking view
 * ({@link io.mast.client.BlockingMastClient}); MQTT 3.1.1 and 5.0 over TCP, TLS and WebSocket; client plugins
 * ({@link io.mast.plugin.ClientPlugin}) declared in code or in a YAML file.
 */
package io.mast.client;
