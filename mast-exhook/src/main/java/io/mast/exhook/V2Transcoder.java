package io.mast.exhook;

import com.google.protobuf.DiscardUnknownFieldsParser;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.Parser;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.mast.exhook.proto.v3.ClientSubscribeRequest;
import io.mast.exhook.proto.v3.ClientUnsubscribeRequest;
import io.mast.exhook.proto.v3.SessionSubscribedRequest;
import io.mast.exhook.proto.v3.SessionUnsubscribedRequest;
import io.mast.exhook.proto.v3.TopicFilter;
import java.io.InputStream;
import java.util.List;

/**
 * Speaks {@code emqx.exhook.v2} with messages built as v3: the bridge builds every request in v3, and for a v2 server
 * re-reads its bytes as the v2 type (v3's additions, unknown to v2, are dropped), then fills what v2 carries
 * differently, as EMQX 5.0 to 5.8 sent it: a TopicFilter's QoS in its own field and its name without
 * {@code $share/<group>/}, and the group of a shared subscription in SubOpts.share with the topic without the prefix.
 * Answers are read as v2 and re-read as v3 (the shapes are the same).
 */
final class V2Transcoder {

    private V2Transcoder() {
    }

    @SuppressWarnings("unchecked")
    static MethodDescriptor<Message, Message> untyped(MethodDescriptor<?, ?> m) {
        return (MethodDescriptor<Message, Message>) (MethodDescriptor<?, ?>) m;
    }

    /** A method taking and returning v3 messages that calls the v2 method of the same name. */
    static MethodDescriptor<Message, Message> v2(MethodDescriptor<?, ?> v2Method, MethodDescriptor<?, ?> v3Method) {
        MethodDescriptor<Message, Message> v2 = untyped(v2Method);
        Message v2Request = prototype(v2.getRequestMarshaller());
        Parser<? extends Message> v3Response = prototype(untyped(v3Method).getResponseMarshaller()).getParserForType();
        MethodDescriptor.Marshaller<Message> requests = new MethodDescriptor.Marshaller<>() {
            @Override
            public InputStream stream(Message v3) {
                return v2.getRequestMarshaller().stream(toV2(v3, v2Request));
            }

            @Override
            public Message parse(InputStream stream) {
                throw new UnsupportedOperationException("the bridge only sends requests");
            }
        };
        MethodDescriptor.Marshaller<Message> responses = new MethodDescriptor.Marshaller<>() {
            @Override
            public InputStream stream(Message value) {
                throw new UnsupportedOperationException("the bridge only reads answers");
            }

            @Override
            public Message parse(InputStream stream) {
                Message answer = v2.getResponseMarshaller().parse(stream);
                try {
                    return v3Response.parseFrom(answer.toByteString());
                } catch (InvalidProtocolBufferException e) {
                    throw Status.INTERNAL.withDescription("cannot read the v2 answer: " + e.getMessage())
                            .withCause(e).asRuntimeException();
                }
            }
        };
        return MethodDescriptor.<Message, Message>newBuilder(requests, responses)
                .setType(MethodDescriptor.MethodType.UNARY)
                .setFullMethodName(v2.getFullMethodName())
                .build();
    }

    private static Message prototype(MethodDescriptor.Marshaller<Message> m) {
        if (m instanceof MethodDescriptor.PrototypeMarshaller<Message> p) {
            return p.getMessagePrototype();
        }
        throw new IllegalStateException("not a protobuf marshaller: " + m);
    }

    /** The v2 form of a v3 request. */
    static Message toV2(Message v3, Message v2Prototype) {
        Message v2;
        try {
            v2 = DiscardUnknownFieldsParser.wrap(v2Prototype.getParserForType()).parseFrom(v3.toByteString());
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("v3 request not readable as v2: " + e.getMessage(), e);
        }
        return switch (v3) {
            case ClientSubscribeRequest r -> ((io.mast.exhook.proto.v2.ClientSubscribeRequest) v2).toBuilder()
                    .clearTopicFilters().addAllTopicFilters(filters(r.getTopicFiltersList())).build();
            case ClientUnsubscribeRequest r -> ((io.mast.exhook.proto.v2.ClientUnsubscribeRequest) v2).toBuilder()
                    .clearTopicFilters().addAllTopicFilters(filters(r.getTopicFiltersList())).build();
            case SessionSubscribedRequest r -> {
                var b = ((io.mast.exhook.proto.v2.SessionSubscribedRequest) v2).toBuilder()
                        .setTopic(Requests.realTopic(r.getTopic()));
                String group = Requests.shareGroup(r.getTopic());
                if (group != null) {
                    b.setSubopts(b.getSubopts().toBuilder().setShare(group));
                }
                yield b.build();
            }
            case SessionUnsubscribedRequest r -> ((io.mast.exhook.proto.v2.SessionUnsubscribedRequest) v2).toBuilder()
                    .setTopic(Requests.realTopic(r.getTopic())).build();
            default -> v2;
        };
    }

    private static List<io.mast.exhook.proto.v2.TopicFilter> filters(List<TopicFilter> v3) {
        return v3.stream().map(f -> io.mast.exhook.proto.v2.TopicFilter.newBuilder()
                .setName(Requests.realTopic(f.getName()))
                .setQos(f.getSubopts().getQos())
                .build()).toList();
    }
}
