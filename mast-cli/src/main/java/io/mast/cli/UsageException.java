package io.mast.cli;

/**
 * A command line that cannot be run as given: {@code mast pub} and {@code mast sub} print it as Mosquitto's clients
 * do ({@code Error: ...} and a hint to {@code --help}) and exit with 1.
 */
final class UsageException extends RuntimeException {

    UsageException(String message) {
        super(message, null, false, false);
    }
}
