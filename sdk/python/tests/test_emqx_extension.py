"""emqx_extension: EMQX 4.x's Python SDK on Mast's. Its API (start(), hooks_handler), the driver that serves a hooks
module (called through gRPC as the broker calls it), and the driver as the process the broker runs."""

import os
import signal
import socket
import subprocess
import sys
import textwrap
import time

import grpc
import pytest

from conftest import TIMEOUT, Client
from emqx_extension import EmqxHookSdk, hooks_handler
from emqx_extension import driver
from emqx_extension.states import EMQX_ERROR, EMQX_OK
from emqx_extension.types import EMQX_CLIENTINFO_PARSE_T, EMQX_MESSAGE_PARSE_T, EMQXBase
from mast_exhook import protocol

SDK = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SEED_HOOKS = os.path.join(SDK, "..", "..", "examples", "exhook-emqx4", "data", "extension", "hooks.py")
v3 = protocol("v3")


class Base(EmqxHookSdk):
    @hooks_handler()
    def on_client_connected(self, clientinfo, state):
        pass


class Hooks(Base):
    @hooks_handler(topics=["own/#"])
    def on_message_publish(self, message, state):
        pass

    @hooks_handler()
    def on_message_delivered(self, clientinfo, message, state):
        pass

    def not_a_hook(self):
        pass


def test_start_registers_the_hooks_the_subclasses_define_with_their_topics():
    code, (specs, state) = Hooks(hook_module="mymod.emqx_hook").start(topics=["t/#"])
    assert code == EMQX_OK and state == ()
    assert specs == [
        ("client_connected", "mymod", "emqx_hook.on_client_connected", ["t/#"]),
        ("message_publish", "mymod", "emqx_hook.on_message_publish", ["own/#"]),
        ("message_delivered", "mymod", "emqx_hook.on_message_delivered", ["t/#"]),
    ]
    assert EmqxHookSdk(hook_module="m.x").start() == (EMQX_OK, ([], ()))
    with pytest.raises(ValueError, match="hook_module"):
        Hooks(hook_module="no_attribute").start()


def test_hooks_handler_returns_bools_as_ok_tuples_and_other_values_as_they_are():
    class H(EmqxHookSdk):
        @hooks_handler()
        def on_client_authenticate(self, clientinfo, authresult, state):
            return clientinfo

    h = H(hook_module="m.h")
    assert h.on_client_authenticate(True, None, ()) == (EMQX_OK, True)
    assert h.on_client_authenticate(False, None, ()) == (EMQX_OK, False)
    assert h.on_client_authenticate(None, None, ()) is None
    assert h.on_client_authenticate("x", None, ()) == "x"
    assert H.on_client_authenticate.__name__ == "on_client_authenticate"


@pytest.fixture
def hooks_module(tmp_path):
    """Loads a hooks module as the driver does and takes it out of sys.modules and sys.path afterwards."""
    saved_path, loaded = list(sys.path), []

    def load(path, init_module):
        loaded.append(init_module)
        return driver.load([str(path)], init_module)

    yield load
    sys.path[:] = saved_path
    for name in loaded:
        sys.modules.pop(name, None)


def client_info(**fields):
    return v3.ClientInfo(node="mast@127.0.0.1", peerhost="127.0.0.1", sockport=1883, protocol="mqtt", **fields)


