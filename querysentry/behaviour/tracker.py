"""Client verdicts from request verdicts: the behaviour layer's I/O around its pure parts.

Per request: read the client's counters, add the request's evidence and template units, update the
global counters of its template units (for clusters), and decide the client's level. State lives in
a ``Store`` (``memory://`` by default, ``redis://`` to share it between replicas); every update is
one atomic ``bump`` per key, so replicas never lose each other's counts.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from querysentry.behaviour.clusters import UNIT_EVIDENCE, UNIT_USES, Cluster, ClusterRule
from querysentry.behaviour.fingerprint import template_features, unit_hash
from querysentry.behaviour.signals import (
    BENCHMARK,
    CATEGORY,
    EVIDENCE,
    FLAGGED,
    GAP_COUNT,
    GAPS,
    GAPS_SQUARED,
    REQUESTS,
    USE_EVIDENCE,
    USES,
    RiskModel,
    request_evidence,
)
from querysentry.messages import DEFAULT_SCAN_ROLES, Message
from querysentry.policy import ClientPolicy
from querysentry.storage import Decay, Store, apply_bump, store_from_url
from querysentry.verdict import ClientVerdict, Verdict

__all__ = ["BehaviourTracker"]

LEVEL, UNTIL = "@level", "@until"
# A pause longer than this is a new session, not a slow machine: gaps are capped before they count.
MAX_GAP = 3600.0


@dataclass(frozen=True)
class _Request:
    evidence: float
    flagged: bool
    benchmark: bool
    category: str | None
    units: tuple[str, ...]


@dataclass
class BehaviourTracker:
    """Turns each request's verdict into a client verdict. Safe to share across requests.

    ``store``: a ``Store`` or a URL (``memory://``, ``redis://``). ``client_decay`` and
    ``unit_decay`` say how fast a client's counters and a template unit's global counters forget.
    ``allow_templates``: texts (lines or sentences of known benign templates, such as your own
    apps' system prompts) that never count as template reuse nor form clusters.
    ``cluster_units``: how many of a request's units update global counters (the first and last
    halves), which bounds the writes per request.
    """

    store: Store | str = "memory://"
    model: RiskModel = field(default_factory=RiskModel)
    policy: ClientPolicy = field(default_factory=ClientPolicy)
    clusters: ClusterRule = field(default_factory=ClusterRule)
    client_decay: Decay = field(default_factory=lambda: Decay(half_life=6 * 3600, window=500, max_fields=48))
    unit_decay: Decay = field(default_factory=lambda: Decay(half_life=6 * 3600, window=5000, max_fields=64))
    allow_templates: Iterable[str] = ()
    scan_roles: frozenset[str] = DEFAULT_SCAN_ROLES
    units_per_request: int = 16
    cluster_units: int = 8

    def __post_init__(self) -> None:
        if isinstance(self.store, str):
            self.store = store_from_url(self.store)
        self._allowed = frozenset(unit_hash(t) for t in self.allow_templates)
        if self.cluster_units < 0 or self.units_per_request < 1:
            raise ValueError("need units_per_request >= 1 and cluster_units >= 0")

    @property
    def backend(self) -> Store:
        assert not isinstance(self.store, str)
        return self.store

    async def observe(
        self, client: str, verdict: Verdict | None, messages: Sequence[Message], now: float
    ) -> ClientVerdict:
        """Record one request of ``client`` at ``now`` (seconds) and return the client's verdict."""
        request = self._summarise(verdict, messages)
        store = self.backend
        before = await store.get(_client_key(client))
        increments = self._increments(request, before, now)

        cluster: Cluster | None = None
        for unit in _spread(request.units, self.cluster_units):
            fields = await store.bump(
                _unit_key(unit), {client: 1.0, UNIT_USES: 1.0, UNIT_EVIDENCE: request.evidence}, now, self.unit_decay
            )
            found = self.clusters.evaluate(unit, fields, self.model.allowance, self.model.needed)
            if found is not None and self.clusters.is_member(fields, client) and _better(found, cluster):
                cluster = found

        # The level is decided on the counters as they will be after this request, so that it can
        # be written in the same atomic update (a replica racing us may shift them a little).
        predicted = apply_bump(before, increments, now, self.client_decay)
        signals = self.model.signals(predicted)
        own = self.model.risk(signals)
        risk = max(own, cluster.risk if cluster is not None else 0.0)
        previous = ClientPolicy.level_from_code(before.get(LEVEL, 0.0))
        level, until = self.policy.level(risk, previous, before.get(UNTIL, 0.0), now)
        increments[LEVEL] = ClientPolicy.level_code(level)
        increments[UNTIL] = until
        after = await store.bump(_client_key(client), increments, now, self.client_decay)

        signals = self.model.signals(after)
        reasons = list(self.model.reasons(signals))
        if cluster is not None:
            reasons.append(
                f"member of cluster {cluster.id}: {cluster.members} clients, {cluster.uses:.0f} uses, "
                f"evidence {cluster.evidence:.1f}"
            )
        if level != "ok" and risk < self.policy.tag_at:
            reasons.append(f"held at {level} until its risk falls or its hold ends")
        return ClientVerdict(
            client=client,
            risk=risk,
            level=level,
            reasons=tuple(reasons),
            requests=signals.requests,
            own_risk=own,
            cluster_id=cluster.id if cluster is not None else None,
            cluster_members=cluster.members if cluster is not None else 0,
            cluster_risk=cluster.risk if cluster is not None else 0.0,
            template=signals.template,
        )

    async def client_state(self, client: str) -> dict[str, float]:
        """The raw counters of ``client`` (for inspection and tests)."""
        return await self.backend.get(_client_key(client))

    def _summarise(self, verdict: Verdict | None, messages: Sequence[Message]) -> _Request:
        evidence = request_evidence(verdict, self.model.ramp)
        units = tuple(
            u for u in template_features(messages, self.scan_roles, self.units_per_request) if u not in self._allowed
        )
        return _Request(
            evidence=evidence,
            flagged=bool(verdict is not None and verdict.flagged),
            benchmark=bool(verdict is not None and verdict.frames),
            category=verdict.category.value if verdict is not None and verdict.category and evidence > 0 else None,
            units=units,
        )

    def _increments(self, request: _Request, before: dict[str, float], now: float) -> dict[str, float]:
        out: dict[str, float] = {REQUESTS: 1.0, EVIDENCE: request.evidence}
        if request.flagged:
            out[FLAGGED] = 1.0
        if request.benchmark:
            out[BENCHMARK] = 1.0
        if request.category is not None:
            out[CATEGORY + request.category] = request.evidence
        for unit in request.units:
            out[USES + unit] = 1.0
            if request.evidence > 0:
                out[USE_EVIDENCE + unit] = request.evidence
        if "@t" in before:
            gap = min(MAX_GAP, max(0.0, now - before["@t"]))
            out[GAPS], out[GAPS_SQUARED], out[GAP_COUNT] = gap, gap * gap, 1.0
        return out


def _client_key(client: str) -> str:
    return "c:" + client


def _unit_key(unit: str) -> str:
    return "u:" + unit


def _spread(units: Sequence[str], limit: int) -> Sequence[str]:
    if len(units) <= limit:
        return units
    return [*units[: limit // 2], *units[len(units) - (limit - limit // 2) :]]


def _better(found: Cluster, current: Cluster | None) -> bool:
    """Highest risk first; among equals the smallest id, so a client's cluster id stays stable."""
    if current is None:
        return True
    if math.isclose(found.risk, current.risk):
        return found.id < current.id
    return found.risk > current.risk
