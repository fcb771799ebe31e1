"""EmqxHookSdk, the base class of a module's hooks, and the hooks_handler decorator, as in EMQX 4.x's SDK."""

from functools import wraps

from .states import EMQX_OK
from .types import EMQX_CLIENTINFO_PARSE_T, EMQX_MESSAGE_PARSE_T, EMQX_OPTS_PARSE_T, EMQX_TOPICS, EMQXBase

# Method name -> the hook's name in EMQX 4.x's driver protocol ("action"), in the order of EMQX's hook points.
EMQX_HOOK_DICT = {
    'on_client_connect': 'client_connect',
    'on_client_connack': 'client_connack',
    'on_client_connected': 'client_connected',
    'on_client_disconnected': 'client_disconnected',
    'on_client_authenticate': 'client_authenticate',
    'on_client_check_acl': 'client_check_acl',
    'on_client_subscribe': 'client_subscribe',
    'on_client_unsubscribe': 'client_unsubscribe',
    'on_session_created': 'session_created',
    'on_session_subscribed': 'session_subscribed',
    'on_session_unsubscribed': 'session_unsubscribed',
    'on_session_resumed': 'session_resumed',
    'on_session_discarded': 'session_discarded',
    'on_session_takeovered': 'session_takeovered',
    'on_session_terminated': 'session_terminated',
    'on_message_publish': 'message_publish',
    'on_message_delivered': 'message_delivered',
    'on_message_acked': 'message_acked',
    'on_message_dropped': 'message_dropped',
}


