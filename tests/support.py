"""Small helpers several test modules share (fixtures live in ``conftest.py``)."""

from __future__ import annotations

from typing import Any


def chat(text: str) -> dict[str, Any]:
    """An OpenAI chat-completions body with one user message."""
    return {"model": "m", "messages": [{"role": "user", "content": text}]}
