"""The types EMQX 4.x's Python SDK gave hooks, with the same names and fields.

Hooks receive :class:`EMQX_CLIENTINFO_PARSE_T` (clientinfo), :class:`EMQX_MESSAGE_PARSE_T` (message) and
:class:`EMQX_OPTS_PARSE_T` (subscription options) objects, whose fields are attributes (``clientinfo.clientid``);
``conninfo`` is an :class:`EMQXBase` with the fields node, clientid, username, peerhost, sockport, proto_name,
proto_ver and keepalive. Text fields are ``str``: empty when the client sent nothing (a client without a user name
has ``username == ''``). A message's payload is a ``str`` too (undecodable bytes kept as surrogate escapes, so that
a returned payload encodes back to the same bytes).
"""

from abc import ABC
from typing import Any, Dict, List, Tuple

EMQX_TOPICS = List[str]

EMQX_CLIENTINFO_T = List[Tuple[bytes, Any]]

EMQX_MESSAGE_T = List[Tuple[bytes, Any]]

EMQX_PROPS_T = Dict[str, int]

EMQX_OPTS_T = List[Tuple[bytes, Any]]


class EMQXBase(ABC):
    """A hook argument whose fields are attributes; :meth:`to_dict` gives them as a dict."""

    _FIELDS = ()

    def __init__(self, **fields):
        for name, value in fields.items():
            setattr(self, name, value)

    def to_dict(self) -> dict:
        if self._FIELDS:
            return {name: getattr(self, name, None) for name in self._FIELDS}
        return dict(self.__dict__)

    def __eq__(self, other):
        return type(other) is type(self) and other.__dict__ == self.__dict__

    def __repr__(self):
        fields = ", ".join(f"{k}={v!r}" for k, v in self.to_dict().items())
        return f"{type(self).__name__}({fields})"


class EMQX_CLIENTINFO_PARSE_T(EMQXBase):
    """A client: node, clientid, username, password, peerhost, sockport, protocol, mountpoint, is_superuser,
    anonymous."""

    _FIELDS = ("node", "clientid", "username", "password", "peerhost", "sockport", "protocol", "mountpoint",
               "is_superuser", "anonymous")
    node: str
    clientid: str
    username: str
    password: str
    peerhost: str
    sockport: int
    protocol: str
    mountpoint: str
    is_superuser: bool
    anonymous: bool


class EMQX_MESSAGE_PARSE_T(EMQXBase):
    """A message: node, id, qos, from_clientid (the publisher), topic, payload, timestamp (milliseconds)."""

    _FIELDS = ("node", "id", "qos", "from_clientid", "topic", "payload", "timestamp")
    node: str
    id: str
    qos: int
    from_clientid: str
    topic: str
    payload: str
    timestamp: int


class EMQX_OPTS_PARSE_T(EMQXBase):
    """A subscription's options: is_new, nl (No Local), qos, rap (Retain As Published), rh (Retain Handling)."""

    _FIELDS = ("is_new", "nl", "qos", "rap", "rh")
    is_new: bool
    nl: int
    qos: int
    rap: int
    rh: int
