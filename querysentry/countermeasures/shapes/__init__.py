"""Where each API shape keeps its reasoning and its answer text, one module per shape.

``body_rewriter(obj)`` picks the function for a non-streamed body and ``stream_handler(obj)`` the
handler for a stream, both from the keys the JSON carries (paths differ between deployments and
proxies). Each knows nothing of bytes, SSE or ASGI: it edits parsed JSON through a ``Context``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from querysentry.countermeasures.shapes import anthropic, gemini, openai_chat, openai_responses
from querysentry.countermeasures.shapes.base import ChannelKind, Context, ReasoningMode

__all__ = ["BodyRewriter", "ChannelKind", "Context", "ReasoningMode", "StreamHandler", "body_rewriter",
           "stream_handler"]  # fmt: skip

BodyRewriter = Callable[[dict[str, Any], Context], bool]


class StreamHandler(Protocol):
    def event(self, obj: dict[str, Any], ctx: Context) -> bool:
        """Edit one event's JSON in place; False: the event is not sent."""
        ...


def body_rewriter(obj: dict[str, Any]) -> BodyRewriter | None:
    """The rewriter for a non-streamed body of this shape; None for a shape not known."""
    if openai_chat.is_chat(obj):
        return openai_chat.rewrite_body
    if openai_responses.is_response_body(obj):
        return openai_responses.rewrite_response
    if anthropic.is_message_body(obj):
        return anthropic.rewrite_message
    if gemini.is_gemini(obj):
        return gemini.rewrite_candidates
    return None


def stream_handler(obj: dict[str, Any]) -> StreamHandler | None:
    """A handler for the stream whose first JSON event is ``obj``; None for a shape not known."""
    if openai_chat.is_chat(obj):
        return openai_chat.ChatStream()
    if openai_responses.is_responses_event(obj):
        return openai_responses.ResponsesStream()
    if anthropic.is_messages_event(obj):
        return anthropic.MessagesStream()
    if gemini.is_gemini(obj):
        return gemini.GeminiStream()
    return None
