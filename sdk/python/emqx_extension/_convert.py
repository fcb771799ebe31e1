"""From Mast's hook arguments (the ExHook protocol's messages) to what EMQX 4.x's Python hooks received, and from
their return values to Mast's answers."""

from .states import EMQX_ERROR, EMQX_OK
from .types import EMQX_CLIENTINFO_PARSE_T, EMQX_MESSAGE_PARSE_T, EMQX_OPTS_PARSE_T, EMQXBase

_PAYLOAD_ERRORS = "surrogateescape"


def clientinfo(c):
    return EMQX_CLIENTINFO_PARSE_T(node=c.node, clientid=c.clientid, username=c.username, password=c.password,
                                   peerhost=c.peerhost, sockport=c.sockport, protocol=c.protocol,
                                   mountpoint=c.mountpoint, is_superuser=c.is_superuser, anonymous=c.anonymous)


def conninfo(c):
    version = int(c.proto_ver) if c.proto_ver.isdigit() else c.proto_ver
    return EMQXBase(node=c.node, clientid=c.clientid, username=c.username, peerhost=c.peerhost,
                    sockport=c.sockport, proto_name=c.proto_name, proto_ver=version, keepalive=c.keepalive)


def message(m):
    return EMQX_MESSAGE_PARSE_T(node=m.node, id=m.id, qos=m.qos, from_clientid=getattr(m, "from"), topic=m.topic,
                                payload=m.payload.decode("utf-8", _PAYLOAD_ERRORS), timestamp=m.timestamp)


def props(p):
    """Mast's Properties as the dict EMQX 4.x gave: standard properties by name (numbers as int), and the user
    properties, when there are any, as a list of (key, value) under 'User-Property'."""
    out = {name: int(value) if value.isdigit() else value for name, value in p.standard}
    if p.user:
        out["User-Property"] = list(p.user)
    return out


def topic_filters(filters):
    return [(f.name, f.subopts.qos) for f in filters]


def subopts(o):
    # Mast's protocol does not say whether a subscription replaced an existing one.
    return EMQX_OPTS_PARSE_T(is_new=True, nl=o.nl, qos=o.qos, rap=o.rap, rh=o.rh)


class HookError(Exception):
    """A hook answered (EMQX_ERROR, reason) or a value its hook cannot take."""


def value(result, hook):
    """The value of a hook's result: ``(EMQX_OK, v)`` is v, ``(EMQX_ERROR, reason)`` raises, anything else is
    itself."""
    if isinstance(result, tuple) and len(result) == 2 and result[0] in (EMQX_OK, EMQX_ERROR) \
            and not isinstance(result[0], bool):
        if result[0] == EMQX_ERROR:
            raise HookError(f"{hook} answered EMQX_ERROR: {result[1]!r}")
        return result[1]
    return result


def decision(result, hook, stop, ignore):
    """on_client_authenticate and on_client_check_acl: True or False is final, None leaves the decision."""
    v = value(result, hook)
    if v is None:
        return ignore()
    if isinstance(v, bool):
        return stop(v)
    raise HookError(f"{hook} returned {v!r}; expected True, False or None")


def published(result, original, hook, stop, ignore, new_message):
    """on_message_publish: None (or True) publishes the message unchanged, a message publishes that one (its topic,
    qos and payload), False drops it."""
    v = value(result, hook)
    if v is None or v is True:
        return ignore()
    if v is False:
        return stop(None)
    if isinstance(v, EMQXBase):
        fields = vars(v)
    elif isinstance(v, dict):
        fields = v
    elif isinstance(v, (list, tuple)) and all(isinstance(p, tuple) and len(p) == 2 for p in v):
        fields = {k.decode() if isinstance(k, bytes) else k: x for k, x in v}
    else:
        raise HookError(f"{hook} returned {v!r}; expected None, a message or False")
    m = new_message()
    m.CopyFrom(original)
    topic = fields.get("topic", m.topic)
    m.topic = topic.decode("utf-8") if isinstance(topic, bytes) else str(topic)
    m.qos = int(fields.get("qos", m.qos))
    payload = fields.get("payload", m.payload)
    m.payload = payload if isinstance(payload, bytes) else str(payload).encode("utf-8", _PAYLOAD_ERRORS)
    return stop(m)
