"""Serving a HookProvider over gRPC as emqx.exhook.v3.HookProvider and emqx.exhook.v2.HookProvider, and over Mast's
batched streaming mode, mast.exhook.v1.HookStream."""

import logging
import signal
import sys
import threading
import time
from concurrent import futures

import grpc

from ._protocol import protocol, stream_protocol
from ._provider import (CONTINUE, HOOKS, IGNORE, PUBLISH, STOP_AND_RETURN, SUBSCRIBE, Answer, HookProvider,
                        Properties, topic_matches)

log = logging.getLogger("mast_exhook")

_MAX_REQUEST_BYTES = 268_435_455 + 65_536
_ORDER_WAIT_SECONDS = 10.0
_PROVIDER_KEY = ("provider",)
_UNKNOWN = object()


class _OrderedPool(futures.ThreadPoolExecutor):
    """The server's thread pool, which also keeps calls about one client in the order they arrived.

    grpc submits each call to the pool from its serving thread in arrival order, and the pool starts them in that
    order; once a call knows its client (after its request is read), :meth:`wait_turn` holds it until every earlier
    call about the same client, or whose client is not yet known, has finished. Earlier calls are always running
    or done (the pool is first in, first out), so the wait ends; it is bounded all the same.
    """

    def __init__(self, max_workers):
        super().__init__(max_workers=max_workers, thread_name_prefix="mast-exhook")
        self._cond = threading.Condition()
        self._seq = 0
        self._open = {}
        self._local = threading.local()

    def submit(self, fn, /, *args, **kwargs):
        with self._cond:
            self._seq += 1
            seq = self._seq
            self._open[seq] = _UNKNOWN
        try:
            return super().submit(self._run, seq, fn, args, kwargs)
        except BaseException:
            self._finish(seq)
            raise

    def _run(self, seq, fn, args, kwargs):
        self._local.seq = seq
        try:
            return fn(*args, **kwargs)
        finally:
            self._local.seq = None
            self._finish(seq)

    def _finish(self, seq):
        with self._cond:
            self._open.pop(seq, None)
            self._cond.notify_all()

    def wait_idle(self, timeout):
        """Waits until no call is in progress or queued, at most ``timeout`` seconds."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while self._open:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return False
                self._cond.wait(remaining)
            return True

    def wait_turn(self, key):
        seq = getattr(self._local, "seq", None)
        if seq is None:
            return
        deadline = time.monotonic() + _ORDER_WAIT_SECONDS
        with self._cond:
            self._open[seq] = key
            self._cond.notify_all()
            while any(s < seq and (k is _UNKNOWN or k == key) for s, k in self._open.items()):
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    log.warning("a call about client %r waited %.0fs for earlier calls; running it now", key,
                                _ORDER_WAIT_SECONDS)
                    return
                self._cond.wait(remaining)


class _Streams:
    """The Exchange streams being served, so that stopping the server ends them: a stream waiting for the broker's
    next frame is cancelled at once, one handling a frame ends after answering it."""

    def __init__(self):
        self._lock = threading.Lock()
        self._waiting = {}  # context -> True while the stream waits for a frame, False while it handles one
        self.stopping = False

    def add(self, context):
        with self._lock:
            self._waiting[context] = True
            return not self.stopping

    def remove(self, context):
        with self._lock:
            self._waiting.pop(context, None)

    def set_waiting(self, context, waiting):
        """Marks the stream; returns False when it should end (the server is stopping)."""
        with self._lock:
            self._waiting[context] = waiting
            return not self.stopping

    def stop(self):
        with self._lock:
            self.stopping = True
            idle = [c for c, waiting in self._waiting.items() if waiting]
        for context in idle:
            context.cancel()


class _Dispatcher:
    """Turns requests into calls of the provider's hooks and their results into responses."""

    def __init__(self, provider, pool, streams=1):
        if not isinstance(provider, HookProvider):
            raise TypeError(f"serve() needs a HookProvider, got {type(provider).__name__}")
        self.provider = provider
        self.pool = pool
        self.hooks = provider.registered_hooks()
        self.p = protocol("v3")
        self._types = {t: self.p.ValuedResponse.ResponsedType.Value(t) for t in (CONTINUE, IGNORE, STOP_AND_RETURN)}
        self._ignore = self._types[IGNORE]
        self._message = self.p.Message
        self.streams = _Streams()
        # Mast's extension: the broker may call this server over Mast's stream (EMQX ignores the field).
        self.loaded = self.p.LoadedResponse(
            hooks=[self.p.HookSpec(name=n, topics=t) for n, t in self.hooks.items()],
            stream=self.p.StreamOffer(version=1, streams=streams))

    def _wants(self, hook, topic=None):
        topics = self.hooks.get(hook)
        if topics is None:
            return False
        return topic is None or not topics or any(topic_matches(f, topic) for f in topics)

    def _bool(self, hook, answer, result_so_far):
        if answer is None:
            raise TypeError(f"{hook} returned None; return True or False, stop(value) or ignore()")
        if not isinstance(answer, Answer):
            answer = Answer(CONTINUE, answer)
        value = result_so_far if answer.type == IGNORE else answer.value
        if value is None:
            raise TypeError(f"{hook} answered {answer.type} without a value")
        return self._reason(self.p.ValuedResponse(type=answer.type, bool_result=bool(value)), answer)

    @staticmethod
    def _reason(response, answer):
        """Mast's extension: the reason code and string of a refusal, when the answer has them."""
        if answer.reason_code:
            response.reason_code = answer.reason_code
        if answer.reason_string:
            response.reason_string = answer.reason_string
        return response

    def _published(self, answer, original):
        if not isinstance(answer, Answer):
            answer = Answer(CONTINUE, answer)
        if answer.type == IGNORE:
            return self.p.ValuedResponse(type=IGNORE, message=original)
        message = self._checked(answer.value)
        if message is None:
            message = self.p.Message()
            message.CopyFrom(original)
            message.headers["allow_publish"] = "false"
        return self._reason(self.p.ValuedResponse(type=answer.type, message=message), answer)

    def _checked(self, message):
        if message is not None and not isinstance(message, self.p.Message):
            raise TypeError(f"on_message_publish returned {type(message).__name__}; return the message, a "
                            "changed message, or None to drop it")
        return message

    def publish_streamed(self, q, response):
        """message.publish on Mast's stream, answered into ``response`` (a HookResponse). The hook gets a copy of
        the message; when it passes on one equal to the request's, the answer says so instead of carrying it back
        (same_message)."""
        original = q.message
        valued = response.valued
        if not self._wants("message.publish", original.topic):
            valued.type = self._ignore
            return
        given = self._message()
        given.CopyFrom(original)
        answer = self.provider.on_message_publish(given)
        if isinstance(answer, Answer):
            kind, message = answer.type, answer.value
        else:
            kind, message, answer = CONTINUE, answer, None
        valued.type = self._types[kind]
        if kind == IGNORE:
            return
        if message is None:
            valued.message.CopyFrom(original)
            valued.message.headers["allow_publish"] = "false"
        elif message is given and given == original or isinstance(message, self._message) and message == original:
            response.same_message = True
        else:
            valued.message.CopyFrom(self._checked(message))
        if answer is not None:
            self._reason(valued, answer)

    # Each entry: RPC name -> (hook name, function(request) -> client key, function(request) -> response)
    def handlers(self):
        pv = self.provider
        p = self.p
        empty = p.EmptySuccess()

        def notify(method, *args):
            if HOOKS[method][0] in self.hooks:
                getattr(pv, method)(*args)
            return empty

        def props(q):
            return Properties(q.props, getattr(q, "user_props", ()))

        def authenticate(q):
            if "client.authenticate" not in self.hooks:
                return self._bool("on_client_authenticate", Answer(IGNORE), q.result)
            return self._bool("on_client_authenticate", pv.on_client_authenticate(q.clientinfo, q.result),
                              q.result)

        def authorize(q):
            if "client.authorize" not in self.hooks:
                return self._bool("on_client_authorize", Answer(IGNORE), q.result)
            action = SUBSCRIBE if q.type == p.ClientAuthorizeRequest.SUBSCRIBE else PUBLISH
            return self._bool("on_client_authorize",
                              pv.on_client_authorize(q.clientinfo, action, q.topic, q.result), q.result)

        def publish(q):
            if not self._wants("message.publish", q.message.topic):
                return p.ValuedResponse(type=IGNORE, message=q.message)
            return self._published(pv.on_message_publish(q.message), q.message)

        def message_hook(method, *args_of):
            hook = HOOKS[method][0]

            def handle(q):
                if self._wants(hook, q.message.topic):
                    getattr(pv, method)(*(f(q) for f in args_of))
                return empty
            return handle

        def loaded(q):
            pv.on_provider_loaded(q.broker)
            return self.loaded

        def unloaded(q):
            pv.on_provider_unloaded()
            return empty

        def client(q):
            return q.clientinfo.clientid

        def conn(q):
            return q.conninfo.clientid

        def sender(q):
            return getattr(q.message, "from")

        return {
            "OnProviderLoaded": ("provider.loaded", lambda q: _PROVIDER_KEY, loaded),
            "OnProviderUnloaded": ("provider.unloaded", lambda q: _PROVIDER_KEY, unloaded),
            "OnClientConnect": ("client.connect", conn,
                                lambda q: notify("on_client_connect", q.conninfo, props(q))),
            "OnClientConnack": ("client.connack", conn,
                                lambda q: notify("on_client_connack", q.conninfo, q.result_code, props(q))),
            "OnClientConnected": ("client.connected", client,
                                  lambda q: notify("on_client_connected", q.clientinfo)),
            "OnClientDisconnected": ("client.disconnected", client,
                                     lambda q: notify("on_client_disconnected", q.clientinfo, q.reason)),
            "OnClientAuthenticate": ("client.authenticate", client, authenticate),
            "OnClientAuthorize": ("client.authorize", client, authorize),
            "OnClientSubscribe": ("client.subscribe", client,
                                  lambda q: notify("on_client_subscribe", q.clientinfo, list(q.topic_filters),
                                                   props(q))),
            "OnClientUnsubscribe": ("client.unsubscribe", client,
                                    lambda q: notify("on_client_unsubscribe", q.clientinfo, list(q.topic_filters),
                                                     props(q))),
            "OnSessionCreated": ("session.created", client,
                                 lambda q: notify("on_session_created", q.clientinfo)),
            "OnSessionSubscribed": ("session.subscribed", client,
                                    lambda q: notify("on_session_subscribed", q.clientinfo, q.topic, q.subopts)),
            "OnSessionUnsubscribed": ("session.unsubscribed", client,
                                      lambda q: notify("on_session_unsubscribed", q.clientinfo, q.topic)),
            "OnSessionResumed": ("session.resumed", client,
                                 lambda q: notify("on_session_resumed", q.clientinfo)),
            "OnSessionDiscarded": ("session.discarded", client,
                                   lambda q: notify("on_session_discarded", q.clientinfo)),
            "OnSessionTakenover": ("session.takenover", client,
                                   lambda q: notify("on_session_takenover", q.clientinfo)),
            "OnSessionTerminated": ("session.terminated", client,
                                    lambda q: notify("on_session_terminated", q.clientinfo, q.reason)),
            "OnMessagePublish": ("message.publish", sender, publish),
            "OnMessageDelivered": ("message.delivered", client,
                                   message_hook("on_message_delivered", lambda q: q.clientinfo,
                                                lambda q: q.message)),
            "OnMessageAcked": ("message.acked", client,
                               message_hook("on_message_acked", lambda q: q.clientinfo, lambda q: q.message)),
            "OnMessageDropped": ("message.dropped", sender,
                                 message_hook("on_message_dropped", lambda q: q.message, lambda q: q.reason)),
        }

    def generic_handler(self, version):
        """The gRPC service for protocol ``version``. Version 2 requests are read into the version 3 classes (the
        same on the wire except for fields v2 lacks), then the two fields v3 moved are carried over."""
        v3 = self.p
        wire = protocol(version)
        methods = {}
        for rpc, (hook, key, body) in self.handlers().items():
            v3_input = v3.methods[rpc].input
            if version == "v2":
                v2_input = wire.methods[rpc].input

                def deserialize(data, v3_input=v3_input, v2_input=v2_input):
                    return _from_v2(v3_input.FromString(data), v2_input.FromString(data))
            else:
                deserialize = v3_input.FromString
            methods[rpc] = grpc.unary_unary_rpc_method_handler(
                self._behavior(hook, key, body),
                request_deserializer=deserialize,
                response_serializer=lambda r: r.SerializeToString())
        return grpc.method_handlers_generic_handler(wire.service, methods)

    def stream_handler(self):
        """The gRPC service of Mast's stream: each frame's requests run here, one after the other in the order the
        broker sent them (so each client's order is kept), and the answers to its decisions go back in one frame."""
        st = stream_protocol()
        handlers = self.handlers()
        by_input = {m.input.DESCRIPTOR.name: rpc for rpc, m in self.p.methods.items()}
        table = {}
        for f in st.HookRequest.DESCRIPTOR.oneofs_by_name["request"].fields:
            hook, _, body = handlers[by_input[f.message_type.name]]
            table[f.name] = (hook, body)
        publish = self.publish_streamed
        response_batch = st.ResponseBatch
        streams = self.streams

        def answer(batch):
            out = response_batch()
            responses = out.responses
            for item in batch.requests:
                case = item.WhichOneof("request")
                entry = table.get(case)
                if entry is None:
                    log.warning("a request on the stream without a known hook (%s); answered with an error", case)
                    if item.id:
                        responses.add(id=item.id, error=f"unknown request {case}")
                    continue
                hook, body = entry
                try:
                    if case == "message_publish" and item.id:
                        publish(item.message_publish, responses.add(id=item.id))
                        continue
                    result = body(getattr(item, case))
                except Exception as e:
                    log.exception("hook %s failed; answering with an error", hook)
                    if item.id:
                        if case == "message_publish":
                            del responses[-1]
                        responses.add(id=item.id, error=f"{hook} failed: {e!r}")
                    continue
                if item.id:
                    responses.add(id=item.id, valued=result)
            return out

        def exchange(request_iterator, context):
            if not streams.add(context):
                return
            try:
                for batch in request_iterator:
                    streams.set_waiting(context, False)
                    out = answer(batch)
                    if len(out.responses):
                        yield out
                    if not streams.set_waiting(context, True):
                        return
            finally:
                streams.remove(context)

        method = grpc.stream_stream_rpc_method_handler(
            exchange, request_deserializer=st.RequestBatch.FromString,
            response_serializer=lambda r: r.SerializeToString())
        return grpc.method_handlers_generic_handler(st.service, {st.method: method})

    def _behavior(self, hook, key, body):
        def behavior(request, context):
            self.pool.wait_turn(key(request))
            try:
                return body(request)
            except Exception as e:
                log.exception("hook %s failed; answering with an error", hook)
                context.abort(grpc.StatusCode.INTERNAL, f"{hook} failed: {e!r}")
        return behavior


