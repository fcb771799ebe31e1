package io.mast.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code mast} command. */
@Command(name = "mast", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Mast: an MQTT 3.1.1 and 5.0 broker you can put your own logic in.",
        subcommands = {BrokerCommand.class, PasswdCommand.class})
public final class Main {

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line and returns the exit code (for tests). */
    public static int run(String... args) {
        return new CommandLine(new Main()).setCaseInsensitiveEnumValuesAllowed(true).execute(args);
    }

    /** The version from the jar's manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"mast " + (v == null ? "development build" : v)};
        }
    }
}
