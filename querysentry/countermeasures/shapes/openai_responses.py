"""OpenAI Responses API: ``output`` items of type ``reasoning``, and their stream events.

Withheld in ``drop`` mode, a reasoning item disappears: its ``response.output_item.added`` /
``.done`` events and every ``response.reasoning*`` event (summary parts, summary text, reasoning
text), from the lifecycle events' ``response.output`` too. Later items' ``output_index`` is
renumbered so that it stays the item's position in ``output`` (the SDK keys its accumulator on
it), and ``sequence_number`` is renumbered so that it stays gapless. In ``replace`` mode the item
stays, with no content and no ``encrypted_content``, and a one-entry summary holding the marker
(sent on ``response.output_item.done``); its reasoning events are dropped. Usage counts (including
``reasoning_tokens``) are left as they are.

The answer's text is a channel per (item, content part); the full texts repeated by the done
events (``output_text.done``, ``content_part.done``, ``output_item.done``, ``response.completed``)
are set to what the streamed deltas became, so the SDK's snapshot and its final response agree.
"""

from __future__ import annotations

from typing import Any

from querysentry.countermeasures.shapes.base import Context, count_below

__all__ = ["ResponsesStream", "is_response_body", "is_responses_event", "rewrite_response"]

_LIFECYCLE = frozenset(
    {"response.created", "response.queued", "response.in_progress", "response.completed", "response.incomplete",
     "response.failed"}
)  # fmt: skip


def is_response_body(obj: dict[str, Any]) -> bool:
    return obj.get("object") == "response" and isinstance(obj.get("output"), list)


def is_responses_event(obj: dict[str, Any]) -> bool:
    kind = obj.get("type")
    return isinstance(kind, str) and kind.startswith("response.")


def _marker_item(item: dict[str, Any], marker: str, *, summary: bool) -> dict[str, Any]:
    out: dict[str, Any] = {"id": item.get("id"), "type": "reasoning"}
    out["summary"] = [{"type": "summary_text", "text": marker}] if summary else []
    if "status" in item:
        out["status"] = item["status"]
    return out


def rewrite_response(response: dict[str, Any], ctx: Context) -> bool:
    """A whole response object (a non-streamed body, or a lifecycle event's). True if it changed."""
    output = response.get("output")
    if not isinstance(output, list):
        return False
    changed = False
    kept: list[Any] = []
    for position, item in enumerate(output):
        if isinstance(item, dict) and item.get("type") == "reasoning":
            if ctx.withhold:
                changed = True
                if ctx.mode == "replace":
                    kept.append(_marker_item(item, ctx.marker, summary=True))
                continue
            changed |= _item_texts(item, position, ctx)
        elif isinstance(item, dict):
            changed |= _item_texts(item, position, ctx)
        kept.append(item)
    if len(kept) != len(output) or changed:
        response["output"] = kept
    return changed


def _item_texts(item: dict[str, Any], position: int, ctx: Context) -> bool:
    changed = False
    reasoning = item.get("type") == "reasoning"
    for field, tag in (("content", "r" if reasoning else "c"), ("summary", "s")):
        parts = item.get(field)
        if not isinstance(parts, list):
            continue
        for number, part in enumerate(parts):
            if not isinstance(part, dict) or part.get("type") not in ("output_text", "summary_text", "reasoning_text"):
                continue
            text = part.get("text")
            if isinstance(text, str) and text:
                new = ctx.final((position, tag, number), "reasoning" if reasoning else "content", text)
                if new != text:
                    part["text"] = new
                    changed = True
    return changed


