"""Payload extraction: the API shape of a request body → chat messages with roles. Pure.

One function per API shape, and a dispatcher that picks by content type and by the keys the body
carries (paths differ between deployments, so they are only a tie-breaker). Text that is not an
instruction to the model (images, audio, tool *definitions*) is skipped; tool calls and tool results
are kept, because agent-trace harvesting lives there. Assistant/model turns are returned with their
role so that the detector can leave them unscanned.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from querysentry.errors import UnsupportedPayloadError
from querysentry.messages import Message

__all__ = [
    "Extracted",
    "UnsupportedPayloadError",
    "extract_anthropic_messages",
    "extract_gemini",
    "extract_legacy_completions",
    "extract_openai_chat",
    "extract_openai_responses",
    "extract_payload",
    "is_anthropic_path",
]


@dataclass(frozen=True)
class Extracted:
    """The messages found in a request body and the API shape they were read as."""

    api: str  # "openai_chat" | "openai_completions" | "openai_responses" | "anthropic" | "gemini" | "text"
    messages: tuple[Message, ...]


def _text_of_parts(content: object) -> str:
    """Join the text of OpenAI / Anthropic / Responses content parts; skip non-text parts."""
    if content is None:
        return ""
    if isinstance(content, str):
        return content
    if isinstance(content, Mapping):
        content = [content]
    if not isinstance(content, Sequence):
        raise UnsupportedPayloadError(f"content of type {type(content).__name__}")
    texts: list[str] = []
    for part in content:
        if isinstance(part, str):
            texts.append(part)
        elif isinstance(part, Mapping):
            kind = part.get("type")
            if isinstance(part.get("text"), str):  # text, input_text, output_text
                texts.append(part["text"])
            elif kind == "tool_use" and "input" in part:  # Anthropic tool call
                texts.append(_compact(part["input"]))
            elif kind == "tool_result":  # Anthropic tool result: string or blocks
                texts.append(_text_of_parts(part.get("content")))
    return "\n".join(t for t in texts if t)


def _compact(value: object) -> str:
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, sort_keys=True)


def _messages_list(body: Mapping[str, Any], key: str) -> list[Any]:
    value = body.get(key)
    if not isinstance(value, list):
        raise UnsupportedPayloadError(f"'{key}' must be a list")
    return value


def extract_openai_chat(body: Mapping[str, Any]) -> Extracted:
    """OpenAI Chat Completions: ``messages`` with string or content-part ``content``, tool calls."""
    out: list[Message] = []
    for item in _messages_list(body, "messages"):
        if not isinstance(item, Mapping):
            raise UnsupportedPayloadError("a message is not an object")
        role = str(item.get("role", "user"))
        text = _text_of_parts(item.get("content"))
        calls = item.get("tool_calls")
        if isinstance(calls, list):  # assistant tool calls: name + arguments
            for call in calls:
                function = call.get("function", {}) if isinstance(call, Mapping) else {}
                text = "\n".join(t for t in (text, f"{function.get('name', '')} {function.get('arguments', '')}") if t)
        out.append(Message(role, text))
    return Extracted("openai_chat", tuple(out))


def extract_legacy_completions(body: Mapping[str, Any]) -> Extracted:
    """OpenAI legacy Completions: ``prompt`` as a string or a list of strings (token ids skipped)."""
    prompt = body.get("prompt")
    if isinstance(prompt, str):
        prompts = [prompt]
    elif isinstance(prompt, list) and all(isinstance(p, str) for p in prompt):
        prompts = list(prompt)
    elif isinstance(prompt, list):  # pre-tokenised prompts carry no text to scan
        prompts = []
    else:
        raise UnsupportedPayloadError("'prompt' must be a string or a list")
    return Extracted("openai_completions", tuple(Message("user", p) for p in prompts))


def extract_openai_responses(body: Mapping[str, Any]) -> Extracted:
    """OpenAI Responses: ``instructions`` (system) and ``input`` (a string or a list of items)."""
    out: list[Message] = []
    instructions = body.get("instructions")
    if isinstance(instructions, str) and instructions:
        out.append(Message("system", instructions))
    items = body.get("input")
    if isinstance(items, str):
        out.append(Message("user", items))
    elif isinstance(items, list):
        for item in items:
            if isinstance(item, str):
                out.append(Message("user", item))
            elif isinstance(item, Mapping):
                kind = item.get("type", "message")
                if kind == "message" or "role" in item:
                    out.append(Message(str(item.get("role", "user")), _text_of_parts(item.get("content"))))
                elif kind == "function_call_output":
                    out.append(Message("tool", _compact(item.get("output", ""))))
                elif kind == "function_call":
                    out.append(Message("assistant", f"{item.get('name', '')} {item.get('arguments', '')}"))
    elif items is not None:
        raise UnsupportedPayloadError("'input' must be a string or a list")
    return Extracted("openai_responses", tuple(out))


def extract_anthropic_messages(body: Mapping[str, Any]) -> Extracted:
    """Anthropic Messages: ``system`` (string or text blocks) and ``messages`` with content blocks."""
    out: list[Message] = []
    system = body.get("system")
    if system:
        out.append(Message("system", _text_of_parts(system)))
    for item in _messages_list(body, "messages"):
        if not isinstance(item, Mapping):
            raise UnsupportedPayloadError("a message is not an object")
        role = str(item.get("role", "user"))
        content = item.get("content")
        blocks = content if isinstance(content, list) else [content]
        # A user turn that only returns tool results is the tool speaking, not the user.
        if role == "user" and blocks and all(isinstance(b, Mapping) and b.get("type") == "tool_result" for b in blocks):
            role = "tool"
        out.append(Message(role, _text_of_parts(content)))
    return Extracted("anthropic", tuple(out))


def extract_gemini(body: Mapping[str, Any]) -> Extracted:
    """Gemini ``generateContent``: ``contents[].parts[]`` and ``systemInstruction``."""
    out: list[Message] = []
    system = body.get("systemInstruction", body.get("system_instruction"))
    if isinstance(system, Mapping):
        out.append(Message("system", _gemini_parts(system.get("parts"))))
    elif isinstance(system, str):
        out.append(Message("system", system))
    contents = body.get("contents")
    if isinstance(contents, Mapping):
        contents = [contents]
    if not isinstance(contents, list):
        raise UnsupportedPayloadError("'contents' must be a list")
    for item in contents:
        if not isinstance(item, Mapping):
            raise UnsupportedPayloadError("a content is not an object")
        role = {"model": "assistant", "function": "tool"}.get(
            str(item.get("role", "user")), str(item.get("role", "user"))
        )
        out.append(Message(role, _gemini_parts(item.get("parts"))))
    return Extracted("gemini", tuple(out))


def _gemini_parts(parts: object) -> str:
    if not isinstance(parts, list):
        return ""
    texts = []
    for part in parts:
        if not isinstance(part, Mapping):
            continue
        if isinstance(part.get("text"), str):
            texts.append(part["text"])
        for key in ("functionCall", "functionResponse", "function_call", "function_response"):
            if key in part:
                texts.append(_compact(part[key]))
    return "\n".join(texts)


def extract_payload(body: bytes, content_type: str = "application/json", path: str = "") -> Extracted:
    """Read ``body`` as whichever supported API shape it is.

    ``text/plain`` bodies are one user message. JSON bodies are recognised by their keys
    (``contents`` → Gemini; ``input``/``instructions`` → Responses; ``messages`` with ``system``
    or an ``/messages`` path → Anthropic, else OpenAI Chat; ``prompt`` → legacy Completions).
    Raises ``UnsupportedPayloadError`` for anything else, including invalid UTF-8 or JSON.
    """
    media_type = content_type.split(";", 1)[0].strip().lower()
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise UnsupportedPayloadError("body is not UTF-8") from None
    if media_type.startswith("text/"):
        return Extracted("text", (Message("user", text),))
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise UnsupportedPayloadError(f"invalid JSON: {exc.msg}") from None
    if not isinstance(data, Mapping):
        raise UnsupportedPayloadError("JSON body is not an object")
    if "contents" in data:
        return extract_gemini(data)
    if "input" in data or "instructions" in data:
        return extract_openai_responses(data)
    if "messages" in data:
        anthropic = "system" in data or is_anthropic_path(path) or _has_anthropic_blocks(data)
        return extract_anthropic_messages(data) if anthropic else extract_openai_chat(data)
    if "prompt" in data:
        return extract_legacy_completions(data)
    raise UnsupportedPayloadError("no 'messages', 'prompt', 'input' or 'contents' field")


def is_anthropic_path(path: str) -> bool:
    """Anthropic's Messages API lives at ``…/messages`` (and not under OpenAI's ``/chat/``)."""
    return path.rstrip("/").endswith("/messages") and "/chat/" not in path


def _has_anthropic_blocks(data: Mapping[str, Any]) -> bool:
    messages = data.get("messages")
    if not isinstance(messages, list):
        return False
    for message in messages:
        content = message.get("content") if isinstance(message, Mapping) else None
        if isinstance(content, list) and any(
            isinstance(b, Mapping) and b.get("type") in ("tool_use", "tool_result") for b in content
        ):
            return True
    return False
