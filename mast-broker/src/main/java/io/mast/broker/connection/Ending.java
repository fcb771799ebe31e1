package io.mast.broker.connection;

import io.mast.codec.ReasonCode;
import java.util.Locale;

/**
 * Why a connection ended, for the disconnected event plugins get, and whether its will goes out: lost (the default:
 * the will goes out), refused, closed by the broker with a reason, closed by the client's DISCONNECT (no will unless
 * it asked, 0x04), or taken over by another connection (the session handles the will). Used on the connection's
 * event loop only.
 */
final class Ending {

    private ReasonCode reason = ReasonCode.UNSPECIFIED_ERROR;
    private String description = "connection_lost";
    private boolean byClient;
    private boolean takenOver;
    private boolean withWill = true;

    /** The CONNECT was refused (no will: the connection never was). */
    void refused(ReasonCode code) {
        reason = code;
        description = "refused";
        withWill = false;
    }

    /** The broker closes the connection for {@code code}. */
    void byBroker(ReasonCode code) {
        reason = code;
        description = describe(code);
    }

    /** The client sent DISCONNECT with {@code code}. */
    void byClient(ReasonCode code) {
        reason = code;
        description = "normal";
        byClient = true;
        withWill = code == ReasonCode.DISCONNECT_WITH_WILL_MESSAGE;
    }

    /** Another connection took the session over: the session handles this connection's will. */
    void takenOver() {
        takenOver = true;
        withWill = false;
    }

    /** The broker is stopping: the will is kept for its next start. */
    void withoutWill() {
        withWill = false;
    }

    ReasonCode reason() {
        return reason;
    }

    String description() {
        return description;
    }

    boolean isByClient() {
        return byClient;
    }

    boolean isTakenOver() {
        return takenOver;
    }

    boolean withWill() {
        return withWill;
    }

    /** The short description of a close by the broker, as plugins and hook servers get it. */
    static String describe(ReasonCode reason) {
        return switch (reason) {
            case KEEP_ALIVE_TIMEOUT -> "keepalive_timeout";
            case SESSION_TAKEN_OVER -> "takenover";
            case SERVER_SHUTTING_DOWN -> "server_shutdown";
            case ADMINISTRATIVE_ACTION -> "kicked";
            case MALFORMED_PACKET, PROTOCOL_ERROR, TOPIC_ALIAS_INVALID, RECEIVE_MAXIMUM_EXCEEDED, PACKET_TOO_LARGE,
                 TOPIC_NAME_INVALID, PAYLOAD_FORMAT_INVALID -> "protocol_error";
            default -> reason.name().toLowerCase(Locale.ROOT);
        };
    }
}
