"""Payload extraction: the API shape of a request body → chat messages with roles. Pure, bounded.

One function per API shape, and a dispatcher that picks by content type and by the keys the body
carries (paths differ between deployments, so they are only a tie-breaker). Text that is not an
instruction to the model (images, audio, tool *definitions*) is skipped; tool calls and tool results
are kept, because agent-trace harvesting lives there. Assistant/model turns are returned with their
role so that the detector can leave them unscanned. Chat messages and their content parts are read
by ``querysentry.messages.read_message``, the reader the library API uses too, under a budget
that enforces the limits below.

The bytes are decoded as the application's framework decodes them (``querysentry.content``), and
the work is bounded by construction (``ExtractionLimits``): at most ``max_messages`` messages are
read (the system ones and both ends of the conversation), at most ``max_parts`` content parts per
message, nested at most ``max_depth`` deep, and at most ``max_message_chars`` / ``max_chars``
characters are gathered. The detector's token budget only keeps the system text and the head and
tail of each message anyway, so what is dropped is what it would not have read. A result that lost
something says so (``Extracted.truncated`` and its counts).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from querysentry.content import body_kind, decode_json_bytes, decode_text
from querysentry.errors import UnsupportedPayloadError
from querysentry.messages import (
    MAX_PART_DEPTH,
    PRIORITY_ROLES,
    Message,
    PartBudget,
    json_text,
    message_role,
    parts_text,
    read_message,
)

__all__ = [
    "DEFAULT_LIMITS",
    "Extracted",
    "ExtractionLimits",
    "UnsupportedPayloadError",
    "extract_anthropic_messages",
    "extract_gemini",
    "extract_legacy_completions",
    "extract_openai_chat",
    "extract_openai_responses",
    "extract_payload",
    "is_anthropic_path",
]

# Lone UTF-16 surrogates are valid in JSON (``"\ud800"``) but not in UTF-8: the tokenizer rejects
# them, which would make the scan fail (and the request pass) rather than be scanned.
_SURROGATE = re.compile("[\ud800-\udfff]")


@dataclass(frozen=True)
class ExtractionLimits:
    """Bounds on the work of one extraction; what they cut is recorded on ``Extracted``.

    ``max_messages``: messages (or prompt strings, or Responses input items) read; the system and
    developer ones first (up to half), then the rest alternately from both ends, newest first.
    ``max_parts``: content parts, tool calls and nested blocks read per message, from both ends.
    ``max_depth``: how deep content blocks may nest (an Anthropic ``tool_result`` holds blocks).
    ``max_message_chars``: characters kept per message (longer text keeps its head and tail).
    ``max_chars``: characters gathered in all, system text taking at most half of them.
    """

    max_messages: int = 256
    max_parts: int = 64
    max_depth: int = MAX_PART_DEPTH
    max_message_chars: int = 32_768
    max_chars: int = 262_144

    def __post_init__(self) -> None:
        if min(self.max_messages, self.max_parts, self.max_depth) < 1 or self.max_message_chars < 16:
            raise ValueError("extraction limits must be >= 1 (max_message_chars >= 16)")
        if self.max_chars < self.max_message_chars:
            raise ValueError("max_chars must be >= max_message_chars")


DEFAULT_LIMITS = ExtractionLimits()


@dataclass(frozen=True)
class Extracted:
    """The messages found in a request body and the API shape they were read as.

    ``truncated`` is True when a limit cut something: ``messages_skipped`` messages were not
    read, ``parts_skipped`` content parts (or nested blocks) were not read, and ``chars_cut``
    characters of the text that was read were dropped.
    """

    api: str  # "openai_chat" | "openai_completions" | "openai_responses" | "anthropic" | "gemini" | "text"
    messages: tuple[Message, ...]
    truncated: bool = False
    messages_skipped: int = 0
    parts_skipped: int = 0
    chars_cut: int = 0


def _ends_first(n: int, keep: int, *, tail_first: bool = False) -> list[int]:
    """The first ``keep`` of the positions 0..n-1 taken alternately from both ends. O(keep)."""
    order: list[int] = []
    low, high = 0, n - 1
    while low <= high and len(order) < keep:
        order.append(high if tail_first else low)
        if low != high and len(order) < keep:
            order.append(low if tail_first else high)
        low, high = low + 1, high - 1
    return order


def _is_priority(item: object) -> bool:
    role = item.get("role") if isinstance(item, Mapping) else None
    return isinstance(role, str) and role.strip().lower() in PRIORITY_ROLES


class _Reader(PartBudget):
    """One extraction's budgets. Every string that reaches a Message passes through ``text``."""

    def __init__(self, limits: ExtractionLimits) -> None:
        self.limits = limits
        self.max_depth = limits.max_depth
        self.chars_left = limits.max_chars
        self.priority_chars_left = limits.max_chars // 2
        self.message_chars_left = limits.max_message_chars
        self.parts_left = limits.max_parts
        self.priority = False
        self.messages_skipped = 0
        self.parts_skipped = 0
        self.chars_cut = 0

    def start_message(self, *, priority: bool) -> None:
        self.priority = priority
        self.message_chars_left = self.limits.max_message_chars
        self.parts_left = self.limits.max_parts

    def text(self, value: str) -> str:
        """``value`` within the character budgets: its head and tail if it is too long. O(len(value))."""
        cap = min(self.message_chars_left, self.chars_left)
        if self.priority:
            cap = min(cap, self.priority_chars_left)
        if len(value) > cap:
            # Keep both ends: templates put their instructions at the start and the end.
            tail = max(0, cap - 1) // 2
            head = max(0, cap - 1) - tail
            cut = value[:head] + "\n" + value[len(value) - tail :] if cap > 1 else ""
            self.chars_cut += len(value) - len(cut)
            value = cut
        self.message_chars_left -= len(value)
        self.chars_left -= len(value)
        if self.priority:
            self.priority_chars_left -= len(value)
        return _SURROGATE.sub("\ufffd", value)

    def pick_parts(self, count: int) -> list[int]:
        """Positions of the parts of a list of ``count`` to read, in original order."""
        chosen = _ends_first(count, self.parts_left)
        self.parts_left -= len(chosen)
        self.parts_skipped += count - len(chosen)
        return sorted(chosen)

    def peek_parts(self, count: int) -> list[int]:
        """The positions ``pick_parts`` would choose at the start of a message, without spending."""
        return _ends_first(count, self.limits.max_parts)

    def skip_parts(self, count: int) -> None:
        self.parts_skipped += count

    def messages(
        self,
        items: Sequence[Any],
        read: Callable[[Any], Message | None],
        priority: Callable[[Any], bool] = _is_priority,
    ) -> list[Message]:
        """Read the selected ``items`` with ``read`` and return the messages in their original order.

        The system/developer items come first (half of ``max_messages``, more if the others leave
        slots free, from both ends), then the others alternately from both ends, newest first: the
        order the detector spends its budget in, so the character budget runs out on what it would
        reach last.
        Cost: O(len(items)) role look-ups, ``read`` called at most ``max_messages`` times.
        """
        cap = self.limits.max_messages
        flags = [priority(item) for item in items]
        system = [i for i, flag in enumerate(flags) if flag]
        others: Sequence[int] = [i for i, flag in enumerate(flags) if not flag] if system else range(len(items))
        # System text gets half the slots, or more when there are too few others to fill them.
        firsts = sorted(system[j] for j in _ends_first(len(system), max(cap // 2, cap - len(others))))
        order = firsts + [others[j] for j in _ends_first(len(others), cap - len(firsts), tail_first=True)]
        self.messages_skipped += len(items) - len(order)
        found: dict[int, Message] = {}
        for index in order:
            self.start_message(priority=flags[index])
            message = read(items[index])
            if message is not None:
                found[index] = message
        return [found[i] for i in sorted(found)]

    def system(self, read: Callable[[], str]) -> Message:
        """A top-level system text (Anthropic ``system``, Gemini ``systemInstruction``, ...)."""
        self.start_message(priority=True)
        return Message("system", read())

    def chat_message(self, item: Any) -> Message:
        """An OpenAI Chat or Anthropic message, read by the shared ``read_message`` in this budget."""
        if not isinstance(item, Mapping):
            raise UnsupportedPayloadError("a message is not an object")
        return read_message(item, self)

    def result(self, api: str, messages: Sequence[Message]) -> Extracted:
        truncated = bool(self.messages_skipped or self.parts_skipped or self.chars_cut)
        return Extracted(api, tuple(messages), truncated, self.messages_skipped, self.parts_skipped, self.chars_cut)


# Tool definitions are read for their prose only (names and descriptions), at most this many
# strings and this deep into a JSON schema: a harvesting instruction hides in a description.
_MAX_TOOL_STRINGS = 64
_MAX_TOOL_DEPTH = 8


def _tool_strings(value: object, out: list[str], depth: int = 0) -> None:
    if depth > _MAX_TOOL_DEPTH or len(out) >= _MAX_TOOL_STRINGS:
        return
    if isinstance(value, Mapping):
        for key in ("name", "description", "title"):
            text = value.get(key)
            if isinstance(text, str) and text.strip() and len(out) < _MAX_TOOL_STRINGS:
                out.append(text)
        for key, item in value.items():
            if key not in ("name", "description", "title") and isinstance(item, (Mapping, list)):
                _tool_strings(item, out, depth + 1)
    elif isinstance(value, list):
        for item in value[:_MAX_TOOL_STRINGS]:
            _tool_strings(item, out, depth + 1)


def _tool_definitions(reader: _Reader, body: Mapping[str, Any]) -> list[Message]:
    """The request's ``tools`` (OpenAI, Anthropic, Gemini shapes alike) as one developer message:
    the app's (or the caller's) own instructions to the model, scanned like a system prompt."""
    tools = body.get("tools")
    if not isinstance(tools, list) or not tools:
        return []
    strings: list[str] = []
    _tool_strings(tools, strings)
    if not strings:
        return []
    reader.start_message(priority=True)
    return [Message("developer", reader.text("\n".join(strings)))]


def _messages_list(body: Mapping[str, Any], key: str) -> list[Any]:
    value = body.get(key)
    if not isinstance(value, list):
        raise UnsupportedPayloadError(f"'{key}' must be a list")
    return value


def extract_openai_chat(body: Mapping[str, Any], *, limits: ExtractionLimits = DEFAULT_LIMITS) -> Extracted:
    """OpenAI Chat Completions: ``messages`` with string or content-part ``content``, tool calls."""
    reader = _Reader(limits)
    messages = reader.messages(_messages_list(body, "messages"), reader.chat_message)
    return reader.result("openai_chat", [*_tool_definitions(reader, body), *messages])


def extract_legacy_completions(body: Mapping[str, Any], *, limits: ExtractionLimits = DEFAULT_LIMITS) -> Extracted:
    """OpenAI legacy Completions: ``prompt`` as a string or a list of strings (token ids skipped)."""
    reader = _Reader(limits)
    prompt = body.get("prompt")
    if isinstance(prompt, str):
        prompts = [prompt]
    elif isinstance(prompt, list) and all(isinstance(p, str) for p in prompt):
        prompts = prompt
    elif isinstance(prompt, list):  # pre-tokenised prompts carry no text to scan
        prompts = []
    else:
        raise UnsupportedPayloadError("'prompt' must be a string or a list")
    messages = reader.messages(prompts, lambda p: Message("user", reader.text(p)), priority=lambda _: False)
    return reader.result("openai_completions", messages)


def extract_openai_responses(body: Mapping[str, Any], *, limits: ExtractionLimits = DEFAULT_LIMITS) -> Extracted:
    """OpenAI Responses: ``instructions`` (system) and ``input`` (a string or a list of items)."""
    reader = _Reader(limits)
    out: list[Message] = []
    instructions = body.get("instructions")
    if isinstance(instructions, str) and instructions:
        out.append(reader.system(lambda: reader.text(instructions)))

    def read(item: Any) -> Message | None:
        if isinstance(item, str):
            return Message("user", reader.text(item))
        if not isinstance(item, Mapping):
            return None
        kind = item.get("type", "message")
        if kind == "message" or "role" in item:
            return Message(message_role(item.get("role")), parts_text(item.get("content"), reader))
        if kind == "function_call_output":
            return Message("tool", reader.text(json_text(item.get("output", ""), reader)))
        if kind == "function_call":
            name, arguments = json_text(item.get("name", ""), reader), json_text(item.get("arguments", ""), reader)
            return Message("assistant", reader.text(f"{name} {arguments}"))
        return None

    items = body.get("input")
    if isinstance(items, str):
        reader.start_message(priority=False)
        out.append(Message("user", reader.text(items)))
    elif isinstance(items, list):
        out.extend(reader.messages(items, read))
    elif items is not None:
        raise UnsupportedPayloadError("'input' must be a string or a list")
    return reader.result("openai_responses", [*_tool_definitions(reader, body), *out])


def extract_anthropic_messages(body: Mapping[str, Any], *, limits: ExtractionLimits = DEFAULT_LIMITS) -> Extracted:
    """Anthropic Messages: ``system`` (string or text blocks) and ``messages`` with content blocks."""
    reader = _Reader(limits)
    out: list[Message] = []
    system = body.get("system")
    if system:
        out.append(reader.system(lambda: parts_text(system, reader)))

    out.extend(reader.messages(_messages_list(body, "messages"), reader.chat_message))
    return reader.result("anthropic", [*_tool_definitions(reader, body), *out])


def extract_gemini(body: Mapping[str, Any], *, limits: ExtractionLimits = DEFAULT_LIMITS) -> Extracted:
    """Gemini ``generateContent``: ``contents[].parts[]`` and ``systemInstruction``."""
    reader = _Reader(limits)
    out: list[Message] = []
    system = body.get("systemInstruction", body.get("system_instruction"))
    if isinstance(system, Mapping):
        out.append(reader.system(lambda: _gemini_parts(reader, system.get("parts"))))
    elif isinstance(system, str):
        out.append(reader.system(lambda: reader.text(system)))
    contents = body.get("contents")
    if isinstance(contents, Mapping):
        contents = [contents]
    if not isinstance(contents, list):
        raise UnsupportedPayloadError("'contents' must be a list")

    def read(item: Any) -> Message:
        if not isinstance(item, Mapping):
            raise UnsupportedPayloadError("a content is not an object")
        role = message_role(item.get("role"))
        role = {"model": "assistant", "function": "tool"}.get(role, role)
        return Message(role, _gemini_parts(reader, item.get("parts")))

    out.extend(reader.messages(contents, read, priority=lambda _: False))
    return reader.result("gemini", [*_tool_definitions(reader, body), *out])


def _gemini_parts(reader: _Reader, parts: object) -> str:
    if not isinstance(parts, list):
        return ""
    texts = []
    for position in reader.pick_parts(len(parts)):
        part = parts[position]
        if not isinstance(part, Mapping):
            continue
        if isinstance(part.get("text"), str):
            texts.append(reader.text(part["text"]))
        for key in ("functionCall", "functionResponse", "function_call", "function_response"):
            if key in part:
                texts.append(reader.text(json_text(part[key], reader)))
    return "\n".join(texts)


def extract_payload(
    body: bytes,
    content_type: str = "application/json",
    path: str = "",
    *,
    limits: ExtractionLimits = DEFAULT_LIMITS,
) -> Extracted:
    """Read ``body`` as whichever supported API shape it is.

    ``text/*`` bodies are one user message, decoded by BOM, else ``charset=``, else UTF-8. Any
    other body is JSON decoded as ``json.loads(bytes)`` decodes it (UTF-8 with or without BOM,
    UTF-16, UTF-32), which is what Starlette and FastAPI do. JSON bodies are recognised by their
    keys (``contents`` → Gemini; ``input``/``instructions`` → Responses; ``messages`` with
    ``system`` or an ``/messages`` path → Anthropic, else OpenAI Chat; ``prompt`` → legacy
    Completions). Raises ``UnsupportedPayloadError`` for anything else, including undecodable
    text, invalid or too deeply nested JSON. Cost: O(len(body)) to parse, then bounded by ``limits``.
    """
    if body_kind(content_type) == "text":
        reader = _Reader(limits)
        reader.start_message(priority=False)
        return reader.result("text", [Message("user", reader.text(decode_text(body, content_type)))])
    data = decode_json_bytes(body)
    if not isinstance(data, Mapping):
        raise UnsupportedPayloadError("JSON body is not an object")
    try:
        return _dispatch(data, path, limits)
    except RecursionError:  # a safety net: every recursion above is bounded by max_depth
        raise UnsupportedPayloadError("JSON nested too deeply") from None


def _dispatch(data: Mapping[str, Any], path: str, limits: ExtractionLimits) -> Extracted:
    if "contents" in data:
        return extract_gemini(data, limits=limits)
    if "input" in data or "instructions" in data:
        return extract_openai_responses(data, limits=limits)
    if "messages" in data:
        anthropic = "system" in data or is_anthropic_path(path) or _has_anthropic_blocks(data, limits)
        extract = extract_anthropic_messages if anthropic else extract_openai_chat
        return extract(data, limits=limits)
    if "prompt" in data:
        return extract_legacy_completions(data, limits=limits)
    raise UnsupportedPayloadError("no 'messages', 'prompt', 'input' or 'contents' field")


def is_anthropic_path(path: str) -> bool:
    """Anthropic's Messages API lives at ``…/messages`` (and not under OpenAI's ``/chat/``)."""
    return path.rstrip("/").endswith("/messages") and "/chat/" not in path


def _has_anthropic_blocks(data: Mapping[str, Any], limits: ExtractionLimits = DEFAULT_LIMITS) -> bool:
    # Looks at the messages and blocks extraction would read: O(max_messages × max_parts).
    messages = data.get("messages")
    if not isinstance(messages, list):
        return False
    for index in _ends_first(len(messages), limits.max_messages):
        message = messages[index]
        content = message.get("content") if isinstance(message, Mapping) else None
        if isinstance(content, list) and any(
            isinstance(content[i], Mapping) and content[i].get("type") in ("tool_use", "tool_result")
            for i in _ends_first(len(content), limits.max_parts)
        ):
            return True
    return False
