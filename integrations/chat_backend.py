"""A canned OpenAI-compatible chat model for the demo apps: it echoes, it does not think.

Shared by the FastAPI and Starlette examples so that they differ only in how they wire
QuerySentry in. ``stream=True`` answers as Server-Sent Events, one word per chunk.
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import AsyncIterator
from typing import Any


def last_user_text(body: dict[str, Any]) -> str:
    for message in reversed(body.get("messages", [])):
        if isinstance(message, dict) and message.get("role") == "user":
            content = message.get("content")
            if isinstance(content, str):
                return content
            if isinstance(content, list):
                return " ".join(p.get("text", "") for p in content if isinstance(p, dict))
    return ""


def completion(body: dict[str, Any], note: str) -> dict[str, Any]:
    text = f"(echo) {last_user_text(body)[:200]}"
    return {
        "id": f"chatcmpl-{uuid.uuid4().hex[:12]}",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": body.get("model", "echo"),
        "choices": [{"index": 0, "message": {"role": "assistant", "content": text}, "finish_reason": "stop"}],
        "querysentry": note,
    }


async def stream(body: dict[str, Any]) -> AsyncIterator[bytes]:
    for word in f"(echo) {last_user_text(body)[:200]}".split():
        chunk = {"object": "chat.completion.chunk", "choices": [{"index": 0, "delta": {"content": word + " "}}]}
        yield f"data: {json.dumps(chunk)}\n\n".encode()
    yield b"data: [DONE]\n\n"
