"""The SDK's server called through a gRPC client, as the broker calls it, with both protocol versions."""

import threading

import grpc
import pytest

from conftest import TIMEOUT
from mast_exhook import HookProvider, deny, hook, ignore, protocol, refuse, stop

v3 = protocol("v3")
v2 = protocol("v2")


def clientinfo(clientid="c1", username="alice"):
    return v3.ClientInfo(node="mast@127.0.0.1", clientid=clientid, username=username, password="pw",
                         peerhost="127.0.0.1", peerport=50123, sockport=1883, protocol="mqtt")


def message(topic, payload, sender="pub"):
    m = v3.Message(node="mast@127.0.0.1", id="m1", qos=1, topic=topic, payload=payload.encode(), timestamp=1234,
                   headers={"username": "alice"})
    setattr(m, "from", sender)
    return m


class Recording(HookProvider):
    """The seed's hooks, recording what they see."""

    def __init__(self):
        self.events = []
        self.clients = []

    def on_provider_loaded(self, broker):
        self.events.append(f"loaded {broker.sysdescr} {broker.version}")

    def on_provider_unloaded(self):
        self.events.append("unloaded")

    @hook
    def on_client_authenticate(self, clientinfo, result):
        self.clients.append(clientinfo)
        return clientinfo.clientid != ""

    @hook
    def on_client_authorize(self, clientinfo, action, topic, result):
        self.events.append(f"authorize {action} {topic}")
        return clientinfo.username != ""

    @hook
    def on_client_connected(self, clientinfo):
        self.events.append(f"connected {clientinfo.clientid}")

    @hook
    def on_client_disconnected(self, clientinfo, reason):
        self.events.append(f"disconnected {clientinfo.clientid} {reason}")

    @hook
    def on_client_subscribe(self, clientinfo, topic_filters, props):
        for f in topic_filters:
            self.events.append(f"subscribe {f.name} qos{f.subopts.qos} nl{f.subopts.nl} {props.user_property('k')}")

    @hook
    def on_session_subscribed(self, clientinfo, topic, subopts):
        self.events.append(f"subscribed {topic} qos{subopts.qos} rh{subopts.rh}")

    @hook(topics=["sensors/#", "alarms/+"])
    def on_message_publish(self, message):
        self.events.append(f"publish {message.topic} {message.payload.decode()}")
        if message.payload == b"drop":
            return None
        message.topic = "seen/" + message.topic
        message.payload = message.payload.upper()
        return message

    def on_message_delivered(self, clientinfo, message):  # not decorated: not registered
        self.events.append("delivered")


def test_loaded_lists_only_decorated_hooks_with_their_topics(serving):
    provider = Recording()
    client = serving(provider)
    loaded = client.call("OnProviderLoaded", broker=v3.BrokerInfo(sysdescr="Mast", version="0.1"))
    assert [h.name for h in loaded.hooks] == ["client.connected", "client.disconnected", "client.authenticate",
                                              "client.authorize", "client.subscribe", "session.subscribed",
                                              "message.publish"]
    assert list(loaded.hooks[6].topics) == ["sensors/#", "alarms/+"]
    assert list(loaded.hooks[0].topics) == []
    assert provider.events == ["loaded Mast 0.1"]


def test_a_provider_without_hooks_registers_none_and_ignores_decisions(serving):
    client = serving(HookProvider())
    assert len(client.call("OnProviderLoaded").hooks) == 0
    r = client.call("OnClientAuthenticate", clientinfo=clientinfo(), result=False)
    assert r.type == v3.ValuedResponse.IGNORE


def test_authenticate_answers_continue_with_the_decision(serving):
    provider = Recording()
    client = serving(provider)
    allowed = client.call("OnClientAuthenticate", clientinfo=clientinfo("c1"), result=False)
    refused = client.call("OnClientAuthenticate", clientinfo=clientinfo(""), result=True)
    assert allowed.type == v3.ValuedResponse.CONTINUE and allowed.bool_result is True
    assert refused.type == v3.ValuedResponse.CONTINUE and refused.HasField("bool_result")
    assert refused.bool_result is False
    c = provider.clients[0]
    assert (c.clientid, c.username, c.password, c.peerhost, c.peerport, c.sockport) == \
        ("c1", "alice", "pw", "127.0.0.1", 50123, 1883)


