"""Runs an EMQX 4.x hooks module as an ExHook hook server on Mast's SDK: what the broker starts for
``exhook.drivers.python3``, and what you can run by hand::

    python3 -m emqx_extension.driver --path data/extension/hooks.py --init-module hooks --port 9000

It puts ``--path`` on the module search path, imports ``--init-module``, calls its ``init()``, registers the hooks
``init()`` returned (and only those) with the broker, serves them on 127.0.0.1 until SIGTERM or Ctrl-C, then calls
``deinit()``. Hooks run one at a time, as in EMQX 4.x's single driver process.
"""

import argparse
import importlib
import logging
import os
import sys
import threading

from . import _convert as convert
from .hooks import EMQX_HOOK_DICT
from .states import EMQX_OK

log = logging.getLogger("emqx_extension")

# EMQX 4.x's hook ("action") -> (Mast's hook method, the 4.x arguments from Mast's, what the result means)
NOTIFY, DECISION, PUBLISH = "notify", "decision", "publish"
ACTIONS = {
    "client_connect": ("on_client_connect", lambda conn, p: (convert.conninfo(conn), convert.props(p)), NOTIFY),
    "client_connack": ("on_client_connack",
                       lambda conn, rc, p: (convert.conninfo(conn), rc, convert.props(p)), NOTIFY),
    "client_connected": ("on_client_connected", lambda c: (convert.clientinfo(c),), NOTIFY),
    "client_disconnected": ("on_client_disconnected", lambda c, reason: (convert.clientinfo(c), reason), NOTIFY),
    "client_authenticate": ("on_client_authenticate", lambda c, result: (convert.clientinfo(c), result), DECISION),
    "client_check_acl": ("on_client_authorize",
                         lambda c, action, topic, result: (convert.clientinfo(c), action, topic, result), DECISION),
    "client_subscribe": ("on_client_subscribe",
                         lambda c, tfs, p: (convert.clientinfo(c), convert.props(p), convert.topic_filters(tfs)),
                         NOTIFY),
    "client_unsubscribe": ("on_client_unsubscribe",
                           lambda c, tfs, p: (convert.clientinfo(c), convert.props(p), convert.topic_filters(tfs)),
                           NOTIFY),
    "session_created": ("on_session_created", lambda c: (convert.clientinfo(c),), NOTIFY),
    "session_subscribed": ("on_session_subscribed",
                           lambda c, topic, o: (convert.clientinfo(c), topic, convert.subopts(o)), NOTIFY),
    "session_unsubscribed": ("on_session_unsubscribed", lambda c, topic: (convert.clientinfo(c), topic), NOTIFY),
    "session_resumed": ("on_session_resumed", lambda c: (convert.clientinfo(c),), NOTIFY),
    "session_discarded": ("on_session_discarded", lambda c: (convert.clientinfo(c),), NOTIFY),
    "session_takeovered": ("on_session_takenover", lambda c: (convert.clientinfo(c),), NOTIFY),
    "session_terminated": ("on_session_terminated", lambda c, reason: (convert.clientinfo(c), reason), NOTIFY),
    "message_publish": ("on_message_publish", lambda m: (convert.message(m),), PUBLISH),
    "message_delivered": ("on_message_delivered", lambda c, m: (convert.clientinfo(c), convert.message(m)),
                          NOTIFY),
    "message_acked": ("on_message_acked", lambda c, m: (convert.clientinfo(c), convert.message(m)), NOTIFY),
    "message_dropped": ("on_message_dropped", lambda m, reason: (convert.message(m), reason), NOTIFY),
}
assert set(ACTIONS) == set(EMQX_HOOK_DICT.values())


class DriverError(Exception):
    """The hooks module cannot be loaded or served: its message says why, in one line."""


def load(paths, init_module):
    """Imports ``init_module`` with ``paths`` (files or folders) first on the search path and calls its
    ``init()``. Returns (module, hook specs, state)."""
    for p in reversed(paths):
        folder = os.path.dirname(os.path.abspath(p)) if os.path.isfile(p) else os.path.abspath(p)
        if not os.path.isdir(folder):
            raise DriverError(f"path {p}: no such file or folder")
        if folder not in sys.path:
            sys.path.insert(0, folder)
    try:
        module = importlib.import_module(init_module)
    except ImportError as e:
        raise DriverError(f"cannot import the init module {init_module!r} from {os.pathsep.join(paths)}: {e}") from e
    init = getattr(module, "init", None)
    if not callable(init):
        raise DriverError(f"{module.__name__} has no init() function")
    result = init()
    if not (isinstance(result, tuple) and len(result) == 2):
        raise DriverError(f"{module.__name__}.init() returned {result!r}; expected (EMQX_OK, (hook_specs, state)), "
                          "as EmqxHookSdk.start() returns")
    code, value = result
    if code != EMQX_OK:
        raise DriverError(f"{module.__name__}.init() failed: {value!r}")
    try:
        specs, state = value
        specs = [_spec(s) for s in specs]
    except (TypeError, ValueError) as e:
        raise DriverError(f"{module.__name__}.init() returned malformed hook specs {value!r}: {e}") from e
    return module, specs, state


