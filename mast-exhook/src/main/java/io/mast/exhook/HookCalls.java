package io.mast.exhook;

import com.google.protobuf.Message;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.mast.exhook.proto.v3.ValuedResponse;
import io.mast.plugin.support.RateLimitedLog;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

/**
 * The calls to one hook server. Every call goes through the {@link Sequencer} (one client's calls in order; with
 * {@code publish_inflight}, a client's message.publish calls overlap), has a deadline of {@code request_timeout} from
 * when it was queued, and goes to the address chosen for its client among those up (rendezvous hashing: a client
 * stays on one address while that address is up), on one connection of its pool (also chosen by client). A call
 * whose address turns out to be down is tried again at another address that is up, within its deadline. A server
 * with no address up answers every call at once with {@link Reply.Failure#UNAVAILABLE}.
 */
final class HookCalls {

    /** Notifications one client may have waiting for one server before further ones are dropped. */
    static final int MAX_QUEUED_PER_CLIENT = 1000;

    private final String name;
    private final ServerConfig config;
    private final ServerMetrics metrics;
    private final List<ServerAddress> addresses;
    private final RateLimitedLog failures;
    private final BiConsumer<ServerAddress, String> markDown;
    private final Supplier<ServerStatus> status;
    private final Sequencer sequencer;
    private static final Runnable NOTHING = () -> { };
    /** The reply to a notification queued on a stream: it is not answered. */
    private static final Reply SENT = Reply.ok(io.mast.exhook.proto.v3.EmptySuccess.getDefaultInstance());

    /**
     * @param markDown told when a call finds its address down (the connection failed), with why
     * @param status   the server's status, for the answer to calls when no address is up
     */
    HookCalls(ServerConfig config, ServerMetrics metrics, List<ServerAddress> addresses, RateLimitedLog failures,
              BiConsumer<ServerAddress, String> markDown, Supplier<ServerStatus> status) {
        this.name = config.name();
        this.config = config;
        this.metrics = metrics;
        this.addresses = addresses;
        this.failures = failures;
        this.markDown = markDown;
        this.status = status;
        this.sequencer = new Sequencer(MAX_QUEUED_PER_CLIENT, config.publishInflight());
    }

    /**
     * Takes this client's next place at this server (never refused: for decisions); {@code overlapping} for
     * message.publish, whose calls may overlap up to {@code publish_inflight}.
     */
    Sequencer.Slot reserve(String key, boolean overlapping) {
        return sequencer.reserve(key, false, overlapping);
    }

    /** Gives up a reserved place. */
    void skip(Sequencer.Slot slot) {
        sequencer.skip(slot);
    }

    /** Sends a notification in its client's order; a full queue drops it (counted). Never waits. */
    void notify(Hook hook, String key, Message request) {
        CompletableFuture<Reply> out = streamNow(hook, key, request);
        if (out == null) {
            CompletableFuture<Reply> later = new CompletableFuture<>();
            long deadline = System.nanoTime() + config.requestTimeout().toNanos();
            if (sequencer.submit(key, true, false, done -> call(hook, key, request, deadline, later, done)) == null) {
                metrics.dropped(hook);
                failures.warn("ExHook server {}: dropped {} for {}: {} calls are already waiting for this client",
                        name, hook.hookName, key, MAX_QUEUED_PER_CLIENT);
                return;
            }
            out = later;
        }
        out.thenAccept(r -> {
            if (!r.ok()) {
                failures.warn("ExHook server {}: {} for {} failed: {}", name, hook.hookName, key, r.detail());
            }
        });
    }

    /**
     * Makes a call in the client's order now (its place is taken and filled at once); the reply comes when the call
     * has finished, never exceptionally.
     */
    CompletableFuture<Reply> sendNow(Hook hook, String key, Message request, boolean overlapping) {
        CompletableFuture<Reply> direct = streamNow(hook, key, request);
        if (direct != null) {
            return direct;
        }
        CompletableFuture<Reply> out = new CompletableFuture<>();
        long deadline = System.nanoTime() + config.requestTimeout().toNanos();
        sequencer.submit(key, false, overlapping, done -> call(hook, key, request, deadline, out, done));
        return out;
    }