def test_the_seeds_hooks_py_registers_its_hooks_and_decides_as_on_emqx(hooks_module, serving, capsys):
    module, specs, state = hooks_module(SEED_HOOKS, "hooks")
    client = serving(driver.provider(specs, state))
    assert [h.name for h in client.call("OnProviderLoaded").hooks] == [
        "client.connect", "client.connected", "client.authenticate", "client.authorize", "message.publish"]

    refused = client.call("OnClientAuthenticate", clientinfo=client_info(clientid=""), result=True)
    assert (refused.type, refused.bool_result) == (v3.ValuedResponse.STOP_AND_RETURN, False)
    allowed = client.call("OnClientAuthenticate", clientinfo=client_info(clientid="sensor-1"), result=False)
    assert (allowed.type, allowed.bool_result) == (v3.ValuedResponse.STOP_AND_RETURN, True)

    anonymous = client_info(clientid="anon", username="")
    for kind in (v3.ClientAuthorizeRequest.PUBLISH, v3.ClientAuthorizeRequest.SUBSCRIBE):
        assert client.call("OnClientAuthorize", clientinfo=anonymous, type=kind, topic="a/b",
                           result=True).bool_result is False
    assert client.call("OnClientAuthorize", clientinfo=client_info(clientid="c", username="alice"), topic="a/b",
                       result=False).bool_result is True

    # on_message_publish returns None: the message goes on unchanged.
    published = client.call("OnMessagePublish", message=v3.Message(topic="sensors/1", payload=b"21.5", qos=1))
    assert published.type == v3.ValuedResponse.IGNORE
    assert (published.message.topic, published.message.payload) == ("sensors/1", b"21.5")
    assert "allow_publish" not in published.message.headers

    client.call("OnClientConnect", conninfo=v3.ConnInfo(clientid="sensor-1", proto_ver="5"))
    client.call("OnClientConnected", clientinfo=client_info(clientid="sensor-1"))
    out = capsys.readouterr().out
    for line in ("[Python SDK] [on_client_authenticate]  authenticate",
                 "[Python SDK] [on_client_authenticate] sensor-1 authenticate",
                 "[Python SDK] [on_client_check_acl]  check ACL: publish a/b",
                 "[Python SDK] [on_client_check_acl]  check ACL: subscribe a/b",
                 "[Python SDK] [on_client_check_acl] alice check ACL: publish a/b",
                 "[Python SDK] [on_message_publish] sensors/1 21.5",
                 "[Python SDK] [on_client_connect] sensor-1 connecte",
                 "[Python SDK] [on_client_connected] sensor-1 connected"):
        assert line in out.splitlines()


RETURNS = '''
from emqx_extension.hooks import EmqxHookSdk, hooks_handler
from emqx_extension.states import EMQX_ERROR, EMQX_OK

calls = []


class Hooks(EmqxHookSdk):
    @hooks_handler()
    def on_client_authenticate(self, clientinfo, authresult, state):
        calls.append(("authenticate", clientinfo.clientid, authresult, state))
        return {"none": None, "error": (EMQX_ERROR, "db down"), "text": "yes"}.get(clientinfo.clientid, True)

    @hooks_handler()
    def on_client_check_acl(self, clientinfo, pubsub, topic, result, state):
        if topic == "raise":
            raise RuntimeError("bug")
        return None

    @hooks_handler(topics=["m/#"])
    def on_message_publish(self, message, state):
        calls.append(("publish", message.from_clientid, message.topic, message.payload, message.qos))
        kind = message.topic.split("/")[1]
        if kind == "drop":
            return False
        if kind == "change":
            message.topic = "changed/topic"
            message.payload = message.payload.upper()
            message.qos = 0
            return message
        if kind == "dict":
            return {"payload": b"\\xff raw"}
        if kind == "pairs":
            return [(b"topic", b"from/pairs")]
        return None

    def on_client_connack(self, conninfo, rc, props, state):
        calls.append(("connack", conninfo.clientid, conninfo.proto_ver, rc, props))

    def on_client_subscribe(self, clientinfo, props, topics, state):
        calls.append(("subscribe", clientinfo.clientid, props, topics))

    def on_session_subscribed(self, clientinfo, topic, opts, state):
        calls.append(("subscribed", topic, opts.qos, opts.nl, opts.rap, opts.rh, opts.is_new))

    def on_session_takeovered(self, clientinfo, state):
        calls.append(("takeovered", clientinfo.clientid))


hooks = Hooks(hook_module=f"{__name__}.hooks")


def init():
    code, (specs, _) = hooks.start()
    return code, (specs, {"state": 1})
'''


