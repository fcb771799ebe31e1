"""The SDK's server on Mast's batched streaming mode, called as the broker calls it: frames of requests, answers by
id, notifications unanswered."""

import threading
import time

from conftest import TIMEOUT
from mast_exhook import STOP_AND_RETURN, Answer, HookProvider, hook, protocol
from mast_exhook._protocol import stream_protocol

v3 = protocol("v3")
st = stream_protocol()


def publish(id, sender, topic, payload):
    r = st.HookRequest(id=id)
    m = r.message_publish.message
    m.node, m.id, m.qos, m.topic, m.payload = "mast@127.0.0.1", f"m{id}", 1, topic, payload.encode()
    setattr(m, "from", sender)
    m.headers["username"] = "alice"
    return r


def authenticate(id, clientid):
    r = st.HookRequest(id=id)
    r.client_authenticate.clientinfo.clientid = clientid
    return r


def connected(clientid):
    r = st.HookRequest()
    r.client_connected.clientinfo.clientid = clientid
    return r


class Hooks(HookProvider):
    def __init__(self):
        self.events = []

    @hook
    def on_client_authenticate(self, clientinfo, result):
        self.events.append(f"authenticate {clientinfo.clientid}")
        return clientinfo.clientid.startswith("ok")

    @hook
    def on_client_connected(self, clientinfo):
        self.events.append(f"connected {clientinfo.clientid}")

    @hook(topics=["sensors/#", "loud/#", "bad/#", "gone/#"])
    def on_message_publish(self, message):
        self.events.append(f"publish {message.topic}")
        if message.topic.startswith("bad/"):
            raise ValueError("no")
        if message.topic.startswith("gone/"):
            return None
        if message.topic.startswith("loud/"):
            message.payload = message.payload.upper()  # changed in place
        return message


def answers(responses, n):
    got = {}
    for frame in responses:
        for r in frame.responses:
            got[r.id] = r
        if len(got) >= n:
            return got
    raise AssertionError(f"the stream ended with {len(got)} of {n} answers")


def test_the_loaded_answer_offers_the_stream(serving):
    loaded = serving(Hooks()).call("OnProviderLoaded")
    assert loaded.stream.version == 1 and loaded.stream.streams == 1


def test_a_frame_is_answered_by_id_and_notifications_are_not(serving):
    hooks = Hooks()
    send, responses = serving(hooks).stream()
    send(st.RequestBatch(requests=[connected("c1"), authenticate(1, "ok-1"), publish(2, "c1", "sensors/1", "same"),
                                   publish(3, "c1", "loud/1", "quiet"), publish(4, "c1", "gone/1", "x"),
                                   publish(5, "c1", "other/1", "x"), authenticate(6, "no")]))
    got = answers(responses, 6)
    send(None)
    assert sorted(got) == [1, 2, 3, 4, 5, 6]
    assert got[1].valued.bool_result is True and got[6].valued.bool_result is False
    assert got[2].same_message and not got[2].valued.HasField("message")
    assert got[2].valued.type == v3.ValuedResponse.CONTINUE
    assert not got[3].same_message and got[3].valued.message.payload == b"QUIET"
    assert got[3].valued.message.id == "m3"
    assert got[4].valued.message.headers["allow_publish"] == "false"
    assert got[5].valued.type == v3.ValuedResponse.IGNORE
    assert hooks.events == ["connected c1", "authenticate ok-1", "publish sensors/1", "publish loud/1",
                            "publish gone/1", "authenticate no"]


def test_a_hook_that_raises_answers_with_an_error_and_the_stream_goes_on(serving):
    send, responses = serving(Hooks()).stream()
    send(st.RequestBatch(requests=[publish(1, "c1", "bad/1", "x")]))
    failed = answers(responses, 1)[1]
    assert failed.WhichOneof("result") == "error" and "message.publish failed" in failed.error
    send(st.RequestBatch(requests=[publish(2, "c1", "sensors/2", "x")]))
    assert 2 in answers(responses, 1)
    send(None)


def test_when_the_broker_ends_its_side_the_stream_ends_after_the_answers(serving):
    send, responses = serving(Hooks()).stream()
    send(st.RequestBatch(requests=[authenticate(1, "ok")]))
    send(None)
    frames = list(responses)  # ends when the server ends its side
    assert [r.id for f in frames for r in f.responses] == [1]


def test_stopping_the_server_ends_an_idle_stream_at_once():
    from mast_exhook import start
    from conftest import Client
    import grpc
    server = start(Hooks(), port=0)
    client = Client(server.port)
    grpc.channel_ready_future(client.channel).result(timeout=TIMEOUT)
    send, responses = client.stream()
    send(st.RequestBatch(requests=[authenticate(1, "ok")]))
    assert 1 in answers(responses, 1)
    began = time.monotonic()
    stopper = threading.Thread(target=server.stop, kwargs={"grace": 5})
    stopper.start()
    stopper.join(TIMEOUT)
    assert time.monotonic() - began < 3, "an idle stream does not hold the stop for its grace period"
    client.close()


class Returns(HookProvider):
    """on_message_publish answering in each of the ways a hook may."""

    @hook
    def on_message_publish(self, message):
        if message.topic == "copy/1":  # a new message, equal to the one received
            fresh = v3.Message()
            fresh.CopyFrom(message)
            return fresh
        if message.topic == "wrong/1":
            return "not a message"
        if message.topic == "refuse/1":
            return Answer(STOP_AND_RETURN, None, reason_code=0x97, reason_string="no room")
        if message.topic == "stop/1":
            return Answer(STOP_AND_RETURN, message)
        return message


def test_each_way_of_answering_a_publish_on_the_stream(serving):
    send, responses = serving(Returns()).stream()
    send(st.RequestBatch(requests=[publish(1, "c1", "copy/1", "x"), publish(2, "c1", "wrong/1", "x"),
                                   publish(3, "c1", "refuse/1", "x"), publish(4, "c1", "stop/1", "x")]))
    got = answers(responses, 4)
    send(None)
    assert got[1].same_message and not got[1].valued.HasField("message")
    assert got[2].WhichOneof("result") == "error" and "str" in got[2].error
    assert got[3].valued.type == v3.ValuedResponse.STOP_AND_RETURN
    assert got[3].valued.message.headers["allow_publish"] == "false"
    assert got[3].valued.reason_code == 0x97 and got[3].valued.reason_string == "no room"
    assert got[4].same_message and got[4].valued.type == v3.ValuedResponse.STOP_AND_RETURN
