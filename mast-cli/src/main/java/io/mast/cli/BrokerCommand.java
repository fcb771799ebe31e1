package io.mast.cli;

import io.mast.broker.MastBroker;
import io.mast.broker.config.BrokerConfig;
import io.mast.broker.config.ConfigException;
import io.mast.broker.config.ConfigLoader;
import io.mast.broker.store.StorageException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code mast broker}: runs the broker until SIGTERM or Ctrl-C. */
@Command(name = "broker", mixinStandardHelpOptions = true,
        description = {"Runs the MQTT broker.",
                "Without a config file it listens on 127.0.0.1:1883 and allows anonymous clients from this machine only."})
public final class BrokerCommand implements Callable<Integer> {

    @Option(names = {"-c", "--config"}, paramLabel = "FILE", description = "YAML config file.")
    Path config;

    @Option(names = {"-p", "--port"}, paramLabel = "PORT", description = "Port of the first listener (overrides the config).")
    Integer port;

    @Option(names = {"-b", "--bind"}, paramLabel = "ADDRESS", description = "Address of the first listener (overrides the config).")
    String bind;

    @Override
    public Integer call() {
        BrokerConfig cfg;
        try {
            cfg = new ConfigLoader().load(config);
        } catch (ConfigException e) {
            e.errors().forEach(line -> System.err.println("mast: " + line));
            return 2;
        }
        Logging.apply(cfg.logging());
        if (port != null || bind != null) {
            cfg = cfg.withFirstListener(bind, port);
        }
        // The command keeps state across restarts unless the config says storage type memory.
        cfg = cfg.withStorage(cfg.storage().withDefaultType("rocksdb"));
        MastBroker broker;
        try {
            broker = MastBroker.builder().config(cfg).build();
        } catch (ConfigException e) {
            e.errors().forEach(line -> System.err.println("mast: " + line));
            return 2;
        } catch (StorageException e) {
            System.err.println("mast: " + e.getMessage());
            return 1;
        }
        broker.core().logLevels(new io.mast.broker.admin.LogLevels() {
            @Override
            public java.util.Map<String, String> levels() {
                return Logging.levels();
            }

            @Override
            public void level(String logger, String level) {
                Logging.level(logger, level);
            }
        });
        try {
            broker.start().join();
        } catch (Exception e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            System.err.println("mast: " + cause.getMessage());
            return 1;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            broker.stop().join();
            stopped.countDown();
        }, "mast-stop"));
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }
}
