/** Client plugins that come with Mast: {@link io.mast.client.plugins.PacketLoggerPlugin}. */
package io.mast.client.plugins;