class ResponsesStream:
    """The events of one streamed response."""

    def __init__(self) -> None:
        self._reasoning: set[int] = set()  # upstream output indices of reasoning items
        self._dropped: list[int] = []  # of those, the ones removed (drop mode)
        self._removed_events = 0

    def event(self, obj: dict[str, Any], ctx: Context) -> bool:
        kind = obj.get("type")
        if not isinstance(kind, str):
            return True
        if not self._event(kind, obj, ctx):
            if isinstance(obj.get("sequence_number"), int):
                self._removed_events += 1
            return False
        sequence = obj.get("sequence_number")
        if self._removed_events and isinstance(sequence, int):
            obj["sequence_number"] = sequence - self._removed_events
            ctx.changed()
        index = obj.get("output_index")
        if self._dropped and isinstance(index, int):
            shift = count_below(self._dropped, index)
            if shift:
                obj["output_index"] = index - shift
                ctx.changed()
        return True

    def _event(self, kind: str, obj: dict[str, Any], ctx: Context) -> bool:
        if kind in _LIFECYCLE:
            response = obj.get("response")
            if isinstance(response, dict) and rewrite_response(response, ctx):
                ctx.changed()
            return True
        index = obj.get("output_index")
        if not isinstance(index, int):
            return True
        if kind == "response.output_item.added":
            item = obj.get("item")
            if isinstance(item, dict) and item.get("type") == "reasoning":
                self._reasoning.add(index)
                if ctx.withhold:
                    if ctx.mode == "drop":
                        self._dropped.append(index)
                        return False
                    obj["item"] = _marker_item(item, ctx.marker, summary=False)
                    ctx.changed()
            return True
        if index in self._reasoning:
            return self._reasoning_event(kind, obj, index, ctx)
        return self._message_event(kind, obj, index, ctx)

    def _reasoning_event(self, kind: str, obj: dict[str, Any], index: int, ctx: Context) -> bool:
        if ctx.withhold:
            if kind == "response.output_item.done" and ctx.mode == "replace":
                item = obj.get("item")
                obj["item"] = _marker_item(item if isinstance(item, dict) else {}, ctx.marker, summary=True)
                ctx.changed()
                return True
            return False
        # Reasoning that is kept is still checked for leaks.
        if kind == "response.reasoning_summary_text.delta":
            self._delta(obj, (index, "s", obj.get("summary_index", 0)), "reasoning", ctx)
        elif kind == "response.reasoning_text.delta":
            self._delta(obj, (index, "r", obj.get("content_index", 0)), "reasoning", ctx)
        elif kind in ("response.reasoning_summary_text.done", "response.reasoning_text.done"):
            summary = "summary" in kind
            number = obj.get("summary_index" if summary else "content_index", 0)
            self._done_text(obj, "text", (index, "s" if summary else "r", number), "reasoning", ctx)
        elif kind == "response.reasoning_summary_part.done":
            self._done_part(obj, (index, "s", obj.get("summary_index", 0)), "reasoning", ctx)
        elif kind == "response.content_part.done":
            self._done_part(obj, (index, "r", obj.get("content_index", 0)), "reasoning", ctx)
        elif kind == "response.output_item.done":
            item = obj.get("item")
            if isinstance(item, dict) and _item_texts(item, index, ctx):
                ctx.changed()
        return True

    def _message_event(self, kind: str, obj: dict[str, Any], index: int, ctx: Context) -> bool:
        if kind == "response.output_text.delta":
            self._delta(obj, (index, "c", obj.get("content_index", 0)), "content", ctx)
        elif kind == "response.output_text.done":
            self._done_text(obj, "text", (index, "c", obj.get("content_index", 0)), "content", ctx)
        elif kind == "response.content_part.done":
            self._done_part(obj, (index, "c", obj.get("content_index", 0)), "content", ctx)
        elif kind == "response.output_item.done":
            item = obj.get("item")
            if isinstance(item, dict) and _item_texts(item, index, ctx):
                ctx.changed()
        return True

    @staticmethod
    def _delta(obj: dict[str, Any], key: tuple[Any, ...], kind: Any, ctx: Context) -> None:
        delta = obj.get("delta")
        if isinstance(delta, str) and delta:
            ctx.text(key, kind, obj, "delta")

    @staticmethod
    def _done_text(obj: dict[str, Any], field: str, key: tuple[Any, ...], kind: Any, ctx: Context) -> None:
        text = obj.get(field)
        if isinstance(text, str):
            new = ctx.final(key, kind, text)
            if new != text:
                obj[field] = new
                ctx.changed()

    @classmethod
    def _done_part(cls, obj: dict[str, Any], key: tuple[Any, ...], kind: Any, ctx: Context) -> None:
        part = obj.get("part")
        if isinstance(part, dict):
            text = part.get("text")
            if isinstance(text, str):
                new = ctx.final(key, kind, text)
                if new != text:
                    part["text"] = new
                    ctx.changed()