def _text(x):
    return x.decode("utf-8") if isinstance(x, bytes) else str(x)


def _spec(s):
    """(action, module, function[, topics]), as text."""
    if len(s) not in (3, 4):
        raise ValueError(f"a hook spec is (hook, module, function[, topics]), not {s!r}")
    topics = list(s[3]) if len(s) == 4 and s[3] else []
    return _text(s[0]), _text(s[1]), _text(s[2]), [_text(t) for t in topics]


def _resolve(module, function):
    target = importlib.import_module(module)
    for part in function.split("."):
        target = getattr(target, part)
    return target


def provider(specs, state):
    """A Mast HookProvider that registers exactly the hooks in ``specs`` and calls their functions with the
    arguments EMQX 4.x gave (``state`` last), one call at a time."""
    from mast_exhook import HookProvider, hook, ignore, protocol, stop

    lock = threading.Lock()
    new_message = protocol("v3").Message
    methods = {}
    for action, module, function, topics in specs:
        if action not in ACTIONS:
            raise DriverError(f"unknown hook {action!r} in init()'s hook specs; known: {', '.join(ACTIONS)}")
        name, arguments, kind = ACTIONS[action]
        if name in methods:
            raise DriverError(f"the hook {action} is registered twice in init()'s hook specs")
        try:
            target = _resolve(module, function)
        except (ImportError, AttributeError) as e:
            raise DriverError(f"{action}: cannot find {module}.{function}: {e}") from e
        method = _method(target, arguments, kind, f"{module}.{function}", state, lock, stop, ignore, new_message)
        message_hook = action.startswith("message_")
        try:
            methods[name] = hook(topics=topics if message_hook and topics else None)(method)
        except ValueError as e:
            raise DriverError(f"{action}: {e}") from e
    return type("EmqxExtensionHooks", (HookProvider,), methods)()


def _method(target, arguments, kind, where, state, lock, stop, ignore, new_message):
    def call(*args):
        with lock:
            return target(*arguments(*args), state)

    if kind == DECISION:
        def method(self, *args):
            return convert.decision(call(*args), where, stop, ignore)
    elif kind == PUBLISH:
        def method(self, m):
            return convert.published(call(m), m, where, stop, ignore, new_message)
    else:
        def method(self, *args):
            call(*args)
    return method


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python3 -m emqx_extension.driver",
                                     description="Serve an EMQX 4.x hooks module as an ExHook hook server.")
    parser.add_argument("--path", default="data/extension",
                        help=f"the hooks module's file or folder; several separated by '{os.pathsep}'")
    parser.add_argument("--init-module", help="the module with init() and deinit() (default: the file's name "
                                              "when --path is a .py file, else main)")
    parser.add_argument("--port", type=int, default=9000)
    parser.add_argument("--host", default="127.0.0.1")
    args = parser.parse_args(argv)
    paths = [p for p in args.path.split(os.pathsep) if p]
    init_module = args.init_module
    if not init_module:
        init_module = os.path.splitext(os.path.basename(paths[0]))[0] if paths[0].endswith(".py") else "main"
    logging.basicConfig(level=logging.INFO, stream=sys.stdout,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        from mast_exhook import serve
    except ImportError as e:
        print(f"emqx_extension.driver: cannot import Mast's SDK (mast_exhook): {e}; on Debian: apt-get install "
              "python3-grpcio python3-protobuf python3-grpc-tools", file=sys.stderr)
        return 1
    try:
        module, specs, state = load(paths, init_module)
    except DriverError as e:
        print(f"emqx_extension.driver: {e}", file=sys.stderr)
        return 1
    try:
        hooks = provider(specs, state)
        log.info("%s: init() registered %s", module.__name__, ", ".join(a for a, _, _, _ in specs) or "no hooks")
        serve(hooks, port=args.port, host=args.host)
    except (DriverError, OSError) as e:
        print(f"emqx_extension.driver: {e}", file=sys.stderr)
        return 1
    finally:
        deinit = getattr(module, "deinit", None)
        if callable(deinit):
            try:
                deinit()
            except Exception:
                log.exception("%s.deinit() failed", module.__name__)
    return 0


if __name__ == "__main__":
    sys.exit(main())
