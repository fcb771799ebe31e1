package io.mast.exhook.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.mast.exhook.proto.v3.ClientAuthenticateRequest;
import io.mast.exhook.proto.v3.ClientConnectedRequest;
import io.mast.exhook.proto.v3.ClientDisconnectedRequest;
import io.mast.exhook.proto.v3.HookProviderGrpc;
import io.mast.exhook.proto.v3.HookSpec;
import io.mast.exhook.proto.v3.ProviderLoadedRequest;
import io.mast.exhook.proto.v3.ValuedResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** {@link HookProvider#registeredHooks}: a provider that overrides every hook registers only those it chooses. */
class RegisteredHooksTest {

    /** Overrides four hooks, registers what it is given. */
    static final class Choosing extends HookProvider {
        final Map<String, List<String>> chosen;
        final List<String> calls = new CopyOnWriteArrayList<>();

        Choosing(Map<String, List<String>> chosen) {
            this.chosen = chosen;
        }

        @Override
        protected Map<String, List<String>> registeredHooks(Map<String, List<String>> overridden) {
            assertThat(overridden.keySet()).containsExactly("client.connected", "client.disconnected",
                    "client.authenticate", "message.publish");
            return chosen;
        }

        @Override
        public void onClientConnected(ClientInfo client) {
            calls.add("connected");
        }

        @Override
        public void onClientDisconnected(ClientInfo client, String reason) {
            calls.add("disconnected");
        }

        @Override
        public Answer<Boolean> answerClientAuthenticate(ClientInfo client, boolean resultSoFar) {
            calls.add("authenticate");
            return Answer.stop(false);
        }

        @Override
        public Message onMessagePublish(Message message) {
            return message;
        }
    }

    private static Dispatcher dispatcher(HookProvider p) {
        return new Dispatcher(p, new Lanes(Executors.newVirtualThreadPerTaskExecutor()));
    }

    @Test
    void theChosenHooksAreRegisteredInTheProtocolsOrderWithTheirTopics() {
        Choosing p = new Choosing(Map.of("message.publish", List.of("a/#", "b"), "client.disconnected", List.of()));
        assertThat(dispatcher(p).registered()).containsExactly(Map.entry("client.disconnected", List.of()),
                Map.entry("message.publish", List.of("a/#", "b")));
    }

    @Test
    void choosingAHookItDoesNotOverrideOrTopicsOnAClientHookIsRefused() {
        assertThatThrownBy(() -> dispatcher(new Choosing(Map.of("session.created", List.of()))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("session.created is not a hook");
        assertThatThrownBy(() -> dispatcher(new Choosing(Map.of("client.connected", List.of("a")))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("message hooks only");
        assertThatThrownBy(() -> dispatcher(new Choosing(Map.of("message.publish", List.of("a/#/b")))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'a/#/b' is not a topic filter");
    }

    @Test
    void hooksLeftOutAreNotCalled() throws InterruptedException {
        Choosing p = new Choosing(Map.of("client.disconnected", List.of()));
        HookServer server = HookServer.serve(p, 0);
        ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", server.port()).usePlaintext().build();
        try {
            var stub = HookProviderGrpc.newBlockingStub(channel).withDeadlineAfter(5, TimeUnit.SECONDS);
            assertThat(stub.onProviderLoaded(ProviderLoadedRequest.getDefaultInstance()).getHooksList())
                    .extracting(HookSpec::getName).containsExactly("client.disconnected");
            io.mast.exhook.proto.v3.ClientInfo c = io.mast.exhook.proto.v3.ClientInfo.newBuilder().setClientid("c")
                    .build();
            ValuedResponse auth = stub.onClientAuthenticate(ClientAuthenticateRequest.newBuilder().setClientinfo(c)
                    .setResult(true).build());
            assertThat(auth.getType()).isEqualTo(ValuedResponse.ResponsedType.IGNORE);
            stub.onClientConnected(ClientConnectedRequest.newBuilder().setClientinfo(c).build());
            stub.onClientDisconnected(ClientDisconnectedRequest.newBuilder().setClientinfo(c).setReason("normal")
                    .build());
            assertThat(p.calls).containsExactly("disconnected");
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            server.close();
        }
    }
}
