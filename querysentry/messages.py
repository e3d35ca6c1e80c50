"""The message type every pipeline step shares, and coercion from what callers pass in."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeAlias

from querysentry.errors import InputError

__all__ = ["DEFAULT_SCAN_ROLES", "Message", "MessagesLike", "coerce_messages"]

# Assistant turns are the model's own words: scanning them would flag the model for answering.
DEFAULT_SCAN_ROLES: frozenset[str] = frozenset({"system", "developer", "user", "tool"})
PRIORITY_ROLES: frozenset[str] = frozenset({"system", "developer"})


@dataclass(frozen=True)
class Message:
    """One turn of a conversation: who said it and the plain text of what was said."""

    role: str
    content: str


MessagesLike: TypeAlias = str | Message | Sequence[Message | Mapping[str, Any]]


def coerce_messages(value: MessagesLike) -> list[Message]:
    """Turn a string, a Message, or a list of Messages / ``{"role", "content"}`` dicts into Messages.

    ``content`` may be a string or a list of OpenAI-style content parts (``{"type": "text",
    "text": ...}``); non-text parts are skipped. Anything else is an ``InputError``.
    """
    if isinstance(value, str):
        return [Message("user", value)]
    if isinstance(value, Message):
        return [value]
    if not isinstance(value, Sequence):
        raise InputError(f"expected a string or a list of messages, got {type(value).__name__}")
    out: list[Message] = []
    for position, item in enumerate(value):
        if isinstance(item, Message):
            out.append(item)
            continue
        if not isinstance(item, Mapping):
            raise InputError(f"message {position}: expected an object, got {type(item).__name__}")
        role = item.get("role", "user")
        if not isinstance(role, str):
            raise InputError(f"message {position}: 'role' must be a string")
        out.append(Message(role, _content_text(item.get("content"), position)))
    return out


def _content_text(content: object, position: int) -> str:
    if content is None:
        return ""
    if isinstance(content, str):
        return content
    if isinstance(content, Sequence):
        parts = []
        for part in content:
            if isinstance(part, str):
                parts.append(part)
            elif isinstance(part, Mapping) and isinstance(part.get("text"), str):
                parts.append(part["text"])
        return "\n".join(parts)
    raise InputError(f"message {position}: 'content' must be a string or a list of parts")
