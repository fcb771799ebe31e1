package io.mast.it;

import com.google.protobuf.Descriptors;
import com.google.protobuf.Message;
import io.grpc.BindableService;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import io.mast.exhook.proto.stream.HookRequest;
import io.mast.exhook.proto.stream.HookResponse;
import io.mast.exhook.proto.stream.HookStreamGrpc;
import io.mast.exhook.proto.stream.RequestBatch;
import io.mast.exhook.proto.stream.ResponseBatch;
import io.mast.exhook.proto.v3.HookSpec;
import io.mast.exhook.proto.v3.LoadedResponse;
import io.mast.exhook.proto.v3.MessagePublishRequest;
import io.mast.exhook.proto.v3.StreamOffer;
import io.mast.exhook.proto.v3.ValuedResponse;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A hook server written with the generated grpc-java classes that also serves Mast's streaming mode
 * ({@code mast.exhook.v1.HookStream}) and offers it in its OnProviderLoaded answer, for the {@code ExHookStream*IT}
 * tests. Requests on the stream are recorded in the order they arrive (as {@code streamed} calls, with the RPC name of
 * the unary call they stand for) and answered as the unary test servers answer them, each on a thread of its own, so
 * one held answer holds no other.
 */
final class ExHookStreamTesting {

    /** The call recorded when the broker ends its side of a stream. */
    static final String END_OF_STREAM = "(end of stream)";

    private ExHookStreamTesting() {
    }

    /** A v3 server that offers and serves Mast's stream (unless told not to offer it). */
    static final class StreamServer extends ExHookTesting.V3Server {
        /** Frames received: how many requests each carried. */
        final List<Integer> frames = new CopyOnWriteArrayList<>();
        /** The streams (by the order they were opened) each client's requests came on. */
        final ConcurrentHashMap<String, Set<Integer>> streamsOf = new ConcurrentHashMap<>();
        /** Requests received with a non-zero id (decisions) and with id 0 (notifications), by RPC name. */
        final ConcurrentHashMap<String, Set<Boolean>> answered = new ConcurrentHashMap<>();
        private final AtomicInteger opened = new AtomicInteger();
        private final ExecutorService answering = Executors.newCachedThreadPool(
                Thread.ofPlatform().daemon().name("stream-test-answer-", 0).factory());
        private volatile int offeredStreams = 1;
        private volatile boolean offer = true;
        private volatile boolean sameMessage;

        StreamServer(String name, ExHookTesting.Calls calls, List<HookSpec> hooks) {
            super(name, calls, hooks);
        }

        /** The number of streams to offer (from the next OnProviderLoaded). */
        StreamServer streams(int n) {
            offeredStreams = n;
            return this;
        }

        /** Whether to offer the stream at all (from the next OnProviderLoaded). */
        StreamServer offer(boolean on) {
            offer = on;
            return this;
        }

        /** Answers a message.publish that passes the message on unchanged with same_message, leaving it out. */
        StreamServer sameMessage(boolean on) {
            sameMessage = on;
            return this;
        }

        /** Streams the broker opened so far. */
        int opened() {
            return opened.get();
        }

        @Override
        LoadedResponse loaded() {
            LoadedResponse l = super.loaded();
            return offer ? l.toBuilder().setStream(StreamOffer.newBuilder().setVersion(1)
                    .setStreams(offeredStreams)).build() : l;
        }

        @Override
        List<BindableService> services() {
            return List.of(service(), new Exchange());
        }

        @Override
        public void close() {
            super.close();
            answering.shutdownNow();
        }

        private final class Exchange extends HookStreamGrpc.HookStreamImplBase {
            @Override
            public StreamObserver<RequestBatch> exchange(StreamObserver<ResponseBatch> out) {
                int stream = opened.incrementAndGet();
                AtomicInteger outstanding = new AtomicInteger(1); // 1 until the broker ends its side
                Runnable done = () -> {
                    if (outstanding.decrementAndGet() == 0) {
                        synchronized (out) {
                            out.onCompleted();
                        }
                    }
                };
                return new StreamObserver<>() {
                    @Override
                    public void onNext(RequestBatch batch) {
                        frames.add(batch.getRequestsCount());
                        for (HookRequest r : batch.getRequestsList()) {
                            String method = method(r);
                            Message request = payload(r);
                            calls.add(name, method, request, true);
                            String client = new ExHookTesting.Call(0, name, method, request, true).clientId();
                            streamsOf.computeIfAbsent(client.isEmpty() ? from(request) : client,
                                    k -> ConcurrentHashMap.newKeySet()).add(stream);
                            answered.computeIfAbsent(method, k -> ConcurrentHashMap.newKeySet()).add(r.getId() != 0);
                            outstanding.incrementAndGet();
                            answering.execute(() -> {
                                try {
                                    respond(out, r.getId(), request, method);
                                } finally {
                                    done.run();
                                }
                            });
                        }
                    }

                    @Override
                    public void onError(Throwable t) {
                        // the broker cancelled the stream (or the server is being killed)
                    }

                    @Override
                    public void onCompleted() {
                        calls.add(name, END_OF_STREAM, RequestBatch.getDefaultInstance(), true);
                        done.run();
                    }
                };
            }
        }

        private void respond(StreamObserver<ResponseBatch> out, long id, Message request, String method) {
            HookResponse.Builder b = HookResponse.newBuilder().setId(id);
            try {
                Message answer = answer(method, request, id == 0 ? OK : IGNORE);
                if (id == 0) {
                    return;
                }
                ValuedResponse v = (ValuedResponse) answer;
                if (sameMessage && request instanceof MessagePublishRequest q
                        && v.getValueCase() == ValuedResponse.ValueCase.MESSAGE && v.getMessage().equals(q.getMessage())) {
                    b.setValued(v.toBuilder().clearValue()).setSameMessage(true);
                } else {
                    b.setValued(v);
                }
            } catch (StatusRuntimeException e) {
                if (id == 0) {
                    return;
                }
                b.setError(e.getStatus().toString());
            }
            synchronized (out) {
                try {
                    out.onNext(ResponseBatch.newBuilder().addResponses(b).build());
                } catch (RuntimeException closed) {
                    // the stream ended meanwhile
                }
            }
        }
    }

    /** The unary RPC a request stands for: client_connect is OnClientConnect. */
    static String method(HookRequest r) {
        StringBuilder sb = new StringBuilder("On");
        for (String word : r.getRequestCase().name().toLowerCase(Locale.ROOT).split("_")) {
            sb.append(Character.toUpperCase(word.charAt(0))).append(word.substring(1));
        }
        return sb.toString();
    }

    /** The request a stream item carries. */
    static Message payload(HookRequest r) {
        Descriptors.FieldDescriptor f = r.getDescriptorForType().findFieldByNumber(r.getRequestCase().getNumber());
        return (Message) r.getField(f);
    }

    private static String from(Message request) {
        var f = request.getDescriptorForType().findFieldByName("message");
        return f == null ? "" : ((io.mast.exhook.proto.v3.Message) request.getField(f)).getFrom();
    }
}