    /**
     * The fast way of a call to an address served over a stream when nothing of its client waits here: straight onto
     * the stream, which keeps its order. Returns {@code null} when the call must go through the Sequencer.
     */
    private CompletableFuture<Reply> streamNow(Hook hook, String key, Message request) {
        if (key == null || !sequencer.idle(key)) {
            return null;
        }
        ServerAddress a = ServerAddress.pick(addresses, key);
        HookStream stream = a == null ? null : a.stream(key);
        if (stream == null) {
            return null;
        }
        CompletableFuture<Reply> out = new CompletableFuture<>();
        long deadline = System.nanoTime() + config.requestTimeout().toNanos();
        return streamed(stream, a, hook, key, request, deadline, out, NOTHING, addresses.size()) ? out : null;
    }

    /** Makes a call in a reserved place; the reply comes when the call has finished, never exceptionally. */
    CompletableFuture<Reply> send(Sequencer.Slot slot, Hook hook, String key, Message request) {
        long deadline = System.nanoTime() + config.requestTimeout().toNanos();
        CompletableFuture<Reply> out = new CompletableFuture<>();
        sequencer.fill(slot, done -> call(hook, key, request, deadline, out, done));
        return out;
    }

    private void call(Hook hook, String key, Message request, long deadline, CompletableFuture<Reply> out,
                      Runnable done) {
        attempt(hook, key, request, deadline, out, done, addresses.size());
    }

    /** One try of a call; when its address turns out to be down, the call is tried at another one that is up. */
    private void attempt(Hook hook, String key, Message request, long deadline, CompletableFuture<Reply> out,
                         Runnable done, int tries) {
        long remaining = deadline - System.nanoTime();
        if (remaining <= 0) {
            metrics.timedOut(hook);
            done.run();
            out.complete(Reply.failed(Reply.Failure.TIMEOUT, "no answer within " + config.requestTimeout().toMillis()
                    + " ms (waiting behind earlier calls for the same client)"));
            return;
        }
        ServerAddress a = ServerAddress.pick(addresses, key);
        if (a == null) {
            metrics.failed(hook);
            done.run();
            out.complete(Reply.failed(Reply.Failure.UNAVAILABLE, "the server is " + status.get()));
            return;
        }
        HookStream stream = a.stream(key);
        if (stream != null && streamed(stream, a, hook, key, request, deadline, out, done, tries)) {
            return;
        }
        long start = System.nanoTime();
        unary(a.channel(key), hook.method(config.protocol()), remaining, request, (answer, failure) -> {
            if (failure == null) {
                metrics.succeeded(hook, start);
                done.run();
                out.complete(answer == null ? Reply.failed(Reply.Failure.ERROR, "empty answer") : Reply.ok(answer));
                return;
            }
            ended(failure, a, hook, key, request, deadline, out, done, tries);
        });
    }

    /**
     * A call over Mast's stream: queued on it in the client's order, which lets the client's next call start at once
     * (the server keeps a client's calls in order). A notification is done when queued; a decision when answered.
     * Returns false when the stream closed meanwhile (the call is then made unary).
     */
    private boolean streamed(HookStream stream, ServerAddress a, Hook hook, String key, Message request,
                             long deadline, CompletableFuture<Reply> out, Runnable done, int tries) {
        long start = System.nanoTime();
        if (hook.kind != Hook.Kind.DECISION) {
            HookStream.Submitted s = stream.submit(hook, request, deadline, null);
            if (s == HookStream.Submitted.CLOSED) {
                return false;
            }
            done.run();
            if (s == HookStream.Submitted.DROPPED) {
                metrics.dropped(hook);
                out.complete(Reply.failed(Reply.Failure.ERROR, HookStream.MAX_QUEUED
                        + " requests are already waiting to be sent to " + a.uri));
            } else {
                metrics.succeeded(hook, start);
                out.complete(SENT);
            }
            return true;
        }
        HookStream.Submitted s = stream.submit(hook, request, deadline, new HookStream.Answer() {
            @Override
            public void answered(ValuedResponse answer, boolean sameMessage) {
                metrics.succeeded(hook, start);
                out.complete(sameMessage && hook == Hook.MESSAGE_PUBLISH ? Reply.sameMessage(answer)
                        : Reply.ok(answer));
            }

            @Override
            public void failed(Status failure) {
                ended(failure, a, hook, key, request, deadline, out, NOTHING, tries);
            }
        });
        if (s == HookStream.Submitted.CLOSED) {
            return false;
        }
        done.run();
        return true;
    }

