"""Gemini ``generateContent`` / ``streamGenerateContent``: parts with ``thought: true``.

A body (or each ``alt=sse`` chunk, or each element of the JSON array that ``streamGenerateContent``
answers without ``alt=sse``) is a ``GenerateContentResponse``: ``candidates[].content.parts[]``.
Withheld, thought parts are removed; in ``replace`` mode the first one of each candidate becomes
``{"text": MARKER, "thought": true}`` and later ones are removed. A streamed chunk that held only
thought parts and no finish reason is dropped whole. Text parts are one channel per candidate.
"""

from __future__ import annotations

from typing import Any

from querysentry.countermeasures.shapes.base import Context

__all__ = ["GeminiStream", "is_gemini", "rewrite_candidates"]


def is_gemini(obj: dict[str, Any]) -> bool:
    return isinstance(obj.get("candidates"), list)


def _candidates(obj: dict[str, Any]) -> list[tuple[int, dict[str, Any], list[Any]]]:
    """(index, candidate, its parts: empty when it has none) for each candidate object."""
    out = []
    for position, candidate in enumerate(obj["candidates"]):
        if not isinstance(candidate, dict):
            continue
        content = candidate.get("content")
        parts = content.get("parts") if isinstance(content, dict) else None
        index = candidate.get("index", position)
        out.append((index if isinstance(index, int) else position, candidate, parts if isinstance(parts, list) else []))
    return out


def rewrite_candidates(obj: dict[str, Any], ctx: Context) -> bool:
    """A whole response (non-streamed). True if it changed."""
    changed = False
    for index, candidate, parts in _candidates(obj):
        kept: list[Any] = []
        marked = False
        for part in parts:
            if isinstance(part, dict) and part.get("thought") is True:
                if ctx.withhold:
                    changed = True
                    if ctx.mode == "replace" and not marked:
                        kept.append({"text": ctx.marker, "thought": True})
                        marked = True
                    continue
                changed |= _field(part, (index, "thought"), "reasoning", ctx)
            elif isinstance(part, dict):
                changed |= _field(part, (index, "text"), "content", ctx)
            kept.append(part)
        if len(kept) != len(parts) or any(new is not old for new, old in zip(kept, parts)):
            candidate["content"]["parts"] = kept
    return changed


def _field(part: dict[str, Any], key: tuple[Any, ...], kind: Any, ctx: Context) -> bool:
    text = part.get("text")
    if not isinstance(text, str) or not text:
        return False
    new = ctx.final(key, kind, text)
    if new == text:
        return False
    part["text"] = new
    return True


class GeminiStream:
    """The chunks of one ``alt=sse`` stream."""

    def __init__(self) -> None:
        self._marked: set[int] = set()

    def event(self, obj: dict[str, Any], ctx: Context) -> bool:
        if not is_gemini(obj):
            return True
        seen = removed = 0
        finishing = False
        for index, candidate, parts in _candidates(obj):
            kept: list[Any] = []
            for part in parts:
                seen += 1
                if isinstance(part, dict) and part.get("thought") is True:
                    if ctx.withhold:
                        if ctx.mode == "replace" and index not in self._marked:
                            self._marked.add(index)
                            kept.append({"text": ctx.marker, "thought": True})
                        else:
                            removed += 1
                        continue
                    self._piece(part, (index, "thought"), "reasoning", ctx)
                elif isinstance(part, dict):
                    self._piece(part, (index, "text"), "content", ctx)
                kept.append(part)
            if len(kept) != len(parts) or any(new is not old for new, old in zip(kept, parts)):
                candidate["content"]["parts"] = kept
                ctx.changed()
            if candidate.get("finishReason") is not None:
                finishing = True
                ctx.end((index, "text"))
                ctx.end((index, "thought"))
        return not (seen and removed == seen and not finishing)

    @staticmethod
    def _piece(part: dict[str, Any], key: tuple[Any, ...], kind: Any, ctx: Context) -> None:
        text = part.get("text")
        if isinstance(text, str) and text:
            ctx.text(key, kind, part, "text")