@pytest.fixture
def returns(tmp_path, hooks_module, serving):
    (tmp_path / "returns.py").write_text(RETURNS)
    module, specs, state = hooks_module(tmp_path / "returns.py", "returns")
    return module, serving(driver.provider(specs, state))


def test_what_decision_hooks_return_means(returns):
    module, client = returns
    assert client.call("OnClientAuthenticate", clientinfo=client_info(clientid="ok"), result=False).bool_result
    assert module.calls[-1] == ("authenticate", "ok", False, {"state": 1})
    none = client.call("OnClientAuthenticate", clientinfo=client_info(clientid="none"), result=True)
    assert none.type == v3.ValuedResponse.IGNORE
    for clientid, why in (("error", "answered EMQX_ERROR: 'db down'"),
                          ("text", "returned 'yes'; expected True, False or None")):
        with pytest.raises(grpc.RpcError) as failed:
            client.call("OnClientAuthenticate", clientinfo=client_info(clientid=clientid))
        assert failed.value.code() == grpc.StatusCode.INTERNAL
        assert why in failed.value.details()
    assert client.call("OnClientAuthorize", clientinfo=client_info(clientid="c"), topic="t").type \
        == v3.ValuedResponse.IGNORE
    with pytest.raises(grpc.RpcError) as raised:
        client.call("OnClientAuthorize", clientinfo=client_info(clientid="c"), topic="raise")
    assert raised.value.code() == grpc.StatusCode.INTERNAL


def publish(client, topic, payload=b"abc", qos=1):
    m = v3.Message(topic=topic, payload=payload, qos=qos, id="0001", node="n", timestamp=1700000000000)
    setattr(m, "from", "pub-1")
    return client.call("OnMessagePublish", message=m)


def test_what_on_message_publish_returns_means(returns):
    module, client = returns
    assert [h.topics for h in client.call("OnProviderLoaded").hooks if h.name == "message.publish"] == [["m/#"]]
    unchanged = publish(client, "m/none")
    assert unchanged.type == v3.ValuedResponse.IGNORE
    assert module.calls[-1] == ("publish", "pub-1", "m/none", "abc", 1)

    changed = publish(client, "m/change")
    assert changed.type == v3.ValuedResponse.STOP_AND_RETURN
    assert (changed.message.topic, changed.message.payload, changed.message.qos) == ("changed/topic", b"ABC", 0)
    assert getattr(changed.message, "from") == "pub-1" and changed.message.id == "0001"

    dropped = publish(client, "m/drop")
    assert dropped.type == v3.ValuedResponse.STOP_AND_RETURN
    assert dropped.message.headers["allow_publish"] == "false"

    assert publish(client, "m/dict").message.payload == b"\xff raw"
    assert publish(client, "m/pairs").message.topic == "from/pairs"
    # Bytes that are not UTF-8 reach the hook as surrogate escapes and come back unchanged.
    module.calls.clear()
    assert publish(client, "m/change", payload=b"\xfe\x01").message.payload == b"\xfe\x01"


def test_notifications_get_emqx_4_arguments(returns):
    module, client = returns
    client.call("OnClientConnack", conninfo=v3.ConnInfo(clientid="c1", proto_ver="4"), result_code="success",
                props=[v3.Property(name="Session-Expiry-Interval", value="60")])
    client.call("OnClientSubscribe", clientinfo=client_info(clientid="c1"),
                topic_filters=[v3.TopicFilter(name="a/#", subopts=v3.SubOpts(qos=1)),
                               v3.TopicFilter(name="b", subopts=v3.SubOpts(qos=2))],
                user_props=[v3.Property(name="k", value="v")])
    client.call("OnSessionSubscribed", clientinfo=client_info(clientid="c1"), topic="a/#",
                subopts=v3.SubOpts(qos=1, nl=1, rap=0, rh=2))
    client.call("OnSessionTakenover", clientinfo=client_info(clientid="c1"))
    assert module.calls == [
        ("connack", "c1", 4, "success", {"Session-Expiry-Interval": 60}),
        ("subscribe", "c1", {"User-Property": [("k", "v")]}, [("a/#", 1), ("b", 2)]),
        ("subscribed", "a/#", 1, 1, 0, 2, True),
        ("takeovered", "c1"),
    ]


