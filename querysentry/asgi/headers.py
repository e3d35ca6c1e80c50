"""QuerySentry's own ``x-querysentry-*`` header namespace, and the request id headers."""

from __future__ import annotations

import re
import uuid

from starlette.datastructures import MutableHeaders

from querysentry.asgi.types import Message, Scope, Send
from querysentry.engine.outcome import Outcome

__all__ = [
    "OWN_HEADER_PREFIX",
    "harmless_request_id",
    "new_request_id",
    "strip_own_headers",
    "upstream_headers",
    "verdict_sender",
]

# Our own header namespace: whatever a client sends under it is dropped before the app sees it.
OWN_HEADER_PREFIX = b"x-querysentry-"
_REQUEST_ID = re.compile(r"[A-Za-z0-9._:\-]{1,128}")


def new_request_id() -> str:
    """The default request id generator: 32 random hex characters."""
    return uuid.uuid4().hex


def harmless_request_id(value: str) -> bool:
    """The default validator of a caller's request id: short, and safe in logs and headers."""
    return _REQUEST_ID.fullmatch(value) is not None


def strip_own_headers(scope: Scope) -> None:
    """Drop every incoming ``x-querysentry-*`` header: a client-sent ``x-querysentry-action: allow``
    must never reach an app that reads these headers, scanned path or not."""
    raw = scope.get("headers", [])
    if any(k.lower().startswith(OWN_HEADER_PREFIX) for k, _ in raw):
        scope["headers"] = [(k, v) for k, v in raw if not k.lower().startswith(OWN_HEADER_PREFIX)]


def upstream_headers(outcome: Outcome) -> list[tuple[bytes, bytes]]:
    """The verdict as request headers for the app behind the middleware."""
    pairs = [("x-querysentry-action", outcome.action), ("x-querysentry-status", outcome.status)]
    if outcome.category is not None:
        pairs.append(("x-querysentry-category", outcome.category))
    if outcome.verdict is not None:
        pairs.append(("x-querysentry-score", f"{outcome.verdict.score:.4f}"))
    return [(k.encode(), v.encode()) for k, v in pairs]


def verdict_sender(send: Send, outcome: Outcome) -> Send:
    """``send`` with the verdict added to the response's headers."""

    async def send_with_verdict(message: Message) -> None:
        if message["type"] == "http.response.start":
            headers = MutableHeaders(scope=message)
            headers["x-querysentry-action"] = outcome.action
            headers["x-querysentry-status"] = outcome.status
            if outcome.category is not None:
                headers["x-querysentry-category"] = outcome.category
        await send(message)

    return send_with_verdict
