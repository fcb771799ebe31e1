"""examples/exhook-python/hooks.py, called through gRPC as the broker calls it."""

import importlib.util
import os

import pytest

from mast_exhook import protocol

EXAMPLE = os.path.join(os.path.dirname(__file__), "..", "..", "..", "examples", "exhook-python", "hooks.py")
v3 = protocol("v3")


@pytest.fixture
def example():
    spec = importlib.util.spec_from_file_location("example_hooks", EXAMPLE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_seeds_use_cases(example, serving, tmp_path):
    client = serving(example.SeedHooks(str(tmp_path)))
    assert [h.name for h in client.call("OnProviderLoaded").hooks] == [
        "client.connected", "client.disconnected", "client.authenticate", "client.authorize", "message.publish"]

    alice = v3.ClientInfo(clientid="sensor-1", username="alice", peerhost="127.0.0.1", peerport=50000)
    assert client.call("OnClientAuthenticate", clientinfo=alice).bool_result is True
    assert client.call("OnClientAuthenticate", clientinfo=v3.ClientInfo(clientid=""), result=True).bool_result \
        is False
    assert client.call("OnClientAuthorize", clientinfo=alice, topic="t").bool_result is True
    assert client.call("OnClientAuthorize", clientinfo=v3.ClientInfo(clientid="x"), topic="t",
                       result=True).bool_result is False
    published = client.call("OnMessagePublish", message=v3.Message(topic="a/b", payload=b"hello"))
    assert published.message.payload == b"hello" and "allow_publish" not in published.message.headers

    client.call("OnClientConnected", clientinfo=alice)
    assert (tmp_path / "status.txt").read_text().startswith("sensor-1 online ")
    client.call("OnClientDisconnected", clientinfo=alice, reason="normal")
    assert (tmp_path / "status.txt").read_text().startswith("sensor-1 offline ")
    history = (tmp_path / "history.log").read_text().splitlines()
    assert len(history) == 2
    assert history[0].endswith(" connected sensor-1 username=alice peer=127.0.0.1:50000")
    assert history[1].endswith(" disconnected sensor-1 reason=normal")


def test_run_as_a_process_it_serves_until_sigterm_then_exits_cleanly(tmp_path):
    import signal
    import socket
    import subprocess
    import sys
    import time

    import grpc

    from conftest import TIMEOUT, Client

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = dict(os.environ, PYTHONPATH=os.path.join(os.path.dirname(__file__), ".."))
    proc = subprocess.Popen([sys.executable, EXAMPLE, "--port", str(port), "--data-dir", str(tmp_path)], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    client = None
    try:
        deadline = time.monotonic() + 15
        while True:
            # A new channel each time: a channel that failed to connect waits its back-off before trying again.
            client = Client(port)
            try:
                hooks = client.call("OnProviderLoaded").hooks
                break
            except grpc.RpcError:
                client.close()
                assert proc.poll() is None, proc.stdout.read()
                assert time.monotonic() < deadline, "the example did not serve within 15s"
                time.sleep(0.1)
        assert "client.authenticate" in [h.name for h in hooks]
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=10) == 0
        out = proc.stdout.read()
        assert f"serving SeedHooks on 127.0.0.1:{port}" in out
        assert "stopping" in out
    finally:
        if client is not None:
            client.close()
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=TIMEOUT)
