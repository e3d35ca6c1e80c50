"""The ASGI edge: ``countermeasure_send(send, plan)`` applies a plan to one response.

Wrap the ``send`` handed to the application (or to the proxy's response writer) for one request::

    await app(scope, receive, countermeasure_send(send, plan))

What the wrapper does, chosen on ``http.response.start``:

- ``text/event-stream``: the body is rewritten chunk by chunk as it is sent (``StreamRewriter``);
  the start goes out at once (no added time to first byte), without ``Content-Length`` if the app
  set one, since the length changes.
- JSON (``application/json``, ``application/*+json``): the start is held until the body is
  complete (at most ``limits.max_body_bytes``), the body rewritten whole, ``Content-Length`` set to
  the new length. A body over the bound is sent as it came, start first, and the rest passes.
- Anything else, a status outside 2xx, and any body with a ``Content-Encoding`` other than
  ``identity`` pass unchanged: compressed bytes are not decompressed here. Put this wrapper inside
  any compression middleware (so that it sees the plain body), or have the proxy ask its upstream
  for ``Accept-Encoding: identity`` when a plan is active.

A plan that does nothing (``plan.active`` false) gets the original ``send`` object back, so that
such a response is untouched byte for byte. The tarpit, when set, paces every body message of the
response. With ``plan.leak.embed`` set, the rewriting runs in a worker thread (the embedding
model must not block the event loop).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from starlette.datastructures import MutableHeaders

from querysentry.content import response_answer_type
from querysentry.countermeasures.leaks import LeakDetector
from querysentry.countermeasures.plan import CountermeasurePlan
from querysentry.countermeasures.rewrite import ResponseFilters, StreamRewriter, rewrite_json_body
from querysentry.countermeasures.tarpit import Pacer

__all__ = ["Send", "countermeasure_send", "response_filters"]

Message = MutableMapping[str, Any]
Send = Callable[[Message], Awaitable[None]]
Sleep = Callable[[float], Awaitable[object]]


def response_filters(plan: CountermeasurePlan) -> ResponseFilters:
    """The text filters a plan asks for, fresh for one response."""
    leaks = LeakDetector(plan.secrets, plan.leak, on_leak=plan.on_leak) if plan.secrets else None
    return ResponseFilters(withhold=plan.withhold_reasoning, mode=plan.reasoning_mode, marker=plan.reasoning_marker,
                           leaks=leaks, canary=plan.canary)  # fmt: skip


def countermeasure_send(send: Send, plan: CountermeasurePlan, *, sleep: Sleep = asyncio.sleep,
                        clock: Callable[[], float] = time.monotonic) -> Send:  # fmt: skip
    """A ``send`` that applies ``plan`` to the one response sent through it (``send`` itself when
    the plan does nothing). ``sleep`` and ``clock`` drive the tarpit (injectable for tests)."""
    if not plan.active:
        return send
    return _Responder(send, plan, sleep=sleep, clock=clock).send


class _Responder:
    """Per-response state of the wrapper; made for one response, never shared."""

    def __init__(self, send: Send, plan: CountermeasurePlan, *, sleep: Sleep, clock: Callable[[], float]) -> None:
        self._send = send
        self._plan = plan
        self._pacer = Pacer(plan.tarpit, sleep=sleep, clock=clock) if plan.tarpit and plan.tarpit.active else None
        self._threaded = plan.leak.embed is not None
        self._mode = "pass"
        self._start: Message | None = None  # a JSON response's start, held until its body is known
        self._body = bytearray()
        self._stream: StreamRewriter | None = None

    async def send(self, message: Message) -> None:
        kind = message.get("type")
        if kind == "http.response.start":
            await self._on_start(message)
        elif kind == "http.response.body":
            await self._on_body(message)
        else:  # trailers, extensions: after whatever is held
            await self._release_json()
            await self._send(message)

    async def _on_start(self, message: Message) -> None:
        self._mode = self._choose(message) if self._plan.rewrites else "pass"
        if self._mode == "sse":
            headers = MutableHeaders(scope=message)
            if "content-length" in headers:
                del headers["content-length"]
            self._stream = StreamRewriter(response_filters(self._plan), self._plan.limits)
        if self._mode == "json":
            self._start = message
            return
        await self._send(message)

    @staticmethod
    def _choose(message: Message) -> str:
        found = response_answer_type(message)
        if found is None:
            return "pass"
        return "sse" if found[0] == "text/event-stream" else "json"

    async def _on_body(self, message: Message) -> None:
        body = bytes(message.get("body", b""))
        more = bool(message.get("more_body", False))
        if self._mode == "sse":
            stream = self._stream
            assert stream is not None
            if self._threaded:
                out = await asyncio.to_thread(stream.feed, body)
                if not more:
                    out += await asyncio.to_thread(stream.close)
            else:
                out = stream.feed(body) + (b"" if more else stream.close())
            if out or not more:
                reply = {"type": "http.response.body", "body": out, "more_body": more}
                await (self._paced(reply) if self._pacer is not None else self._send(reply))
            return
        if self._mode == "json":
            self._body += body
            if len(self._body) > self._plan.limits.max_body_bytes:
                self._mode = "pass"  # too large to hold: it goes as it came
                await self._release_json(more=more)
            elif not more:
                await self._finish_json()
            return
        await self._paced(message)

    async def _finish_json(self) -> None:
        filters = response_filters(self._plan)
        body = bytes(self._body)
        new = await self._run(rewrite_json_body, body, filters)
        start = self._start
        assert start is not None
        self._start = None
        self._body.clear()
        self._mode = "pass"
        if new is not None:
            headers = MutableHeaders(scope=start)
            if "content-length" in headers:
                headers["content-length"] = str(len(new))
            body = new
        await self._send(start)
        await self._paced({"type": "http.response.body", "body": body, "more_body": False})

    async def _release_json(self, *, more: bool = False) -> None:
        """Send a held start and body unchanged (a body over the bound, or a message after it)."""
        if self._start is None:
            return
        start, self._start = self._start, None
        body = bytes(self._body)
        self._body.clear()
        self._mode = "pass"
        await self._send(start)
        if body or not more:
            await self._paced({"type": "http.response.body", "body": body, "more_body": more})

    async def _paced(self, message: Message) -> None:
        if self._pacer is not None:
            size = len(message.get("body", b""))
            if size:
                await self._pacer.wait(size)
        await self._send(message)

    async def _run(self, function: Callable[..., Any], *args: Any) -> Any:
        if self._threaded:
            return await asyncio.to_thread(function, *args)
        return function(*args)