def test_authorize_gets_action_and_topic(serving):
    provider = Recording()
    client = serving(provider)
    denied = client.call("OnClientAuthorize", clientinfo=clientinfo(username=""),
                         type=v3.ClientAuthorizeRequest.SUBSCRIBE, topic="a/#", result=True)
    allowed = client.call("OnClientAuthorize", clientinfo=clientinfo(username="bob"),
                          type=v3.ClientAuthorizeRequest.PUBLISH, topic="a/b", result=False)
    assert denied.bool_result is False
    assert allowed.bool_result is True
    assert provider.events == ["authorize subscribe a/#", "authorize publish a/b"]


def test_publish_changes_or_drops_the_message_and_skips_other_topics(serving):
    provider = Recording()
    client = serving(provider)
    changed = client.call("OnMessagePublish", message=message("sensors/room1", "21.5c"))
    assert changed.type == v3.ValuedResponse.CONTINUE
    assert (changed.message.topic, changed.message.payload) == ("seen/sensors/room1", b"21.5C")
    assert changed.message.id == "m1" and "allow_publish" not in changed.message.headers

    dropped = client.call("OnMessagePublish", message=message("alarms/fire", "drop"))
    assert dropped.type == v3.ValuedResponse.CONTINUE
    assert dropped.message.topic == "alarms/fire"
    assert dropped.message.headers["allow_publish"] == "false"

    elsewhere = client.call("OnMessagePublish", message=message("other/topic", "x"))
    assert elsewhere.type == v3.ValuedResponse.IGNORE
    assert provider.events == ["publish sensors/room1 21.5c", "publish alarms/fire drop"]


class Answering(HookProvider):
    @hook
    def on_client_authenticate(self, clientinfo, result):
        if clientinfo.username == "":
            return ignore()
        if clientinfo.username == "root":
            return stop(False)
        return True

    @hook
    def on_message_publish(self, message):
        payload = message.payload.decode()
        if payload == "ignore":
            return ignore()
        if payload == "final":
            message.qos = 0
            return stop(message)
        if payload == "drop":
            return stop(None)
        return message


def test_answers_ignore_and_stop_and_return(serving):
    client = serving(Answering())
    ignored = client.call("OnClientAuthenticate", clientinfo=clientinfo(username=""), result=True)
    stopped = client.call("OnClientAuthenticate", clientinfo=clientinfo(username="root"), result=True)
    continued = client.call("OnClientAuthenticate", clientinfo=clientinfo(username="bob"), result=False)
    assert ignored.type == v3.ValuedResponse.IGNORE and ignored.bool_result is True
    assert stopped.type == v3.ValuedResponse.STOP_AND_RETURN and stopped.bool_result is False
    assert continued.type == v3.ValuedResponse.CONTINUE and continued.bool_result is True

    assert client.call("OnMessagePublish", message=message("t", "ignore")).type == v3.ValuedResponse.IGNORE
    final = client.call("OnMessagePublish", message=message("t", "final"))
    assert final.type == v3.ValuedResponse.STOP_AND_RETURN and final.message.qos == 0
    dropped = client.call("OnMessagePublish", message=message("t", "drop"))
    assert dropped.type == v3.ValuedResponse.STOP_AND_RETURN
    assert dropped.message.headers["allow_publish"] == "false"


class Refusing(HookProvider):
    @hook
    def on_client_authenticate(self, clientinfo, result):
        return deny(0x8A, "banned here") if clientinfo.username == "banned" else True

    @hook
    def on_message_publish(self, message):
        return refuse(0x97, "over quota") if message.payload == b"quota" else None


def test_deny_and_refuse_carry_masts_reason_code_extension(serving):
    client = serving(Refusing())
    banned = client.call("OnClientAuthenticate", clientinfo=clientinfo(username="banned"), result=True)
    assert banned.type == v3.ValuedResponse.STOP_AND_RETURN and banned.bool_result is False
    assert banned.reason_code == 0x8A and banned.reason_string == "banned here"
    allowed = client.call("OnClientAuthenticate", clientinfo=clientinfo(username="bob"), result=True)
    assert allowed.bool_result is True and allowed.reason_code == 0 and allowed.reason_string == ""
    refused = client.call("OnMessagePublish", message=message("t", "quota"))
    assert refused.type == v3.ValuedResponse.STOP_AND_RETURN
    assert refused.message.headers["allow_publish"] == "false"
    assert refused.reason_code == 0x97 and refused.reason_string == "over quota"
    dropped = client.call("OnMessagePublish", message=message("t", "other"))
    assert dropped.message.headers["allow_publish"] == "false" and dropped.reason_code == 0


def test_a_reason_code_is_a_byte():
    with pytest.raises(ValueError):
        deny(0x100)


