"""The message type every pipeline step shares, and the one reader of chat messages and their parts.

``read_message`` turns one chat message object (OpenAI Chat or Anthropic Messages) into a
``Message``; both the library API (``coerce_messages``, behind ``Detector.check``) and the
middleware's payload extraction (``querysentry.extract``) use it, so the same body is scanned the
same way whichever door it comes in by. Its rules:

- the role is normalised (case, spaces; ``function`` is ``tool``); a role the APIs do not define
  is the caller speaking (``user``), so an invented role cannot be a way out of the scan;
- content is a string, one part, or a list of parts; a part's ``text`` is kept (``text``,
  ``input_text``, ``output_text``), an Anthropic ``tool_use`` keeps its ``input`` as compact JSON,
  a ``tool_result`` keeps its content (a string or nested blocks); images, audio and the like
  carry no text and are skipped;
- OpenAI ``tool_calls`` keep each function's name and arguments;
- a user turn that only returns tool results is the tool speaking (role ``tool``).

The reader spends a ``PartBudget``: the default reads everything (the detector bounds its own work
by characters); extraction passes one that enforces its ``ExtractionLimits`` and counts what it cut.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeAlias

from querysentry.errors import InputError, UnsupportedPayloadError

__all__ = [
    "ANSWER_ROLES",
    "DEFAULT_SCAN_ROLES",
    "MAX_PART_DEPTH",
    "Message",
    "MessagesLike",
    "PartBudget",
    "coerce_messages",
    "continues_conversation",
    "json_text",
    "message_role",
    "parts_text",
    "read_message",
]

# Assistant turns are the model's own words: scanning them would flag the model for answering.
DEFAULT_SCAN_ROLES: frozenset[str] = frozenset({"system", "developer", "user", "tool"})
PRIORITY_ROLES: frozenset[str] = frozenset({"system", "developer"})
# Roles the APIs define; anything else ("human", "customer", a typo) is read as the caller speaking.
KNOWN_ROLES: frozenset[str] = frozenset({"system", "developer", "user", "tool", "assistant", "model"})
# How deep content blocks may nest (an Anthropic ``tool_result`` holds blocks); deeper is no API shape.
MAX_PART_DEPTH = 8
# Values nested deeper than json.dumps can render (it recurses) are read leaf by leaf instead,
# visiting at most this many nodes.
_MAX_WALK_NODES = 4096


@dataclass(frozen=True)
class Message:
    """One turn of a conversation: who said it and the plain text of what was said."""

    role: str
    content: str


MessagesLike: TypeAlias = str | Message | Sequence[Message | Mapping[str, Any]]


class PartBudget:
    """How much of a message the reader may take; this one takes everything.

    Subclasses bound the work: ``text`` may shorten a string, ``pick_parts`` choose which of a
    list's positions to read (in order), ``peek_parts`` say which it would choose without spending,
    ``skip_parts`` count parts left unread.
    """

    max_depth: int = MAX_PART_DEPTH

    def text(self, value: str) -> str:
        return value

    def pick_parts(self, count: int) -> Sequence[int]:
        return range(count)

    def peek_parts(self, count: int) -> Sequence[int]:
        return range(count)

    def skip_parts(self, count: int) -> None:
        """``count`` parts were not read (nested too deep, or past a walk's bound)."""


UNBOUNDED = PartBudget()


def message_role(value: object, default: str = "user") -> str:
    """The role as the scan compares it: " User" is ``user``, ``function`` is ``tool``.

    A missing or non-string role, and one the APIs do not define, is ``default`` (the caller).
    """
    if not isinstance(value, str):
        return default
    role = value.strip().lower()
    if role == "function":
        return "tool"
    return role if role in KNOWN_ROLES else default


def parts_text(content: object, budget: PartBudget = UNBOUNDED, depth: int = 0) -> str:
    """The text of message content: a string, one part, or a list of parts (see the module
    docstring for which parts count), joined by newlines. O(size of content).

    Content of any other type is an ``UnsupportedPayloadError``.
    """
    if content is None:
        return ""
    if isinstance(content, str):
        return budget.text(content)
    if isinstance(content, Mapping):
        content = [content]
    if not isinstance(content, Sequence):
        raise UnsupportedPayloadError(f"content of type {type(content).__name__}")
    if depth >= budget.max_depth:  # blocks nested this deep are not an API shape
        budget.skip_parts(len(content))
        return ""
    texts: list[str] = []
    for position in budget.pick_parts(len(content)):
        part = content[position]
        if isinstance(part, str):
            texts.append(budget.text(part))
        elif isinstance(part, Mapping):
            kind = part.get("type")
            if isinstance(part.get("text"), str):  # text, input_text, output_text
                texts.append(budget.text(part["text"]))
            elif kind == "tool_use" and "input" in part:  # Anthropic tool call
                texts.append(budget.text(json_text(part["input"], budget)))
            elif kind == "tool_result":  # Anthropic tool result: string or blocks
                texts.append(parts_text(part.get("content"), budget, depth + 1))
    return "\n".join(t for t in texts if t)


def json_text(value: object, budget: PartBudget = UNBOUNDED) -> str:
    """A JSON value as text: itself if a string, else compact JSON with sorted keys. O(size)."""
    if isinstance(value, str):
        return value
    try:
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    except RecursionError:  # nested deeper than json.dumps recurses: gather the strings instead
        return _leaf_strings(value, budget)


def _leaf_strings(value: object, budget: PartBudget) -> str:
    strings: list[str] = []
    stack, visited = [value], 0
    while stack and visited < _MAX_WALK_NODES:
        node = stack.pop()
        visited += 1
        if isinstance(node, str):
            strings.append(node)
        elif isinstance(node, Mapping):
            stack.extend(reversed([v for kv in node.items() for v in kv]))
        elif isinstance(node, list):
            stack.extend(reversed(node))
    if stack:
        budget.skip_parts(len(stack))
    return " ".join(strings)


def _only_tool_results(content: object, budget: PartBudget) -> bool:
    blocks = content if isinstance(content, list) else [content]
    ends = [blocks[i] for i in budget.peek_parts(len(blocks))]
    return bool(ends) and all(isinstance(b, Mapping) and b.get("type") == "tool_result" for b in ends)


def read_message(item: Mapping[str, Any], budget: PartBudget = UNBOUNDED) -> Message:
    """One chat message object (OpenAI Chat or Anthropic Messages) as a ``Message``.

    The rules are the module docstring's. Raises ``UnsupportedPayloadError`` for content that is
    neither a string nor parts. O(size of the message), less under a bounding ``budget``.
    """
    role = message_role(item.get("role"))
    content = item.get("content")
    # A user turn that only returns tool results is the tool speaking, not the user.
    if role == "user" and _only_tool_results(content, budget):
        role = "tool"
    texts = [parts_text(content, budget)]
    calls = item.get("tool_calls")
    if isinstance(calls, list):  # OpenAI assistant tool calls: name + arguments
        for position in budget.pick_parts(len(calls)):
            call = calls[position]
            function = call.get("function") if isinstance(call, Mapping) else None
            if not isinstance(function, Mapping):
                function = {}
            name, arguments = function.get("name", ""), function.get("arguments", "")
            texts.append(budget.text(f"{json_text(name, budget)} {json_text(arguments, budget)}"))
    return Message(role, "\n".join(t for t in texts if t))


def coerce_messages(value: MessagesLike) -> list[Message]:
    """Turn a string, a Message, or a list of Messages / chat message dicts into Messages.

    Dicts are read by ``read_message``, the rules the middleware reads request bodies by; a
    ``Message`` is taken as it is. Anything else is an ``InputError``.
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
        if not isinstance(item.get("role", "user"), str):
            raise InputError(f"message {position}: 'role' must be a string")
        try:
            out.append(read_message(item))
        except UnsupportedPayloadError:
            raise InputError(f"message {position}: 'content' must be a string or a list of parts") from None
    return out


def continues_conversation(messages: Sequence[Message]) -> bool:
    """Whether the caller carries a conversation along: an assistant turn comes before a later
    user turn (a follow-up to an answer it read). An agent's tool loop (assistant calls, tool
    results) is not one by itself. O(messages)."""
    answered = False
    for message in messages:
        if message.role in ANSWER_ROLES:
            answered = True
        elif answered and message.role == "user":
            return True
    return False


# The roles of a model's answer turns (OpenAI and Anthropic; Gemini's "model").
ANSWER_ROLES = frozenset({"assistant", "model"})
