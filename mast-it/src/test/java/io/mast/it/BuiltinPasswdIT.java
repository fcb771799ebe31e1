package io.mast.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode;
import io.mast.cli.Main;
import io.mast.plugins.PasswordFile;
import io.mast.plugins.PasswordFileAuthPlugin;
import io.mast.testkit.MastBrokerExtension;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code mast passwd} as {@code mosquitto_passwd}: adding, updating and deleting users, {@code -c}, its errors and
 * exit codes, and a broker whose password file plugin picks each change up while it runs.
 */
class BuiltinPasswdIT {

    static final Path DIR = BuiltinFiles.folder("mast-builtin-passwd");
    static final Path FILE = BuiltinFiles.passwords(DIR.resolve("passwd"), "seed", "seed");

    @RegisterExtension
    static final MastBrokerExtension broker = MastBrokerExtension.create()
            .plugin(PasswordFileAuthPlugin.class, Map.of("password_file", FILE.toString(), "check_interval", "100ms"));

    @RegisterExtension
    final V5Clients clients = new V5Clients(broker);

    @AfterAll
    static void deleteFiles() throws Exception {
        BuiltinFiles.delete(DIR);
    }

    /** What {@code mast passwd} did: its exit code and what it printed on stdout and stderr. */
    record Result(int code, String out, String err) {
    }

    /** Runs {@code mast passwd <args>} in this JVM, capturing its output. */
    static synchronized Result passwd(String... args) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
        try {
            List<String> all = new ArrayList<>(List.of("passwd"));
            all.addAll(List.of(args));
            int code = Main.run(all.toArray(String[]::new));
            return new Result(code, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    /**
     * The command failed with exit code 1 and printed exactly this on stderr (stdout is not compared: the broker of
     * this JVM logs there).
     */
    private static void assertFails(Result r, String err) {
        assertThat(r.code()).as("exit code; stderr: %s", r.err()).isEqualTo(1);
        assertThat(r.err()).isEqualTo(err);
    }

    private static String file() {
        return FILE.toString();
    }

    /** Waits until the broker answers these credentials with this reason code (it checks the file every 100 ms). */
    private void awaitConnack(String user, String password, Mqtt5ConnAckReasonCode expected) {
        await(user + "/" + password + " -> " + expected).atMost(V5Clients.TIMEOUT).pollInterval(50, TimeUnit.MILLISECONDS)
                .untilAsserted(() -> assertThat(clients.connack("passwd-" + user, user, password)).isEqualTo(expected));
    }

    @Test
    void addsUpdatesAndDeletesUsersTheRunningBrokerThenAcceptsAndRefuses() throws Exception {
        assertThat(passwd("-c", "-b", file(), "alice", "first pässword").code()).isZero();
        awaitConnack("alice", "first pässword", Mqtt5ConnAckReasonCode.SUCCESS);

        assertThat(passwd("-b", file(), "bob", "b0b").code()).isZero();
        assertThat(passwd("-b", file(), "alice", "second").code()).as("update").isZero();
        awaitConnack("alice", "second", Mqtt5ConnAckReasonCode.SUCCESS);
        assertThat(clients.connack("passwd-old", "alice", "first pässword"))
                .isEqualTo(Mqtt5ConnAckReasonCode.BAD_USER_NAME_OR_PASSWORD);
        assertThat(clients.connack("passwd-bob", "bob", "b0b")).isEqualTo(Mqtt5ConnAckReasonCode.SUCCESS);

        assertThat(passwd("-D", file(), "alice").code()).as("delete").isZero();
        awaitConnack("alice", "second", Mqtt5ConnAckReasonCode.BAD_USER_NAME_OR_PASSWORD);
        assertThat(clients.connack("passwd-bob2", "bob", "b0b")).isEqualTo(Mqtt5ConnAckReasonCode.SUCCESS);

        assertThat(PasswordFile.read(FILE).users()).containsExactly("bob");
        assertThat(PasswordFile.read(FILE).encodedHash("bob").orElseThrow()).startsWith("$argon2id$v=19$m=19456,t=2,p=1$");
        assertThat(Files.getPosixFilePermissions(FILE))
                .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
    }

    @Test
    void createOverwritesTheFile() throws Exception {
        assertThat(passwd("-b", file(), "old", "old").code()).isZero();
        awaitConnack("old", "old", Mqtt5ConnAckReasonCode.SUCCESS);
        Result r = passwd("-c", "-b", file(), "carol", "c4rol");
        assertThat(r.code()).isZero();
        assertThat(r.err()).doesNotContain("Error");
        assertThat(PasswordFile.read(FILE).users()).containsExactly("carol");
        awaitConnack("old", "old", Mqtt5ConnAckReasonCode.BAD_USER_NAME_OR_PASSWORD);
        assertThat(clients.connack("passwd-carol", "carol", "c4rol")).isEqualTo(Mqtt5ConnAckReasonCode.SUCCESS);
    }

    @Test
    void errorsAndExitCodesAsMosquittoPasswd() throws Exception {
        assertThat(passwd("-c", "-b", file(), "dave", "d4ve").code()).isZero();
        String before = Files.readString(FILE);
        Path missing = DIR.resolve("missing");

        assertFails(passwd("-c", "-D", file(), "dave"), "Error: -c and -D cannot be used together.\n");
        assertFails(passwd("-b", "-D", file(), "dave", "x"), "Error: -b and -D cannot be used together.\n");
        assertFails(passwd("-D", file(), "nobody"), "Warning: User nobody not found in password file.\n");
        assertFails(passwd("-b", missing.toString(), "dave", "x"),
                "Error: Unable to open password file " + missing + ". No such file or directory.\n");
        assertFails(passwd("-b", file(), "da:ve", "x"), "Error: Username must not contain the ':' character.\n");
        assertFails(passwd("-b", file(), "dave", ""), "Error: Empty password.\n");
        assertThat(passwd(file(), "dave", "x").err()).contains("Error: a password on the command line needs -b");
        // the tests run without a terminal, as a script would
        Result noTerminal = passwd(file(), "dave");
        assertThat(noTerminal.code()).isEqualTo(1);
        assertThat(noTerminal.err()).isEqualTo("Error: no terminal to read the password from; give it on the command "
                + "line with -b: mast passwd -b passwordfile username password\n");
        Result usage = passwd("-b", file());
        assertThat(usage.code()).as("usage error").isEqualTo(1);
        assertThat(usage.err()).contains("Usage:").contains("mast passwd [-c] -b passwordfile username password");

        assertThat(Files.readString(FILE)).as("no failed command changed the file").isEqualTo(before);
        assertThat(Files.exists(missing)).isFalse();
    }

    @Test
    void editsAFileWrittenByMosquittoPasswd() throws Exception {
        Path mosquittoPasswd = V311Clients.requireCommand("mosquitto_passwd");
        Process p = new ProcessBuilder(mosquittoPasswd.toString(), "-c", "-b", file(), "mosq", "from mosquitto")
                .redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).as("mosquitto_passwd finished").isTrue();
        assertThat(p.exitValue()).isZero();
        assertThat(passwd("-b", file(), "mast", "from mast").code()).isZero();

        assertThat(Files.readString(FILE)).startsWith("mosq:$7$101$").contains("\nmast:$argon2id$");
        awaitConnack("mast", "from mast", Mqtt5ConnAckReasonCode.SUCCESS);
        assertThat(clients.connack("passwd-mosq", "mosq", "from mosquitto")).isEqualTo(Mqtt5ConnAckReasonCode.SUCCESS);
    }
}
