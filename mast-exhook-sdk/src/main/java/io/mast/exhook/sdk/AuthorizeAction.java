package io.mast.exhook.sdk;

/** What a client asks to be authorized for, in {@link HookProvider#onClientAuthorize}. */
public enum AuthorizeAction {
    /** Publishing to a topic. */
    PUBLISH,
    /** Subscribing to a topic filter. */
    SUBSCRIBE
}
