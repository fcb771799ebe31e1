package io.mast.exhook;

import com.google.protobuf.Message;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.Metadata;
import io.grpc.Status;
import io.mast.exhook.proto.stream.HookRequest;
import io.mast.exhook.proto.stream.HookResponse;
import io.mast.exhook.proto.stream.HookStreamGrpc;
import io.mast.exhook.proto.stream.RequestBatch;
import io.mast.exhook.proto.stream.ResponseBatch;
import io.mast.exhook.proto.v3.ClientAuthenticateRequest;
import io.mast.exhook.proto.v3.ClientAuthorizeRequest;
import io.mast.exhook.proto.v3.ClientConnackRequest;
import io.mast.exhook.proto.v3.ClientConnectRequest;
import io.mast.exhook.proto.v3.ClientConnectedRequest;
import io.mast.exhook.proto.v3.ClientDisconnectedRequest;
import io.mast.exhook.proto.v3.ClientSubscribeRequest;
import io.mast.exhook.proto.v3.ClientUnsubscribeRequest;
import io.mast.exhook.proto.v3.MessageAckedRequest;
import io.mast.exhook.proto.v3.MessageDeliveredRequest;
import io.mast.exhook.proto.v3.MessageDroppedRequest;
import io.mast.exhook.proto.v3.MessagePublishRequest;
import io.mast.exhook.proto.v3.SessionCreatedRequest;
import io.mast.exhook.proto.v3.SessionDiscardedRequest;
import io.mast.exhook.proto.v3.SessionResumedRequest;
import io.mast.exhook.proto.v3.SessionSubscribedRequest;
import io.mast.exhook.proto.v3.SessionTakenoverRequest;
import io.mast.exhook.proto.v3.SessionTerminatedRequest;
import io.mast.exhook.proto.v3.SessionUnsubscribedRequest;
import io.mast.exhook.proto.v3.ValuedResponse;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * One Exchange stream of Mast's streaming mode ({@code mast.exhook.v1.HookStream}) to one address of a hook server.
 * Requests are queued in the order they are submitted and sent in frames ({@code RequestBatch}) of up to
 * {@code batch_size} requests: a frame goes out when it is full, or {@code batch_delay} after its first request was
 * queued, and only while the transport takes more (gRPC's flow control), so a slow server holds requests here rather
 * than in unbounded buffers. Notifications are sent with id 0 and never answered; decisions wait for the answer with
 * their id, until their deadline ({@code request_timeout} from when they were queued), which a periodic sweep
 * enforces.
 *
 * <p>When the stream ends or breaks, every decision still waiting fails with UNAVAILABLE and the owner is told
 * ({@code broken}), as a unary call that finds its connection gone.
 */
final class HookStream {

    /** How a decision sent on the stream ended: called once, on a gRPC or the scheduler's thread. */
    interface Answer {
        void answered(ValuedResponse answer);

        void failed(Status status);
    }

    /** What became of a submitted request. */
    enum Submitted {
        /** Queued on the stream, in order. */
        QUEUED,
        /** A notification refused because {@link #MAX_QUEUED} requests are already waiting to be sent. */
        DROPPED,
        /** The stream is no longer open: use another way. */
        CLOSED
    }

    /** Requests that may wait to be sent (the transport not taking more) before notifications are dropped. */
    static final int MAX_QUEUED = 10_000;
    /** A frame is sent once its requests reach this size, even when it has fewer than batch_size. */
    private static final int MAX_FRAME_BYTES = 1 << 20;
    /** gRPC reports the stream ready while less than this is buffered in the transport. */
    private static final int READY_THRESHOLD = 1 << 20;

    private record Pending(Hook hook, long deadline, Answer answer) {
    }

    private final String name;
    private final ClientCall<RequestBatch, ResponseBatch> call;
    private final ScheduledExecutorService scheduler;
    private final int batchSize;
    private final long delayNanos;
    private final Consumer<String> broken;
    private final Map<Long, Pending> pending = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();
    private final CompletableFuture<Status> ended = new CompletableFuture<>();
    private final ScheduledFuture<?> sweep;
    private volatile boolean accepting = true;

    // Guarded by lock: the requests not yet sent, and the state of the call (gRPC's ClientCall is not thread-safe).
    private final Object lock = new Object();
    private final ArrayDeque<HookRequest> outbox = new ArrayDeque<>();
    private boolean timerArmed;
    /** Until the call ended (onClose). */
    private boolean open = true;
    /** No more requests are taken (closing or aborted). */
    private boolean closing;
    /** Nothing more may be sent (half-closed or cancelled). */
    private boolean sealed;

    /**
     * Opens the stream.
     *
     * @param name    the server and address, for logs
     * @param broken  told (once, with why) when the stream ends or breaks other than by {@link #close}
     */
    HookStream(String name, Channel channel, ServerConfig config, ScheduledExecutorService scheduler,
               Consumer<String> broken) {
        this.name = name;
        this.scheduler = scheduler;
        this.batchSize = config.batchSize();
        this.delayNanos = config.batchDelay().toNanos();
        this.broken = broken;
        this.call = channel.newCall(HookStreamGrpc.getExchangeMethod(),
                CallOptions.DEFAULT.withOnReadyThreshold(READY_THRESHOLD));
        long period = Math.clamp(config.requestTimeout().toMillis() / 8, 1, 100);
        this.sweep = scheduler.scheduleWithFixedDelay(this::expire, period, period, TimeUnit.MILLISECONDS);
        synchronized (lock) {
            call.start(new Listener(), new Metadata());
            call.request(1);
        }
    }

    /**
     * Queues a request: a notification ({@code answer == null}) or a decision, whose answer comes later. Never
     * blocks; the order of the calls is the order on the stream.
     */
    Submitted submit(Hook hook, Message request, long deadline, Answer answer) {
        long id = 0;
        if (answer != null) {
            id = ids.incrementAndGet();
            pending.put(id, new Pending(hook, deadline, answer));
        }
        HookRequest r = wrap(hook, id, request);
        synchronized (lock) {
            if (!open || closing) {
                pending.remove(id);
                return Submitted.CLOSED;
            }
            if (answer == null && outbox.size() >= MAX_QUEUED) {
                return Submitted.DROPPED;
            }
            outbox.addLast(r);
            if (outbox.size() >= batchSize || delayNanos == 0) {
                flush();
            } else if (!timerArmed) {
                timerArmed = true;
                try {
                    scheduler.schedule(this::timerFlush, delayNanos, TimeUnit.NANOSECONDS);
                } catch (RejectedExecutionException shuttingDown) {
                    timerArmed = false;
                    flush();
                }
            }
        }
        return Submitted.QUEUED;
    }

    private void timerFlush() {
        synchronized (lock) {
            timerArmed = false;
            flush();
        }
    }

    /** Sends what is queued, in frames, while the transport takes more. Holding the lock. */
    private void flush() {
        while (open && !sealed && !outbox.isEmpty() && (call.isReady() || closing)) {
            RequestBatch.Builder frame = RequestBatch.newBuilder();
            int bytes = 0;
            int n = 0;
            while (n < batchSize && bytes < MAX_FRAME_BYTES) {
                HookRequest r = outbox.pollFirst();
                if (r == null) {
                    break;
                }
                frame.addRequests(r);
                bytes += r.getSerializedSize();
                n++;
            }
            call.sendMessage(frame.build());
        }
    }

    /** Fails the decisions whose deadline passed (the scheduler runs this periodically). */
    private void expire() {
        long now = System.nanoTime();
        for (var e : pending.entrySet()) {
            Pending p = e.getValue();
            if (now - p.deadline >= 0 && pending.remove(e.getKey(), p)) {
                p.answer.failed(Status.DEADLINE_EXCEEDED);
            }
        }
    }

    /** Decisions sent and not answered yet. */
    int pending() {
        return pending.size();
    }

    /** Whether the stream takes requests (a hint: {@link #submit} answers CLOSED when it no longer does). */
    boolean isOpen() {
        return accepting;
    }

    /**
     * Ends the stream: sends what is queued, ends the broker's side and waits (at most {@code wait}) for the server to
     * answer what it received and end its side; then cancels it. Decisions still waiting fail with UNAVAILABLE.
     */
    void close(Duration wait) {
        synchronized (lock) {
            if (!open || closing) {
                return;
            }
            closing = true;
            accepting = false;
            flush();
            sealed = true;
            call.halfClose();
        }
        try {
            ended.get(wait.toNanos(), TimeUnit.NANOSECONDS);
        } catch (Exception e) {
            abort("closed");
        }
    }

    /** Cancels the stream at once (the address went down): decisions still waiting fail with UNAVAILABLE. */
    void abort(String why) {
        synchronized (lock) {
            if (!open) {
                return;
            }
            closing = true;
            accepting = false;
            sealed = true;
            call.cancel(why, null);
        }
    }

    private final class Listener extends ClientCall.Listener<ResponseBatch> {
        @Override
        public void onMessage(ResponseBatch frame) {
            for (HookResponse r : frame.getResponsesList()) {
                Pending p = pending.remove(r.getId());
                if (p == null) {
                    continue; // timed out already (or an id the broker never sent)
                }
                switch (r.getResultCase()) {
                    case VALUED -> p.answer.answered(r.getValued());
                    case ERROR -> p.answer.failed(Status.INTERNAL.withDescription(r.getError()));
                    default -> p.answer.failed(Status.INTERNAL.withDescription("an answer without a result"));
                }
            }
            synchronized (lock) {
                if (open) {
                    call.request(1);
                }
            }
        }

        @Override
        public void onReady() {
            synchronized (lock) {
                flush();
            }
        }

        @Override
        public void onClose(Status status, Metadata trailers) {
            boolean wanted;
            int dropped;
            synchronized (lock) {
                open = false;
                accepting = false;
                wanted = closing;
                dropped = outbox.size();
                outbox.clear();
            }
            sweep.cancel(false);
            String why = status.isOk() ? "the server ended the stream"
                    : "the stream ended: " + HookCalls.describe(status);
            List<Pending> left = new ArrayList<>(pending.values());
            pending.clear();
            Status failure = Status.UNAVAILABLE.withDescription(why);
            for (Pending p : left) {
                p.answer.failed(failure);
            }
            ended.complete(status);
            if (!wanted) {
                broken.accept(why + (dropped > 0 ? " (" + dropped + " requests were not sent)" : ""));
            }
        }
    }

    @Override
    public String toString() {
        return name;
    }

    /** A request as one item of a frame. */
    static HookRequest wrap(Hook hook, long id, Message request) {
        HookRequest.Builder b = HookRequest.newBuilder().setId(id);
        switch (hook) {
            case CLIENT_CONNECT -> b.setClientConnect((ClientConnectRequest) request);
            case CLIENT_CONNACK -> b.setClientConnack((ClientConnackRequest) request);
            case CLIENT_CONNECTED -> b.setClientConnected((ClientConnectedRequest) request);
            case CLIENT_DISCONNECTED -> b.setClientDisconnected((ClientDisconnectedRequest) request);
            case CLIENT_AUTHENTICATE -> b.setClientAuthenticate((ClientAuthenticateRequest) request);
            case CLIENT_AUTHORIZE -> b.setClientAuthorize((ClientAuthorizeRequest) request);
            case CLIENT_SUBSCRIBE -> b.setClientSubscribe((ClientSubscribeRequest) request);
            case CLIENT_UNSUBSCRIBE -> b.setClientUnsubscribe((ClientUnsubscribeRequest) request);
            case SESSION_CREATED -> b.setSessionCreated((SessionCreatedRequest) request);
            case SESSION_SUBSCRIBED -> b.setSessionSubscribed((SessionSubscribedRequest) request);
            case SESSION_UNSUBSCRIBED -> b.setSessionUnsubscribed((SessionUnsubscribedRequest) request);
            case SESSION_RESUMED -> b.setSessionResumed((SessionResumedRequest) request);
            case SESSION_DISCARDED -> b.setSessionDiscarded((SessionDiscardedRequest) request);
            case SESSION_TAKENOVER -> b.setSessionTakenover((SessionTakenoverRequest) request);
            case SESSION_TERMINATED -> b.setSessionTerminated((SessionTerminatedRequest) request);
            case MESSAGE_PUBLISH -> b.setMessagePublish((MessagePublishRequest) request);
            case MESSAGE_DELIVERED -> b.setMessageDelivered((MessageDeliveredRequest) request);
            case MESSAGE_DROPPED -> b.setMessageDropped((MessageDroppedRequest) request);
            case MESSAGE_ACKED -> b.setMessageAcked((MessageAckedRequest) request);
            case PROVIDER_LOADED, PROVIDER_UNLOADED -> throw new IllegalArgumentException(hook + " is always unary");
        }
        return b.build();
    }
}
