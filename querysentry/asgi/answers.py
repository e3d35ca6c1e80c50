"""The ASGI edge of the conversation ledger: ``AnswerTap`` copies what is answered.

``tap.send`` hands every message on unchanged and first, so the client's response is neither
altered nor delayed; it keeps a copy of the body (at most ``max_bytes``: a longer body is not
recorded) of a 2xx JSON or ``text/event-stream`` response with no ``Content-Encoding``. Once the
app has returned, ``await tap.finish()`` hands a complete copy to ``record(body, content_type)``:
not from inside ``send``, where a streaming response cancels what is still running when the
client's disconnect arrives after the last byte (Starlette's ``StreamingResponse`` does). A
failing ``record`` is logged, never raised: the ledger is evidence on top of the response.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from querysentry.asgi.types import Message, Send
from querysentry.content import response_answer_type

__all__ = ["DEFAULT_MAX_ANSWER_BYTES", "AnswerTap"]

LOG = logging.getLogger("querysentry")
DEFAULT_MAX_ANSWER_BYTES = 1 << 20
Record = Callable[[bytes, str], Awaitable[None]]


class AnswerTap:
    """Per-response state; made for one response, never shared."""

    def __init__(self, send: Send, record: Record, *, max_bytes: int = DEFAULT_MAX_ANSWER_BYTES) -> None:
        self._send = send
        self._record = record
        self._max = max_bytes
        self._content_type: str | None = None  # set while the body is being copied
        self._body = bytearray()
        self._complete = False

    async def send(self, message: Message) -> None:
        kind = message.get("type")
        if kind == "http.response.start":
            self._content_type = _answer_type(message)
        await self._send(message)
        if kind != "http.response.body" or self._content_type is None or self._complete:
            return
        self._body += bytes(message.get("body", b""))
        if len(self._body) > self._max:
            self._content_type = None  # too long to copy: not recorded
            self._body = bytearray()
        elif not message.get("more_body", False):
            self._complete = True

    async def finish(self) -> None:
        """Record the answer, if a whole one was sent. Call once the app has returned."""
        if not self._complete or self._content_type is None:
            return
        content_type, body = self._content_type, bytes(self._body)
        self._content_type, self._body, self._complete = None, bytearray(), False
        try:
            await self._record(body, content_type)
        except Exception:
            LOG.exception("querysentry could not record the answer; the response was sent unchanged")


def _answer_type(start: Message) -> str | None:
    """The content type of a response whose body could carry an answer to read; None otherwise."""
    found = response_answer_type(start)
    return found[1] if found is not None else None
