"""Realistic response bodies and event streams of each API shape, written for these tests.

Each stream builder takes the answer's text pieces and the reasoning's pieces and returns the
events' bytes (one ``bytes`` per event), the way the providers frame them.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any


def sse(obj: Any, *, event: str | None = None, newline: bytes = b"\n") -> bytes:
    head = b"event: " + event.encode() + newline if event else b""
    return head + b"data: " + json.dumps(obj).encode() + newline + newline


def joined(events: Sequence[bytes]) -> bytes:
    return b"".join(events)


# -- OpenAI chat completions ---------------------------------------------------------------------


def chat_chunk(delta: dict[str, Any], *, finish: str | None = None, index: int = 0) -> dict[str, Any]:
    return {
        "id": "chatcmpl-7",
        "object": "chat.completion.chunk",
        "created": 1_760_000_000,
        "model": "reasoner-1",
        "system_fingerprint": None,
        "choices": [{"index": index, "delta": delta, "logprobs": None, "finish_reason": finish}],
    }


def chat_stream(text: Sequence[str], reasoning: Sequence[str] = (), *, field: str = "reasoning_content",
                usage: bool = True) -> list[bytes]:  # fmt: skip
    events = [sse(chat_chunk({"role": "assistant", "content": ""}))]
    events += [sse(chat_chunk({"content": None, field: piece})) for piece in reasoning]
    events += [sse(chat_chunk({"content": piece})) for piece in text]
    events.append(sse(chat_chunk({}, finish="stop")))
    if usage:
        usage_chunk = chat_chunk({})
        usage_chunk["choices"] = []
        usage_chunk["usage"] = {"prompt_tokens": 20, "completion_tokens": 30, "total_tokens": 50}
        events.append(sse(usage_chunk))
    events.append(b"data: [DONE]\n\n")
    return events


def chat_body(text: str, reasoning: str | None = None, *, field: str = "reasoning_content") -> dict[str, Any]:
    message: dict[str, Any] = {"role": "assistant", "content": text}
    if reasoning is not None:
        message[field] = reasoning
    return {
        "id": "chatcmpl-8",
        "object": "chat.completion",
        "created": 1_760_000_000,
        "model": "reasoner-1",
        "choices": [{"index": 0, "message": message, "logprobs": None, "finish_reason": "stop"}],
        "usage": {"prompt_tokens": 20, "completion_tokens": 30, "total_tokens": 50},
    }


# -- OpenAI Responses ----------------------------------------------------------------------------


def _response(status: str, output: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "id": "resp_1",
        "object": "response",
        "created_at": 1_760_000_000,
        "status": status,
        "model": "reasoner-1",
        "output": output,
        "parallel_tool_calls": True,
        "tool_choice": "auto",
        "tools": [],
        "usage": None
        if status != "completed"
        else {
            "input_tokens": 20,
            "output_tokens": 30,
            "total_tokens": 50,
            "input_tokens_details": {"cached_tokens": 0},
            "output_tokens_details": {"reasoning_tokens": 12},
        },
    }


def responses_items(text: str, reasoning: str | None) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    if reasoning is not None:
        items.append({
            "id": "rs_1", "type": "reasoning", "summary": [{"type": "summary_text", "text": reasoning}],
            "encrypted_content": "gAAAAB-opaque",
        })  # fmt: skip
    items.append({
        "id": "msg_1", "type": "message", "role": "assistant", "status": "completed",
        "content": [{"type": "output_text", "text": text, "annotations": [], "logprobs": []}],
    })  # fmt: skip
    return items


def responses_body(text: str, reasoning: str | None = None) -> dict[str, Any]:
    return _response("completed", responses_items(text, reasoning))


def responses_stream(text: Sequence[str], reasoning: Sequence[str] = ()) -> list[bytes]:
    events: list[dict[str, Any]] = [
        {"type": "response.created", "response": _response("in_progress", [])},
        {"type": "response.in_progress", "response": _response("in_progress", [])},
    ]
    index = 0
    if reasoning:
        whole = "".join(reasoning)
        events += [
            {"type": "response.output_item.added", "output_index": 0,
             "item": {"id": "rs_1", "type": "reasoning", "summary": []}},
            {"type": "response.reasoning_summary_part.added", "item_id": "rs_1", "output_index": 0,
             "summary_index": 0, "part": {"type": "summary_text", "text": ""}},
            *({"type": "response.reasoning_summary_text.delta", "item_id": "rs_1", "output_index": 0,
               "summary_index": 0, "delta": piece} for piece in reasoning),
            {"type": "response.reasoning_summary_text.done", "item_id": "rs_1", "output_index": 0,
             "summary_index": 0, "text": whole},
            {"type": "response.reasoning_summary_part.done", "item_id": "rs_1", "output_index": 0,
             "summary_index": 0, "part": {"type": "summary_text", "text": whole}},
            {"type": "response.output_item.done", "output_index": 0, "item": responses_items("", whole)[0]},
        ]  # fmt: skip
        index = 1
    full = "".join(text)
    message = {"id": "msg_1", "type": "message", "role": "assistant", "status": "in_progress", "content": []}
    events += [
        {"type": "response.output_item.added", "output_index": index, "item": message},
        {"type": "response.content_part.added", "item_id": "msg_1", "output_index": index, "content_index": 0,
         "part": {"type": "output_text", "text": "", "annotations": []}},
        *({"type": "response.output_text.delta", "item_id": "msg_1", "output_index": index, "content_index": 0,
           "delta": piece, "logprobs": []} for piece in text),
        {"type": "response.output_text.done", "item_id": "msg_1", "output_index": index, "content_index": 0,
         "text": full, "logprobs": []},
        {"type": "response.content_part.done", "item_id": "msg_1", "output_index": index, "content_index": 0,
         "part": {"type": "output_text", "text": full, "annotations": []}},
        {"type": "response.output_item.done", "output_index": index,
         "item": responses_items(full, None)[0]},
        {"type": "response.completed",
         "response": _response("completed", responses_items(full, "".join(reasoning) if reasoning else None))},
    ]  # fmt: skip
    for number, event in enumerate(events):
        event["sequence_number"] = number
    return [sse(event, event=event["type"]) for event in events]


# -- Anthropic Messages --------------------------------------------------------------------------


def _message(content: list[dict[str, Any]], stop: str | None) -> dict[str, Any]:
    return {
        "id": "msg_01", "type": "message", "role": "assistant", "model": "claude-test", "content": content,
        "stop_reason": stop, "stop_sequence": None, "usage": {"input_tokens": 20, "output_tokens": 30},
    }  # fmt: skip


def anthropic_body(text: str, thinking: str | None = None, *, redacted: bool = False) -> dict[str, Any]:
    content: list[dict[str, Any]] = []
    if thinking is not None:
        content.append({"type": "thinking", "thinking": thinking, "signature": "sig-abc"})
    if redacted:
        content.append({"type": "redacted_thinking", "data": "opaque-bytes"})
    content.append({"type": "text", "text": text})
    return _message(content, "end_turn")


def anthropic_stream(text: Sequence[str], thinking: Sequence[str] = (), *, redacted: bool = False,
                     tool: bool = False) -> list[bytes]:  # fmt: skip
    events: list[dict[str, Any]] = [{"type": "message_start", "message": _message([], None)}]
    index = 0
    if thinking:
        events.append({"type": "content_block_start", "index": index,
                       "content_block": {"type": "thinking", "thinking": "", "signature": ""}})  # fmt: skip
        events += [{"type": "content_block_delta", "index": index, "delta": {"type": "thinking_delta", "thinking": p}}
                   for p in thinking]  # fmt: skip
        events.append({"type": "content_block_delta", "index": index,
                       "delta": {"type": "signature_delta", "signature": "sig-abc"}})  # fmt: skip
        events.append({"type": "content_block_stop", "index": index})
        index += 1
    if redacted:
        events.append({"type": "content_block_start", "index": index,
                       "content_block": {"type": "redacted_thinking", "data": "opaque-bytes"}})  # fmt: skip
        events.append({"type": "content_block_stop", "index": index})
        index += 1
    events.append({"type": "content_block_start", "index": index, "content_block": {"type": "text", "text": ""}})
    events += [{"type": "content_block_delta", "index": index, "delta": {"type": "text_delta", "text": p}}
               for p in text]  # fmt: skip
    events.append({"type": "content_block_stop", "index": index})
    if tool:
        index += 1
        tool_block = {"type": "tool_use", "id": "toolu_1", "name": "lookup", "input": {}}
        events.append({"type": "content_block_start", "index": index, "content_block": tool_block})
        events.append({"type": "content_block_delta", "index": index,
                       "delta": {"type": "input_json_delta", "partial_json": '{"city": "Oslo"}'}})  # fmt: skip
        events.append({"type": "content_block_stop", "index": index})
    stop = {"stop_reason": "tool_use" if tool else "end_turn", "stop_sequence": None}
    events.append({"type": "message_delta", "delta": stop, "usage": {"output_tokens": 30}})
    events.append({"type": "message_stop"})
    return [sse(event, event=event["type"]) for event in events]


# -- Gemini --------------------------------------------------------------------------------------


def gemini_chunk(parts: list[dict[str, Any]], *, finish: str | None = None) -> dict[str, Any]:
    candidate: dict[str, Any] = {"content": {"role": "model", "parts": parts}, "index": 0}
    if finish:
        candidate["finishReason"] = finish
    return {"candidates": [candidate], "usageMetadata": {"promptTokenCount": 20}, "modelVersion": "gemini-test"}


def gemini_stream(text: Sequence[str], thoughts: Sequence[str] = ()) -> list[bytes]:
    chunks = [gemini_chunk([{"text": piece, "thought": True}]) for piece in thoughts]
    chunks += [gemini_chunk([{"text": piece}]) for piece in text]
    if chunks:
        chunks[-1]["candidates"][0]["finishReason"] = "STOP"
    return [sse(chunk, newline=b"\r\n") for chunk in chunks]


def gemini_body(text: str, thought: str | None = None) -> dict[str, Any]:
    parts: list[dict[str, Any]] = []
    if thought is not None:
        parts.append({"text": thought, "thought": True})
    parts.append({"text": text})
    return gemini_chunk(parts, finish="STOP")


def pieces(text: str, size: int = 5) -> list[str]:
    """``text`` as streamed pieces of ``size`` characters."""
    return [text[start : start + size] for start in range(0, len(text), size)]


def rewrite(plan: Any, data: bytes, *, size: int | None = None) -> bytes:
    """``data`` through a fresh ``StreamRewriter`` for ``plan``, fed ``size`` bytes at a time."""
    from querysentry.countermeasures import StreamRewriter, response_filters

    rewriter = StreamRewriter(response_filters(plan), plan.limits)
    step = size or len(data) or 1
    out = [rewriter.feed(data[start : start + step]) for start in range(0, len(data), step)]
    return b"".join(out) + rewriter.close()


def events_of(data: bytes) -> list[dict[str, Any]]:
    """The JSON objects of an SSE stream's data lines, in order ([DONE] left out)."""
    out = []
    for block in data.replace(b"\r\n", b"\n").split(b"\n\n"):
        lines = [line[6:] for line in block.split(b"\n") if line.startswith(b"data: ")]
        if lines and lines[0] != b"[DONE]":
            out.append(json.loads(b"\n".join(lines)))
    return out