def _from_v2(q3, q2):
    """Carries over what v3 moved: TopicFilter.qos into subopts.qos, SubOpts.share into the topic."""
    if hasattr(q2, "topic_filters"):
        for f3, f2 in zip(q3.topic_filters, q2.topic_filters):
            f3.subopts.qos = f2.qos
    if hasattr(q2, "subopts") and q2.subopts.share:
        q3.topic = f"$share/{q2.subopts.share}/{q3.topic}"
    return q3


class HookServer:
    """A running hook server (made by :func:`start`): ``port``, ``url``, :meth:`stop` and :meth:`wait`."""

    def __init__(self, server, pool, streams, host, port, provider):
        self._server = server
        self._pool = pool
        self._streams = streams
        self.host = host
        self.port = port
        self.provider = provider

    @property
    def url(self):
        """The address as a broker's config names it: http://host:port."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    def stop(self, grace=5.0):
        """Stops serving; calls in progress get ``grace`` seconds to finish."""
        self._server.stop(grace)  # takes no new call; cancels those still running after grace
        self._streams.stop()  # streams last as long as the broker keeps them: end them
        self._pool.wait_idle(grace)
        # Done sooner than grace when nothing runs (a connected but idle broker would otherwise hold it).
        self._server.stop(0).wait(grace + 1)
        self._pool.shutdown(wait=False)

    def wait(self, timeout=None):
        """Blocks until the server stops (or ``timeout`` seconds pass); returns whether it stopped."""
        return self._server.wait_for_termination(timeout)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()


def start(provider, port=9000, host="127.0.0.1", max_workers=10):
    """Starts serving ``provider`` on ``host``:``port`` (0 picks a free port) and returns the :class:`HookServer`
    without blocking."""
    pool = _OrderedPool(max_workers)
    try:
        dispatcher = _Dispatcher(provider, pool)
        server = grpc.server(pool, options=[("grpc.max_receive_message_length", _MAX_REQUEST_BYTES),
                                            ("grpc.so_reuseport", 0)])
        server.add_generic_rpc_handlers((dispatcher.generic_handler("v3"), dispatcher.generic_handler("v2"),
                                         dispatcher.stream_handler()))
        address = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
        bound = server.add_insecure_port(address)
        if not bound:
            raise OSError(f"cannot serve hooks on {address}")
        server.start()
    except BaseException:
        pool.shutdown(wait=False)
        raise
    hooks = ", ".join(f"{n} {t}" if t else n for n, t in dispatcher.hooks.items()) or "none"
    log.info("serving %s on %s:%d (emqx.exhook v3 and v2, and Mast's stream), hooks: %s", type(provider).__name__,
             host, bound, hooks)
    return HookServer(server, pool, dispatcher.streams, host, bound, provider)


def serve(provider, port=9000, host="127.0.0.1", max_workers=10):
    """Serves ``provider`` on ``host``:``port`` until SIGTERM or Ctrl-C, then stops gracefully."""
    if not logging.getLogger().handlers:
        # Standard output: a broker that runs this program (exhook `command`) logs it at INFO, standard error at WARN.
        logging.basicConfig(level=logging.INFO, stream=sys.stdout,
                            format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    # A flag, not an Event: a handler must not take a lock its own thread may hold. The main thread wakes up
    # regularly because the kernel may deliver the signal to another (gRPC) thread, and Python runs handlers in
    # the main thread only when it executes.
    stopping = []

    def on_signal(signum, frame):
        stopping.append(signum)

    previous = {s: signal.signal(s, on_signal) for s in (signal.SIGTERM, signal.SIGINT)}
    try:
        server = start(provider, port=port, host=host, max_workers=max_workers)
    except BaseException:
        for s, h in previous.items():
            signal.signal(s, h)
        raise
    try:
        while not stopping:
            time.sleep(0.2)
    finally:
        for s, h in previous.items():
            signal.signal(s, h)
        log.info("stopping")
        server.stop()
