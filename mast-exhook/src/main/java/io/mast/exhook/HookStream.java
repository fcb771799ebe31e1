package io.mast.exhook;

import com.google.protobuf.Message;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.netty.shaded.io.netty.util.concurrent.EventExecutor;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * One Exchange stream of Mast's streaming mode ({@code mast.exhook.v1.HookStream}) to one address of a hook server.
 *
 * <p>Threads: {@link #submit} only queues (any thread, never blocks); everything else happens on the event loop that
 * also does the channel's I/O, so frames are built and sent, and answers read and handed on, without locks and
 * without waking another thread per request. A queued request wakes the loop at most once until it has taken the
 * queue ({@code drain}).
 *
 * <p>Requests are sent in the order they were submitted, in frames ({@code RequestBatch}) of up to
 * {@code batch_size} requests. A frame goes out:
 * <ul>
 *   <li>at once when it holds a decision and fewer than {@link #WINDOW} frames sent earlier still wait for answers
 *       (so a decision at low load waits for nothing, and at high load requests gather while the server works);</li>
 *   <li>when it is full;</li>
 *   <li>when an answer frees the window;</li>
 *   <li>at the latest {@code batch_delay} after its first request was queued (notifications only wait for this).</li>
 * </ul>
 * Frames go out only while the transport takes more (gRPC's flow control), so a slow server holds requests here rather
 * than in unbounded buffers; past {@link #MAX_QUEUED} waiting requests, notifications are refused. Notifications are
 * sent with id 0 and never answered; decisions wait for the answer with their id until their deadline
 * ({@code request_timeout} from when they were queued), which a periodic sweep enforces.
 *
 * <p>When the stream ends or breaks, every decision still waiting fails with UNAVAILABLE and the owner is told
 * ({@code broken}), as a unary call that finds its connection gone.
 */
final class HookStream {

    /** How a decision sent on the stream ended: called once, on the event loop. */
    interface Answer {
        /**
         * @param sameMessage for message.publish: the answer's value is the request's message, unchanged (left out
         *                    of {@code answer})
         */
        void answered(ValuedResponse answer, boolean sameMessage);

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

    /** Requests that may wait to be sent (the transport not taking more) before notifications are refused. */
    static final int MAX_QUEUED = 10_000;
    /** Frames with decisions that may be waiting for answers before a new frame waits to fill. */
    static final int WINDOW = 2;
    /** A frame is sent once its requests reach this size, even when it has fewer than batch_size. */
    private static final int MAX_FRAME_BYTES = 1 << 20;
    /** gRPC reports the stream ready while less than this is buffered in the transport. */
    private static final int READY_THRESHOLD = 1 << 20;

    /** A frame sent, while some of its decisions are unanswered. */
    private static final class Frame {
        int unanswered;
    }

    /** A request queued; for a decision, also its place among those waiting for answers. */
    static final class Queued {
        final HookRequest request;
        final long id;
        final long deadline;
        final Answer answer;
        Frame frame;

        Queued(HookRequest request, long id, long deadline, Answer answer) {
            this.request = request;
            this.id = id;
            this.deadline = deadline;
            this.answer = answer;
        }
    }

    private final String name;
    private final ClientCall<RequestBatch, ResponseBatch> call;
    private final EventExecutor loop;
    private final int batchSize;
    private final long delayNanos;
    private final Consumer<String> broken;
    private final CompletableFuture<Status> ended = new CompletableFuture<>();
    private final ScheduledFuture<?> sweep;

    // Any thread.
    private final ConcurrentLinkedQueue<Queued> incoming = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    private final AtomicLong ids = new AtomicLong();
    /** Requests submitted and not yet sent. */
    private final AtomicInteger unsent = new AtomicInteger();
    private volatile boolean accepting = true;
    private volatile int waiting;

    // The event loop only.
    private final ArrayDeque<Queued> outbox = new ArrayDeque<>();
    private final PendingRing pending = new PendingRing();
    private int decisionsQueued;
    private int framesWaiting;
    private boolean timerArmed;
    /** Until the call ended (onClose). */
    private boolean open = true;
    /** Closing: what is queued goes out whatever the transport says, then the broker's side ends. */
    private boolean closing;
    /** Nothing more may be sent (half-closed or cancelled). */
    private boolean sealed;

    /**
     * Opens the stream.
     *
     * @param name    the server and address, for logs
     * @param loop    the event loop of the channel's transport
     * @param broken  told (once, with why) when the stream ends or breaks other than by {@link #close}
     */
    HookStream(String name, Channel channel, EventExecutor loop, ServerConfig config,
               Consumer<String> broken) {
        this.name = name;
        this.loop = loop;
        this.batchSize = config.batchSize();
        this.delayNanos = config.batchDelay().toNanos();
        this.broken = broken;
        this.call = channel.newCall(HookStreamGrpc.getExchangeMethod(),
                CallOptions.DEFAULT.withOnReadyThreshold(READY_THRESHOLD));
        long period = Math.clamp(config.requestTimeout().toMillis() / 8, 1, 100);
        this.sweep = loop.scheduleWithFixedDelay(this::expire, period, period, TimeUnit.MILLISECONDS);
        loop.execute(() -> {
            call.start(new Listener(), new Metadata());
            call.request(1);
        });
    }

    /**
     * Queues a request: a notification ({@code answer == null}) or a decision, whose answer comes later. Never
     * blocks; the order of the calls is the order on the stream.
     */
    Submitted submit(Hook hook, Message request, long deadline, Answer answer) {
        if (!accepting) {
            return Submitted.CLOSED;
        }
        if (answer == null && unsent.get() >= MAX_QUEUED) {
            return Submitted.DROPPED;
        }
        unsent.incrementAndGet();
        long id = answer == null ? 0 : ids.incrementAndGet();
        incoming.offer(new Queued(wrap(hook, id, request), id, deadline, answer));
        if (!drainScheduled.get() && drainScheduled.compareAndSet(false, true)) {
            loop.execute(this::drain);
        }
        return Submitted.QUEUED;
    }

    /** Takes what was submitted into the outbox and sends what the rules let out. On the loop. */
    private void drain() {
        drainScheduled.set(false);
        Queued q;
        while ((q = incoming.poll()) != null) {
            if (!open) {
                unsent.decrementAndGet();
                if (q.answer != null) {
                    q.answer.failed(Status.UNAVAILABLE.withDescription("the stream to " + name + " ended"));
                }
                continue;
            }
            if (q.answer != null) {
                pending.add(q);
                decisionsQueued++;
            }
            outbox.addLast(q);
        }
        waiting = pending.size();
        if (outbox.isEmpty()) {
            return;
        }
        if (outbox.size() >= batchSize || delayNanos == 0 || closing
                || decisionsQueued > 0 && framesWaiting < WINDOW) {
            flush();
        } else if (!timerArmed) {
            timerArmed = true;
            loop.schedule(this::timerFlush, delayNanos, TimeUnit.NANOSECONDS);
        }
    }

    private void timerFlush() {
        timerArmed = false;
        flush();
    }

    /** Sends what is in the outbox, in frames, while the transport takes more. On the loop. */
    private void flush() {
        while (open && !sealed && !outbox.isEmpty() && (call.isReady() || closing)) {
            RequestBatch.Builder b = RequestBatch.newBuilder();
            Frame frame = new Frame();
            int bytes = 0;
            int n = 0;
            for (; n < batchSize && bytes < MAX_FRAME_BYTES; n++) {
                Queued q = outbox.pollFirst();
                if (q == null) {
                    break;
                }
                b.addRequests(q.request);
                bytes += q.request.getSerializedSize();
                if (q.answer != null && pending.contains(q)) {
                    q.frame = frame;
                    frame.unanswered++;
                    decisionsQueued--;
                }
            }
            unsent.addAndGet(-n);
            if (frame.unanswered > 0) {
                framesWaiting++;
            }
            call.sendMessage(b.build());
        }
    }

    /** A decision is settled (answered, failed or timed out): its frame may free the window. On the loop. */
    private void settled(Queued p) {
        Frame f = p.frame;
        if (f == null) {
            decisionsQueued--; // never sent
        } else if (--f.unanswered == 0) {
            framesWaiting--;
        }
    }

    /** Fails the decisions whose deadline passed (run periodically on the loop). */
    private void expire() {
        List<Queued> late = pending.expired(System.nanoTime());
        if (late.isEmpty()) {
            return;
        }
        for (Queued p : late) {
            settled(p);
        }
        waiting = pending.size();
        if (framesWaiting < WINDOW && decisionsQueued > 0) {
            flush();
        }
        for (Queued p : late) {
            p.answer.failed(Status.DEADLINE_EXCEEDED);
        }
    }

    /** Decisions queued or sent, and not answered yet. */
    int pending() {
        return waiting + (incoming.isEmpty() ? 0 : 1);
    }

    /** Whether the stream takes requests (a hint: {@link #submit} answers CLOSED when it no longer does). */
    boolean isOpen() {
        return accepting;
    }

    /**
     * Ends the stream: sends what is queued, ends the broker's side and waits (at most {@code wait}) for the server to
     * answer what it received and end its side; then cancels it. Decisions still waiting fail with UNAVAILABLE.
     * Not on the loop.
     */
    void close(Duration wait) {
        accepting = false;
        loop.execute(() -> {
            if (!open || sealed) {
                return;
            }
            closing = true;
            drain();
            flush();
            sealed = true;
            call.halfClose();
        });
        try {
            ended.get(wait.toNanos(), TimeUnit.NANOSECONDS);
        } catch (Exception e) {
            abort("closed");
        }
    }

    /** Cancels the stream (the address went down): decisions still waiting fail with UNAVAILABLE. Any thread. */
    void abort(String why) {
        accepting = false;
        loop.execute(() -> {
            if (!open) {
                return;
            }
            closing = true;
            sealed = true;
            call.cancel(why, null);
        });
    }

    /** Runs a callback of the call on the loop (gRPC runs them there, except in corner cases such as shutdown). */
    private void onLoop(Runnable r) {
        if (loop.inEventLoop()) {
            r.run();
        } else {
            loop.execute(r);
        }
    }

    private final class Listener extends ClientCall.Listener<ResponseBatch> {
        @Override
        public void onMessage(ResponseBatch frame) {
            onLoop(() -> answered(frame));
        }

        @Override
        public void onReady() {
            onLoop(HookStream.this::flush);
        }

        @Override
        public void onClose(Status status, Metadata trailers) {
            onLoop(() -> closed(status));
        }
    }

    private void answered(ResponseBatch frame) {
        int n = frame.getResponsesCount();
        Queued[] done = new Queued[n];
        for (int i = 0; i < n; i++) {
            Queued p = pending.remove(frame.getResponses(i).getId());
            if (p != null) { // null: timed out already (or an id the broker never sent)
                settled(p);
                done[i] = p;
            }
        }
        waiting = pending.size();
        if (framesWaiting < WINDOW && decisionsQueued > 0) {
            flush();
        }
        if (open) {
            call.request(1);
        }
        for (int i = 0; i < n; i++) {
            Queued p = done[i];
            if (p == null) {
                continue;
            }
            HookResponse r = frame.getResponses(i);
            switch (r.getResultCase()) {
                case VALUED -> p.answer.answered(r.getValued(), r.getSameMessage());
                case ERROR -> p.answer.failed(Status.INTERNAL.withDescription(r.getError()));
                default -> p.answer.failed(Status.INTERNAL.withDescription("an answer without a result"));
            }
        }
    }

    private void closed(Status status) {
        open = false;
        accepting = false;
        boolean wanted = closing;
        int lost = outbox.size();
        outbox.clear();
        List<Queued> left = pending.drain();
        waiting = 0;
        sweep.cancel(false);
        String why = status.isOk() ? "the server ended the stream"
                : "the stream ended: " + HookCalls.describe(status);
        Status failure = Status.UNAVAILABLE.withDescription(why);
        for (Queued p : left) {
            p.answer.failed(failure);
        }
        drain(); // fails what was submitted meanwhile
        ended.complete(status);
        if (!wanted) {
            broken.accept(why + (lost > 0 ? " (" + lost + " requests were not sent)" : ""));
        }
    }

    /**
     * The decisions waiting for answers by id. Ids are given in submission order, so they live in a ring indexed by
     * id (no boxing, no hashing); answers mostly come in order, so the ring stays about as large as what is in
     * flight. Ids may reach the loop slightly out of order (several threads submit), which the ring allows.
     */
    static final class PendingRing {
        private Queued[] ring = new Queued[64];
        /** No id below this is waiting. */
        private long head;
        /** One above the highest id waiting. */
        private long end;
        private int size;

        void add(Queued p) {
            if (size == 0) {
                head = p.id;
                end = p.id + 1;
            } else {
                long from = Math.min(head, p.id);
                long to = Math.max(end, p.id + 1);
                while (to - from > ring.length) {
                    grow();
                }
                head = from;
                end = to;
            }
            ring[slot(p.id)] = p;
            size++;
        }

        boolean contains(Queued p) {
            return p.id >= head && p.id < end && ring[slot(p.id)] == p;
        }

        Queued remove(long id) {
            if (size == 0 || id < head || id >= end) {
                return null;
            }
            int i = slot(id);
            Queued p = ring[i];
            if (p == null || p.id != id) {
                return null;
            }
            ring[i] = null;
            if (--size == 0) {
                head = end;
                return p;
            }
            while (ring[slot(head)] == null) {
                head++;
            }
            while (ring[slot(end - 1)] == null) {
                end--;
            }
            return p;
        }

        /** Removes and returns the decisions whose deadline passed. */
        List<Queued> expired(long now) {
            List<Queued> out = new ArrayList<>();
            for (long id = head; id < end && size > 0; id++) {
                Queued p = ring[slot(id)];
                if (p != null && now - p.deadline >= 0) {
                    out.add(p);
                }
            }
            for (Queued p : out) {
                remove(p.id);
            }
            return out;
        }

        /** Removes and returns everything. */
        List<Queued> drain() {
            List<Queued> out = new ArrayList<>(size);
            for (long id = head; id < end && out.size() < size; id++) {
                Queued p = ring[slot(id)];
                if (p != null) {
                    out.add(p);
                }
            }
            ring = new Queued[64];
            head = end;
            size = 0;
            return out;
        }

        int size() {
            return size;
        }

        private int slot(long id) {
            return (int) (id & (ring.length - 1));
        }

        private void grow() {
            Queued[] bigger = new Queued[ring.length * 2];
            for (long id = head; id < end; id++) {
                Queued p = ring[slot(id)];
                if (p != null) {
                    bigger[(int) (id & (bigger.length - 1))] = p;
                }
            }
            ring = bigger;
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
