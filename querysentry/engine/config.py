"""The engine's configuration, validated once when it is built."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from querysentry.policy import validate_actions
from querysentry.verdict import Action, Mode

__all__ = ["DEFAULT_CONTENT_TYPES", "IDENTITY_CONFLICT_EVIDENCE", "EngineConfig"]

DEFAULT_CONTENT_TYPES: tuple[str, ...] = ("application/json", "text/plain")
# Evidence a duplicated identity header adds: an honest client sends one Authorization header.
IDENTITY_CONFLICT_EVIDENCE = 0.5
_ACTIONS = ("allow", "tag", "throttle", "block")


@dataclass(frozen=True)
class EngineConfig:
    """How decisions are made, independent of where requests come from.

    ``mode``: ``shadow`` logs only, ``tag`` tags what enforce would throttle or block, ``enforce``
    acts. ``actions``: category → action for enforce mode, over
    ``querysentry.policy.DEFAULT_ENFORCE_ACTIONS`` (merged and checked here: an unknown category
    or action raises ``ValueError``). ``unscanned``: the action for a request whose text could not
    be read; every such request adds ``unscanned_evidence`` to its client, and a duplicated
    identity header adds ``identity_conflict_evidence``. ``content_types``: media types that are
    scanned (``application/json`` admits every ``+json`` type; wildcards allowed).
    ``max_decompressed_bytes`` bounds a body after gzip/deflate; ``time_budget`` (seconds) bounds
    a scan. ``allow_keys``/``deny_keys``: clients never scanned / always refused.
    ``evaluation_keys``: the evaluation allowance, clients known to run benchmark evaluations
    (exam items with answer-format instructions, hundreds at machine pace): still scanned and
    logged, never more than tagged. ``answer_only``: the most a request gets on its own when it
    asks only for answers to benchmark-like items: its flag is Q&A harvesting, or stands only on
    the benchmark-item frame (``scoring.needs_frame``: a generic phrasing below its threshold
    without the frame; ``policy.answer_only``). Default ``allow``: that is what an evaluation
    customer sends, and a learner's "Q: ... My answer: ... Mark my answer and explain." too, and
    one request cannot tell them from a harvest. Such a request counts as evidence, not as a
    flagged request, for its client, so its client is acted on only by what it does over time
    (a repeated harvest still is), and across many keys it is still a campaign, which acts on
    its members; evaluation traffic is never throttled or blocked by default. A request held
    back this way carries the ``answer_only`` signal. ``tag`` tags each such request (the default
    before the eleventh round). ``None``: treated like any flag (enforce's Q&A action, and the
    client escalates).
    ``configured_lookalike``: the most a request gets on its own when its flag was decided in a
    configuration message (system, developer) and its category has everyday look-alikes
    (``categories.LOOKALIKE_CATEGORIES``: reasoning traces, Q&A, augmentation, refusals).
    Default ``allow``: a tutoring app's "show your work for each step" reads exactly like an
    Orca-style harvest, and one request cannot tell them apart; the flag is still recorded and
    still counts for the client (five or so such requests tag it) and for campaigns (keys used
    once each, sharing it, are a campaign), so only what the keys do over time acts on it.
    ``None``: treated like any flag.
    ``retry_after``:
    the wait a throttled request is told when no rate limiter is configured. ``repeat_cache``
    entries of per-client answers to byte-identical bodies up to ``repeat_cache_bytes``.
    """

    mode: Mode = "tag"
    actions: Mapping[str, Action] = field(default_factory=dict)
    unscanned: Action = "tag"
    unscanned_evidence: float = 1.0
    identity_conflict_evidence: float = IDENTITY_CONFLICT_EVIDENCE
    content_types: tuple[str, ...] = DEFAULT_CONTENT_TYPES
    max_decompressed_bytes: int = 4_000_000
    time_budget: float = 2.0
    allow_keys: frozenset[str] = frozenset()
    deny_keys: frozenset[str] = frozenset()
    evaluation_keys: frozenset[str] = frozenset()
    answer_only: Action | None = "allow"
    configured_lookalike: Action | None = "allow"
    retry_after: int = 30
    repeat_cache: int = 10_000
    repeat_cache_bytes: int = 65_536

    def __post_init__(self) -> None:
        if self.mode not in ("shadow", "tag", "enforce"):
            raise ValueError(f"mode must be shadow, tag or enforce, not {self.mode!r}")
        if self.answer_only is not None and self.answer_only not in _ACTIONS:
            raise ValueError(f"answer_only must be allow, tag, throttle, block or None, not {self.answer_only!r}")
        if self.configured_lookalike is not None and self.configured_lookalike not in _ACTIONS:
            raise ValueError(
                "configured_lookalike must be allow, tag, throttle, block or None, "
                f"not {self.configured_lookalike!r}"
            )
        if self.unscanned not in _ACTIONS:
            raise ValueError(f"unscanned must be allow, tag, throttle or block, not {self.unscanned!r}")
        if not 0.0 <= self.unscanned_evidence <= 1.0 or not 0.0 <= self.identity_conflict_evidence <= 1.0:
            raise ValueError("unscanned_evidence and identity_conflict_evidence must be between 0 and 1")
        if self.time_budget <= 0 or self.repeat_cache < 0 or self.repeat_cache_bytes < 0:
            raise ValueError("time_budget must be > 0, repeat_cache and repeat_cache_bytes >= 0")
        if self.max_decompressed_bytes < 1 or self.retry_after < 0:
            raise ValueError("max_decompressed_bytes must be >= 1 and retry_after >= 0")
        # Normalised once: lookups on every request then need no checks.
        object.__setattr__(self, "actions", validate_actions(self.actions))
        object.__setattr__(self, "content_types", tuple(c.lower() for c in self.content_types))
        object.__setattr__(self, "allow_keys", frozenset(self.allow_keys))
        object.__setattr__(self, "deny_keys", frozenset(self.deny_keys))
        object.__setattr__(self, "evaluation_keys", frozenset(self.evaluation_keys))

    @classmethod
    def build(
        cls,
        *,
        content_types: Iterable[str] = DEFAULT_CONTENT_TYPES,
        allow_keys: Iterable[str] = (),
        deny_keys: Iterable[str] = (),
        evaluation_keys: Iterable[str] = (),
        actions: Mapping[str, Action] | None = None,
        **options: Any,
    ) -> EngineConfig:
        """A config from any iterables (the middleware's keyword arguments pass through here)."""
        return cls(
            content_types=tuple(content_types),
            allow_keys=frozenset(allow_keys),
            deny_keys=frozenset(deny_keys),
            evaluation_keys=frozenset(evaluation_keys),
            actions=dict(actions or {}),
            **options,
        )
