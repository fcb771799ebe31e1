import io.mast.exhook.sdk.HookProvider;
import io.mast.exhook.sdk.HookServer;
import io.mast.exhook.sdk.Message;

/**
 * A hook server that registers message.publish and returns every message unchanged: the cost of the ExHook round
 * trip itself, for bench/mast-only.sh. Run as a source file on the SDK's class path:
 * {@code java -cp examples/exhook-java/target/exhook-java-example.jar bench/hooks/NoopHook.java 9001}.
 */
public final class NoopHook extends HookProvider {

    @Override
    public Message onMessagePublish(Message message) {
        return message;
    }

    public static void main(String[] args) throws InterruptedException {
        HookServer.serve(new NoopHook(), Integer.parseInt(args[0])).awaitTermination();
    }
}
