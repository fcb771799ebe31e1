"""HookProvider, the @hook decorator, and the answers a decision hook can give."""

# Python method name -> (protocol hook name, RPC name, is a decision)
HOOKS = {
    "on_client_connect": ("client.connect", "OnClientConnect", False),
    "on_client_connack": ("client.connack", "OnClientConnack", False),
    "on_client_connected": ("client.connected", "OnClientConnected", False),
    "on_client_disconnected": ("client.disconnected", "OnClientDisconnected", False),
    "on_client_authenticate": ("client.authenticate", "OnClientAuthenticate", True),
    "on_client_authorize": ("client.authorize", "OnClientAuthorize", True),
    "on_client_subscribe": ("client.subscribe", "OnClientSubscribe", False),
    "on_client_unsubscribe": ("client.unsubscribe", "OnClientUnsubscribe", False),
    "on_session_created": ("session.created", "OnSessionCreated", False),
    "on_session_subscribed": ("session.subscribed", "OnSessionSubscribed", False),
    "on_session_unsubscribed": ("session.unsubscribed", "OnSessionUnsubscribed", False),
    "on_session_resumed": ("session.resumed", "OnSessionResumed", False),
    "on_session_discarded": ("session.discarded", "OnSessionDiscarded", False),
    "on_session_takenover": ("session.takenover", "OnSessionTakenover", False),
    "on_session_terminated": ("session.terminated", "OnSessionTerminated", False),
    "on_message_publish": ("message.publish", "OnMessagePublish", True),
    "on_message_delivered": ("message.delivered", "OnMessageDelivered", False),
    "on_message_acked": ("message.acked", "OnMessageAcked", False),
    "on_message_dropped": ("message.dropped", "OnMessageDropped", False),
}

PUBLISH = "publish"
SUBSCRIBE = "subscribe"

CONTINUE = "CONTINUE"
IGNORE = "IGNORE"
STOP_AND_RETURN = "STOP_AND_RETURN"


class Answer:
    """A decision hook's full answer: ``type`` (CONTINUE, IGNORE or STOP_AND_RETURN) and ``value`` (a bool, or for
    on_message_publish the message to publish, None to drop it). Made by :func:`stop` and :func:`ignore`; a plain
    return value means CONTINUE."""

    __slots__ = ("type", "value", "reason_code", "reason_string")

    def __init__(self, type, value=None, reason_code=0, reason_string=None):
        if type not in (CONTINUE, IGNORE, STOP_AND_RETURN):
            raise ValueError(f"unknown answer type {type!r}")
        if not isinstance(reason_code, int) or not 0 <= reason_code <= 0xFF:
            raise ValueError(f"a reason code is a byte (0 to 0xFF), not {reason_code!r}")
        self.type = type
        self.value = value
        self.reason_code = reason_code
        self.reason_string = reason_string

    def __repr__(self):
        return f"Answer({self.type}, {self.value!r}, reason_code={self.reason_code:#x})"


def stop(value):
    """Answer ``value`` as the final decision: no further hook server is asked (STOP_AND_RETURN)."""
    return Answer(STOP_AND_RETURN, value)


def deny(reason_code, reason_string=None):
    """Refuses a login (on_client_authenticate) or a publish or subscribe (on_client_authorize) with an MQTT 5.0
    reason code the client gets, e.g. ``deny(0x86, "unknown user")`` or ``deny(0x8A)`` (Banned); no further hook
    server is asked. Mast's extension of the protocol: EMQX ignores the code and refuses with its default."""
    return Answer(STOP_AND_RETURN, False, reason_code, reason_string)


def refuse(reason_code, reason_string=None):
    """Refuses a message (on_message_publish) with a reason code the publisher gets in PUBACK or PUBREC, e.g.
    ``refuse(0x97, "over quota")``, where returning None drops it silently. Mast's extension of the protocol."""
    return Answer(STOP_AND_RETURN, None, reason_code, reason_string)


def ignore():
    """No opinion: the next hook server decides, or the result so far stands (IGNORE)."""
    return Answer(IGNORE)


def hook(fn=None, *, topics=None):
    """Registers an ``on_*`` method of a :class:`HookProvider` with the broker. Use it bare (``@hook``) or with
    topic filters for a message hook (``@hook(topics=["sensors/#"])``): the broker then sends only messages whose
    topic matches one of them."""
    if topics is not None:
        if isinstance(topics, str):
            topics = [topics]
        topics = list(topics)
        for t in topics:
            check_topic_filter(t)

    def mark(f):
        f.__mast_hook__ = tuple(topics or ())
        return f

    if fn is not None:
        if not callable(fn):
            raise TypeError("@hook takes keyword arguments only: @hook(topics=[...])")
        return mark(fn)
    return mark


