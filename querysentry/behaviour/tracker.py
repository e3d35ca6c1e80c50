"""Client verdicts from request verdicts: the behaviour layer's I/O around its pure parts.

Per request: read the client's counters, add the request's evidence and template units, update the
global counters of its template units (for clusters), and decide the client's level. State lives in
a ``Store`` (``memory://`` by default, ``redis://`` to share it between replicas); every update is
one atomic ``bump`` per key, so replicas never lose each other's counts.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace

from querysentry.behaviour.clusters import UNIT_EVIDENCE, UNIT_USES, Cluster, ClusterRule
from querysentry.behaviour.fingerprint import template_features, template_units, unit_hash
from querysentry.behaviour.signals import (
    BENCHMARK,
    CATEGORY,
    EVIDENCE,
    FLAGGED,
    GAP_COUNT,
    GAPS,
    GAPS_SQUARED,
    REQUESTS,
    SEGMENT,
    USE_EVIDENCE,
    USES,
    RiskModel,
    counted_evidence,
    request_evidence,
)
from querysentry.messages import DEFAULT_SCAN_ROLES, Message
from querysentry.policy import ClientPolicy, configured_lookalike
from querysentry.storage import Decay, Store, apply_bump, store_from_url
from querysentry.text.structure import benchmark_frames
from querysentry.verdict import ClientVerdict, Verdict

__all__ = ["BehaviourTracker", "RequestSummary"]

LEVEL, UNTIL, CLUSTER_ID = "@level", "@until", "@cid"
UNSCANNED = "_u"  # requests that could not be scanned (oversize, unreadable, timed out)
FOLLOWED = "_v"  # requests that followed up the service's answers verifiably (``behaviour.history``)
# Roles whose text an application sets once and sends with every request.
_CONFIGURATION_ROLES = frozenset({"system", "developer"})
# A pause longer than this is a new session, not a slow machine: gaps are capped before they count.
MAX_GAP = 3600.0


@dataclass(frozen=True)
class RequestSummary:
    """What the behaviour layer keeps of one request: numbers and hashes, no text.

    Built by ``BehaviourTracker.summarise`` (pure CPU work, for a worker thread) and recorded by
    ``BehaviourTracker.record`` (storage I/O, on the event loop).
    """

    evidence: float  # before the repeat rule (``counted_evidence``)
    flagged: bool
    benchmark: bool
    category: str | None
    units: tuple[str, ...]
    segment: str | None  # hash of the deciding segment, when it carries evidence and is in a system message
    unscanned: bool = False
    configured: tuple[str, ...] = ()  # those of ``units`` that come from system or developer messages
    # The units that may feed clusters across clients: ``units`` without field labels on their own
    # ("Question:"), which unrelated apps share (``fingerprint.template_features``). None: ``units``.
    shared: tuple[str, ...] | None = None
    followed: bool = False  # the request follows up an answer verifiably (``behaviour.history``)
    # The evidence when the client converses with its answers (``BehaviourTracker.record``): for an
    # app's kind of system prompt over benchmark items, ``configured_weight`` of it; else None.
    conversant: float | None = None

    @classmethod
    def not_scanned(cls, evidence: float) -> RequestSummary:
        """A request nobody could read counts ``evidence``: padding past the scanner must cost."""
        return cls(
            evidence=evidence, flagged=False, benchmark=False, category=None, units=(), segment=None, unscanned=True
        )

    def with_signal(self, evidence: float) -> RequestSummary:
        """At least ``evidence``, for request-level signals outside the text (duplicated identity headers)."""
        return replace(self, evidence=max(self.evidence, evidence))


@dataclass
class BehaviourTracker:
    """Turns each request's verdict into a client verdict. Safe to share across requests.

    ``store``: a ``Store`` or a URL (``memory://``, ``redis://``). ``client_decay`` and
    ``unit_decay`` say how fast a client's counters and a template unit's global counters forget.
    ``allow_templates``: texts (lines or sentences of known benign templates, such as your own
    apps' system prompts) that never count as template reuse nor form clusters.
    ``cluster_units``: how many of a request's units update global counters (the first and last
    halves), which bounds the writes per request.
    ``configured_weight``: the share of its evidence that a flag decided in an app's kind of
    system prompt (``policy.configured_lookalike``) adds to its client, unless the request's own
    turns are benchmark items. Every user of a study app sends its "show every step" with every
    question, so at 0.5 such a key is tagged from about its eleventh request in the decay window
    instead of its fifth; a key that resends a harvesting instruction thirty times still is.
    ``configured_clusters_act``: whether a cluster on a line of such a system prompt may tag its
    members (off: it is reported in the reasons and acts on nobody).
    ``answer_only_weight``: the share of its evidence that a flag standing on its item's frame
    (``policy.answer_only``: the engine passes ``framed``) adds to its client. A teacher marking a
    class, a flashcard learner and a reading app's user send "Question: ... My answer: ... is it
    right?" all week, and counted in full they were tagged from their fifth request (RESULTS.md).
    At 0.15, just over the ``RiskModel.allowance`` of 0.1, such a key is tagged once it sends about
    80 of them inside the decay's half-life (hours): a marking evening is 10-40, a harvest of
    exam items from one key is hundreds at machine pace. Campaigns count them in full.
    An app's kind of system prompt over benchmark items ("look at each option in turn" and a
    quiz item) counts in full, as a harvest puts its instruction there; but from a key that has
    followed up the service's answers verifiably (``behaviour.history``; kept per client as
    ``_v``) it counts ``configured_weight``: a quiz author asking "and why not (B)?" about the
    review it got is the app's user (RESULTS.md, thirteenth round). A harvest of independent
    samples follows up nothing.
    """

    store: Store | str = "memory://"
    model: RiskModel = field(default_factory=RiskModel)
    policy: ClientPolicy = field(default_factory=ClientPolicy)
    clusters: ClusterRule = field(default_factory=ClusterRule)
    client_decay: Decay = field(default_factory=lambda: Decay(half_life=6 * 3600, window=500, max_fields=64))
    unit_decay: Decay = field(default_factory=lambda: Decay(half_life=6 * 3600, window=5000, max_fields=64))
    allow_templates: Iterable[str] = ()
    scan_roles: frozenset[str] = DEFAULT_SCAN_ROLES
    units_per_request: int = 16
    cluster_units: int = 8
    configured_weight: float = 0.5
    configured_clusters_act: bool = False
    answer_only_weight: float = 0.15

    def __post_init__(self) -> None:
        if isinstance(self.store, str):
            self.store = store_from_url(self.store)
        self._allowed = frozenset(unit_hash(t) for t in self.allow_templates)
        if self.cluster_units < 0 or self.units_per_request < 1:
            raise ValueError("need units_per_request >= 1 and cluster_units >= 0")
        if not 0 <= self.configured_weight <= 1 or not 0 <= self.answer_only_weight <= 1:
            raise ValueError("need 0 <= configured_weight <= 1 and 0 <= answer_only_weight <= 1")

    @property
    def backend(self) -> Store:
        assert not isinstance(self.store, str)
        return self.store

    async def observe(
        self, client: str, verdict: Verdict | None, messages: Sequence[Message], now: float
    ) -> ClientVerdict:
        """Record one request of ``client`` at ``now`` (seconds) and return the client's verdict."""
        return await self.record(client, self.summarise(verdict, messages), now)

    async def record(self, client: str, request: RequestSummary, now: float) -> ClientVerdict:
        """Record one summarised request of ``client`` at ``now`` and return the client's verdict."""
        store = self.backend
        before = await store.get(_client_key(client))
        repeat = request.segment is not None and before.get(SEGMENT + request.segment, 0.0) >= 0.5
        conversing = request.followed or before.get(FOLLOWED, 0.0) >= 0.5
        raw = request.conversant if conversing and request.conversant is not None else request.evidence
        evidence = counted_evidence(raw, repeat, request.benchmark, request.flagged)
        increments = self._increments(request, evidence, before, now)
        # The level is decided on the counters as they will be after this request, so that it can
        # be written in the same atomic update (a replica racing us may shift them a little).
        predicted = apply_bump(before, increments, now, self.client_decay)

        joined: list[tuple[float, Cluster, str, dict[str, float]]] = []
        units = _spread(request.units if request.shared is None else request.shared, self.cluster_units)
        # Across clients, a near miss in a system message is an app's own instructions sent by each
        # of its users (a tutoring app that asks for step-by-step answers): it feeds no cluster
        # unless the request is flagged or benchmark-shaped, as a repeat feeds no client.
        unit_evidence = request.evidence if request.flagged or request.benchmark or request.segment is None else 0.0
        # When the evidence was decided in a system message, it belongs to that message's lines,
        # not to the user's: classmates pasting one worksheet into the same study app share its
        # items, and those must not become a "cluster" on the app's flagged prompt. Clusters
        # form on instructions, never on fills.
        configured_only = request.segment is not None
        # Independent keys: with Redis the updates go out together, one round trip's wait for all.
        updated = await asyncio.gather(
            *(
                store.bump(
                    _unit_key(u),
                    {
                        client: 1.0,
                        UNIT_USES: 1.0,
                        UNIT_EVIDENCE: unit_evidence if not configured_only or u in request.configured else 0.0,
                    },
                    now,
                    self.unit_decay,
                )
                for u in units
            )
        )
        for unit, fields in zip(units, updated):
            found = self.clusters.evaluate(unit, fields, self.model.allowance, self.model.needed)
            # A member must have used the unit often enough, with evidence of its own, and in a good
            # share of its requests (ring keys send little else): a client that happens to repeat a
            # sentence of a campaign's template now and then does not join the ring.
            own_uses = predicted.get(USES + unit, 0.0)
            own_evidence = predicted.get(USE_EVIDENCE + unit, 0.0)
            if found is not None and unit in request.configured:
                # A line of an app's own system prompt is shared by every user of the app (and
                # every copier of a snippet): a cluster on it is reported, and acts on nobody
                # (tags at most with ``configured_clusters_act``). Whether the keys that send it
                # are a campaign's is the campaign layer's call, which asks whether they are at work.
                act = self.policy.tag_at if self.configured_clusters_act else 0.0
                found = replace(found, risk=min(found.risk, act))
            if (
                found is not None
                and self.clusters.is_member(fields, client)
                and own_evidence >= self.clusters.min_evidence / 2 * own_uses
                and own_uses >= self.clusters.min_share * predicted.get(REQUESTS, 0.0)
            ):
                joined.append((own_uses, found, unit, fields))
        cluster = _choose([(uses, found) for uses, found, _, _ in joined])
        if cluster is not None:
            cluster = await self._stable_id(cluster, joined, before, increments, now)

        signals = self.model.signals(predicted)
        own = self.model.risk(signals)
        risk = max(own, cluster.risk if cluster is not None else 0.0)
        if predicted.get(FLAGGED, 0.0) + predicted.get(UNSCANNED, 0.0) < 0.5:
            # Nothing this client sent was flagged (nor unreadable): template reuse and exam
            # frames alone (an evaluation customer, an app) may tag it, never throttle or block.
            risk = min(risk, self.policy.tag_at)
        previous = ClientPolicy.level_from_code(before.get(LEVEL, 0.0))
        level, until = self.policy.level(risk, previous, before.get(UNTIL, 0.0), now)
        increments[LEVEL] = ClientPolicy.level_code(level)
        increments[UNTIL] = until
        after = await store.bump(_client_key(client), increments, now, self.client_decay)

        signals = self.model.signals(after)
        reasons = list(self.model.reasons(signals))
        unscanned = after.get(UNSCANNED, 0.0)
        if unscanned >= 0.5:
            reasons.append(f"{unscanned:.0f} requests could not be scanned")
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

    async def _stable_id(
        self,
        cluster: Cluster,
        joined: Sequence[tuple[float, Cluster, str, dict[str, float]]],
        before: dict[str, float],
        increments: dict[str, float],
        now: float,
    ) -> Cluster:
        """Keep a ring's id stable while its template's units become clusters one after another.

        The id a member first got stays with it (``@cid`` in its counters), and the unit it uses
        most carries the id its members hold (``@cid`` in the unit's counters), so a key that joins
        later takes the ring's existing id rather than that of whichever unit it met first. Ids
        only ever move to the smaller of two, so they settle; ids travel only through a client's
        main unit, so two rings that share a format line ("Options:") keep their own.
        """
        top_uses = max(uses for uses, _, _, _ in joined)
        main = min((u for uses, _, u, _ in joined if round(uses, 6) == round(top_uses, 6)))
        main_fields = next(f for _, _, u, f in joined if u == main)
        held = [v for v in (before.get(CLUSTER_ID), main_fields.get(CLUSTER_ID)) if v is not None]
        code = min(held) if held else _id_code(cluster.id)
        increments[CLUSTER_ID] = code
        if main_fields.get(CLUSTER_ID) != code:
            await self.backend.bump(_unit_key(main), {CLUSTER_ID: code}, now, self.unit_decay)
        return replace(cluster, id=_id_name(code))

    def summarise(
        self,
        verdict: Verdict | None,
        messages: Sequence[Message],
        *,
        framed: bool = False,
        followed: bool = False,
        frame_lift: float = 0.0,
    ) -> RequestSummary:
        """The request's evidence and template units. Pure CPU, linear in the (bounded) text: run
        it off the event loop. ``framed``: the verdict's flag stands on its item's frame alone
        (``answer_only_weight``). ``followed``: the request follows up an answer verifiably.
        ``frame_lift``: how much of a near miss's margin its item's frame gave it
        (``policy.frame_lift``); that share of its evidence counts ``answer_only_weight``."""
        evidence = request_evidence(verdict, self.model.ramp)
        if frame_lift > 0 and not framed and verdict is not None and not verdict.flagged:
            unlifted = request_evidence(replace(verdict, margin=verdict.margin - frame_lift), self.model.ramp)
            evidence = unlifted + (evidence - unlifted) * self.answer_only_weight
        benchmark = bool(verdict is not None and verdict.frames) and _fills_are_benchmark_items(messages)
        conversant = None
        if not framed and benchmark and configured_lookalike(verdict):
            conversant = evidence * self.configured_weight
        if framed:
            # Volume tells a harvest from a learner here, not the request (``answer_only_weight``).
            evidence *= self.answer_only_weight
        elif configured_lookalike(verdict) and not benchmark:
            # The app's instruction, not the user's: its users' own turns are what tell them
            # apart from a harvest, and exam items in them count in full.
            evidence *= self.configured_weight
        every, unlabelled = template_units(messages, self.scan_roles, self.units_per_request)
        units = tuple(u for u in every if u not in self._allowed)
        shared = tuple(u for u in unlabelled if u not in self._allowed)
        configuration = [m for m in messages if m.role in _CONFIGURATION_ROLES]
        own = set(template_features(configuration, self.scan_roles, self.units_per_request)) if configuration else set()
        segment = verdict.segment if verdict is not None and evidence > 0 else None
        if segment is not None and segment.role not in _CONFIGURATION_ROLES:
            segment = None  # the repeat rule is for an app's own instructions, not for user turns
        return RequestSummary(
            evidence=evidence,
            flagged=bool(verdict is not None and verdict.flagged),
            # Only the varying turns: a system prompt that itself looks like a quiz is the app's
            # own text and must not vouch for its repeats.
            benchmark=benchmark,
            category=verdict.category.value if verdict is not None and verdict.category and evidence > 0 else None,
            units=units,
            segment=unit_hash(segment.text) if segment is not None else None,
            configured=tuple(u for u in units if u in own),
            followed=followed,
            conversant=conversant,
            shared=shared,
        )

    def _increments(
        self, request: RequestSummary, evidence: float, before: dict[str, float], now: float
    ) -> dict[str, float]:
        out: dict[str, float] = {REQUESTS: 1.0, EVIDENCE: evidence}
        if request.unscanned:
            out[UNSCANNED] = 1.0
        if request.flagged:
            out[FLAGGED] = 1.0
        if request.followed:
            out[FOLLOWED] = 1.0
        if request.benchmark:
            out[BENCHMARK] = 1.0
        if request.category is not None and evidence > 0:
            out[CATEGORY + request.category] = evidence
        if request.segment is not None:
            out[SEGMENT + request.segment] = 1.0
        for unit in request.units:
            out[USES + unit] = 1.0
            if evidence > 0:
                out[USE_EVIDENCE + unit] = evidence
        if "@t" in before:
            gap = min(MAX_GAP, max(0.0, now - before["@t"]))
            out[GAPS], out[GAPS_SQUARED], out[GAP_COUNT] = gap, gap * gap, 1.0
        return out


