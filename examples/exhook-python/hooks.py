"""The seed's hook server on Mast's Python SDK.

A login needs a client id, publishing and subscribing need a user name, every publish is logged, and clients'
online status and history go to files in --data-dir (a database would do the same):

    history.log   one line per change, appended: "<time> connected <clientid> username=<u> peer=<host:port>"
                  or "<time> disconnected <clientid> reason=<reason>"
    status.txt    every client seen, one line each, sorted, rewritten on each change: "<clientid> online <time>"

Run it yourself (/usr/bin/python3 hooks.py --port 9000) or let the broker start it (see README.md).
"""

import argparse
import logging
import os
import threading
from datetime import datetime, timezone

from mast_exhook import HookProvider, hook, serve

log = logging.getLogger("hooks")


class ClientLog:
    """Clients' online status and history in two files; thread-safe (hooks about different clients run
    concurrently)."""

    def __init__(self, data_dir):
        os.makedirs(data_dir, exist_ok=True)
        self.history = os.path.join(data_dir, "history.log")
        self.status = os.path.join(data_dir, "status.txt")
        self.states = {}
        self.lock = threading.Lock()

    def online(self, clientid, username, peer):
        self._record(clientid, "online", f"connected {clientid} username={username} peer={peer}")

    def offline(self, clientid, reason):
        self._record(clientid, "offline", f"disconnected {clientid} reason={reason}")

    def _record(self, clientid, state, event):
        now = datetime.now(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")
        with self.lock:
            self.states[clientid] = f"{state} {now}"
            with open(self.history, "a", encoding="utf-8") as f:
                f.write(f"{now} {event}\n")
            tmp = self.status + ".tmp"
            with open(tmp, "w", encoding="utf-8") as f:
                f.writelines(f"{c} {s}\n" for c, s in sorted(self.states.items()))
            os.replace(tmp, self.status)


class SeedHooks(HookProvider):
    def __init__(self, data_dir="data"):
        self.clients = ClientLog(data_dir)

    @hook
    def on_client_authenticate(self, clientinfo, result):
        log.info("authenticate %s", clientinfo.clientid)
        return clientinfo.clientid != ""          # allow only clients with an id

    @hook
    def on_client_authorize(self, clientinfo, action, topic, result):
        log.info("authorize %s %s %s", clientinfo.username, action, topic)
        return clientinfo.username != ""          # deny when the username is empty

    @hook
    def on_message_publish(self, message):
        log.info("publish %s %s: %s", getattr(message, "from"), message.topic,
                 message.payload.decode("utf-8", "replace"))
        return message                            # unchanged; None would drop it

    @hook
    def on_client_connected(self, clientinfo):
        self.clients.online(clientinfo.clientid, clientinfo.username,
                            f"{clientinfo.peerhost}:{clientinfo.peerport}")

    @hook
    def on_client_disconnected(self, clientinfo, reason):
        self.clients.offline(clientinfo.clientid, reason)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=9000)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--data-dir", default="data")
    args = parser.parse_args()
    serve(SeedHooks(args.data_dir), port=args.port, host=args.host)


if __name__ == "__main__":
    main()
