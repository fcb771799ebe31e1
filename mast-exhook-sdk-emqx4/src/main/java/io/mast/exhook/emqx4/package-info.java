/**
 * Runs handlers written for EMQX 4.2's Java extension SDK ({@code io.emqx.extension.handler}) on Mast:
 * {@link io.mast.exhook.emqx4.HandlerProvider} serves one with Mast's Java SDK, {@link io.mast.exhook.emqx4.Driver}
 * is the program the broker starts for {@code exhook.drivers.java}.
 */
package io.mast.exhook.emqx4;
