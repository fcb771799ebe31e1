"""The result codes of EMQX 4.x's driver protocol: a hook or ``init()`` returns ``(EMQX_OK, value)`` or
``(EMQX_ERROR, reason)``."""

EMQX_OK = 0
EMQX_ERROR = 1
