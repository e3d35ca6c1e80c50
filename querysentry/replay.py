"""Offline replay: the full pipeline over recorded traffic, at full speed.

A traffic file is JSON Lines, one request per line::

    {"ts": 1767225600.0, "client": "key-17", "payload": {"model": "m", "messages": [...]},
     "path": "/v1/chat/completions", "label": "campaign"}

``ts`` is seconds since the epoch (or an ISO 8601 string); ``client`` the client key as the
middleware would see it (hashed or not, it is only compared); ``payload`` a request body in any
supported API shape (or ``text``, a bare prompt); ``path`` and ``label`` are optional. Requests are
decided by the same engine as live traffic (``querysentry.engine``), in batches (one encoder call
per batch), and fed to the behaviour layer in timestamp order, so a replay sees what the
middleware would have seen, minus the network. Each result carries the same decision record a
live log does.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import AsyncIterator, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Literal

from querysentry.asgi.features import ClientFeatures
from querysentry.asgi.identity import ClientIdentity
from querysentry.behaviour.campaigns import CampaignTracker
from querysentry.behaviour.tracker import BehaviourTracker
from querysentry.detector import Detector
from querysentry.engine.config import EngineConfig
from querysentry.engine.engine import Engine
from querysentry.engine.outcome import Outcome
from querysentry.engine.record import decision_record
from querysentry.engine.request import Request
from querysentry.errors import InputError, UnsupportedPayloadError
from querysentry.extract import extract_payload
from querysentry.jsonl import read_jsonl
from querysentry.messages import Message
from querysentry.policy import level_rank
from querysentry.verdict import Action, ClientVerdict, Verdict

__all__ = [
    "ClientSummary",
    "ReplayResult",
    "TrafficRecord",
    "parse_record",
    "read_traffic",
    "replay",
    "replay_engine",
]


@dataclass(frozen=True)
class TrafficRecord:
    line: int
    ts: float
    client: str
    messages: tuple[Message, ...]
    label: Any = None
    api: str | None = None
    features: tuple[str, ...] = ()


# Replayed traffic is linked as live traffic is (``querysentry.asgi.features``), from the
# record's optional ``headers``; the address is the first ``x-forwarded-for`` hop, as recorded.
_REPLAY_FEATURES = ClientFeatures(ClientIdentity(trusted_proxies=("0.0.0.0/0", "::/0"), salt=b"querysentry-replay"))


def _features(headers: Any) -> tuple[str, ...]:
    if not isinstance(headers, dict) or not headers:
        return ()
    raw = [
        (str(k).lower().encode("latin-1", "replace"), str(v).encode("latin-1", "replace"))
        for k, v in list(headers.items())[:32]
    ]
    return _REPLAY_FEATURES({"type": "http", "client": ("0.0.0.0", 0), "headers": raw})


@dataclass(frozen=True)
class ReplayResult:
    """One replayed request and the engine's outcome for it (what enforce mode would do)."""

    record: TrafficRecord
    outcome: Outcome

    @property
    def verdict(self) -> Verdict | None:
        return self.outcome.verdict

    @property
    def client(self) -> ClientVerdict | None:
        return self.outcome.client_verdict

    @property
    def action(self) -> str:
        return self.outcome.action

    def to_dict(self) -> dict[str, Any]:
        """The decision record (``querysentry.engine.record``), as live logs carry it."""
        return decision_record(self.outcome)


@dataclass
class ClientSummary:
    """One client over the whole replay: when it was first flagged (as a client), and why."""

    client: str
    requests: int = 0
    flagged_requests: int = 0
    labels: dict[str, int] = field(default_factory=dict)
    first_flagged_at: float | None = None
    first_flagged_request: int | None = None  # its n-th request (1-based)
    max_risk: float = 0.0
    max_level: str = "ok"
    reasons: tuple[str, ...] = ()
    cluster_id: str | None = None

    def add(self, result: ReplayResult) -> None:
        self.requests += 1
        self.flagged_requests += int(result.outcome.flagged)
        if result.record.label is not None:
            label = str(result.record.label)
            self.labels[label] = self.labels.get(label, 0) + 1
        verdict = result.client
        if verdict is None:  # client behaviour off, or it failed for this request
            return
        if verdict.level != "ok" and self.first_flagged_at is None:
            self.first_flagged_at, self.first_flagged_request = result.record.ts, self.requests
            self.reasons = verdict.reasons
        if verdict.risk > self.max_risk:
            self.max_risk = verdict.risk
            if self.first_flagged_at is None:
                self.reasons = verdict.reasons
        if level_rank(verdict.level) > level_rank(self.max_level):
            self.max_level = verdict.level
        if verdict.cluster_id is not None:
            self.cluster_id = verdict.cluster_id

    def to_dict(self) -> dict[str, Any]:
        return {
            "client": self.client,
            "requests": self.requests,
            "flagged_requests": self.flagged_requests,
            "labels": self.labels,
            "flagged": self.first_flagged_at is not None,
            "first_flagged_at": self.first_flagged_at,
            "first_flagged_request": self.first_flagged_request,
            "max_risk": round(self.max_risk, 4),
            "max_level": self.max_level,
            "cluster_id": self.cluster_id,
            "reasons": list(self.reasons),
        }


