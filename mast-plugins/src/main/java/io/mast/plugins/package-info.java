/**
 * The plugins that come with Mast, declared in the broker's config by class name (see {@code docs/builtin-plugins.md}):
 * {@link io.mast.plugins.AnonymousAuthPlugin}, {@link io.mast.plugins.PasswordFileAuthPlugin},
 * {@link io.mast.plugins.AclFilePlugin}, {@link io.mast.plugins.TopicTabooPlugin},
 * {@link io.mast.plugins.SysTopicsPlugin}, {@link io.mast.plugins.EventLoggerPlugin} and
 * {@link io.mast.plugins.PacketLoggerPlugin}; and the password file format ({@link io.mast.plugins.PasswordFile},
 * {@link io.mast.plugins.PasswordHashes}) shared with the {@code mast passwd} command.
 */
package io.mast.plugins;
