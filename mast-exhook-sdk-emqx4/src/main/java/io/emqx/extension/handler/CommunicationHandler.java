package io.emqx.extension.handler;

/**
 * What the driver calls on a handler: {@link #init()} once when it starts, {@link #deinit()} when it stops. Extend
 * {@link DefaultCommunicationHandler} rather than implementing this yourself.
 */
public interface CommunicationHandler {

    /** Returns the hooks to register: see {@link DefaultCommunicationHandler#init()}. */
    Object init();

    /** The driver stops (the broker shuts down, or stopped the driver). */
    void deinit();
}
