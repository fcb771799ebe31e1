package io.mast.exhook.emqx4;

import io.emqx.extension.handler.DefaultCommunicationHandler;
import io.mast.exhook.sdk.HookServer;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs an EMQX 4.x Java handler as an ExHook hook server: what the broker starts for {@code exhook.drivers.java},
 * with the handler's folder and its jars on the class path, and what you can run by hand:
 * <pre>
 * java -cp mast.jar:data/extension io.mast.exhook.emqx4.Driver --init-module SampleHandler --port 9000
 * </pre>
 * It creates one instance of the class (which must extend {@link DefaultCommunicationHandler} and have a public
 * constructor without parameters), calls its {@code init()}, serves the hooks it registers on 127.0.0.1 until the
 * JVM is stopped (SIGTERM), then calls its {@code deinit()}. Exits with status 1 and one line on standard error when
 * the handler cannot be loaded or served.
 */
public final class Driver {

    private static final Logger log = LoggerFactory.getLogger(Driver.class);
    private static final Duration STOP_WAIT = Duration.ofSeconds(10);

    private Driver() {
    }

    public static void main(String[] args) throws InterruptedException {
        String initModule = null;
        String host = "127.0.0.1";
        int port = 9000;
        try {
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--init-module" -> initModule = args[++i];
                    case "--host" -> host = args[++i];
                    case "--port" -> port = Integer.parseInt(args[++i]);
                    default -> throw new IllegalArgumentException("unknown argument " + args[i]);
                }
            }
            if (initModule == null) {
                throw new IllegalArgumentException("--init-module is required");
            }
        } catch (RuntimeException e) {
            throw fail("usage: Driver --init-module <handler class> [--port 9000] [--host 127.0.0.1]: " + e.getMessage());
        }
        DefaultCommunicationHandler handler = load(initModule);
        HookServer server = null;
        try {
            HandlerProvider provider = new HandlerProvider(handler);
            log.info("{}: init() registered {}", initModule, provider.hooks().isEmpty() ? "no hooks"
                    : String.join(", ", provider.hooks().keySet()));
            server = HookServer.serve(provider, host, port);
        } catch (IllegalArgumentException | UncheckedIOException e) {
            deinit(handler);
            throw fail(e.getMessage());
        }
        HookServer serving = server;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                // The SDK's own shutdown hook stops the server; deinit() once calls in progress are over.
                serving.awaitTermination(STOP_WAIT);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            deinit(handler);
        }, "emqx4-driver-deinit"));
        server.awaitTermination();
    }

    private static DefaultCommunicationHandler load(String className) {
        Class<?> type;
        try {
            type = Class.forName(className);
        } catch (ClassNotFoundException | LinkageError e) {
            throw fail("cannot load the handler class " + className + " (" + e + "); is its folder or jar in path?");
        }
        if (!DefaultCommunicationHandler.class.isAssignableFrom(type)) {
            throw fail(className + " does not extend " + DefaultCommunicationHandler.class.getName());
        }
        try {
            return (DefaultCommunicationHandler) type.getConstructor().newInstance();
        } catch (InvocationTargetException e) {
            throw fail("the constructor of " + className + " failed: " + e.getCause());
        } catch (ReflectiveOperationException e) {
            throw fail(className + " needs a public constructor without parameters (" + e + ")");
        }
    }

    private static void deinit(DefaultCommunicationHandler handler) {
        try {
            handler.deinit();
        } catch (RuntimeException e) {
            log.error("{}.deinit() failed", handler.getClass().getName(), e);
        }
    }

    private static IllegalStateException fail(String why) {
        System.err.println("emqx4 driver: " + why);
        System.exit(1);
        return new IllegalStateException(why);
    }
}
