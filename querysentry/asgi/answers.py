"""The ASGI edge of the conversation ledger: ``answer_tap(send, record)`` copies what is answered.

The wrapper hands every message on unchanged and first, so the client's response is neither
altered nor delayed; it keeps a copy of the body (at most ``max_bytes``: a longer body is not
recorded) of a 2xx JSON or ``text/event-stream`` response with no ``Content-Encoding``, and once
the last body message is out awaits ``record(body, content_type)``. A failing ``record`` is logged,
never raised: the ledger is evidence on top of the response.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from querysentry.asgi.types import Message, Send
from querysentry.content import response_answer_type

__all__ = ["DEFAULT_MAX_ANSWER_BYTES", "answer_tap"]

LOG = logging.getLogger("querysentry")
DEFAULT_MAX_ANSWER_BYTES = 1 << 20
Record = Callable[[bytes, str], Awaitable[None]]


def answer_tap(send: Send, record: Record, *, max_bytes: int = DEFAULT_MAX_ANSWER_BYTES) -> Send:
    """A ``send`` that passes everything through and hands ``record`` a copy of the answer body."""
    return _Tap(send, record, max_bytes).send


class _Tap:
    """Per-response state; made for one response, never shared."""

    def __init__(self, send: Send, record: Record, max_bytes: int) -> None:
        self._send = send
        self._record = record
        self._max = max_bytes
        self._content_type: str | None = None  # set while the body is being copied
        self._body = bytearray()

    async def send(self, message: Message) -> None:
        kind = message.get("type")
        if kind == "http.response.start":
            self._content_type = _answer_type(message)
        await self._send(message)
        if kind != "http.response.body" or self._content_type is None:
            return
        self._body += bytes(message.get("body", b""))
        if len(self._body) > self._max:
            self._content_type = None  # too long to copy: not recorded
            self._body = bytearray()
            return
        if message.get("more_body", False):
            return
        content_type, body = self._content_type, bytes(self._body)
        self._content_type, self._body = None, bytearray()
        try:
            await self._record(body, content_type)
        except Exception:
            LOG.exception("querysentry could not record the answer; the response was sent unchanged")


def _answer_type(start: Message) -> str | None:
    """The content type of a response whose body could carry an answer to read; None otherwise."""
    found = response_answer_type(start)
    return found[1] if found is not None else None
