package io.mast.broker.admin;

import com.fasterxml.jackson.databind.ObjectMapper;
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

    /** @param services what the API reads and changes */
    public AdminServer(AdminServices services) {
        this.config = services.config();
        this.shared = new AdminHandler.Shared(services, config.token(), new ObjectMapper());
        AdminResources resources = services.resources();
        resources.registerBuiltIn("clients", new ClientsResource(services));
        resources.registerBuiltIn("subscriptions", new SubscriptionsResource(services));
        resources.registerBuiltIn("retained", new RetainedResource(services));
        resources.registerBuiltIn("log", new LogResource(services));
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