def test_notifications_carry_their_fields(serving):
    provider = Recording()
    client = serving(provider)
    client.call("OnClientConnected", clientinfo=clientinfo("c1"))
    client.call("OnClientSubscribe", clientinfo=clientinfo("c1"),
                topic_filters=[v3.TopicFilter(name="$share/g/a/+", subopts=v3.SubOpts(qos=2, nl=1))],
                user_props=[v3.Property(name="k", value="v")])
    client.call("OnSessionSubscribed", clientinfo=clientinfo("c1"), topic="a/+", subopts=v3.SubOpts(qos=1, rh=2))
    client.call("OnMessageDelivered", clientinfo=clientinfo("c1"), message=message("sensors/x", "1"))
    client.call("OnClientDisconnected", clientinfo=clientinfo("c1"), reason="normal")
    client.call("OnProviderUnloaded")
    assert provider.events == ["connected c1", "subscribe $share/g/a/+ qos2 nl1 v", "subscribed a/+ qos1 rh2",
                               "disconnected c1 normal", "unloaded"]


def test_protocol_v2_is_served_by_the_same_provider(serving):
    provider = Recording()
    client = serving(provider, "v2")
    assert "client.authenticate" in [h.name for h in client.call("OnProviderLoaded").hooks]
    c2 = v2.ClientInfo(clientid="c2", username="u")
    assert client.call("OnClientAuthenticate", clientinfo=c2).bool_result is True
    client.call("OnClientSubscribe", clientinfo=c2, topic_filters=[v2.TopicFilter(name="x/y", qos=2)])
    client.call("OnSessionSubscribed", clientinfo=c2, topic="x/y", subopts=v2.SubOpts(qos=1, share="g"))
    published = client.call("OnMessagePublish", message=v2.Message(topic="sensors/a", payload=b"v2"))
    assert (published.message.topic, published.message.payload) == ("seen/sensors/a", b"V2")
    assert "subscribe x/y qos2 nl0 None" in provider.events
    assert "subscribed $share/g/x/y qos1 rh0" in provider.events


def test_a_hook_that_raises_answers_with_an_error(serving):
    class Failing(HookProvider):
        @hook
        def on_client_authenticate(self, clientinfo, result):
            raise RuntimeError("database down")

    client = serving(Failing())
    with pytest.raises(grpc.RpcError) as e:
        client.call("OnClientAuthenticate", clientinfo=clientinfo())
    assert e.value.code() == grpc.StatusCode.INTERNAL
    assert "client.authenticate" in e.value.details() and "database down" in e.value.details()


def test_a_decision_hook_returning_none_is_an_error(serving):
    class Forgetful(HookProvider):
        @hook
        def on_client_authorize(self, clientinfo, action, topic, result):
            pass

    client = serving(Forgetful())
    with pytest.raises(grpc.RpcError) as e:
        client.call("OnClientAuthorize", clientinfo=clientinfo(), topic="t")
    assert e.value.code() == grpc.StatusCode.INTERNAL
    assert "returned None" in e.value.details()


class Blocking(HookProvider):
    """Blocks in on_client_connected for clients named slow* until released."""

    def __init__(self):
        self.entered = threading.Event()
        self.release = threading.Event()
        self.events = []

    @hook
    def on_client_connected(self, clientinfo):
        if clientinfo.clientid.startswith("slow"):
            self.entered.set()
            if not self.release.wait(TIMEOUT):
                self.events.append("never released")
        self.events.append(f"connected {clientinfo.clientid}")

    @hook
    def on_client_disconnected(self, clientinfo, reason):
        self.events.append(f"disconnected {clientinfo.clientid}")


def test_calls_about_one_client_run_in_order_while_other_clients_go_on(serving):
    provider = Blocking()
    client = serving(provider)
    slow_connected = client.future("OnClientConnected", clientinfo=clientinfo("slow1"))
    slow_disconnected = client.future("OnClientDisconnected", clientinfo=clientinfo("slow1"), reason="normal")
    assert provider.entered.wait(TIMEOUT)

    # Another client's call completes while slow1's first call is blocked...
    client.call("OnClientConnected", clientinfo=clientinfo("fast1"))
    assert provider.events == ["connected fast1"]
    # ...and slow1's disconnect waits for its connect.
    assert not slow_disconnected.done()

    provider.release.set()
    slow_connected.result(timeout=TIMEOUT)
    slow_disconnected.result(timeout=TIMEOUT)
    assert provider.events == ["connected fast1", "connected slow1", "disconnected slow1"]
