package io.mast.exhook.sdk;

/**
 * A topic filter of a SUBSCRIBE or UNSUBSCRIBE packet. A shared subscription's filter keeps its
 * {@code $share/<group>/} prefix (with protocol v2 the SDK puts it back).
 *
 * @param name    the topic filter
 * @param options the subscription options (all zero in an UNSUBSCRIBE)
 */
public record TopicFilter(String name, SubOpts options) {
}
