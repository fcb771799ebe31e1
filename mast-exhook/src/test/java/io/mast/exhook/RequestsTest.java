package io.mast.exhook;

import static org.assertj.core.api.Assertions.assertThat;

import io.mast.exhook.proto.v3.ClientInfo;
import io.mast.exhook.proto.v3.ConnInfo;
import io.mast.exhook.proto.v3.Message;
import io.mast.exhook.proto.v3.Property;
import io.mast.plugin.ConnectInfo;
import io.mast.plugin.UserProperty;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class RequestsTest {

    private final Requests requests = new Requests("mast@host", "0.1.0");

    /** A CONNECT as the broker shows it to plugins. */
    record Connect(String clientId, String username, byte[] password, int protocolVersion,
                   InetSocketAddress remoteAddress) implements ConnectInfo {
        @Override public int localPort() { return 1883; }
        @Override public String listener() { return "tcp/1883"; }
        @Override public int keepAlive() { return 30; }
        @Override public boolean cleanStart() { return true; }
        @Override public long connectedAt() { return 1; }
        @Override public String certificateCommonName() { return "device-1"; }
        @Override public String certificateSubject() { return "CN=device-1,O=Acme"; }
        @Override public io.mast.plugin.Message will() { return null; }
        @Override public long willDelayInterval() { return 0; }
        @Override public long sessionExpiryInterval() { return 60; }
        @Override public int receiveMaximum() { return 10; }
        @Override public long maximumPacketSize() { return 0; }
        @Override public int topicAliasMaximum() { return 0; }
        @Override public List<UserProperty> userProperties() { return List.of(new UserProperty("k", "v")); }
        @Override public String authenticationMethod() { return null; }
        @Override public byte[] authenticationData() { return null; }
    }

    private static InetSocketAddress at(String ip, int port) throws Exception {
        return new InetSocketAddress(InetAddress.getByName(ip), port);
    }

    @Test
    void peerHostsArePrintedAsErlangPrintsThem() throws Exception {
        assertThat(Requests.peerhost(at("127.0.0.1", 1))).isEqualTo("127.0.0.1");
        assertThat(Requests.peerhost(at("::1", 1))).isEqualTo("::1");
        assertThat(Requests.peerhost(at("::ffff:10.1.2.3", 1))).isEqualTo("10.1.2.3");
        assertThat(Requests.peerhost(at("2001:db8:0:0:1:0:0:1", 1))).isEqualTo("2001:db8::1:0:0:1");
        assertThat(Requests.peerhost(at("2001:DB8:0:1:1:1:1:1", 1))).isEqualTo("2001:db8:0:1:1:1:1:1");
        assertThat(Requests.peerhost(at("fe80::", 1))).isEqualTo("fe80::");
    }

    @Test
    void clientInfoIsFilledAsEmqxFillsIt() throws Exception {
        Connect c = new Connect("c1", "alice", "secret".getBytes(StandardCharsets.UTF_8), 5, at("127.0.0.1", 50000));
        ClientInfo info = requests.clientInfo(c);
        assertThat(info.getNode()).isEqualTo("mast@host");
        assertThat(info.getClientid()).isEqualTo("c1");
        assertThat(info.getUsername()).isEqualTo("alice");
        assertThat(info.getPassword()).as("only client.authenticate carries the password").isEmpty();
        assertThat(info.getPeerhost()).isEqualTo("127.0.0.1");
        assertThat(info.getPeerport()).isEqualTo(50000);
        assertThat(info.getSockport()).isEqualTo(1883);
        assertThat(info.getProtocol()).isEqualTo("mqtt");
        assertThat(info.getMountpoint()).isEmpty();
        assertThat(info.getIsSuperuser()).isFalse();
        assertThat(info.getAnonymous()).isFalse();
        assertThat(info.getCn()).isEqualTo("device-1");
        assertThat(info.getDn()).isEqualTo("CN=device-1,O=Acme");
        assertThat(requests.clientInfoWithPassword(c).getPassword()).isEqualTo("secret");

        ConnInfo conn = requests.connInfo(c);
        assertThat(conn.getProtoName()).isEqualTo("MQTT");
        assertThat(conn.getProtoVer()).isEqualTo("5");
        assertThat(conn.getKeepalive()).isEqualTo(30);
        assertThat(conn.getPeerport()).isEqualTo(50000);

        assertThat(Requests.connectProps(c)).extracting(Property::getName, Property::getValue)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("Session-Expiry-Interval", "60"),
                        org.assertj.core.groups.Tuple.tuple("Receive-Maximum", "10"));
        Connect v3 = new Connect("c2", null, null, 4, at("127.0.0.1", 1));
        assertThat(Requests.connectProps(v3)).isEmpty();
        assertThat(requests.clientInfo(v3).getAnonymous()).isTrue();
        assertThat(requests.clientInfo(v3).getUsername()).isEmpty();
        assertThat(requests.connInfo(v3).getProtoVer()).isEqualTo("4");
    }

    @Test
    void messagesCarryThePublishersHeadersAndTheirPropertiesSplit() throws Exception {
        io.mast.plugin.Message m = io.mast.plugin.Message.builder("a/b").payload("hi").qos(1).id("00ff")
                .publisherId("c1").timestamp(1234).contentType("text/plain").messageExpiryInterval(30L)
                .userProperty("k", "v").build();
        Connect publisher = new Connect("c1", "alice", null, 5, at("127.0.0.1", 1));
        Message pm = requests.message(m, publisher);
        assertThat(pm.getNode()).isEqualTo("mast@host");
        assertThat(pm.getId()).isEqualTo("00ff");
        assertThat(pm.getFrom()).isEqualTo("c1");
        assertThat(pm.getQos()).isEqualTo(1);
        assertThat(pm.getTimestamp()).isEqualTo(1234);
        assertThat(pm.getPayload().toStringUtf8()).isEqualTo("hi");
        assertThat(pm.getHeadersMap()).containsOnly(java.util.Map.entry("username", "alice"),
                java.util.Map.entry("protocol", "mqtt"), java.util.Map.entry("peerhost", "127.0.0.1"));
        assertThat(requests.message(m, null).getHeadersMap()).isEmpty();
        assertThat(Requests.messageProps(m)).extracting(Property::getName)
                .containsExactly("Message-Expiry-Interval", "Content-Type");
        assertThat(Requests.userProps(m.userProperties())).extracting(Property::getName, Property::getValue)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("k", "v"));
    }

    @Test
    void sharedSubscriptionsLoseTheirPrefixWhereEmqxDropsIt() {
        assertThat(Requests.realTopic("$share/g1/a/+")).isEqualTo("a/+");
        assertThat(Requests.shareGroup("$share/g1/a/+")).isEqualTo("g1");
        assertThat(Requests.realTopic("a/b")).isEqualTo("a/b");
        assertThat(Requests.shareGroup("a/b")).isNull();
    }

    @Test
    void reasonsAreEmqxsWords() {
        assertThat(Requests.reasonName(0)).isEqualTo("success");
        assertThat(Requests.reasonName(0x86)).isEqualTo("bad_username_or_password");
        assertThat(Requests.reasonName(0x87)).isEqualTo("not_authorized");
        assertThat(Requests.reasonName(0x85)).isEqualTo("client_identifier_not_valid");
        assertThat(Requests.reasonName(0x42)).isEqualTo("unknown_error");
        assertThat(Requests.disconnectReason("connection_lost")).isEqualTo("tcp_closed");
        assertThat(Requests.disconnectReason("normal")).isEqualTo("normal");
        assertThat(Requests.dropReason(io.mast.plugin.DropReason.NO_SUBSCRIBERS)).isEqualTo("no_subscribers");
    }
}