def test_types_keep_emqx_4_fields():
    c = EMQX_CLIENTINFO_PARSE_T(node="n", clientid="c", username="", password="", peerhost="h", sockport=1,
                                protocol="mqtt", mountpoint="", is_superuser=False, anonymous=True)
    assert list(c.to_dict()) == ["node", "clientid", "username", "password", "peerhost", "sockport", "protocol",
                                 "mountpoint", "is_superuser", "anonymous"]
    assert list(EMQX_MESSAGE_PARSE_T().to_dict()) == ["node", "id", "qos", "from_clientid", "topic", "payload",
                                                      "timestamp"]
    assert EMQXBase(a=1).to_dict() == {"a": 1}
    assert (EMQX_OK, EMQX_ERROR) == (0, 1)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run_driver(tmp_path, module_source, *args):
    (tmp_path / "lifecycle.py").write_text(textwrap.dedent(module_source))
    env = dict(os.environ, PYTHONPATH=SDK)
    return subprocess.Popen([sys.executable, "-m", "emqx_extension.driver", "--path", str(tmp_path / "lifecycle.py"),
                             *args], env=env, cwd=str(tmp_path), stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True)


LIFECYCLE = '''
    import os
    from emqx_extension.hooks import EmqxHookSdk, hooks_handler

    MARKS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "marks.txt")


    def mark(what):
        with open(MARKS, "a") as f:
            f.write(what + "\\n")


    class Hooks(EmqxHookSdk):
        @hooks_handler()
        def on_client_connected(self, clientinfo, state):
            mark("connected " + clientinfo.clientid)


    hooks = Hooks(hook_module=f"{__name__}.hooks")


    def init():
        mark("init")
        return hooks.start()


    def deinit():
        mark("deinit")
'''


def test_the_driver_process_calls_init_serves_and_calls_deinit_on_sigterm(tmp_path):
    port = free_port()
    proc = run_driver(tmp_path, LIFECYCLE, "--port", str(port))
    client = None
    try:
        deadline = time.monotonic() + 20
        while True:
            client = Client(port)
            try:
                hooks = client.call("OnProviderLoaded").hooks
                break
            except grpc.RpcError:
                client.close()
                assert proc.poll() is None, proc.stdout.read()
                assert time.monotonic() < deadline, "the driver did not serve within 20s"
                time.sleep(0.1)
        assert [h.name for h in hooks] == ["client.connected"]
        client.call("OnClientConnected", clientinfo=client_info(clientid="c-9"))
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=TIMEOUT * 3) == 0
        out = proc.stdout.read()
        assert "lifecycle: init() registered client_connected" in out
        assert (tmp_path / "marks.txt").read_text().splitlines() == ["init", "connected c-9", "deinit"]
    finally:
        if client is not None:
            client.close()
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=TIMEOUT)


@pytest.mark.parametrize("source, message", [
    ("def init():\n    return 1, 'no database'\n", "lifecycle.init() failed: 'no database'"),
    ("def init():\n    return 0, ([('client_teleport', 'lifecycle', 'f')], ())\n", "unknown hook 'client_teleport'"),
    ("def init():\n    return 0, ([('client_connected', 'lifecycle', 'nothing')], ())\n",
     "client_connected: cannot find lifecycle.nothing"),
    ("x = 1\n", "lifecycle has no init() function"),
    ("import no_such_module\n", "cannot import the init module 'lifecycle'"),
])
def test_the_driver_process_says_in_one_line_why_it_cannot_serve(tmp_path, source, message):
    proc = run_driver(tmp_path, source, "--port", str(free_port()))
    try:
        assert proc.wait(timeout=TIMEOUT * 3) == 1
        out = proc.stdout.read()
        assert f"emqx_extension.driver: {message}" in out
        assert "Traceback" not in out
    finally:
        if proc.poll() is None:
            proc.kill()
