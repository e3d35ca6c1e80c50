"""Replay records: one client's request as one line of the replay format, plus its network headers.

A line is ``{"ts", "client", "payload", "path", "label", "headers"}`` (see ``querysentry.replay``);
``label`` is ``{"scenario", "campaign", "campaign_request"}`` (``campaign`` is "benign" for honest
traffic) and ``headers`` holds lowercase header names a front proxy passes on.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

__all__ = ["BENIGN", "Client", "Request", "label", "new_key", "record"]

BENIGN = "benign"
PATHS = {"chat": "/v1/chat/completions", "anthropic": "/v1/messages", "responses": "/v1/responses"}
MODELS = {
    "chat": ["gpt-4.1", "gpt-4.1-mini", "gpt-4o", "o4-mini"],
    "anthropic": ["claude-sonnet-4-5", "claude-haiku-4-5", "claude-opus-4-1"],
    "responses": ["gpt-5", "gpt-5-mini"],
}


@dataclass(frozen=True)
class Client:
    """One API key as the gateway sees it: its API shape, model, User-Agent and source addresses."""

    key: str
    api: str
    model: str
    user_agent: str
    ips: Sequence[str]
    rotate: bool = False  # a new address from ``ips`` on every request (a proxy pool)
    extra_headers: dict[str, str] = field(default_factory=dict)

    def headers(self, rng: random.Random) -> dict[str, str]:
        if self.rotate:
            ip = rng.choice(self.ips)
        else:  # a person's address, now and then their phone's
            ip = self.ips[0] if len(self.ips) == 1 or rng.random() < 0.85 else rng.choice(self.ips[1:])
        return {"user-agent": self.user_agent, "x-forwarded-for": ip, **self.extra_headers}


@dataclass(frozen=True)
class Request:
    """What one request says: the turns (role/content dicts), an optional system prompt and tools."""

    turns: Sequence[dict[str, Any]]
    system: str | None = None
    tools: Sequence[dict[str, Any]] | None = None
    end_user: str | None = None  # the OpenAI ``user`` field apps set for their own users

    @classmethod
    def user(cls, text: str, system: str | None = None) -> Request:
        return cls(turns=({"role": "user", "content": text},), system=system)


def new_key(rng: random.Random, prefix: str = "sk-") -> str:
    return f"{prefix}{rng.getrandbits(96):024x}"


def label(scenario: str, campaign: str, campaign_request: bool) -> dict[str, Any]:
    return {"scenario": scenario, "campaign": campaign, "campaign_request": campaign_request}


def _payload(client: Client, request: Request) -> dict[str, Any]:
    turns = [dict(t) for t in request.turns]
    if client.api == "anthropic":
        body: dict[str, Any] = {"model": client.model, "max_tokens": 1024, "messages": turns}
        if request.system:
            body["system"] = request.system
        return body
    if client.api == "responses":
        body = {"model": client.model, "input": turns}
        if request.system:
            body["instructions"] = request.system
        return body
    system = [{"role": "system", "content": request.system}] if request.system else []
    body = {"model": client.model, "messages": system + turns}
    if request.tools:
        body["tools"] = [dict(t) for t in request.tools]
        body["tool_choice"] = "auto"
    if request.end_user:
        body["user"] = request.end_user
    return body


def record(ts: float, client: Client, request: Request, tag: dict[str, Any], rng: random.Random) -> dict[str, Any]:
    """One replay line."""
    return {
        "ts": round(ts, 3),
        "client": client.key,
        "payload": _payload(client, request),
        "path": PATHS[client.api],
        "label": tag,
        "headers": client.headers(rng),
    }
