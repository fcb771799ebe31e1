package io.mast.cli;

import io.mast.plugins.PasswordFile;
import io.mast.plugins.PasswordHashes;
import java.io.Console;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.reflect.Method;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code mast passwd}: adds, updates and deletes users of a password file for
 * {@code io.mast.plugins.PasswordFileAuthPlugin}, as {@code mosquitto_passwd} does (same options, messages and exit
 * codes), writing argon2id hashes. The file is replaced atomically and left readable by its owner only.
 */
@Command(name = "passwd", mixinStandardHelpOptions = true, exitCodeOnInvalidInput = 1,
        description = {"Manages a password file for io.mast.plugins.PasswordFileAuthPlugin, as mosquitto_passwd does.",
                "New passwords are hashed with argon2id (19 MiB, 2 passes); the file is written atomically, mode 0600.",
                "Existing Mosquitto password files ($7$ and $6$ hashes) can be kept and edited."},
        customSynopsis = {
                "mast passwd [-c | -D] passwordfile username",
                "       mast passwd [-c] -b passwordfile username password"})
public final class PasswdCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "-c", description = "Create a new password file. This overwrites an existing file.")
    boolean create;

    @Option(names = "-D", description = "Delete the user rather than adding or updating its password.")
    boolean delete;

    @Option(names = "-b", description = "Batch mode: the password is given on the command line (it may then be seen "
            + "in the process list and the shell's history).")
    boolean batch;

    @Parameters(index = "0", paramLabel = "passwordfile", description = "The password file.")
    Path file;

    @Parameters(index = "1", paramLabel = "username", description = "The user to add, update or delete.")
    String username;

    @Parameters(index = "2", arity = "0..1", paramLabel = "password", description = "The password, with -b only.")
    String password;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        PrintWriter out = spec.commandLine().getOut();
        try {
            return run(out);
        } catch (Failure f) {
            err.println("Error: " + f.getMessage());
            err.flush();
            return 1;
        }
    }

    /** A refusal, printed as {@code Error: message} with exit code 1. */
    private static final class Failure extends Exception {
        Failure(String message) {
            super(message);
        }
    }

    private int run(PrintWriter out) throws Failure {
        if (create && delete) {
            throw new Failure("-c and -D cannot be used together.");
        }
        if (batch && delete) {
            throw new Failure("-b and -D cannot be used together.");
        }
        if (batch != (password != null)) {
            throw new Failure(batch ? "-b needs the password on the command line: mast passwd -b passwordfile "
                    + "username password" : "a password on the command line needs -b");
        }
        try {
            PasswordFile.checkUsername(username);
        } catch (IllegalArgumentException e) {
            throw new Failure(e.getMessage());
        }
        PasswordFile pw = create ? PasswordFile.empty() : read();
        if (delete) {
            if (!pw.remove(username)) {
                PrintWriter err = spec.commandLine().getErr();
                err.println("Warning: User " + username + " not found in password file.");
                err.flush();
                return 1;
            }
        } else {
            char[] typed = batch ? password.toCharArray() : prompt();
            try {
                if (typed.length == 0) {
                    throw new Failure("Empty password.");
                }
                byte[] bytes = new String(typed).getBytes(java.nio.charset.StandardCharsets.UTF_8);
                if (bytes.length > 65535) {
                    throw new Failure("Password too long.");
                }
                pw.set(username, PasswordHashes.hash(bytes));
                Arrays.fill(bytes, (byte) 0);
            } finally {
                Arrays.fill(typed, '\0');
            }
        }
        write(pw);
        out.flush();
        return 0;
    }

    private PasswordFile read() throws Failure {
        try {
            return PasswordFile.read(file);
        } catch (NoSuchFileException e) {
            throw new Failure("Unable to open password file " + file + ". No such file or directory.");
        } catch (AccessDeniedException e) {
            throw new Failure("Unable to open password file " + file + ". Permission denied.");
        } catch (IOException e) {
            throw new Failure("Unable to open password file " + file + ". " + e.getMessage());
        } catch (IllegalArgumentException e) {
            throw new Failure("Invalid password file: " + e.getMessage());
        }
    }

    private void write(PasswordFile pw) throws Failure {
        try {
            pw.write(file);
        } catch (AccessDeniedException e) {
            throw new Failure("Unable to write password file " + file + ". Permission denied.");
        } catch (NoSuchFileException e) {
            throw new Failure("Unable to write password file " + file + ". No such file or directory.");
        } catch (IOException e) {
            throw new Failure("Unable to write password file " + file + ". " + e.getMessage());
        }
    }

    /** Asks for the password twice on the terminal. */
    private static char[] prompt() throws Failure {
        Console console = terminal();
        if (console == null) {
            throw new Failure("no terminal to read the password from; give it on the command line with -b: "
                    + "mast passwd -b passwordfile username password");
        }
        char[] first = console.readPassword("Password: ");
        char[] second = first == null ? null : console.readPassword("Reenter password: ");
        if (first == null || second == null) {
            throw new Failure("no password read (end of input).");
        }
        try {
            if (!Arrays.equals(first, second)) {
                Arrays.fill(first, '\0');
                throw new Failure("Passwords do not match.");
            }
            return first;
        } finally {
            Arrays.fill(second, '\0');
        }
    }

    /**
     * The console when the program runs in a terminal, {@code null} otherwise. From JDK 22 on, {@link System#console()}
     * returns a console even when input is redirected; {@code Console.isTerminal()} (JDK 22) tells.
     */
    private static Console terminal() {
        Console c = System.console();
        if (c == null) {
            return null;
        }
        try {
            Method isTerminal = Console.class.getMethod("isTerminal");
            return (Boolean) isTerminal.invoke(c) ? c : null;
        } catch (NoSuchMethodException e) {
            return c; // JDK 21: System.console() is null without a terminal
        } catch (ReflectiveOperationException e) {
            return null;
        }
    }
}
