"""Mast's SDK for ExHook hook servers: subclass :class:`HookProvider`, decorate the ``on_*`` methods you want with
:func:`hook`, and :func:`serve` it::

    from mast_exhook import HookProvider, hook, serve

    class CustomHook(HookProvider):
        @hook
        def on_client_authenticate(self, clientinfo, result):
            return clientinfo.clientid != ""

        @hook(topics=["sensors/#"])
        def on_message_publish(self, message):
            print(message.topic, message.payload)
            return message

    if __name__ == "__main__":
        serve(CustomHook(), port=9000)

The server speaks emqx.exhook.v3 and emqx.exhook.v2, so it works with Mast and with EMQX 5.
"""

from ._protocol import protocol
from ._provider import (CONTINUE, IGNORE, PUBLISH, STOP_AND_RETURN, SUBSCRIBE, Answer, HookProvider, Properties,
                        deny, hook, ignore, refuse, stop)
from ._server import HookServer, serve, start

__all__ = ["HookProvider", "hook", "serve", "start", "HookServer", "stop", "ignore", "deny", "refuse", "Answer", "Properties",
           "protocol", "PUBLISH", "SUBSCRIBE", "CONTINUE", "IGNORE", "STOP_AND_RETURN"]
__version__ = "0.1.0"
