"""Fixtures: a running SDK server and a gRPC client that calls it as the broker does."""

import grpc
import pytest

from mast_exhook import protocol, start
from mast_exhook._protocol import stream_protocol

TIMEOUT = 5.0


class Client:
    """Calls a hook server's RPCs by name with protocol ``version``'s classes."""

    def __init__(self, port, version="v3"):
        self.channel = grpc.insecure_channel(f"127.0.0.1:{port}")
        self.p = protocol(version)

    def _rpc(self, rpc):
        m = self.p.methods[rpc]
        return self.channel.unary_unary(f"/{self.p.service}/{rpc}",
                                        request_serializer=m.input.SerializeToString,
                                        response_deserializer=m.output.FromString)

    def call(self, rpc, **fields):
        return self._rpc(rpc)(self.p.methods[rpc].input(**fields), timeout=TIMEOUT)

    def future(self, rpc, **fields):
        return self._rpc(rpc).future(self.p.methods[rpc].input(**fields), timeout=TIMEOUT)

    def stream(self):
        """Opens an Exchange stream of Mast's streaming mode; returns (send, responses): send(batch) queues a
        RequestBatch (None ends the broker's side), responses iterates the ResponseBatch frames."""
        import queue
        st = stream_protocol()
        outgoing = queue.Queue()

        def requests():
            while True:
                batch = outgoing.get()
                if batch is None:
                    return
                yield batch

        call = self.channel.stream_stream(f"/{st.service}/{st.method}",
                                          request_serializer=st.RequestBatch.SerializeToString,
                                          response_deserializer=st.ResponseBatch.FromString)
        return outgoing.put, call(requests(), timeout=TIMEOUT * 4)

    def close(self):
        self.channel.close()


@pytest.fixture
def serving():
    """serving(provider, version="v3") starts the provider on a free port of 127.0.0.1 and returns a Client."""
    started = []

    def run(provider, version="v3"):
        server = start(provider, port=0)
        client = Client(server.port, version)
        started.append((server, client))
        # Connected before the first call: calls started on a channel still connecting may leave in any order.
        grpc.channel_ready_future(client.channel).result(timeout=TIMEOUT)
        return client

    yield run
    for server, client in started:
        client.close()
        server.stop(grace=1)
