import io.emqx.extension.handler.DefaultCommunicationHandler;
import io.emqx.extension.handler.codec.ClientInfo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A handler for EMQX 4.x's Java SDK that writes what happens to it, with its process id, to the file named by $MARKS:
 * init, deinit, and each session created. A client whose id starts with "slow" takes 3 s to authenticate.
 */
public class Lifecycle extends DefaultCommunicationHandler {

    private static void mark(String what) {
        try {
            Files.writeString(Path.of(System.getenv("MARKS")), what + " " + ProcessHandle.current().pid() + "\n",
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public Object init() {
        mark("init");
        return super.init();
    }

    @Override
    public void deinit() {
        mark("deinit");
    }

    @Override
    public boolean onClientAuthenticate(ClientInfo clientInfo, boolean authresult) {
        if (clientInfo.clientId.startsWith("slow")) {
            try {
                Thread.sleep(3000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return true;
    }

    @Override
    public void onSessionCreated(ClientInfo clientInfo) {
        mark("session " + clientInfo.clientId);
    }
}
