package io.mast.examples.exhook;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.mast.exhook.proto.v3.ClientAuthenticateRequest;
import io.mast.exhook.proto.v3.ClientAuthorizeRequest;
import io.mast.exhook.proto.v3.ClientConnectedRequest;
import io.mast.exhook.proto.v3.ClientDisconnectedRequest;
import io.mast.exhook.proto.v3.ClientInfo;
import io.mast.exhook.proto.v3.HookProviderGrpc;
import io.mast.exhook.proto.v3.HookSpec;
import io.mast.exhook.proto.v3.ProviderLoadedRequest;
import io.mast.exhook.sdk.HookServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The example's hooks, called through gRPC as the broker calls them. */
class SeedHooksTest {

    @TempDir
    Path dir;

    @Test
    void theSeedsUseCases() throws Exception {
        try (HookServer server = HookServer.serve(new SeedHooks(dir), 0)) {
            ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", server.port()).usePlaintext()
                    .build();
            try {
                var stub = HookProviderGrpc.newBlockingStub(channel).withDeadlineAfter(5, TimeUnit.SECONDS);
                assertThat(stub.onProviderLoaded(ProviderLoadedRequest.getDefaultInstance()).getHooksList())
                        .extracting(HookSpec::getName).containsExactly("client.connected", "client.disconnected",
                                "client.authenticate", "client.authorize", "message.publish");

                ClientInfo alice = ClientInfo.newBuilder().setClientid("sensor-1").setUsername("alice")
                        .setPeerhost("127.0.0.1").setPeerport(50000).build();
                ClientInfo nobody = ClientInfo.newBuilder().setClientid("").build();
                assertThat(stub.onClientAuthenticate(ClientAuthenticateRequest.newBuilder().setClientinfo(alice)
                        .build()).getBoolResult()).isTrue();
                assertThat(stub.onClientAuthenticate(ClientAuthenticateRequest.newBuilder().setClientinfo(nobody)
                        .setResult(true).build()).getBoolResult()).isFalse();
                assertThat(stub.onClientAuthorize(ClientAuthorizeRequest.newBuilder().setClientinfo(alice)
                        .setTopic("t").build()).getBoolResult()).isTrue();
                assertThat(stub.onClientAuthorize(ClientAuthorizeRequest.newBuilder()
                        .setClientinfo(alice.toBuilder().setUsername("")).setTopic("t").setResult(true).build())
                        .getBoolResult()).isFalse();

                stub.onClientConnected(ClientConnectedRequest.newBuilder().setClientinfo(alice).build());
                assertThat(Files.readString(dir.resolve("status.txt"))).startsWith("sensor-1 online ");
                stub.onClientDisconnected(ClientDisconnectedRequest.newBuilder().setClientinfo(alice)
                        .setReason("normal").build());
                assertThat(Files.readString(dir.resolve("status.txt"))).startsWith("sensor-1 offline ");
                assertThat(Files.readAllLines(dir.resolve("history.log"))).satisfiesExactly(
                        l -> assertThat(l).endsWith(" connected sensor-1 username=alice peer=127.0.0.1:50000"),
                        l -> assertThat(l).endsWith(" disconnected sensor-1 reason=normal"));
            } finally {
                channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            }
        }
    }
}
