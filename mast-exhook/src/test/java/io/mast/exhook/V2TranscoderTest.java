package io.mast.exhook;

import static org.assertj.core.api.Assertions.assertThat;

import io.mast.exhook.proto.v3.ClientInfo;
import io.mast.exhook.proto.v3.ClientSubscribeRequest;
import io.mast.exhook.proto.v3.SessionSubscribedRequest;
import io.mast.exhook.proto.v3.SubOpts;
import io.mast.exhook.proto.v3.TopicFilter;
import org.junit.jupiter.api.Test;

class V2TranscoderTest {

    private static final ClientInfo CLIENT = ClientInfo.newBuilder().setClientid("c1").setPeerport(5000).build();

    @Test
    void topicFiltersCarryTheirQosAndTheTopicWithoutShareAsV2Did() {
        ClientSubscribeRequest v3 = ClientSubscribeRequest.newBuilder().setClientinfo(CLIENT)
                .addTopicFilters(TopicFilter.newBuilder().setName("$share/g/a/#")
                        .setSubopts(SubOpts.newBuilder().setQos(2)))
                .addTopicFilters(TopicFilter.newBuilder().setName("b").setSubopts(SubOpts.newBuilder().setQos(1)))
                .addUserProps(Requests.prop("k", "v"))
                .build();
        var v2 = (io.mast.exhook.proto.v2.ClientSubscribeRequest) V2Transcoder.toV2(v3,
                io.mast.exhook.proto.v2.ClientSubscribeRequest.getDefaultInstance());
        assertThat(v2.getTopicFiltersList()).extracting(f -> f.getName() + "@" + f.getQos())
                .containsExactly("a/#@2", "b@1");
        assertThat(v2.getClientinfo().getClientid()).isEqualTo("c1");
        assertThat(v2.getUnknownFields().asMap()).as("v3's user_props are not sent to v2").isEmpty();
        assertThat(v2.getClientinfo().getUnknownFields().asMap()).as("nor the peer port").isEmpty();
    }

    @Test
    void sessionSubscribedCarriesTheShareGroupInSubOpts() {
        SessionSubscribedRequest v3 = SessionSubscribedRequest.newBuilder().setClientinfo(CLIENT)
                .setTopic("$share/g/a/#").setSubopts(SubOpts.newBuilder().setQos(1).setNl(1)).build();
        var v2 = (io.mast.exhook.proto.v2.SessionSubscribedRequest) V2Transcoder.toV2(v3,
                io.mast.exhook.proto.v2.SessionSubscribedRequest.getDefaultInstance());
        assertThat(v2.getTopic()).isEqualTo("a/#");
        assertThat(v2.getSubopts().getShare()).isEqualTo("g");
        assertThat(v2.getSubopts().getQos()).isEqualTo(1);
        assertThat(v2.getSubopts().getNl()).isEqualTo(1);
    }

    @Test
    void everyHookHasAV2MethodOfTheSameNameInTheV2Package() {
        for (Hook h : Hook.values()) {
            assertThat(h.v2.getFullMethodName()).isEqualTo(h.v3.getFullMethodName().replace("emqx.exhook.v3",
                    "emqx.exhook.v2"));
        }
    }
}
