"""The answer text a response carried, read from its body: ``answer_texts(body, content_type)``.

For the conversation ledger (``behaviour.history``): the middleware hands the bytes it sent back
here, and what comes out is hashed, so that a later request quoting the answer can be told from
one whose "earlier answer" the caller wrote. The API shapes are the rewriting engine's
(``shapes``): OpenAI chat and responses, Anthropic messages, Gemini, whole JSON bodies or SSE
streams. Only answer text is read (``content`` channels; reasoning is not quoted back by
clients). Pure; O(len(body)); a body that is not of a known shape gives no answers.

The answers, at most ``limit``: all content channels joined by newlines (what a client sends back
as one assistant turn), then each channel alone (one of several choices).
"""

from __future__ import annotations

import json
from collections.abc import Hashable
from typing import Any

from querysentry.content import is_json_media_type, media_type
from querysentry.countermeasures.shapes import ChannelKind, ReasoningMode, StreamHandler, body_rewriter, stream_handler
from querysentry.countermeasures.shapes.gemini import is_gemini, rewrite_candidates
from querysentry.countermeasures.sse import SSEEvent, SSEParser

__all__ = ["answer_texts"]


class _Recorder:
    """A ``shapes.Context`` that changes nothing and keeps each content channel's text."""

    withhold = False
    mode: ReasoningMode = "drop"
    marker = ""

    def __init__(self, max_chars: int) -> None:
        self.channels: dict[Hashable, list[str]] = {}
        self._streamed: set[Hashable] = set()
        self._left = max_chars

    def _keep(self, key: Hashable, text: str) -> None:
        if self._left <= 0:
            return
        piece = text[: self._left]
        self._left -= len(piece)
        self.channels.setdefault(key, []).append(piece)

    def text(self, key: Hashable, kind: ChannelKind, container: dict[str, Any], name: str) -> None:
        value = container.get(name)
        if kind == "content" and isinstance(value, str):
            self._streamed.add(key)
            self._keep(key, value)

    def end(self, key: Hashable) -> None:
        return None

    def final(self, key: Hashable, kind: ChannelKind, text: str) -> str:
        # A stream's done event repeats what its pieces sent: kept once.
        if kind == "content" and key not in self._streamed:
            self._keep(key, text)
        return text

    def changed(self) -> None:
        return None

    def answers(self, limit: int) -> list[str]:
        texts = ["".join(parts) for parts in self.channels.values()]
        texts = [t for t in texts if t.strip()]
        if not texts:
            return []
        joined = "\n".join(texts)
        return [joined, *(t for t in texts if t != joined)][:limit]


def answer_texts(body: bytes, content_type: str, *, limit: int = 4, max_chars: int = 1 << 20) -> list[str]:
    """The answers in a response ``body`` of ``content_type`` (JSON or ``text/event-stream``);
    ``max_chars`` bounds the text kept."""
    media = media_type(content_type) if content_type else ""
    recorder = _Recorder(max_chars)
    if media == "text/event-stream":
        _read_stream(body, recorder)
    elif media and is_json_media_type(media):
        _read_json(body, recorder)
    return recorder.answers(limit)


def _read_json(body: bytes, recorder: _Recorder) -> None:
    try:
        obj = json.loads(body)
    except (ValueError, RecursionError):
        return
    if isinstance(obj, dict):
        reader = body_rewriter(obj)
        if reader is not None:
            reader(obj, recorder)
    elif isinstance(obj, list):  # Gemini's unstreamed streamGenerateContent: one element per chunk
        for element in obj:
            if isinstance(element, dict) and is_gemini(element):
                rewrite_candidates(element, recorder)


def _read_stream(body: bytes, recorder: _Recorder) -> None:
    parser = SSEParser(oversize="cut")
    handler: StreamHandler | None = None
    for item in [*parser.feed(body), *parser.close()]:
        if not isinstance(item, SSEEvent) or item.data is None:
            continue
        try:
            obj = json.loads(item.data)
        except (ValueError, RecursionError):
            continue  # "[DONE]" and other events that are not JSON
        if not isinstance(obj, dict):
            continue
        if handler is None:
            handler = stream_handler(obj)
            if handler is None:
                return  # not a stream of a known shape
        handler.event(obj, recorder)