def _timestamp(value: Any) -> float:
    if isinstance(value, bool):
        raise ValueError("'ts' must be a number or an ISO 8601 string")
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, str):
        try:
            return datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp()
        except ValueError:
            raise ValueError(f"'ts' is not an ISO 8601 time: {value!r}") from None
    raise ValueError("'ts' must be a number or an ISO 8601 string")


def parse_record(value: Any, line: int, where: str = "<traffic>") -> TrafficRecord:
    """One traffic line as a record; ``InputError`` naming ``where:line`` when it is not one."""

    def bad(reason: str) -> InputError:
        return InputError(f"{where}:{line}: {reason}")

    if not isinstance(value, dict):
        raise bad("a line must be a JSON object")
    try:
        ts = _timestamp(value.get("ts"))
    except ValueError as exc:
        raise bad(str(exc)) from None
    client = value.get("client")
    if not isinstance(client, str) or not client:
        raise bad("'client' must be a non-empty string")
    if "payload" in value:
        path = value.get("path", "")
        if not isinstance(path, str):
            raise bad("'path' must be a string")
        try:
            extracted = extract_payload(json.dumps(value["payload"]).encode("utf-8"), "application/json", path)
        except UnsupportedPayloadError as exc:
            raise bad(f"unsupported payload: {exc}") from None
        features = _features(value.get("headers"))
        return TrafficRecord(line, ts, client, extracted.messages, value.get("label"), extracted.api, features)
    if isinstance(value.get("text"), str):
        message = (Message("user", value["text"]),)
        return TrafficRecord(line, ts, client, message, value.get("label"), "text", _features(value.get("headers")))
    raise bad("needs 'payload' (a request body) or 'text'")


def read_traffic(path: Path) -> Iterator[TrafficRecord]:
    """Stream the records of a traffic file; stops with ``InputError`` at the first bad line."""
    for number, value in read_jsonl(path):
        yield parse_record(value, number, str(path))


def replay_engine(
    detector: Detector,
    tracker: BehaviourTracker | None,
    *,
    actions: Mapping[str, Action] | None = None,
    campaigns: CampaignTracker | Literal["auto", "shared"] | None = "auto",
) -> Engine:
    """The engine a replay decides with: enforce mode (so each action is what enforce would do),
    no rate limiter (a replay runs at full speed on recorded time), no index watching, no
    repeat cache (every record is scanned). ``campaigns`` as for ``Engine`` (a tracker: its rule)."""
    config = EngineConfig(mode="enforce", actions=dict(actions or {}), repeat_cache=0)
    return Engine(config, detector=detector, behaviour=tracker, throttle=None, watch_index=None, campaigns=campaigns)


def _request(record: TrafficRecord, ts: float) -> Request:
    return Request(
        f"replay-{record.line}",
        record.client,
        messages=record.messages,
        api=record.api,
        time=ts,
        features=record.features,
        line=record.line,
        label=record.label,
    )


async def replay(records: Iterable[TrafficRecord], engine: Engine, *, batch: int = 64) -> AsyncIterator[ReplayResult]:
    """Decide ``records`` with ``engine`` in batches (one encoder call each); yield in order.

    Records should come in timestamp order (a log usually does); one that is older than a record
    before it is counted at the latest time seen, since behaviour counters never run backwards.
    Memory stays bounded by ``batch`` records, whatever the file's size.
    """
    latest = float("-inf")
    iterator = iter(records)
    while True:
        pending = list(itertools.islice(iterator, batch))
        if not pending:
            return
        requests = []
        for record in pending:
            latest = max(latest, record.ts)
            requests.append(_request(record, latest))
        for record, outcome in zip(pending, await engine.decide_many(requests)):
            yield ReplayResult(record, outcome)
