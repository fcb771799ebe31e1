package io.mast.broker.store;

/**
 * The store cannot be used: locked by another broker, corrupt, or unreadable. The message is one line saying which
 * directory and why; the broker refuses to start rather than start empty.
 */
public final class StorageException extends RuntimeException {

    public StorageException(String message, Throwable cause) {
        super(message, cause, false, false);
    }
}
