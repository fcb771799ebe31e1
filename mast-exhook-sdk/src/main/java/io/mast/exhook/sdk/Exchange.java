package io.mast.exhook.sdk;

import io.grpc.ServerServiceDefinition;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import io.mast.exhook.proto.stream.HookRequest;
import io.mast.exhook.proto.stream.HookResponse;
import io.mast.exhook.proto.stream.HookStreamGrpc;
import io.mast.exhook.proto.stream.RequestBatch;
import io.mast.exhook.proto.stream.ResponseBatch;
import io.mast.exhook.proto.v3.MessagePublishRequest;
import io.mast.exhook.proto.v3.ValuedResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Exchange stream of Mast's streaming mode ({@code mast.exhook.v1.HookStream}), served with the same
 * {@link Dispatcher} handlers as the unary RPCs: each request runs on its client's lane (in the order it arrived,
 * concurrently across clients); the answers to decisions are sent in frames: as soon as every request of a frame from
 * the broker has been handled, or when {@link #MAX_FRAME} answers are ready, or at the latest {@link #DELAY_MICROS}
 * after the first of them was (a slow hook does not hold the others' answers for long). At most
 * {@link #MAX_OUTSTANDING} requests are taken from the broker before earlier ones finish (gRPC's flow control then
 * holds the broker back). When the broker ends its side, what was received is finished and answered, then this side
 * ends too.
 */
final class Exchange implements StreamObserver<RequestBatch> {

    private static final Logger log = LoggerFactory.getLogger(Exchange.class);
    static final int MAX_FRAME = 256;
    static final long DELAY_MICROS = 500;
    static final int MAX_OUTSTANDING = 10_000;

    /** The service of Mast's stream, served with a dispatcher's handlers. */
    static ServerServiceDefinition service(Dispatcher dispatcher, ScheduledExecutorService timer,
                                           Set<Exchange> open) {
        return ServerServiceDefinition.builder(HookStreamGrpc.getServiceDescriptor())
                .addMethod(HookStreamGrpc.getExchangeMethod(), ServerCalls.asyncBidiStreamingCall(out -> {
                    Exchange e = new Exchange(dispatcher, timer, (ServerCallStreamObserver<ResponseBatch>) out, open);
                    open.add(e);
                    return e;
                }))
                .build();
    }

    private final Dispatcher dispatcher;
    private final ScheduledExecutorService timer;
    private final ServerCallStreamObserver<ResponseBatch> out;
    private final Set<Exchange> open;

    // Guarded by this.
    private List<HookResponse> ready = new ArrayList<>();
    private int outstanding;
    private boolean paused;
    private boolean timerArmed;
    private boolean brokerDone;
    private boolean ended;

    private Exchange(Dispatcher dispatcher, ScheduledExecutorService timer, ServerCallStreamObserver<ResponseBatch> out,
                     Set<Exchange> open) {
        this.dispatcher = dispatcher;
        this.timer = timer;
        this.out = out;
        this.open = open;
        out.disableAutoRequest();
        out.setOnCancelHandler(() -> {
            synchronized (this) {
                ended = true;
                ready.clear();
            }
            open.remove(this);
        });
        out.request(1);
    }

    /** A request of a frame, to run on its client's lane. */
    private record Work(Dispatcher.Handler handler, long id, com.google.protobuf.Message request) {
    }

    /** A frame received, while some of its requests are not handled yet. */
    private static final class Frame {
        int unhandled;
    }

    @Override
    public void onNext(RequestBatch batch) {
        List<HookRequest> requests = batch.getRequestsList();
        Frame frame = new Frame();
        synchronized (this) {
            frame.unhandled = requests.size();
            outstanding += requests.size();
            paused = outstanding >= MAX_OUTSTANDING;
        }
        // One task per client and frame: a client's requests of the frame run in order on its lane, one after the
        // other, without a thread each.
        Map<String, List<Work>> byLane = new LinkedHashMap<>();
        for (HookRequest r : requests) {
            com.google.protobuf.Message request = payload(r);
            Dispatcher.Handler h = request == null ? null : dispatcher.handler(request);
            if (h == null) {
                log.warn("a request on the stream without a known hook ({}); answered with an error",
                        r.getRequestCase());
                finished(frame, r.getId(), null, "unknown request " + r.getRequestCase());
                continue;
            }
            byLane.computeIfAbsent(h.lane().apply(request), k -> new ArrayList<>(4))
                    .add(new Work(h, r.getId(), request));
        }
        for (Map.Entry<String, List<Work>> e : byLane.entrySet()) {
            List<Work> work = e.getValue();
            try {
                dispatcher.lanes().execute(e.getKey(), () -> {
                    for (Work w : work) {
                        run(frame, w.handler, w.id, w.request);
                    }
                });
            } catch (RuntimeException closing) {
                for (Work w : work) {
                    finished(frame, w.id, null, "the hook server is closing");
                }
            }
        }
        synchronized (this) {
            if (!paused && !ended) {
                out.request(1);
            }
        }
    }

    private void run(Frame frame, Dispatcher.Handler h, long id, com.google.protobuf.Message request) {
        Object result;
        try {
            result = dispatcher.invoke(h, request, "v3");
        } catch (Throwable t) {
            log.warn("hook {} failed; answering with an error", h.hook(), t);
            finished(frame, id, null, h.hook() + " failed: " + t);
            return;
        }
        finished(frame, id, result instanceof ValuedResponse v ? v : null, null, sameMessage(request, result));
    }

    /** Whether a message.publish answer's value is the request's own message (then left out of the answer). */
    private static boolean sameMessage(com.google.protobuf.Message request, Object result) {
        return request instanceof MessagePublishRequest q && result instanceof ValuedResponse v
                && v.getValueCase() == ValuedResponse.ValueCase.MESSAGE && v.getMessage() == q.getMessage();
    }

    /** A request was handled: its answer (decisions only) joins the next frame. */
    private void finished(Frame frame, long id, ValuedResponse answer, String error) {
        finished(frame, id, answer, error, false);
    }

    private void finished(Frame frame, long id, ValuedResponse answer, String error, boolean sameMessage) {
        HookResponse r = null;
        if (id != 0) {
            HookResponse.Builder b = HookResponse.newBuilder().setId(id);
            if (sameMessage) {
                r = b.setValued(answer.toBuilder().clearValue()).setSameMessage(true).build();
            } else {
                r = answer != null ? b.setValued(answer).build()
                        : b.setError(error != null ? error : "the hook gave no answer").build();
            }
        }
        boolean resume = false;
        synchronized (this) {
            if (ended) {
                return;
            }
            outstanding--;
            frame.unhandled--;
            if (r != null) {
                ready.add(r);
            }
            if (paused && outstanding < MAX_OUTSTANDING / 2) {
                paused = false;
                resume = !brokerDone;
            }
            if (frame.unhandled == 0 || ready.size() >= MAX_FRAME) {
                send();
            } else if (!ready.isEmpty() && !timerArmed) {
                timerArmed = true;
                try {
                    timer.schedule(this::timerSend, DELAY_MICROS, TimeUnit.MICROSECONDS);
                } catch (RejectedExecutionException stopping) {
                    timerArmed = false;
                    send();
                }
            }
            if (resume) {
                out.request(1);
            }
            if (outstanding == 0 && brokerDone) {
                end();
            }
        }
    }

    private synchronized void timerSend() {
        timerArmed = false;
        if (!ended) {
            send();
        }
    }

    /** Sends the answers that are ready in one frame. Holding the lock (the observer is not thread-safe). */
    private void send() {
        if (ready.isEmpty()) {
            return;
        }
        List<HookResponse> frame = ready;
        ready = new ArrayList<>();
        out.onNext(ResponseBatch.newBuilder().addAllResponses(frame).build());
    }

    /** Ends this side of the stream. Holding the lock. */
    private void end() {
        if (ended) {
            return;
        }
        send();
        ended = true;
        out.onCompleted();
        open.remove(this);
    }

    @Override
    public void onError(Throwable t) {
        synchronized (this) {
            ended = true;
            ready.clear();
        }
        open.remove(this);
    }

    @Override
    public synchronized void onCompleted() {
        brokerDone = true;
        if (outstanding == 0) {
            end();
        }
    }

    /** The server is stopping: finish what was received, answer it and end the stream (the broker goes elsewhere). */
    synchronized void shutdown() {
        brokerDone = true;
        if (outstanding == 0) {
            end();
        }
    }

    /** The request a stream item carries, or null when it carries none this SDK knows. */
    static com.google.protobuf.Message payload(HookRequest r) {
        return switch (r.getRequestCase()) {
            case CLIENT_CONNECT -> r.getClientConnect();
            case CLIENT_CONNACK -> r.getClientConnack();
            case CLIENT_CONNECTED -> r.getClientConnected();
            case CLIENT_DISCONNECTED -> r.getClientDisconnected();
            case CLIENT_AUTHENTICATE -> r.getClientAuthenticate();
            case CLIENT_AUTHORIZE -> r.getClientAuthorize();
            case CLIENT_SUBSCRIBE -> r.getClientSubscribe();
            case CLIENT_UNSUBSCRIBE -> r.getClientUnsubscribe();
            case SESSION_CREATED -> r.getSessionCreated();
            case SESSION_SUBSCRIBED -> r.getSessionSubscribed();
            case SESSION_UNSUBSCRIBED -> r.getSessionUnsubscribed();
            case SESSION_RESUMED -> r.getSessionResumed();
            case SESSION_DISCARDED -> r.getSessionDiscarded();
            case SESSION_TAKENOVER -> r.getSessionTakenover();
            case SESSION_TERMINATED -> r.getSessionTerminated();
            case MESSAGE_PUBLISH -> r.getMessagePublish();
            case MESSAGE_DELIVERED -> r.getMessageDelivered();
            case MESSAGE_DROPPED -> r.getMessageDropped();
            case MESSAGE_ACKED -> r.getMessageAcked();
            case REQUEST_NOT_SET -> null;
        };
    }

    /** Streams open now, to end at shutdown. */
    static Set<Exchange> registry() {
        return ConcurrentHashMap.newKeySet();
    }
}
