package io.mast.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Files;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The PostgreSQL fixture itself: a database on the shared server, and a server of the class's own that stops (by
 * its PID, connections refused) and comes back on the same port with its data.
 */
class PostgresFixtureIT {

    @RegisterExtension
    static final PostgresDatabase shared = PostgresDatabase.shared();

    @RegisterExtension
    static final PostgresDatabase own = PostgresDatabase.ownServer();

    @Test
    void aFreshDatabaseOnTheSharedServer() throws Exception {
        shared.execute("CREATE TABLE t (a int, b text)", "INSERT INTO t VALUES (1, 'one')");
        assertThat(shared.query("SELECT a, b FROM t")).containsExactly(Map.of("a", 1, "b", "one"));
        assertThat(shared.query("SELECT current_user AS u, inet_server_addr()::text AS host"))
                .containsExactly(Map.of("u", PostgresServer.USER, "host", "127.0.0.1/32"));
        assertThat(shared.server()).as("another server than the class's own").isNotSameAs(own.server());
    }

    @Test
    void aServerOfItsOwnStopsByPidAndComesBackWithItsData() throws Exception {
        PostgresServer server = own.server();
        own.execute("CREATE TABLE kept (a int)", "INSERT INTO kept VALUES (7)");
        long pid = server.pid();
        String pidFile = Files.readAllLines(server.dataDirectory().resolve("postmaster.pid")).get(0);
        assertThat(pidFile).as("the process started is the postmaster").isEqualTo(Long.toString(pid));

        server.stop();
        assertThat(server.pid()).isEqualTo(-1);
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).as("the postmaster is gone").isFalse();
        SQLException down = catchThrowableOfType(SQLException.class, () -> own.query("SELECT 1"));
        assertThat((Throwable) down).as("connections are refused while it is down").isNotNull();

        int port = server.port();
        server.restart();
        assertThat(server.port()).isEqualTo(port);
        assertThat(own.query("SELECT a FROM kept")).isEqualTo(List.of(Map.of("a", 7)));
    }
}