    /** A call that failed: counted, and tried again at another address when its own turned out to be down. */
    private void ended(Status failure, ServerAddress a, Hook hook, String key, Message request, long deadline,
                       CompletableFuture<Reply> out, Runnable done, int tries) {
        Reply r;
        if (failure.getCode() == Status.Code.DEADLINE_EXCEEDED) {
            metrics.timedOut(hook);
            r = Reply.failed(Reply.Failure.TIMEOUT, "no answer within " + config.requestTimeout().toMillis()
                    + " ms");
        } else if (failure.getCode() == Status.Code.UNAVAILABLE) {
            metrics.failed(hook);
            markDown.accept(a, describe(failure));
            if (tries > 1 && ServerAddress.pick(addresses, key) != null) {
                attempt(hook, key, request, deadline, out, done, tries - 1);
                return;
            }
            r = Reply.failed(Reply.Failure.UNAVAILABLE, describe(failure));
        } else {
            metrics.failed(hook);
            r = Reply.failed(Reply.Failure.ERROR, describe(failure));
        }
        done.run();
        out.complete(r);
    }

    /** How a unary call ended: with its answer ({@code failure == null}; the answer may be missing) or failed. */
    @FunctionalInterface
    interface Ended {
        void accept(Message answer, Status failure);
    }

    /**
     * Makes one unary call with a deadline; {@code ended} runs once, on the channel's thread. The call is driven
     * through gRPC's ClientCall directly (no stub adapters: one listener object per call).
     */
    static void unary(Channel channel, MethodDescriptor<Message, Message> method, long timeoutNanos, Message request,
                      Ended ended) {
        ClientCall<Message, Message> call = channel.newCall(method,
                CallOptions.DEFAULT.withDeadlineAfter(timeoutNanos, TimeUnit.NANOSECONDS));
        call.start(new ClientCall.Listener<>() {
            private Message answer;

            @Override
            public void onMessage(Message value) {
                answer = value;
            }

            @Override
            public void onClose(Status status, Metadata trailers) {
                if (status.isOk()) {
                    ended.accept(answer, null);
                } else {
                    ended.accept(null, status);
                }
            }
        }, new Metadata());
        try {
            call.request(1);
            call.sendMessage(request);
            call.halfClose();
        } catch (RuntimeException e) {
            call.cancel("the request could not be sent", e); // onClose follows, with CANCELLED
        }
    }

    /** A gRPC status for logs: its code and description. */
    static String describe(Status s) {
        return s.getCode() + (s.getDescription() == null ? "" : ": " + s.getDescription());
    }

    /** The address a client's calls go to now, for tests and logs; {@code null} when none is up. */
    URI addressFor(String clientId) {
        ServerAddress a = ServerAddress.pick(addresses, clientId);
        return a == null ? null : a.uri;
    }

    /** Waits (bounded) for queued calls to finish, for a clean shutdown. */
    void drain(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        sequencer.awaitIdle(timeout);
        while (streamed() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Decisions sent over streams and not answered yet. */
    private int streamed() {
        int n = 0;
        for (ServerAddress a : addresses) {
            HookStream[] s = a.streams;
            if (s != null) {
                for (HookStream one : s) {
                    n += one.pending();
                }
            }
        }
        return n;
    }
}
