"""EMQX 4.x's Python extension SDK (``emqx-extension-sdk`` 0.2) on Mast: hook code written for EMQX 4.1 and 4.2's
Python driver runs unchanged. Subclass :class:`EmqxHookSdk`, decorate the ``on_*`` methods with
:func:`hooks_handler`, and give the module ``init()`` and ``deinit()``::

    from emqx_extension.hooks import EmqxHookSdk, hooks_handler

    class CustomHook(EmqxHookSdk):
        @hooks_handler()
        def on_client_authenticate(self, clientinfo, authresult, state) -> bool:
            return clientinfo.clientid != ''

    emqx_hook = CustomHook(hook_module=f'{__name__}.emqx_hook')

    def init():
        return emqx_hook.start()

    def deinit():
        return

The broker runs the module with its ``exhook.drivers.python3`` config (see docs/exhook-sdk.md, "Coming from EMQX
4.x"); ``python3 -m emqx_extension.driver`` serves it as an ExHook server by hand. Built on Mast's own SDK,
:mod:`mast_exhook`, which is needed (with grpcio) only to serve, not to import this package.
"""

from .hooks import EmqxHookSdk, hooks_handler

__all__ = ["EmqxHookSdk", "hooks_handler"]
