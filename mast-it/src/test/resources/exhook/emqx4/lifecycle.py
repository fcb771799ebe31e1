"""A hooks module for EMQX 4.x's Python SDK that writes what happens to it, with its process id, to the file named
by $MARKS: init, deinit, and each session created. A client whose id starts with "slow" takes 3 s to authenticate."""

import os
import time

from emqx_extension.hooks import EmqxHookSdk, hooks_handler


def mark(what):
    with open(os.environ["MARKS"], "a") as f:
        f.write(f"{what} {os.getpid()}\n")


class Lifecycle(EmqxHookSdk):
    @hooks_handler()
    def on_client_authenticate(self, clientinfo, authresult, state):
        if clientinfo.clientid.startswith("slow"):
            time.sleep(3)
        return True

    @hooks_handler()
    def on_session_created(self, clientinfo, state):
        mark("session " + clientinfo.clientid)


hooks = Lifecycle(hook_module=f"{__name__}.hooks")


def init():
    mark("init")
    return hooks.start()


def deinit():
    mark("deinit")
