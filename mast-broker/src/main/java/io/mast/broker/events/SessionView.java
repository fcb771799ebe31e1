package io.mast.broker.events;

import io.mast.plugin.SessionInfo;

/**
 * A session as the session events show it: its client identifier, and a snapshot taken only when someone listens
 * (called in the session's mailbox).
 */
public interface SessionView {

    /** The client identifier of the session. */
    String clientId();

    /** The session's state now, for plugins. */
    SessionInfo snapshot();
}
