"""A hook server for EMQX's ExHook (emqx.exhook.v3), as a user writes one with grpcio; ExHookProcessIT has the broker
start it through `command`.

It loads the .proto at runtime (grpc.protos_and_services; with Debian's older grpc-tools, which lacks that function,
it runs grpc_tools.protoc into a temporary folder instead) and:
  - allows every login except the user name "mallory";
  - denies subscribing to secret/#;
  - upper-cases the payload of messages to py/upper, and exits (a crash, code 3) on a message to py/crash;
  - prints one line per call ("CALL <rpc> <client id>") on standard output, which the broker logs.

Usage: hook_server.py --port N --proto-root DIR
"""
import argparse
import os
import sys
import tempfile
from concurrent import futures

import grpc

PROTO = "emqx/exhook/v3/exhook.proto"


def load_protos(root):
    sys.path.insert(0, root)
    try:
        return grpc.protos_and_services(PROTO)
    except NotImplementedError:
        from grpc_tools import protoc
        out = tempfile.mkdtemp(prefix="exhook-proto-")
        rc = protoc.main(["protoc", "-I" + root, "--python_out=" + out, "--grpc_python_out=" + out, PROTO])
        if rc != 0:
            raise SystemExit("protoc failed with code %d" % rc)
        sys.path.insert(0, out)
        from emqx.exhook.v3 import exhook_pb2, exhook_pb2_grpc
        return exhook_pb2, exhook_pb2_grpc


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--proto-root", required=True)
    args = parser.parse_args()
    pb, rpc = load_protos(args.proto_root)

    def log(method, clientid=""):
        print("CALL %s %s" % (method, clientid), flush=True)

    class Hooks(rpc.HookProviderServicer):
        def OnProviderLoaded(self, request, context):
            log("OnProviderLoaded", request.meta.node)
            hooks = [pb.HookSpec(name=n) for n in
                     ("client.connect", "client.connected", "client.authenticate", "client.authorize")]
            hooks.append(pb.HookSpec(name="message.publish", topics=["py/#"]))
            return pb.LoadedResponse(hooks=hooks)

        def OnProviderUnloaded(self, request, context):
            log("OnProviderUnloaded")
            return pb.EmptySuccess()

        def OnClientConnect(self, request, context):
            log("OnClientConnect", request.conninfo.clientid)
            return pb.EmptySuccess()

        def OnClientConnected(self, request, context):
            log("OnClientConnected", request.clientinfo.clientid)
            return pb.EmptySuccess()

        def OnClientAuthenticate(self, request, context):
            log("OnClientAuthenticate", request.clientinfo.clientid)
            allowed = request.clientinfo.username != "mallory"
            return pb.ValuedResponse(type="STOP_AND_RETURN", bool_result=allowed)

        def OnClientAuthorize(self, request, context):
            log("OnClientAuthorize", request.clientinfo.clientid)
            if request.type == pb.ClientAuthorizeRequest.SUBSCRIBE and request.topic.startswith("secret/"):
                return pb.ValuedResponse(type="STOP_AND_RETURN", bool_result=False)
            return pb.ValuedResponse(type="IGNORE")

        def OnMessagePublish(self, request, context):
            message = request.message
            log("OnMessagePublish", getattr(message, "from"))
            if message.topic == "py/crash":
                print("crashing on purpose", file=sys.stderr, flush=True)
                os._exit(3)
            if message.topic == "py/upper":
                message.payload = message.payload.upper()
                return pb.ValuedResponse(type="CONTINUE", message=message)
            return pb.ValuedResponse(type="IGNORE")

    server = grpc.server(futures.ThreadPoolExecutor(max_workers=8))
    rpc.add_HookProviderServicer_to_server(Hooks(), server)
    server.add_insecure_port("127.0.0.1:%d" % args.port)
    server.start()
    print("serving on 127.0.0.1:%d" % args.port, flush=True)
    server.wait_for_termination()


if __name__ == "__main__":
    main()
