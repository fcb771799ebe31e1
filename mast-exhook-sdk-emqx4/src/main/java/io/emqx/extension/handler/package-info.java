/**
 * The public API of EMQX 4.2's Java extension SDK ({@code emqx-extension-java-sdk} 1.0.0), written for Mast: extend
 * {@link io.emqx.extension.handler.DefaultCommunicationHandler}, override the hooks you want, and configure the class
 * as {@code exhook.drivers.java.init_module}. See docs/exhook-sdk.md, "Coming from EMQX 4.x".
 */
package io.emqx.extension.handler;
