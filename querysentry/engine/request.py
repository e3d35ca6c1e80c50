"""What the engine is asked to decide: one request, from whichever edge it came."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from querysentry.messages import Message

__all__ = ["Request"]


@dataclass(frozen=True)
class Request:
    """One request as the engine sees it, with no ASGI in it.

    Either ``body`` (the bytes as sent, decoded and parsed by the engine per ``headers``'
    ``content-type`` and ``content-encoding``) or ``messages`` (already extracted: the library
    API, a replayed traffic file). ``headers`` holds lower-cased names and, for a repeated header,
    the first value (as Starlette's ``Headers.get`` reads it). ``client`` is the client key;
    ``time`` the request's time in seconds since the epoch (None: now). ``oversize`` says the
    edge stopped reading the body at its limit; ``disconnected`` that the client left first.
    ``signals`` are request-level signs the edge saw (``identity_conflict``); ``features`` the
    client's hashed linkage tokens (``querysentry.asgi.features``). ``line`` and
    ``label`` are carried into the outcome from a replayed file.
    """

    request_id: str
    client: str
    body: bytes | None = None
    messages: Sequence[Message] | None = None
    api: str | None = None
    headers: Mapping[str, str] = field(default_factory=dict)
    path: str = ""
    time: float | None = None
    oversize: bool = False
    disconnected: bool = False
    signals: tuple[str, ...] = ()
    features: tuple[str, ...] = ()
    line: int | None = None
    label: Any = None

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "application/json")

    @property
    def content_encoding(self) -> str:
        return self.headers.get("content-encoding", "")
