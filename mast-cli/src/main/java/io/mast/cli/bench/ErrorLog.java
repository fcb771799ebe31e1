package io.mast.cli.bench;

import java.io.PrintStream;
import java.util.concurrent.atomic.AtomicInteger;

/** Prints the first few errors of a run (then only counts them), so a failing broker does not flood the terminal. */
final class ErrorLog {

    private static final int SHOWN = 5;

    private final PrintStream out;
    private final AtomicInteger count = new AtomicInteger();

    ErrorLog(PrintStream out) {
        this.out = out;
    }

    void report(String message) {
        int n = count.incrementAndGet();
        if (n <= SHOWN) {
            out.println("error: " + message);
        } else if (n == SHOWN + 1) {
            out.println("error: more errors follow; only their number is reported");
        }
    }

    /** The most telling message of an exception and its causes. */
    static String message(Throwable t) {
        Throwable c = t;
        while ((c instanceof java.util.concurrent.CompletionException
                || c instanceof java.util.concurrent.ExecutionException) && c.getCause() != null) {
            c = c.getCause();
        }
        return c.getMessage() != null ? c.getMessage() : c.getClass().getSimpleName();
    }
}
