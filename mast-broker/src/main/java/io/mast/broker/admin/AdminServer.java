package io.mast.broker.admin;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.mast.broker.BrokerCore;
import io.mast.broker.config.AdminConfig;
import io.mast.broker.transport.Transports;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.timeout.ReadTimeoutHandler;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin API's HTTP listener ({@code admin:} in the config): {@code /api/v1/status}, {@code /api/v1/metrics},
 * {@code /api/v1/plugins} and the resources plugins registered ({@link AdminResources}). Requests are served by
 * {@link AdminHandler}; it runs on the broker's event loops, and plugins' resources on virtual threads.
 */
public final class AdminServer {

    private static final Logger log = LoggerFactory.getLogger(AdminServer.class);

    /** The largest request body accepted (413 above). */
    static final int MAX_BODY = 1 << 20;

    private final AdminConfig config;
    private final AdminHandler.Shared shared;
    private volatile Channel channel;

    /**
     * @param core      the broker, for its status and metrics
     * @param plugins   the loaded plugins' names, in config order
     * @param readiness the checks of {@code /health/ready} by name, each true when it passes
     */
    public AdminServer(BrokerCore core, Supplier<List<String>> plugins, Supplier<Map<String, Boolean>> readiness) {
        this.config = core.config().admin();
        this.shared = new AdminHandler.Shared(core, plugins, config.token(), new ObjectMapper(),
                readiness);
        AdminResources resources = core.admin();
        resources.registerBuiltIn("clients", new ClientsResource(core));
        resources.registerBuiltIn("subscriptions", new SubscriptionsResource(core));
        resources.registerBuiltIn("retained", new RetainedResource(core));
        resources.registerBuiltIn("log", new LogResource(core));
    }

    /** Binds the listener; completes with its address, or exceptionally when it cannot listen. */
    public CompletableFuture<InetSocketAddress> start(EventLoopGroup boss, EventLoopGroup workers) {
        CompletableFuture<InetSocketAddress> bound = new CompletableFuture<>();
        ChannelFuture f = new ServerBootstrap()
                .group(boss, workers)
                .channel(Transports.serverChannel())
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline()
                                .addLast("readTimeout", new ReadTimeoutHandler(60, TimeUnit.SECONDS))
                                .addLast("http", new HttpServerCodec())
                                .addLast("aggregator", new HttpObjectAggregator(MAX_BODY))
                                .addLast("admin", new AdminHandler(shared));
                    }
                })
                .bind(config.bind(), config.port());
        f.addListener(x -> {
            if (x.isSuccess()) {
                channel = f.channel();
                InetSocketAddress a = (InetSocketAddress) channel.localAddress();
                log.info("Admin API on http://{}:{}/api/v1{}", a.getAddress().getHostAddress(), a.getPort(),
                        config.token() == null ? "" : " (token required)");
                bound.complete(a);
            } else {
                bound.completeExceptionally(new IllegalStateException("cannot listen for the admin API on "
                        + config.bind() + ":" + config.port() + ": " + x.cause().getMessage(), x.cause()));
            }
        });
        return bound;
    }

    /** The address it listens on, or null before it is bound. */
    public InetSocketAddress address() {
        Channel c = channel;
        return c == null ? null : (InetSocketAddress) c.localAddress();
    }

    /** Stops listening (requests under way are answered). */
    public void close() {
        Channel c = channel;
        if (c != null) {
            c.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        }
    }
}
