"""OpenAI chat completions (and legacy completions), and the servers that copy their shape.

Reasoning lives in the message (``choices[].message``) or, streamed, in the deltas
(``choices[].delta``) as ``reasoning_content`` (DeepSeek, vLLM, SGLang), ``reasoning`` (OpenRouter,
Ollama, vLLM's newer name) or ``reasoning_details`` (OpenRouter's structured copy). Withheld, the
fields are removed, or a text field is set to the marker (in a stream: the first reasoning delta of
each choice carries the marker, later ones lose the field). A chunk left with nothing but a role-less
empty delta, no finish reason and no usage is dropped whole.
"""

from __future__ import annotations

from typing import Any

from querysentry.countermeasures.shapes.base import Context

__all__ = ["REASONING_FIELDS", "ChatStream", "is_chat", "rewrite_body"]

REASONING_FIELDS = ("reasoning_content", "reasoning", "reasoning_details")
_CHANNELS = ("content", "text", *REASONING_FIELDS)


def is_chat(obj: dict[str, Any]) -> bool:
    return isinstance(obj.get("choices"), list)


def _index(choice: dict[str, Any], position: int) -> int:
    index = choice.get("index", position)
    return index if isinstance(index, int) else position


def rewrite_body(obj: dict[str, Any], ctx: Context) -> bool:
    """Withhold reasoning from, and filter the text of, a non-streamed body. True if it changed."""
    changed = False
    for position, choice in enumerate(obj["choices"]):
        if not isinstance(choice, dict):
            continue
        index = _index(choice, position)
        message = choice.get("message")
        if isinstance(message, dict):
            changed |= _message(message, ctx, index)
        changed |= _text_field(choice, "text", (index, "text"), ctx)
    return changed


def _message(message: dict[str, Any], ctx: Context, index: int) -> bool:
    changed = False
    marked = False
    for name in REASONING_FIELDS:
        value = message.get(name)
        if value is None:
            continue
        if ctx.withhold:
            if ctx.mode == "replace" and isinstance(value, str) and not marked:
                message[name] = ctx.marker
                marked = True
            else:
                del message[name]
            changed = True
        elif isinstance(value, str):
            changed |= _text_field(message, name, (index, name), ctx, kind="reasoning")
    content = message.get("content")
    if isinstance(content, str):
        changed |= _text_field(message, "content", (index, "content"), ctx)
    elif isinstance(content, list):  # some servers send content parts
        for number, part in enumerate(content):
            if isinstance(part, dict) and part.get("type") == "text":
                changed |= _text_field(part, "text", (index, "content", number), ctx)
    return changed


def _text_field(container: dict[str, Any], name: str, key: object, ctx: Context, *, kind: str = "content") -> bool:
    value = container.get(name)
    if not isinstance(value, str) or not value:
        return False
    new = ctx.final(key, "reasoning" if kind == "reasoning" else "content", value)
    if new == value:
        return False
    container[name] = new
    return True


class ChatStream:
    """The chunks of one streamed chat completion (``object: chat.completion.chunk``)."""

    def __init__(self) -> None:
        self._marked: set[int] = set()  # choices whose reasoning marker was sent (replace mode)

    def event(self, obj: dict[str, Any], ctx: Context) -> bool:
        choices = obj.get("choices")
        if not isinstance(choices, list):
            return True
        emptied = 0
        finished: list[int] = []
        for position, choice in enumerate(choices):
            if not isinstance(choice, dict):
                continue
            index = _index(choice, position)
            delta = choice.get("delta")
            withheld = isinstance(delta, dict) and self._delta(delta, ctx, index)
            if withheld and isinstance(delta, dict) and _empty(delta) and choice.get("finish_reason") is None:
                emptied += 1
            text = choice.get("text")
            if isinstance(text, str) and text:
                ctx.text((index, "text"), "content", choice, "text")
            if choice.get("finish_reason") is not None:
                finished.append(index)
        for index in finished:
            for name in _CHANNELS:
                ctx.end((index, name))
        # A chunk that carried only reasoning is not sent at all.
        return not (choices and emptied == len(choices) and obj.get("usage") is None)

    def _delta(self, delta: dict[str, Any], ctx: Context, index: int) -> bool:
        """Handle one delta; True if reasoning was taken out of it."""
        if len(delta) == 1 and "content" in delta:  # the usual chunk: one piece of the answer
            if delta["content"]:
                ctx.text((index, "content"), "content", delta, "content")
            return False
        withheld = False
        for name in REASONING_FIELDS:
            value = delta.get(name)
            if value is None:
                continue
            if ctx.withhold:
                withheld = True
                if ctx.mode == "replace" and isinstance(value, str) and index not in self._marked:
                    delta[name] = ctx.marker
                    self._marked.add(index)
                else:
                    del delta[name]
                ctx.changed()
            elif isinstance(value, str) and value:
                ctx.text((index, name), "reasoning", delta, name)
        content = delta.get("content")
        if isinstance(content, str) and content:
            ctx.text((index, "content"), "content", delta, "content")
        return withheld


def _empty(delta: dict[str, Any]) -> bool:
    return "role" not in delta and all(value is None or value == "" for value in delta.values())
