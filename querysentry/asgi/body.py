"""Capturing a request body and giving it back to the app byte for byte."""

from __future__ import annotations

from dataclasses import dataclass, field

from querysentry.asgi.types import Message, Receive

__all__ = ["CapturedBody", "read_body", "replay_body"]


@dataclass
class CapturedBody:
    """The chunks read so far; ``complete`` once the body ended, ``disconnected`` if the client left."""

    chunks: list[bytes] = field(default_factory=list)
    size: int = 0
    complete: bool = False
    disconnected: bool = False

    @property
    def data(self) -> bytes:
        return b"".join(self.chunks)


async def read_body(receive: Receive, limit: int) -> CapturedBody:
    """Drain ``receive`` until the body ends, the client leaves, or more than ``limit`` bytes came.

    Counts the bytes that actually arrive; a Content-Length header is not trusted.
    """
    body = CapturedBody()
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            body.disconnected = True
            return body
        chunk = message.get("body", b"")
        if chunk:
            body.chunks.append(chunk)
            body.size += len(chunk)
        if not message.get("more_body", False):
            body.complete = True
            return body
        if body.size > limit:
            return body


def replay_body(body: CapturedBody, receive: Receive) -> Receive:
    """Give the app the captured bytes as one message, then the original ``receive`` (so the rest
    of an oversize body, and ``http.disconnect``, still arrive)."""
    replayed = False

    async def replay() -> Message:
        nonlocal replayed
        if not replayed:
            replayed = True
            return {"type": "http.request", "body": body.data, "more_body": not body.complete}
        return await receive()

    return replay
