"""The one decision-record schema: what live logs and ``querysentry replay -o`` both write.

A decision record is a flat JSON object (``decision_record``); on disk it travels inside a log
line (``log_line``), the same envelope the JSON log formatter writes for the middleware::

    {"time": "2026-12-01T10:00:00.000+00:00", "level": "INFO", "logger": "querysentry",
     "message": "querysentry decision", "querysentry": {"schema": 1, "request_id": ..., ...}}

so ``querysentry report`` and ``patterns add --from-log`` read a live log and a replay's output
alike. ``schema`` is the record's version: fields are only ever added within a version; a reader
treats a missing field as None. No prompt text is written unless ``include_text`` is asked for.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timezone
from typing import Any

from querysentry.behaviour.campaigns import CampaignMatch
from querysentry.engine.outcome import Outcome
from querysentry.verdict import ClientVerdict

__all__ = [
    "DECISION_MESSAGE",
    "LOGGER_NAME",
    "RECORD_FIELDS",
    "SCHEMA_VERSION",
    "decision_record",
    "log_line",
    "record_of",
]

DECISION_MESSAGE = "querysentry decision"
LOGGER_NAME = "querysentry"
SCHEMA_VERSION = 1
# Every field of a version-1 record, in the order written.
RECORD_FIELDS: tuple[str, ...] = (
    "schema",
    "request_id",
    "caller_request_id",
    "ts",
    "client",
    "status",
    "action",
    "would_act",
    "api",
    "flagged",
    "category",
    "score",
    "pattern_id",
    "pattern_source",
    "segment",
    "index_version",
    "latency_ms",
    "signals",
    "retry_after",
    "client_risk",
    "client_level",
    "cluster_id",
    "reasons",
    "campaign_id",
    "campaign_level",
    "campaign_members",
    "campaign_requests",
    "campaign_signature",
    "campaign_categories",
    "campaign_linkage",
    "campaign_source",
    "line",
    "label",
)


def decision_record(outcome: Outcome, *, include_text: bool = False) -> dict[str, Any]:
    """The record of one outcome; the matched text only with ``include_text``."""
    verdict = outcome.verdict
    # What matched is only reported for flagged requests: a near miss is not a finding.
    matched = verdict if verdict is not None and verdict.flagged else None
    return {
        "schema": SCHEMA_VERSION,
        "request_id": outcome.request_id,
        "caller_request_id": outcome.caller_request_id,
        "ts": round(outcome.ts, 3) if outcome.ts is not None else None,
        "client": outcome.client,
        "status": outcome.status,
        "action": outcome.action,
        "would_act": outcome.would_act,
        "api": outcome.api,
        "flagged": outcome.flagged,
        "category": outcome.category,
        "score": round(verdict.score, 4) if verdict else None,
        "pattern_id": matched.pattern_id if matched else None,
        "pattern_source": matched.source if matched else None,
        "segment": matched.segment.to_dict(include_text=include_text) if matched and matched.segment else None,
        "index_version": verdict.index_version if verdict else None,
        "latency_ms": round(outcome.latency_ms, 3),
        "signals": list(outcome.signals),
        "retry_after": outcome.retry_after,
        **_client_fields(outcome.client_verdict, outcome.campaign),
        "line": outcome.line,
        "label": outcome.label,
    }


def _client_fields(verdict: ClientVerdict | None, campaign: CampaignMatch | None) -> dict[str, Any]:
    reasons = list(verdict.reasons) if verdict is not None else []
    if campaign is not None:
        reasons.append(campaign.reason())
    fields: dict[str, Any] = {
        "client_risk": round(verdict.risk, 4) if verdict is not None else None,
        "client_level": verdict.level if verdict is not None else None,
        "cluster_id": verdict.cluster_id if verdict is not None else None,
        "reasons": reasons,
    }
    if campaign is not None:
        fields.update(campaign.to_fields())
    else:
        fields.update({name: None for name in _CAMPAIGN_FIELDS})
    return fields


_CAMPAIGN_FIELDS = (
    "campaign_id",
    "campaign_level",
    "campaign_members",
    "campaign_requests",
    "campaign_signature",
    "campaign_categories",
    "campaign_linkage",
    "campaign_source",
)


def log_line(record: Mapping[str, Any], ts: float | None = None) -> dict[str, Any]:
    """``record`` in the JSON log formatter's envelope, timed at ``ts`` (else the record's own ``ts``)."""
    when = ts if ts is not None else record.get("ts")
    moment = datetime.fromtimestamp(when, timezone.utc) if isinstance(when, (int, float)) else None
    return {
        "time": moment.isoformat(timespec="milliseconds") if moment is not None else None,
        "level": "INFO",
        "logger": LOGGER_NAME,
        "message": DECISION_MESSAGE,
        LOGGER_NAME: dict(record),
    }


def record_of(line: Any) -> Mapping[str, Any] | None:
    """The decision record inside one parsed log line, or None when the line is something else
    (a shared log also holds the application's own lines)."""
    if not isinstance(line, dict) or line.get("message") != DECISION_MESSAGE:
        return None
    fields = line.get(LOGGER_NAME)
    return fields if isinstance(fields, dict) else None
