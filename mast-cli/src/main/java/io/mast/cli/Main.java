package io.mast.cli;

import io.mast.broker.MastVersion;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code mast} command. */
@Command(name = "mast", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Mast: an MQTT 3.1.1 and 5.0 broker you can put your own logic in.",
        subcommands = {BrokerCommand.class, PubCommand.class, SubCommand.class, BenchCommand.class,
                PasswdCommand.class, CtlCommand.class})
public final class Main {

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line and returns the exit code (for tests). */
    public static int run(String... args) {
        return commandLine().execute(args);
    }

    /** The command line, for tests that capture its output ({@code setOut}, {@code setErr}) before executing. */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main()).setCaseInsensitiveEnumValuesAllowed(true);
        giveVersion(cl);
        CommandLine.IParameterExceptionHandler standard = cl.getParameterExceptionHandler();
        cl.setParameterExceptionHandler((ex, rest) -> {
            Object command = ex.getCommandLine().getCommand();
            if (command instanceof PubCommand || command instanceof SubCommand) {
                return usageError(ex.getCommandLine().getCommandName(), ex.getMessage(), false);
            }
            return standard.handleParseException(ex, rest);
        });
        return cl;
    }

    /** A usage error of {@code mast pub}/{@code mast sub}, printed and coded as Mosquitto's clients do (exit 1). */
    static int usageError(String command, String message, boolean quiet) {
        if (!quiet) {
            System.err.println("Error: " + message);
            System.err.println("Use 'mast " + command + " --help' to see usage.");
        }
        return 1;
    }

    /** Every subcommand's {@code --version} prints the same as {@code mast --version}. */
    private static void giveVersion(CommandLine cl) {
        for (CommandLine sub : cl.getSubcommands().values()) {
            sub.getCommandSpec().versionProvider(new Version());
            giveVersion(sub);
        }
    }

    /** The version of this build ({@link MastVersion}). */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"mast " + MastVersion.get()};
        }
    }
}
