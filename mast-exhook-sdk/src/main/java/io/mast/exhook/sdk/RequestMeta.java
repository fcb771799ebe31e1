package io.mast.exhook.sdk;

/**
 * What every request carries about the broker node that sent it; see {@link HookCall#meta()}.
 *
 * @param node        the node's name
 * @param version     the broker's version
 * @param sysdescr    the broker's description
 * @param clusterName the cluster's name
 */
public record RequestMeta(String node, String version, String sysdescr, String clusterName) {
}
