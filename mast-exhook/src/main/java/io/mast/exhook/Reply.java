package io.mast.exhook;

import com.google.protobuf.Message;

/**
 * The outcome of one call to a hook server: its answer, or why there is none.
 *
 * @param answer       the answer, {@code null} on failure
 * @param failure      {@code null} on success
 * @param detail       what went wrong, for logs and reason strings
 * @param sameMessage  a message.publish answer over Mast's stream whose value is the request's message, unchanged
 *                     (left out of {@code answer})
 */
record Reply(Message answer, Failure failure, String detail, boolean sameMessage) {

    /** Why a call has no answer; each counts as the server's {@code failed_action}. */
    enum Failure {
        /** No answer within {@code request_timeout} (counted from when the call was queued). */
        TIMEOUT,
        /** The server answered with an error status, or with something the broker cannot use. */
        ERROR,
        /** The server is down: not loaded, or the connection failed. */
        UNAVAILABLE
    }

    static Reply ok(Message answer) {
        return new Reply(answer, null, null, false);
    }

    /** A message.publish answer that passes the request's message on unchanged. */
    static Reply sameMessage(Message answer) {
        return new Reply(answer, null, null, true);
    }

    static Reply failed(Failure failure, String detail) {
        return new Reply(null, failure, detail, false);
    }

    boolean ok() {
        return failure == null;
    }
}
