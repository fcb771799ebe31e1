"""The ExHook protocol's message classes, built at run time from the .proto files shipped in this package: EMQX's
emqx.exhook.v3 and v2, and Mast's batched streaming mode (mast.exhook.v1, see :func:`stream_protocol`).

No generated code: protoc (from grpcio-tools, e.g. Debian's python3-grpc-tools) compiles the .proto files into a
descriptor set, and the message classes are made from it. This works with every grpcio-tools version, including
those too old for ``grpc.protos_and_services``.
"""

import os
import tempfile
import threading
import types

from google.protobuf import descriptor_pb2, descriptor_pool, message_factory

PROTO_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "protos")
VERSIONS = ("v3", "v2")
STREAM_PROTO = "mast/exhook/v1/stream.proto"

_lock = threading.Lock()
_loaded = {}


def _descriptor_set():
    try:
        from grpc_tools import protoc
    except ImportError as e:  # pragma: no cover - depends on the machine
        raise ImportError(
            "mast_exhook needs grpcio-tools to read its .proto files: "
            "apt-get install python3-grpc-tools (Debian) or pip install grpcio-tools") from e
    files = [f"emqx/exhook/{v}/exhook.proto" for v in VERSIONS] + [STREAM_PROTO]
    with tempfile.TemporaryDirectory(prefix="mast_exhook-") as tmp:
        out = os.path.join(tmp, "exhook.pb")
        rc = protoc.main(["protoc", f"-I{PROTO_DIR}", f"--descriptor_set_out={out}"] + files)
        if rc != 0:
            raise RuntimeError(f"protoc could not compile {files} in {PROTO_DIR} (exit {rc})")
        with open(out, "rb") as f:
            return descriptor_pb2.FileDescriptorSet.FromString(f.read())


def _message_class(factory, descriptor):
    get = getattr(message_factory, "GetMessageClass", None)  # protobuf 4.22+
    if get is not None:
        return get(descriptor)
    return factory.GetPrototype(descriptor)  # one factory, so a field's message class is the class of its type


def protocol(version="v3"):
    """The protocol ``version`` ("v3" or "v2") as a namespace: one message class per message name
    (``protocol().ClientInfo``), plus ``service`` (the full service name) and ``methods`` (the RPC names, each
    with ``input`` and ``output`` classes)."""
    if version not in VERSIONS:
        raise ValueError(f"unknown ExHook protocol version {version!r}; expected one of {VERSIONS}")
    _load()
    return _loaded[version]


def stream_protocol():
    """Mast's batched streaming mode (mast.exhook.v1) as a namespace: ``RequestBatch``, ``HookRequest``,
    ``ResponseBatch``, ``HookResponse`` (whose request fields are of :func:`protocol` ("v3")'s classes),
    ``service`` ("mast.exhook.v1.HookStream") and ``method`` ("Exchange")."""
    _load()
    return _loaded["stream"]


def _load():
    with _lock:
        if _loaded:
            return
        pool = descriptor_pool.DescriptorPool()
        for f in _descriptor_set().file:
            pool.Add(f)
        factory = message_factory.MessageFactory(pool)
        for v in VERSIONS:
            package = f"emqx.exhook.{v}"
            file = pool.FindFileByName(f"emqx/exhook/{v}/exhook.proto")
            ns = types.SimpleNamespace(version=v, service=f"{package}.HookProvider", methods={})
            for name, desc in file.message_types_by_name.items():
                setattr(ns, name, _message_class(factory, desc))
            for m in pool.FindServiceByName(ns.service).methods:
                ns.methods[m.name] = types.SimpleNamespace(
                    name=m.name,
                    input=getattr(ns, m.input_type.name),
                    output=getattr(ns, m.output_type.name))
            _loaded[v] = ns
        file = pool.FindFileByName(STREAM_PROTO)
        ns = types.SimpleNamespace(service="mast.exhook.v1.HookStream", method="Exchange")
        for name, desc in file.message_types_by_name.items():
            setattr(ns, name, _message_class(factory, desc))
        _loaded["stream"] = ns