def check_topic_filter(f):
    """Raises ValueError unless ``f`` is a valid MQTT topic filter."""
    if not isinstance(f, str) or not f:
        raise ValueError(f"invalid topic filter {f!r}: empty")
    levels = f.split("/")
    for i, level in enumerate(levels):
        if "#" in level and (level != "#" or i != len(levels) - 1):
            raise ValueError(f"invalid topic filter {f!r}: '#' must be the last level alone")
        if "+" in level and level != "+":
            raise ValueError(f"invalid topic filter {f!r}: '+' must be a level alone")


def topic_matches(f, topic):
    """Whether ``topic`` matches the MQTT topic filter ``f``."""
    if topic.startswith("$") and f[:1] in ("+", "#"):
        return False
    fl, tl = f.split("/"), topic.split("/")
    for i, level in enumerate(fl):
        if level == "#":
            return True
        if i >= len(tl) or (level != "+" and level != tl[i]):
            return False
    return len(fl) == len(tl)


class Properties:
    """The MQTT 5.0 properties of a packet (empty for MQTT 3.1.1 and with protocol v2): ``standard`` and ``user``,
    each a list of (name, value) pairs in the order the client sent them."""

    __slots__ = ("standard", "user")

    def __init__(self, standard=(), user=()):
        self.standard = [(p.name, p.value) if hasattr(p, "name") else tuple(p) for p in standard]
        self.user = [(p.name, p.value) if hasattr(p, "name") else tuple(p) for p in user]

    def get(self, name, default=None):
        """The value of the first standard property called ``name``."""
        return next((v for n, v in self.standard if n == name), default)

    def user_property(self, name, default=None):
        """The value of the first user property called ``name``."""
        return next((v for n, v in self.user if n == name), default)

    def __repr__(self):
        return f"Properties(standard={self.standard!r}, user={self.user!r})"


class HookProvider:
    """The base class of a hook server. Decorate the ``on_*`` methods you want with :func:`hook`; only those are
    registered with the broker::

        class MyHooks(HookProvider):
            @hook
            def on_client_authenticate(self, clientinfo, result):
                return clientinfo.clientid != ""

        serve(MyHooks(), port=9000)

    The hooks and their parameters (clientinfo, conninfo, message, subopts and topic filters are the protocol's
    messages, with its field names, e.g. ``clientinfo.clientid``, ``message.payload``)::

        on_client_connect(conninfo, props)                 on_session_created(clientinfo)
        on_client_connack(conninfo, result_code, props)    on_session_subscribed(clientinfo, topic, subopts)
        on_client_connected(clientinfo)                    on_session_unsubscribed(clientinfo, topic)
        on_client_disconnected(clientinfo, reason)         on_session_resumed(clientinfo)
        on_client_authenticate(clientinfo, result) -> bool on_session_discarded(clientinfo)
        on_client_authorize(clientinfo, action, topic, result) -> bool
        on_client_subscribe(clientinfo, topic_filters, props)
        on_client_unsubscribe(clientinfo, topic_filters, props)
        on_session_takenover(clientinfo)                   on_session_terminated(clientinfo, reason)
        on_message_publish(message) -> message or None     on_message_delivered(clientinfo, message)
        on_message_acked(clientinfo, message)              on_message_dropped(message, reason)

    ``action`` is "publish" or "subscribe"; ``result`` is the decision so far. A decision hook may return an
    :class:`Answer` (``stop(value)``, ``ignore()``) instead of a plain value. Calls about one client run one at a
    time in the order the broker sent them; calls about different clients run concurrently in threads.
    ``on_provider_loaded(broker)`` and ``on_provider_unloaded()`` may be overridden without @hook; they are always
    called.
    """

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        for name in dir(cls):
            topics = getattr(getattr(cls, name, None), "__mast_hook__", None)
            if topics is None:
                continue
            if name not in HOOKS:
                raise TypeError(f"{cls.__name__}.{name}: @hook on a method that is not a hook; "
                                f"hooks are {', '.join(HOOKS)}")
            if topics and not name.startswith("on_message_"):
                raise TypeError(f"{cls.__name__}.{name}: topics apply to message hooks only")

    def on_provider_loaded(self, broker):
        """The broker loaded this server; ``broker`` has version, sysdescr, uptime, datetime."""

    def on_provider_unloaded(self):
        """The broker unloaded this server."""

    def registered_hooks(self):
        """The hooks this provider registers: {protocol hook name: [topic filters]}, in the protocol's order."""
        result = {}
        for method, (name, _, _) in HOOKS.items():
            topics = getattr(getattr(self, method, None), "__mast_hook__", None)
            if topics is not None:
                result[name] = list(topics)
        return result
