"""The outcome of one decision, and the context variable that carries it through a request."""

from __future__ import annotations

import contextvars
from dataclasses import dataclass
from typing import Any, Literal

from querysentry.behaviour.campaigns import CampaignMatch
from querysentry.verdict import Action, ClientVerdict, Verdict

__all__ = ["SCANNED", "UNSCANNED_STATUSES", "Outcome", "Status", "current_outcome"]

Status = Literal[
    "scanned", "oversize", "unsupported", "timeout", "error", "allow_list", "deny_list", "disconnected"
]
SCANNED: Status = "scanned"
# Statuses of requests whose text nobody read: they follow the ``unscanned`` policy.
UNSCANNED_STATUSES: frozenset[str] = frozenset({"oversize", "unsupported", "timeout", "error"})


@dataclass(frozen=True)
class Outcome:
    """What QuerySentry concluded about one request (``request.state.querysentry``).

    ``status`` says whether it was scanned (``scanned``) or why not (``oversize``, ``unsupported``,
    ``timeout``, ``error``, ``allow_list``, ``deny_list``, ``disconnected``). ``action`` is what was
    done: ``allow``, ``tag``, ``throttle`` or ``block`` (in ``shadow`` mode always ``allow``).
    ``request_id`` is always QuerySentry's own; a caller's id (``X-Request-ID``), when the validator
    accepts it, is kept apart as ``caller_request_id``. ``signals`` names request-level signs
    outside the text (``identity_conflict``, ``truncated``). ``retry_after`` is the wait, in
    seconds, of a throttled request. ``ts`` is the decision's time (seconds since the epoch: the
    request's own time in a replay). ``line`` and ``label`` come from a replayed traffic file.
    ``conversation``: the digest under which ``Engine.answered`` records what was answered.
    """

    request_id: str
    client: str
    status: str
    action: Action
    verdict: Verdict | None = None
    latency_ms: float = 0.0
    api: str | None = None
    would_act: Action | None = None  # in shadow/tag mode: what enforce mode would have done
    client_verdict: ClientVerdict | None = None  # the client's standing across its requests
    caller_request_id: str | None = None
    signals: tuple[str, ...] = ()
    retry_after: int | None = None
    campaign: CampaignMatch | None = None  # the campaign this request's instruction belongs to
    # The digest of the request's conversation (``behaviour.history``), for ``Engine.answered``;
    # never logged: it is not in the decision record.
    conversation: bytes | None = None
    ts: float | None = None
    line: int | None = None
    label: Any = None

    @property
    def flagged(self) -> bool:
        return self.verdict is not None and self.verdict.flagged

    @property
    def category(self) -> str | None:
        """The category of a flagged request; None otherwise (a near miss is not a finding)."""
        verdict = self.verdict
        return verdict.category.value if verdict is not None and verdict.flagged and verdict.category else None

    def log_fields(self, *, include_text: bool = False) -> dict[str, Any]:
        """This outcome as a decision record (``querysentry.engine.record``); text only on request."""
        from querysentry.engine.record import decision_record  # record.py imports this module

        return decision_record(self, include_text=include_text)


# The outcome of the request being handled, for log filters and code that has no Request object.
current_outcome: contextvars.ContextVar[Outcome | None] = contextvars.ContextVar("querysentry_outcome", default=None)
