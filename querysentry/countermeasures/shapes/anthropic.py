"""Anthropic Messages: ``thinking`` and ``redacted_thinking`` content blocks, and their events.

Withheld in ``drop`` mode, a reasoning block's ``content_block_start``, its deltas
(``thinking_delta``, ``signature_delta``) and its ``content_block_stop`` are removed, and the
``index`` of every later block is renumbered: the SDK appends a block on each start and finds it by
``index`` on each delta, so a gap would send deltas to the wrong block (or past the end). In
``replace`` mode the block stays, as ``{"type": "thinking", "thinking": MARKER, "signature": ""}``,
and its deltas are dropped. A replaced block has no valid signature: sent back to the API in a
later turn it is refused, which is the point for a client whose reasoning is withheld.
"""

from __future__ import annotations

from typing import Any

from querysentry.countermeasures.shapes.base import Context, count_below

__all__ = ["REASONING_BLOCKS", "MessagesStream", "is_message_body", "is_messages_event", "rewrite_message"]

REASONING_BLOCKS = frozenset({"thinking", "redacted_thinking"})
_EVENTS = frozenset(
    {"message_start", "message_delta", "message_stop", "content_block_start", "content_block_delta",
     "content_block_stop", "ping"}
)  # fmt: skip


def is_message_body(obj: dict[str, Any]) -> bool:
    return obj.get("type") == "message" and isinstance(obj.get("content"), list)


def is_messages_event(obj: dict[str, Any]) -> bool:
    return obj.get("type") in _EVENTS


def _marker_block(marker: str) -> dict[str, Any]:
    return {"type": "thinking", "thinking": marker, "signature": ""}


def rewrite_message(message: dict[str, Any], ctx: Context) -> bool:
    """A whole message (a non-streamed body, or ``message_start``'s). True if it changed."""
    content = message.get("content")
    if not isinstance(content, list):
        return False
    changed = False
    kept: list[Any] = []
    for position, block in enumerate(content):
        kind = block.get("type") if isinstance(block, dict) else None
        if kind in REASONING_BLOCKS:
            if ctx.withhold:
                changed = True
                if ctx.mode == "replace":
                    kept.append(_marker_block(ctx.marker))
                continue
            if kind == "thinking":
                changed |= _field(block, "thinking", (position, "thinking"), "reasoning", ctx)
        elif kind == "text":
            changed |= _field(block, "text", (position, "text"), "content", ctx)
        kept.append(block)
    if changed:
        message["content"] = kept
    return changed


def _field(block: dict[str, Any], name: str, key: tuple[Any, ...], kind: Any, ctx: Context) -> bool:
    text = block.get(name)
    if not isinstance(text, str) or not text:
        return False
    new = ctx.final(key, kind, text)
    if new == text:
        return False
    block[name] = new
    return True


class MessagesStream:
    """The events of one streamed message."""

    def __init__(self) -> None:
        self._reasoning: set[int] = set()  # upstream indices of reasoning blocks
        self._dropped: list[int] = []  # of those, the ones removed (drop mode)

    def event(self, obj: dict[str, Any], ctx: Context) -> bool:
        kind = obj.get("type")
        if kind == "message_start":
            message = obj.get("message")
            if isinstance(message, dict) and rewrite_message(message, ctx):
                ctx.changed()
            return True
        index = obj.get("index")
        if not isinstance(index, int):
            return True
        if not self._block_event(kind, obj, index, ctx):
            return False
        if self._dropped:
            shift = count_below(self._dropped, index)
            if shift:
                obj["index"] = index - shift
                ctx.changed()
        return True

    def _block_event(self, kind: object, obj: dict[str, Any], index: int, ctx: Context) -> bool:
        if kind == "content_block_start":
            block = obj.get("content_block")
            if not isinstance(block, dict):
                return True
            if block.get("type") in REASONING_BLOCKS:
                self._reasoning.add(index)
                if ctx.withhold:
                    if ctx.mode == "drop":
                        self._dropped.append(index)
                        return False
                    obj["content_block"] = _marker_block(ctx.marker)
                    ctx.changed()
                elif block.get("type") == "thinking":
                    self._piece(block, "thinking", (index, "thinking"), "reasoning", ctx)
            elif block.get("type") == "text":
                self._piece(block, "text", (index, "text"), "content", ctx)
            return True
        if kind == "content_block_delta":
            delta = obj.get("delta")
            if index in self._reasoning:
                if ctx.withhold:
                    return False
                if isinstance(delta, dict) and delta.get("type") == "thinking_delta":
                    self._piece(delta, "thinking", (index, "thinking"), "reasoning", ctx)
            elif isinstance(delta, dict) and delta.get("type") == "text_delta":
                self._piece(delta, "text", (index, "text"), "content", ctx)
            return True
        if kind == "content_block_stop":
            if index in self._reasoning and ctx.withhold and ctx.mode == "drop":
                return False
            ctx.end((index, "text"))
            ctx.end((index, "thinking"))
        return True

    @staticmethod
    def _piece(container: dict[str, Any], name: str, key: tuple[Any, ...], kind: Any, ctx: Context) -> None:
        text = container.get(name)
        if isinstance(text, str) and text:
            ctx.text(key, kind, container, name)
