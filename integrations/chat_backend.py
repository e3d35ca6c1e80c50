"""A canned OpenAI-compatible chat model for the demo apps: it echoes, it does not think.

Shared by the FastAPI and Starlette examples so that they differ only in how they wire
QuerySentry in. ``stream=True`` answers as Server-Sent Events, one word per chunk. A body that is
not a JSON chat request is answered 400 in the called API's error shape (not a 500 from
``request.json()``).
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import AsyncIterator
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse

from querysentry.asgi.refusal import error_response


async def read_chat_body(request: Request) -> dict[str, Any] | None:
    """The body as a JSON object with a ``messages`` list, or None if it is not one."""
    try:
        body = await request.json()
    except ValueError:  # json.JSONDecodeError and UnicodeDecodeError (a body that is not UTF-8) alike
        return None
    if not isinstance(body, dict) or not isinstance(body.get("messages", []), list):
        return None
    return body


def bad_request(request: Request) -> JSONResponse:
    """400 in the called API's shape, under QuerySentry's request id when the request was scanned."""
    outcome = getattr(request.state, "querysentry", None)
    request_id = outcome.request_id if outcome is not None else uuid.uuid4().hex
    return error_response(request.url.path, 400, request_id=request_id)


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