def _fills_are_benchmark_items(messages: Sequence[Message]) -> bool:
    return any(
        m.role not in _CONFIGURATION_ROLES and m.role != "assistant" and benchmark_frames(m.content) for m in messages
    )


def _id_code(cluster_id: str) -> float:
    # Stores hold numbers only: 48 bits of the id's hex fit a float exactly.
    return float(int(cluster_id.removeprefix("c-"), 16))


def _id_name(code: float) -> str:
    return f"c-{int(code):012x}"


def _client_key(client: str) -> str:
    return "c:" + client


def _unit_key(unit: str) -> str:
    return "u:" + unit


def _spread(units: Sequence[str], limit: int) -> Sequence[str]:
    if len(units) <= limit:
        return units
    return [*units[: limit // 2], *units[len(units) - (limit - limit // 2) :]]


def _choose(joined: Sequence[tuple[float, Cluster]]) -> Cluster | None:
    """One cluster per client: the one on the unit it uses most, ties to the smallest id. Every
    member of a ring uses all of its template's units on every request, so all report the same id,
    and a format line that many campaigns share (an exam's "Options:") does not win over the
    template's own text. The risk is the largest of the clusters joined."""
    if not joined:
        return None
    _, chosen = min(joined, key=lambda pair: (-round(pair[0], 6), pair[1].id))
    return replace(chosen, risk=max(cluster.risk for _, cluster in joined))