class EmqxHookSdk:
    """The base class of a hooks module's hooks object. Define the ``on_*`` methods you want (decorated with
    :func:`hooks_handler`); :meth:`start` registers those and only those. Every hook gets the ``state`` that
    ``init()`` returned (``()`` with :meth:`start`) as its last argument.

    Decisions: ``on_client_authenticate`` and ``on_client_check_acl`` return True (allow) or False (refuse), final
    for the decision; None leaves the decision as it was. ``on_message_publish`` returns None to publish the message
    unchanged, or the message (its topic, qos or payload changed) to publish that; on Mast, False drops it.
    """

    def __init__(self, hook_module: str):
        """``hook_module`` names this object as ``"<module>.<attribute>"``, usually ``f'{__name__}.emqx_hook'``."""
        self.hook_module = hook_module

    def start(self, topics: EMQX_TOPICS = None):
        """The value ``init()`` returns: ``(EMQX_OK, (hook_specs, state))``, one spec per ``on_*`` method the
        subclass defines, ``(hook, module, function, topics)``. ``topics`` (MQTT topic filters) restrict the
        message hooks; a method's own ``@hooks_handler(topics=...)`` takes precedence; none means every topic."""
        module, sep, instance = self.hook_module.rpartition('.')
        if not sep or not module or not instance:
            raise ValueError(f"hook_module must be '<module>.<attribute>', e.g. f'{{__name__}}.emqx_hook', "
                             f"not {self.hook_module!r}")
        if isinstance(topics, str):
            topics = [topics]
        specs = []
        for name in _defined_hooks(type(self)):
            own = getattr(getattr(type(self), name), '__emqx_topics__', None)
            spec_topics = list(own if own is not None else topics or [])
            specs.append((EMQX_HOOK_DICT[name], module, f'{instance}.{name}', spec_topics))
        return EMQX_OK, (specs, ())

    # ---- The hooks and their arguments (defining one in a subclass registers it) ----

    def on_client_connect(self, conninfo: EMQXBase = None, props: dict = None, state: tuple = None):
        """A client sent CONNECT. ``props``: its MQTT 5.0 properties by name."""

    def on_client_connack(self, conninfo: EMQXBase, rc: str, props: dict, state: tuple):
        """The broker answers a CONNECT; ``rc`` is the outcome, e.g. ``success`` or ``not_authorized``."""

    def on_client_connected(self, clientinfo: EMQX_CLIENTINFO_PARSE_T, state: tuple):
        """A client is connected."""

    def on_client_disconnected(self, clientinfo: EMQX_CLIENTINFO_PARSE_T, reason: str, state: tuple):
        """A client's connection closed."""

    def on_client_authenticate(self, clientinfo: EMQX_CLIENTINFO_PARSE_T, authresult: bool, state: tuple) -> bool:
        """May the client connect? ``authresult`` is the decision so far."""

    def on_client_check_acl(self, clientinfo: EMQX_CLIENTINFO_PARSE_T, pubsub: str, topic: str, result: bool,
                            state: tuple) -> bool:
        """May the client publish (``pubsub == 'publish'``) to ``topic`` or subscribe (``'subscribe'``) to it?"""

    def on_client_subscribe(self, clientinfo: EMQX_CLIENTINFO_PARSE_T, props: dict, topics: list, state: tuple):
        """A client subscribes; ``topics`` is a list of ``(topic_filter, qos)``."""

    def on_client_unsubscribe(self, clientinfo: EMQX_CLIENTINFO_PARSE_T, props: dict, topics: list, state: tuple):
        """A client unsubscribes; ``topics`` is a list of ``(topic_filter, qos)``."""

    def on_session_created(self, clientinfo: EMQX_CLIENTINFO_PARSE_T, state: tuple):
        """A session was created."""

    def on_session_subscribed(self, clientinfo: EMQX_CLIENTINFO_PARSE_T, topic: str, opts: EMQX_OPTS_PARSE_T,
                              state: tuple):
        """A subscription was added to a session."""

    def on_session_unsubscribed(self, clientinfo: EMQX_CLIENTINFO_PARSE_T, topic: str, state: tuple):
        """A subscription was removed from a session."""

    def on_session_resumed(self, clientinfo: EMQX_CLIENTINFO_PARSE_T, state: tuple):
        """A client resumed its session."""

    def on_session_discarded(self, clientinfo: EMQX_CLIENTINFO_PARSE_T, state: tuple):
        """A session was discarded."""

    def on_session_takeovered(self, clientinfo: EMQX_CLIENTINFO_PARSE_T, state: tuple):
        """A session was taken over by a new connection with the same client id."""

    def on_session_terminated(self, clientinfo: EMQX_CLIENTINFO_PARSE_T, reason: str, state: tuple):
        """A session ended."""

    def on_message_publish(self, message: EMQX_MESSAGE_PARSE_T, state: tuple):
        """A message was published; see the class's description for what to return."""

    def on_message_delivered(self, clientinfo: EMQX_CLIENTINFO_PARSE_T, message: EMQX_MESSAGE_PARSE_T,
                             state: tuple):
        """A message was sent to a subscriber."""

    def on_message_acked(self, clientinfo: EMQX_CLIENTINFO_PARSE_T, message: EMQX_MESSAGE_PARSE_T, state: tuple):
        """A subscriber acknowledged a message."""

    def on_message_dropped(self, message: EMQX_MESSAGE_PARSE_T, reason: str, state: tuple):
        """A message was dropped."""


def _defined_hooks(cls):
    """The hook methods ``cls`` or a base class between it and EmqxHookSdk defines, in EMQX_HOOK_DICT's order."""
    defined = set()
    for klass in cls.__mro__:
        if klass is EmqxHookSdk or klass is object:
            continue
        defined.update(name for name in vars(klass) if name in EMQX_HOOK_DICT)
    return [name for name in EMQX_HOOK_DICT if name in defined]


class hooks_handler:
    """Decorates a hook method: ``@hooks_handler()``, or ``@hooks_handler(topics=['sensors/#'])`` to restrict a
    message hook to those MQTT topic filters. A bool the method returns becomes ``(EMQX_OK, bool)``, as EMQX 4.x's
    driver protocol has it; other values are returned as they are."""

    def __init__(self, topics=None):
        if isinstance(topics, str):
            topics = [topics]
        self.topics = None if topics is None else list(topics)

    def __call__(self, func):
        @wraps(func)
        def wrapped_function(*args, **kwargs):
            result = func(*args, **kwargs)
            if isinstance(result, bool):
                return EMQX_OK, result
            return result

        if self.topics is not None:
            wrapped_function.__emqx_topics__ = self.topics
        return wrapped_function
