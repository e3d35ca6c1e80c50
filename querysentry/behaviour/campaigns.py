"""Campaigns: dense groups of requests that share an instruction, across every client.

A campaign runs thousands of keys, each sending a handful of requests (or one), so per-key
evidence never adds up. What the keys share is the instruction: the part of a request the
detector matched (the deciding segment, which carries evidence), not the fill around it (exam
questions, documents and code recur across unrelated honest users too, so fills never group).

Each request with evidence yields an ``Instruction``: the unit vector of its deciding segment and
a hash of the masked segment (its skeleton). ``CampaignTracker.observe`` compares it with the
known campaigns' centroids, and, when none is near, with a sliding window of recent instructions:
when enough of them, from enough distinct clients, lie close together, they become a campaign
with a stable id (a hash of its most common skeleton, so replicas that see the same traffic name
it alike), a signature (its most common skeleton hashes), its categories, member and request
counts, and first and last seen. From then on a request whose instruction is near the centroid
carries the campaign's level at once, from a key never seen before.

Vectors make it robust to paraphrase and casing, the normaliser to obfuscation, and a
multilingual encoder to translation (the shipped English encoder reaches other languages only in
part: see RESULTS.md). Linkage (``client_features``: network prefix, User-Agent family, tier)
never decides alone: it only admits a request whose instruction is near but below the join
similarity, and a stricter tier raises a member's level one step.

Bounded by construction: the window holds ``window_size`` vectors, at most ``max_campaigns`` are
kept (least recently seen dropped), each remembers at most ``max_members`` member hashes (and
counts the rest), ``max_skeletons`` skeletons and ``max_features`` linkage tokens. One
``observe`` costs O((window_size + max_campaigns) × dimension) in numpy, in the worker thread.
State is shared between replicas through the behaviour store (``publish``/``refresh``).
"""

from __future__ import annotations

import asyncio
import hashlib
import math
import threading
from collections import Counter, OrderedDict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import numpy.typing as npt

from querysentry.categories import LOOKALIKE_CATEGORIES  # a group of them must be larger to be a campaign
from querysentry.storage.base import Decay, Store
from querysentry.verdict import Level

__all__ = [
    "LOOKALIKE_CATEGORIES",
    "Campaign",
    "CampaignMatch",
    "CampaignRule",
    "CampaignTracker",
    "Instruction",
    "SharedSignature",
]

Vector = npt.NDArray[np.float32]

# Tiers of account that campaigns favour; the app says which a client is (``client_features``).
STRICT_TIERS = frozenset({"new", "free", "trial", "unverified"})
_LEVELS: tuple[Level, ...] = ("ok", "tag", "throttle", "block")
# Store keys: one hash per campaign (counters and its centroid as raw fields), one index.
_INDEX_KEY = "k:index"
_REQUESTS, _MEMBERS, _STRONG, _EVIDENCE, _FIRST = "_n", "_m", "_sm", "_e", "@first"
_PLAIN = "_sp"  # members flagged on an instruction, not on an item's frame alone


@dataclass(frozen=True)
class Instruction:
    """What a request asks, as the campaign layer compares it: no text, a vector and a hash."""

    vector: Vector  # unit length
    skeleton: str  # hash of the masked deciding segment
    category: str | None
    evidence: float  # ``request_evidence``: 1.0 exactly when the detector flagged the request
    role: str | None = None  # the role of the message the deciding segment is in
    conversing: bool = False  # the request follows up an answer (``messages.continues_conversation``)
    # The flag stands on the item's frame alone (``policy.answer_only``): answer options or Q/A
    # fields lifted a generic phrasing, or the category is Q&A harvesting.
    framed: bool = False

    @property
    def flagged(self) -> bool:
        """Strong evidence: the detector flagged the request on its own, not a near miss."""
        return self.evidence >= 1.0

    @property
    def plain(self) -> bool:
        """Flagged on what it asks, not only on the shape of the item it carries."""
        return self.flagged and not self.framed


@dataclass(frozen=True)
class CampaignRule:
    """When a group is a campaign, and what level its members get.

    A group forms when ``form_requests`` instructions from ``form_clients`` distinct clients lie
    within ``form_similarity`` of a new one inside ``window`` seconds. A request joins at
    ``join_similarity`` to any of the campaign's exemplars (``link_similarity`` when its client
    shares a linkage token with members). Exemplars are up to ``max_exemplars`` member vectors
    kept when no kept one is within ``exemplar_spread``: a paraphrasing campaign widens its
    reach phrasing by phrasing instead of averaging them into a centroid that matches none.
    Levels by size: ``tag`` once formed, ``throttle`` at ``throttle_at`` (clients, requests),
    ``block`` at ``block_at``; categories with everyday look-alikes need ``lookalike_factor``
    times as many of each before any level.

    ``configured_cap``: the highest level a campaign gives a request whose instruction it matched
    is in a configuration message (system, developer). Apps send their own system prompt with
    every user's request, and keys used once or twice (a copied quickstart snippet, one visit to
    a study app) share it exactly as a campaign's keys would, so sharing one is no reason to
    refuse; the request's own verdict and its client's level still are. ``"block"`` lifts the cap.
    Nor is sharing one a reason to act on a key that has sent little: a campaign matched through
    a configuration message gives its level to a key only when the keys that sent that very
    instruction (its exact hash) are keys used once each (``single_use_members``), or when the
    request is within ``weak_similarity`` of what the campaign sent and the whole campaign is made
    of keys used once (a paraphrasing campaign: each key its own wording), or when the key has
    sent ``configured_after`` requests or more, most of them in campaigns (a ring's keys).
    ``configured_senders`` (off by default; measured in RESULTS.md) also counts an exact
    instruction sent by that many distinct keys within ``window`` as a rotation's: it catches
    keys that send a few requests each, and tags the users of every popular bring-your-own-key
    app whose system prompt the detector flags.
    None of that applies to an instruction its senders converse with: when at least
    ``app_conversing`` of the keys that sent it (``app_conversing_keys`` of them at least) carried
    a conversation along with it (a follow-up to an answer they had read), it is an app's, and its
    users get nothing from a campaign through it; their own standing still counts. Harvests want
    independent samples and send none. (A campaign can forge history to pass: it then has to do so
    on a tenth of its keys, and its requests still count for each key; RESULTS.md.)
    A developer trying a copied snippet twice, a study app's user on a first visit, share the
    prompt and nothing else; and the size of such a campaign says little, because every tutoring
    app's "show each step" lands in the same one (measured: the one-time keys of a dozen
    unrelated snippets and apps joined one campaign of 280 keys). ``max_instructions`` bounds
    the exact instructions whose senders are remembered.

    ``template_groups`` (off by default; measured in RESULTS.md): near misses in a configuration
    message group across clients too, but such a request is acted on only when the campaign is
    made of keys used once (``single_use_members``), never by its members' dedication, and it
    never counts towards a client's dedication. Off, they are an app's own template and never
    group (``template``).

    ``near_miss_cap``: the highest level a campaign gives a request the detector did not flag on
    its own (a near miss joining by resemblance), however close; under ``weak_similarity`` it is
    tagged at most whatever this says. A driving-theory learner's unflagged "can you explain why
    the answer is B" joined a harvest of 250 keys at 0.82 and was blocked (RESULTS.md, twelfth
    round); a campaign's own near misses are tagged, acted on still, and its flagged requests
    carry its level. ``"block"`` restores the earlier rule (only the similarity caps).

    ``plain_to_act``: a campaign throttles or blocks only once as many of its members as the
    level needs sent a request flagged on its instruction, not on an item's frame alone
    (``Instruction.framed``); a campaign whose flags all stand on the frame tags its members.
    Nor does any campaign refuse a request whose own flag stands on its frame: it is tagged. A
    reading app's "is my answer correct?" after a passage matched exactly a campaign whose keys
    had sent it with harvesting frames, and its users were blocked (RESULTS.md).
    Honest learners, flashcard and marking apps, and evaluation harnesses send "Question: ...
    Answer: ... Explain." as a campaign would, and everyday follow-ups ("Why is that right?")
    group with a campaign's: refusing them on the group's size blocked honest keys (RESULTS.md).
    Evaluation traffic is tagged at most by issue 11's terms, and such a campaign is the same
    traffic at scale.

    ``framed_follow_ups``: a request whose own flag stands on its frame (or that the detector did
    not flag: a near miss joining by resemblance) gets nothing from a campaign when its client
    has followed up that many of the service's answers verifiably
    (``behaviour.history``: the conversation before the answer was this client's, and behind the
    middleware the answer was the service's). An exam-practice app's learners all send its
    frame ("Question: ... Your answer: (D) Correct answer: (C) Why?") and so form a campaign of
    frame flags; they also ask "and why not (B)?" about what they were told, which a harvest of
    independent samples does not, and a forger cannot do without sending each earlier turn from
    the same key (RESULTS.md, thirteenth round). ``framed_conversing``: nor when that share of
    the campaign's most recent measured members (``app_conversing_keys`` at least, each with
    ``dedication_after`` requests or more) followed up an answer verifiably: the app's next
    learner, on a first visit, is one of its users too. Keys used once each never follow up, so
    a campaign of them never qualifies. Either way the follow-ups must be at least
    ``follow_up_share`` of the key's requests: a key that buys two early and then harvests
    single items for days is no longer conversing (a held-out attack did; RESULTS.md, thirteenth
    round). The client's own standing still counts every flag. None: off.
    """

    form_similarity: float = 0.80
    join_similarity: float = 0.72
    link_similarity: float = 0.62
    form_clients: int = 3
    form_requests: int = 6
    min_evidence: float = 0.5
    window: float = 24 * 3600.0
    throttle_at: tuple[int, int] = (5, 15)
    block_at: tuple[int, int] = (12, 40)
    lookalike_factor: int = 4
    window_size: int = 4096
    max_campaigns: int = 512
    max_members: int = 1024
    max_skeletons: int = 16
    max_features: int = 64
    max_exemplars: int = 16
    exemplar_spread: float = 0.92
    template_roles: frozenset[str] = frozenset({"system", "developer"})
    template_groups: bool = False
    configured_cap: Level = "tag"
    configured_after: int = 4
    configured_senders: int | None = None
    app_conversing: float | None = 0.1
    app_conversing_keys: int = 10
    weak_similarity: float = 0.80
    near_miss_cap: Level = "tag"
    weak_min_similarity: float = 0.72
    strong_to_act: bool = True
    plain_to_act: bool = True
    framed_follow_ups: int | None = 2
    framed_conversing: float | None = 0.5
    follow_up_share: float = 0.1
    form_strong: int = 0
    dedicated: float = 0.5
    dedication_after: int = 2
    dedication_sample: int = 32
    single_use_members: int = 30
    single_use_after: float = 600.0
    max_clients: int = 65_536
    max_instructions: int = 1024
    form_locally: bool = True  # False: only campaigns imported from intel bundles are matched
    decay: Decay = field(default_factory=lambda: Decay(half_life=24 * 3600.0, window=1e9, max_fields=64, ttl=7 * 86400))

    def __post_init__(self) -> None:
        if not 0 < self.link_similarity <= self.join_similarity <= 1 or not 0 < self.form_similarity <= 1:
            raise ValueError("need 0 < link_similarity <= join_similarity <= 1 and 0 < form_similarity <= 1")
        if self.form_clients < 2 or self.form_requests < self.form_clients or self.window <= 0:
            raise ValueError("need form_clients >= 2, form_requests >= form_clients and window > 0")
        bounds = (
            self.window_size,
            self.max_campaigns,
            self.max_members,
            self.max_skeletons,
            self.max_features,
            self.max_instructions,
        )
        if min(*bounds, self.max_clients, self.dedication_sample) < 1:
            raise ValueError("every bound must be >= 1")
        senders = 1 if self.configured_senders is None else self.configured_senders
        counts = (self.dedication_after, self.configured_after, senders)
        if not 0 <= self.dedicated <= 1 or min(counts) < 1:
            raise ValueError("need 0 <= dedicated <= 1 and dedication_after, configured_after, configured_senders >= 1")
        if (self.app_conversing is not None and not 0 < self.app_conversing <= 1) or self.app_conversing_keys < 1:
            raise ValueError("need 0 < app_conversing <= 1 (or None) and app_conversing_keys >= 1")
        if self.framed_follow_ups is not None and self.framed_follow_ups < 1:
            raise ValueError("need framed_follow_ups >= 1 (or None)")
        if self.framed_conversing is not None and not 0 < self.framed_conversing <= 1:
            raise ValueError("need 0 < framed_conversing <= 1 (or None)")
        if not 0 <= self.follow_up_share <= 1:
            raise ValueError("need 0 <= follow_up_share <= 1")
        if self.configured_cap not in _LEVELS or self.near_miss_cap not in _LEVELS:
            raise ValueError(f"configured_cap and near_miss_cap must be one of {', '.join(_LEVELS)}")

    def level(
        self,
        clients: int,
        requests: int,
        categories: Counter[str],
        strong: int | None = None,
        plain: int | None = None,
    ) -> Level:
        """The level a campaign of this size has. ``strong``: how many of its ``clients`` sent a
        request the detector flagged on its own (None: not counted, as for an imported campaign,
        whose source decided); with ``strong_to_act`` a campaign throttles or blocks only once
        that many strong members reach the level's client count: a group of near misses tags.
        ``plain``: how many were flagged on an instruction, not a frame alone; with
        ``plain_to_act`` they too must reach the level's client count (None: not counted)."""
        top = categories.most_common(1)[0][0] if categories else None
        factor = self.lookalike_factor if top in LOOKALIKE_CATEGORIES else 1
        reached: Level = "ok"
        for level, (need_clients, need_requests) in (
            ("tag", (self.form_clients, self.form_requests)),
            ("throttle", self.throttle_at),
            ("block", self.block_at),
        ):
            if clients < need_clients * factor or requests < need_requests * factor:
                break
            if level != "tag" and self.strong_to_act and strong is not None and strong < need_clients * factor:
                break
            if level != "tag" and self.plain_to_act and plain is not None and plain < need_clients * factor:
                break
            reached = level  # type: ignore[assignment]
        return reached

    def template(self, instruction: Instruction) -> bool:
        """Whether ``instruction`` is an app's own template rather than a request's: a near miss
        in a configuration message (system, developer). An app sends its system prompt with
        every user's request, so its users share it exactly while their own turns differ; a
        harvesting instruction there is still flagged, and still counts. (Grouping such near
        misses and leaving them out of dedication was measured: an app's users on their first
        visit look exactly like keys used once, and 94 of 120 were tagged in one seed; see
        RESULTS.md.)"""
        return instruction.role in self.template_roles and not instruction.flagged


@dataclass
class Campaign:
    """One campaign's state (in memory; mirrored in the store for replicas)."""

    id: str
    centroid: Vector
    first_seen: float
    last_seen: float
    requests: int = 0
    evidence: float = 0.0
    members: set[str] = field(default_factory=set)
    extra_members: int = 0  # counted, not remembered, past ``max_members``
    skeletons: Counter[str] = field(default_factory=Counter)
    categories: Counter[str] = field(default_factory=Counter)
    features: Counter[str] = field(default_factory=Counter)
    exemplars: list[Vector] = field(default_factory=list)
    source: str | None = None  # an imported campaign: the intel source it came from
    tag_only: bool = False  # an imported source set to tag-only
    strong: set[str] = field(default_factory=set)  # members with a request the detector flagged
    extra_strong: int = 0  # counted, not remembered, past ``max_members`` (or loaded from the store)
    plain: set[str] = field(default_factory=set)  # members flagged on an instruction (``Instruction.plain``)
    extra_plain: int = 0
    # Its members by their last request in it, least recent first, at most ``max_members``: the
    # ones whose dedication is sampled (an ordered set; the tracker holds the counts).
    recent: OrderedDict[str, None] = field(default_factory=OrderedDict)

    @property
    def member_count(self) -> int:
        return len(self.members) + self.extra_members

    @property
    def strong_count(self) -> int:
        return len(self.strong) + self.extra_strong

    @property
    def plain_count(self) -> int:
        return len(self.plain) + self.extra_plain

    def signature(self, n: int = 4) -> tuple[str, ...]:
        return tuple(s for s, _ in self.skeletons.most_common(n))


@dataclass(frozen=True)
class CampaignMatch:
    """What a request's campaign membership says, for the decision record (no prompt text)."""

    campaign_id: str
    level: Level
    members: int
    requests: int
    similarity: float
    signature: tuple[str, ...]
    categories: tuple[str, ...]
    first_seen: float
    last_seen: float
    linkage: tuple[str, ...] = ()
    formed: bool = False  # this request completed the group
    source: str | None = None  # imported from this intel source (None: found here)
    new_member: bool = False  # the client joined the campaign with this request
    new_strong: bool = False  # the client's first flagged request in the campaign
    strong: int = 0  # members with a flagged request
    new_plain: bool = False  # the client's first request in it flagged on an instruction (``plain_to_act``)
    framed: bool = False  # the request's own flag stands on its item's frame (``plain_to_act``: tag at most)
    near_miss: bool = False  # the detector did not flag the request on its own (``near_miss_cap``)
    held: str | None = None  # why the campaign's level was not applied to this client (None: it was)
    template: bool = False  # matched by a near miss in a configuration message (``template_groups``)
    configured: bool = False  # the matched instruction is in a configuration message (``configured_cap``)
    skeleton: str | None = None  # the request's own instruction hash (for ``recall``)

    def reason(self) -> str:
        linked = f"; linked by {', '.join(self.linkage)}" if self.linkage else ""
        shared = f"; shared by {self.source}" if self.source else ""
        held = f"; not applied: {self.held}" if self.held else ""
        return (
            f"campaign {self.campaign_id}: {self.members} clients, {self.requests} requests, "
            f"signature {','.join(self.signature[:2])}, similarity {self.similarity:.2f}{linked}{shared}{held}"
        )

    def to_fields(self) -> dict[str, Any]:
        return {
            "campaign_id": self.campaign_id,
            "campaign_level": self.level,
            "campaign_members": self.members,
            "campaign_requests": self.requests,
            "campaign_signature": list(self.signature),
            "campaign_categories": list(self.categories),
            "campaign_linkage": list(self.linkage),
            "campaign_source": self.source,
        }


@dataclass(frozen=True)
class SharedSignature:
    """A campaign another deployment found (``querysentry intel import``): recognised by its
    instruction hashes, and by its vector when it was made with this deployment's encoder."""

    campaign_id: str
    source: str
    skeletons: tuple[str, ...]
    members: int
    requests: int
    categories: tuple[str, ...]
    first_seen: float
    last_seen: float
    vector: Vector | None = None
    tag_only: bool = False


def _hit(campaign: Campaign, who: str, bound: int, totals: Mapping[str, list[float]], *, count: bool = True) -> None:
    """One more request of ``who`` in ``campaign``, its least recent member forgotten past ``bound``;
    ``count``: also count it as one of the client's harvesting requests (False: already counted,
    as a flagged request is when it is observed)."""
    campaign.recent.pop(who, None)
    campaign.recent[who] = None
    if len(campaign.recent) > bound:
        campaign.recent.popitem(last=False)
    counts = totals.get(who)
    if counts is not None and count:
        counts[1] += 1


def _client_hash(client: str) -> str:
    # Members are remembered by a hash: a campaign's state never holds the keys themselves.
    return hashlib.blake2b(client.encode("utf-8", "surrogatepass"), digest_size=8).hexdigest()


def _campaign_id(skeleton: str) -> str:
    return "k-" + hashlib.blake2b(skeleton.encode(), digest_size=6).hexdigest()


def _unit(vector: npt.NDArray[Any]) -> Vector:
    v = np.asarray(vector, dtype=np.float32).reshape(-1)
    norm = float(np.linalg.norm(v))
    return v / norm if norm > 0 else v


def _stronger(a: Level, b: Level) -> Level:
    return a if _LEVELS.index(a) >= _LEVELS.index(b) else b


def _weaker(a: Level, b: Level) -> Level:
    return a if _LEVELS.index(a) <= _LEVELS.index(b) else b


def _raise_one(level: Level) -> Level:
    return _LEVELS[min(len(_LEVELS) - 1, _LEVELS.index(level) + 1)] if level != "ok" else level


class CampaignTracker:
    """Finds campaigns online across all clients. Thread-safe; ``observe`` is pure CPU.

    ``store``: the behaviour store, for replicas (None: this process only). ``publish`` writes a
    request's campaign counts to it and ``refresh`` loads campaigns other replicas formed; the
    engine calls both on the event loop.
    """

    def __init__(self, rule: CampaignRule | None = None, store: Store | None = None, *, refresh_every: float = 5.0):
        self.rule = rule if rule is not None else CampaignRule()
        self.store = store
        self.refresh_every = refresh_every
        self._lock = threading.Lock()
        self._campaigns: OrderedDict[str, Campaign] = OrderedDict()
        self._matrix: Vector | None = None  # every campaign's exemplars, one row each
        self._order: list[str] = []  # the campaign id of each row
        self._dim: int | None = None
        size = self.rule.window_size
        self._recent: Vector | None = None
        self._recent_client = [""] * size
        self._recent_time = np.full(size, -math.inf)
        self._recent_skeleton = [""] * size
        self._recent_category: list[str | None] = [None] * size
        self._recent_strong = np.zeros(size, dtype=bool)
        self._recent_plain = np.zeros(size, dtype=bool)
        self._recent_template = np.zeros(size, dtype=bool)
        self._next = 0
        self._last_refresh = -math.inf
        self._shared: dict[str, Campaign] = {}
        self._by_skeleton: dict[str, str] = {}  # instruction hash -> imported campaign id
        # Per client hash, bounded: [its requests, those of them harvesting, when it last sent one,
        # its verified follow-ups].
        self._totals: OrderedDict[str, list[float]] = OrderedDict()
        # Per skeleton of a flagged instruction in a configuration message, bounded: the keys that
        # sent it, least recent first (``_note_instruction``).
        self._by_instruction: OrderedDict[str, _Senders] = OrderedDict()

    def __len__(self) -> int:
        return len(self._campaigns)

    @property
    def active(self) -> bool:
        """Whether an instruction could match or form anything: callers skip computing one if not."""
        return self.rule.form_locally or bool(self._shared) or bool(self._campaigns)

    def campaigns(self) -> list[Campaign]:
        with self._lock:
            return list(self._campaigns.values())

    # -- matching ----------------------------------------------------------------------------

    def observe(
        self,
        client: str,
        instruction: Instruction | None,
        now: float,
        features: Sequence[str] = (),
        *,
        followed: bool = False,
    ) -> CampaignMatch | None:
        """Add one request's instruction; the campaign it belongs to (perhaps formed by it).

        Call it for every request a client sends, ``instruction`` None when it carries no
        evidence: the tracker counts each client's requests to tell keys that work for a
        campaign from users whose traffic is mostly elsewhere (``CampaignRule.dedicated``).
        ``followed``: the request follows up an answer verifiably (``behaviour.history``), which
        the tracker counts for the client (``CampaignRule.framed_follow_ups``)."""
        who = _client_hash(client)
        with self._lock:
            self._count_request(who, now, followed)
        if instruction is None or instruction.evidence < self.rule.min_evidence:
            return None
        template = self.rule.template(instruction)
        configured = instruction.role in self.rule.template_roles
        if template and not self.rule.template_groups:
            return None  # an app's own system prompt: its client's evidence, not a campaign's
        if instruction.flagged:
            with self._lock:
                counts = self._totals.get(who)
                if counts is not None:
                    counts[1] += 1  # flagged on its own: a harvesting request, campaign or not
                if configured:
                    self._note_instruction(instruction.skeleton, who, now, instruction.conversing)
        vector = _unit(instruction.vector)
        strict = any(f.removeprefix("tier:") in STRICT_TIERS for f in features if f.startswith("tier:"))
        with self._lock:
            if self._dim is None:
                self._dim = vector.shape[0]
                self._recent = np.zeros((self.rule.window_size, self._dim), dtype=np.float32)
            if vector.shape[0] != self._dim:
                return None  # another encoder's vector (a reloaded model): nothing to compare with
            found = self._imported(instruction) or self._nearest(vector, features, instruction.flagged)
            if found is not None:
                campaign, similarity, linkage = found
                # A system prompt that only resembles the campaign (a tutoring app's "show each
                # step" joining a harvest's group at the edge) never becomes one of its exemplars:
                # the app's next users would match it exactly, and carry the campaign's level.
                widen = not configured or similarity >= self.rule.weak_similarity
                new, new_strong, new_plain = self._join(
                    campaign, who, instruction, vector, features, now, template, widen
                )
                return self._match(
                    campaign,
                    who,
                    similarity,
                    linkage,
                    strict,
                    instruction.flagged,
                    now=now,
                    new_member=new,
                    new_strong=new_strong,
                    new_plain=new_plain,
                    template=template,
                    configured=configured,
                    skeleton=instruction.skeleton,
                    framed_request=instruction.framed,
                )
            if not self.rule.form_locally:
                return None
            self._remember(who, instruction, vector, now, template)
            formed = self._form(vector, now)
            if formed is None:
                return None
            campaign, similarity = formed
            return self._match(
                campaign,
                who,
                similarity,
                (),
                strict,
                instruction.flagged,
                now=now,
                formed=True,
                template=template,
                configured=configured,
                skeleton=instruction.skeleton,
                framed_request=instruction.framed,
            )

    def recall(self, match: CampaignMatch, client: str, now: float) -> CampaignMatch:
        """A repeat of a request that matched ``match`` (answered from a cache, so not observed
        again): counted as the client's request in the campaign, at the level it has now."""
        who = _client_hash(client)
        with self._lock:
            self._count_request(who, now)
            campaign = self._campaigns.get(match.campaign_id) or self._shared.get(match.campaign_id)
            if campaign is None:
                return replace(match, level="ok", formed=False, new_member=False, new_strong=False, new_plain=False)
            _hit(campaign, who, self.rule.max_members, self._totals, count=not match.template)
            level, framed = self._level(campaign)
            level, capped = self._request_caps(
                level, framed, match.framed, match.near_miss, match.similarity, match.configured
            )
            level, held = self._client_level(
                campaign,
                who,
                level,
                now,
                match.template,
                match.configured,
                match.skeleton,
                match.similarity,
                weak_request=match.framed or match.near_miss,
            )
            return replace(
                match,
                level=level,
                held=held or capped,
                formed=False,
                new_member=False,
                new_strong=False,
                new_plain=False,
            )

    # -- dedication ----------------------------------------------------------------------------

    def _count_request(self, who: str, now: float, followed: bool = False) -> None:
        # Bounded: the least recently seen client is forgotten first (and counts from 0 if it
        # returns, so it looks newer, and so more dedicated, than it is: the safe side).
        counts = self._totals.pop(who, None) or [0, 0, now, 0]
        counts[0] += 1
        counts[2] = now
        counts[3] += followed
        self._totals[who] = counts
        if len(self._totals) > self.rule.max_clients:
            self._totals.popitem(last=False)

    def _note_instruction(self, skeleton: str, who: str, now: float, conversing: bool = False) -> None:
        # The keys that sent one exact instruction in a configuration message, least recent
        # first, and how many distinct keys sent it within ``window``. A campaign groups
        # instructions by their vectors, and every tutoring app's "show each step" lands near a
        # reasoning campaign's: whether a campaign's keys are at work is asked of the keys that
        # sent this very instruction, not of the whole group. Bounded: ``max_instructions``
        # instructions (least recently sent dropped), the most recent 2 × ``dedication_sample``
        # keys of each; a key that comes back once forgotten counts again (an upper bound).
        senders = self._by_instruction.pop(skeleton, None) or _Senders(OrderedDict(), 0, now)
        if now - senders.since > self.rule.window:
            senders.count, senders.since = 0, now
        if who not in senders.keys:
            senders.count += 1
        conversed = senders.keys.pop(who, False) or conversing
        senders.keys[who] = conversed
        if len(senders.keys) > 2 * self.rule.dedication_sample:
            senders.keys.popitem(last=False)
        self._by_instruction[skeleton] = senders
        if len(self._by_instruction) > self.rule.max_instructions:
            self._by_instruction.popitem(last=False)

    def _configured_at_work(self, campaign: Campaign, skeleton: str | None, similarity: float, now: float) -> bool:
        """Whether a request matched through a system prompt comes from a campaign's keys: the
        exact instruction's senders are (``_instruction_at_work``), or the request is close to
        what the campaign sent (``weak_similarity``) and the campaign is made of keys used once.
        A paraphrasing campaign's keys each send their own wording, so no exact instruction
        gathers them; an app's prompt that only resembles the campaign's (an honest snippet's
        "show each step" next to a harvest) stays out at that similarity."""
        if self._instruction_at_work(skeleton, now):
            return True
        return similarity >= self.rule.weak_similarity and self._keys_used_once(campaign, now)

    def _conversed(self, skeleton: str | None) -> float | None:
        """The share of the keys that sent this exact instruction (the most recent ones) that
        carried a conversation along with it, when it reaches ``app_conversing`` (an app's
        instruction); None otherwise, while fewer than ``app_conversing_keys`` are known, or off."""
        senders = self._by_instruction.get(skeleton or "")
        needed = self.rule.app_conversing
        if needed is None or senders is None or len(senders.keys) < self.rule.app_conversing_keys:
            return None
        share = sum(senders.keys.values()) / len(senders.keys)
        return share if share >= needed else None

    def _instruction_at_work(self, skeleton: str | None, now: float) -> bool:
        """Whether the keys that sent this exact instruction in a configuration message are a
        campaign's: keys used once each, or (when set) ``configured_senders`` distinct keys within
        ``window``."""
        senders = self._by_instruction.get(skeleton or "")
        if senders is None:
            return False
        many = self.rule.configured_senders
        fresh = now - senders.since <= self.rule.window
        return (many is not None and fresh and senders.count >= many) or self._used_once(senders.keys, now)

    def dedication(self, who: str) -> float | None:
        """The share of a client's requests that were harvesting: flagged on their own, or in a
        campaign (any: a ring's keys spread their requests over the variants of its template,
        each a campaign of its own); None while it has sent fewer than ``dedication_after`` (a
        new key: it may be one used once, the way campaigns use them)."""
        total, in_campaigns = (self._totals.get(who) or (0, 0))[:2]
        if total < self.rule.dedication_after:
            return None
        return min(1.0, in_campaigns / total)

    def _campaign_dedication(self, campaign: Campaign, now: float) -> float | None:
        """The median dedication of the campaign's most recent measurable members; None with
        fewer than ``form_clients`` of them, unless it is made of keys used once each: of its
        least recent members (those whose last request is ``single_use_after`` seconds old, so
        users at the start of a session are not judged yet), at least ``single_use_members``
        sent one request and nothing since, and they are nine in ten of those judged. Such
        keys are dedicated by construction. Bounded: at most 4 × ``dedication_sample`` members
        looked at from each end."""
        rule = self.rule
        reach = 4 * rule.dedication_sample
        shares: list[float] = []
        for looked, who in enumerate(reversed(campaign.recent)):
            if looked >= reach or len(shares) >= rule.dedication_sample:
                break
            share = self.dedication(who)
            if share is not None:
                shares.append(share)
        if len(shares) >= rule.form_clients:
            return float(np.median(shares))
        return 1.0 if self._keys_used_once(campaign, now) else None

    def _members_following_up(self, campaign: Campaign) -> float | None:
        """The share of the campaign's most recent measured members (``dedication_after``
        requests or more) that followed up an answer verifiably (in ``follow_up_share`` of their
        requests at least); None with fewer than
        ``app_conversing_keys`` measured. Bounded like ``_campaign_dedication``."""
        rule = self.rule
        measured = following = 0
        for looked, who in enumerate(reversed(campaign.recent)):
            if looked >= 4 * rule.dedication_sample or measured >= rule.dedication_sample:
                break
            counts = self._totals.get(who)
            if counts is None or counts[0] < rule.dedication_after:
                continue
            measured += 1
            following += counts[3] > 0 and counts[3] >= rule.follow_up_share * counts[0]
        return following / measured if measured >= rule.app_conversing_keys else None

    def _keys_used_once(self, campaign: Campaign, now: float) -> bool:
        """Whether ``campaign`` is made of keys used once each (``_campaign_dedication``)."""
        return self._used_once(campaign.recent, now)

    def _used_once(self, members: Iterable[str], now: float) -> bool:
        """Whether ``members`` (least recent first) are keys used once each: of those whose last
        request is ``single_use_after`` seconds old, at least ``single_use_members`` sent one
        request and nothing since, and they are nine in ten of those judged."""
        rule = self.rule
        reach = 4 * rule.dedication_sample
        judged = single = 0
        for looked, who in enumerate(members):
            if looked >= reach:
                break
            total, _, last = (self._totals.get(who) or (0, 0, now))[:3]
            if total and now - last >= rule.single_use_after:
                judged += 1
                single += total == 1
        return single >= rule.single_use_members and single >= 0.9 * judged

    def _client_level(
        self,
        campaign: Campaign,
        who: str,
        level: Level,
        now: float,
        template: bool = False,
        configured: bool = False,
        skeleton: str | None = None,
        similarity: float = 1.0,
        weak_request: bool = False,
    ) -> tuple[Level, str | None]:
        """``level`` as it applies to this client. The campaign layer acts on keys that work for
        the campaign: a client most of whose requests went elsewhere (a student whose homework
        help resembles a reasoning campaign, a blend's cover traffic) gets nothing from it; its
        own flagged requests still count in its own standing. And a local campaign that only
        near misses built (no ``form_clients`` members flagged on their own) acts only once its
        members are measured and dedicated: honest users share everyday phrasings ("summarize
        this for me") that land near a pattern, and they send other things too; a ring's keys
        send the campaign's requests and little else."""
        rule = self.rule
        if level == "ok":
            return level, None
        if weak_request:  # flagged on its frame alone, or a near miss: see ``framed_follow_ups``
            sent, _, _, followed = (self._totals.get(who) or (0, 0, 0.0, 0))[:4]
            followed = int(followed)
            if (
                rule.framed_follow_ups is not None
                and followed >= rule.framed_follow_ups
                and followed >= rule.follow_up_share * sent
            ):
                return "ok", f"a frame or a resemblance alone, and this client followed up {followed} answers"
            share = self._members_following_up(campaign) if rule.framed_conversing is not None else None
            if share is not None and share >= rule.framed_conversing:  # type: ignore[operator]
                return "ok", f"a frame or a resemblance alone, and {share:.0%} of the campaign's keys follow up"
        if template and not self._keys_used_once(campaign, now):
            # An app's users all send its system prompt, and their dedication to it says nothing.
            return "ok", "a near miss in a system message, and the campaign's keys are not used once"
        share = self.dedication(who)
        if share is not None and share <= rule.dedicated:
            return "ok", f"{share:.0%} of this client's requests in campaigns"
        conversed = self._conversed(skeleton) if configured and not template else None
        if conversed is not None:
            return "ok", f"matched through a system prompt whose senders converse ({conversed:.0%} of its keys)"
        if configured and not template and not self._configured_at_work(campaign, skeleton, similarity, now):
            sent = int((self._totals.get(who) or (0, 0, 0.0))[0])
            if sent < rule.configured_after:
                return "ok", f"matched through a system prompt, {sent} requests from this client"
        if campaign.source is None and campaign.strong_count < rule.form_clients:
            spread = self._campaign_dedication(campaign, now)
            if spread is None:
                return "ok", "near misses only, members not yet measured"
            if spread <= rule.dedicated:
                return "ok", f"near misses only, members' median {spread:.0%} of requests in campaigns"
        return level, None

    def _cap(self, level: Level, configured: bool) -> tuple[Level, str | None]:
        """``level`` under ``configured_cap`` when the instruction is in a configuration message, and
        the reason when that lowered it: an app's own system prompt, shared by its users' keys."""
        cap = self.rule.configured_cap
        if not configured or _weaker(level, cap) == level:
            return level, None
        return cap, f"matched through a system prompt: {cap} at most"

    def _request_caps(
        self,
        level: Level,
        held: str | None,
        framed: bool,
        near_miss: bool,
        similarity: float,
        configured: bool,
    ) -> tuple[Level, str | None]:
        """``level`` as the request itself bounds it, and why when it did (after ``held``, the
        campaign's own reason): a flag standing on its frame tags at most (``plain_to_act``), a
        near miss gets ``near_miss_cap`` (a tag under ``weak_similarity``, a student's "show your
        steps" near a campaign's "print all your hidden reasoning"), and an instruction in a
        configuration message ``configured_cap``. Shared by ``_match`` and ``recall``."""
        rule = self.rule
        if framed and rule.plain_to_act and _weaker(level, "tag") != level:
            level, held = "tag", held or "the request's flag stands on its item's frame: tag at most"
        if near_miss and level in ("throttle", "block"):
            level = _weaker(level, "tag" if similarity < rule.weak_similarity else rule.near_miss_cap)
        level, capped = self._cap(level, configured)
        return level, capped or held

    def _level(self, campaign: Campaign) -> tuple[Level, str | None]:
        """The campaign's level, and the reason when ``plain_to_act`` held it lower than its size."""
        # An imported campaign's strength is its source's call: its members all count as strong.
        local = campaign.source is None
        strong = campaign.strong_count if local else None
        args = (campaign.member_count, campaign.requests, campaign.categories, strong)
        level = self.rule.level(*args)
        held = None
        if local and self.rule.plain_to_act and level in ("throttle", "block"):
            plain = self.rule.level(*args, campaign.plain_count)
            if plain != level:
                level = plain
                held = f"{campaign.plain_count} members flagged on an instruction, the rest on the item's frame alone"
        return ("tag" if campaign.tag_only and level != "ok" else level), held

    def load_shared(self, signatures: Sequence[SharedSignature], dimension: int | None = None) -> None:
        """Replace the imported campaigns with ``signatures`` (an intel layer was (re)loaded).

        A signature's vector is used only when ``dimension`` (this encoder's) matches it; its
        hashes always. Imported campaigns are kept apart: local bounds never evict them.
        """
        shared: dict[str, Campaign] = {}
        by_skeleton: dict[str, str] = {}
        for sig in signatures:
            vector = sig.vector if sig.vector is not None and sig.vector.shape[0] == dimension else None
            centroid = _unit(vector) if vector is not None else np.zeros(dimension or 1, dtype=np.float32)
            campaign = Campaign(
                sig.campaign_id,
                centroid,
                first_seen=sig.first_seen,
                last_seen=sig.last_seen,
                requests=sig.requests,
                extra_members=sig.members,
                skeletons=Counter(dict.fromkeys(sig.skeletons, 1)),
                categories=Counter(dict.fromkeys(sig.categories, max(1, sig.requests))),
                exemplars=[centroid] if vector is not None else [],
                source=sig.source,
                tag_only=sig.tag_only,
            )
            shared[sig.campaign_id] = campaign
            for skeleton in sig.skeletons:
                by_skeleton.setdefault(skeleton, sig.campaign_id)
        with self._lock:
            self._shared, self._by_skeleton = shared, by_skeleton
            if self._dim is None and dimension is not None:
                self._dim = dimension
                self._recent = np.zeros((self.rule.window_size, dimension), dtype=np.float32)
            self._rebuild()

    def _imported(self, instruction: Instruction) -> tuple[Campaign, float, tuple[str, ...]] | None:
        campaign_id = self._by_skeleton.get(instruction.skeleton)
        return (self._shared[campaign_id], 1.0, ()) if campaign_id is not None else None

    def _nearest(
        self, vector: Vector, features: Sequence[str], flagged: bool = True
    ) -> tuple[Campaign, float, tuple[str, ...]] | None:
        if self._matrix is None or not self._order:
            return None
        sims = self._matrix @ vector
        best = int(np.argmax(sims))
        similarity = float(sims[best])
        campaign = self._campaigns.get(self._order[best]) or self._shared.get(self._order[best])
        if campaign is None:
            return None
        if not flagged and similarity < self.rule.weak_min_similarity:
            return None  # a near miss joins only close to what the campaign sent
        if similarity >= self.rule.join_similarity:
            return campaign, similarity, ()
        if similarity >= self.rule.link_similarity and features:
            shared = tuple(sorted({f.split(":", 1)[0] for f in features if campaign.features.get(f, 0) >= 2}))
            if shared:
                return campaign, similarity, shared
        return None

    def _join(
        self,
        campaign: Campaign,
        who: str,
        instruction: Instruction,
        vector: Vector,
        features: Sequence[str],
        now: float,
        template: bool = False,
        widen: bool = True,
    ) -> tuple[bool, bool, bool]:
        """Count the request in ``campaign``; whether its client is a new member, a new strong one
        (its first flagged request in the campaign), and a new plain one (its first flagged on an
        instruction, ``Instruction.plain``). ``template``: a near miss in a
        configuration message, never counted as one of the client's harvesting requests.
        ``widen``: whether a flagged request may become one of the campaign's exemplars."""
        rule = self.rule
        campaign.requests += 1
        campaign.evidence += instruction.evidence
        campaign.last_seen = max(campaign.last_seen, now)
        # A flagged request was counted as harvesting when it was observed.
        _hit(campaign, who, rule.max_members, self._totals, count=not instruction.flagged and not template)
        new = who not in campaign.members
        if new:
            if len(campaign.members) < rule.max_members:
                campaign.members.add(who)
            else:
                campaign.extra_members += 1  # a member past the bound may be counted twice: an upper bound
        new_strong = instruction.flagged and who not in campaign.strong
        if new_strong:
            if len(campaign.strong) < rule.max_members:
                campaign.strong.add(who)
            else:
                campaign.extra_strong += 1
        new_plain = instruction.plain and who not in campaign.plain
        if new_plain:
            if len(campaign.plain) < rule.max_members:
                campaign.plain.add(who)
            else:
                campaign.extra_plain += 1
        _bounded_add(campaign.skeletons, instruction.skeleton, rule.max_skeletons)
        if instruction.category is not None:
            _bounded_add(campaign.categories, instruction.category, 16)
        for feature in features:
            _bounded_add(campaign.features, feature, rule.max_features)
        # The centroid follows its members slowly (weight at most 1/50), for sharing and reports.
        weight = 1.0 / min(50, campaign.requests)
        campaign.centroid = _unit((1 - weight) * campaign.centroid + weight * vector)
        if campaign.source is not None:
            return new, new_strong, new_plain  # an imported campaign's reach stays what its source shared
        self._campaigns.move_to_end(campaign.id)
        # Only a flagged request widens the campaign's reach: near misses joining at the edge
        # (a student's "show your steps") would otherwise walk it, exemplar by exemplar, into
        # honest traffic.
        if instruction.flagged and widen and _add_exemplar(campaign, vector, rule):
            self._rebuild()
        return new, new_strong, new_plain

    def _remember(self, who: str, instruction: Instruction, vector: Vector, now: float, template: bool) -> None:
        assert self._recent is not None
        slot = self._next % self.rule.window_size
        self._recent[slot] = vector
        self._recent_client[slot] = who
        self._recent_time[slot] = now
        self._recent_skeleton[slot] = instruction.skeleton
        self._recent_category[slot] = instruction.category
        self._recent_strong[slot] = instruction.flagged
        self._recent_plain[slot] = instruction.plain
        self._recent_template[slot] = template
        self._next += 1

    def _form(self, vector: Vector, now: float) -> tuple[Campaign, float] | None:
        assert self._recent is not None
        rule = self.rule
        live = self._recent_time >= now - rule.window
        sims = self._recent @ vector
        near = np.flatnonzero(live & (sims >= rule.form_similarity))
        if near.size < rule.form_requests:
            return None
        clients = {self._recent_client[i] for i in near}
        if len(clients) < rule.form_clients:
            return None
        if int(self._recent_strong[near].sum()) < rule.form_strong:
            return None
        skeletons = Counter(self._recent_skeleton[i] for i in near)
        categories = Counter(c for i in near if (c := self._recent_category[i]) is not None)
        seed = min(skeletons.items(), key=lambda kv: (-kv[1], kv[0]))[0]
        campaign_id = _campaign_id(seed)
        campaign = self._campaigns.get(campaign_id)
        if campaign is None:
            campaign = Campaign(
                campaign_id,
                _unit(self._recent[near].mean(axis=0)),
                first_seen=float(self._recent_time[near].min()),
                last_seen=now,
            )
        campaign.requests += int(near.size)
        campaign.members |= set(list(clients)[: rule.max_members - len(campaign.members)])
        strong = {self._recent_client[i] for i in near if self._recent_strong[i]}
        campaign.strong |= set(sorted(strong)[: max(0, rule.max_members - len(campaign.strong))])
        plain = {self._recent_client[i] for i in near if self._recent_plain[i]}
        campaign.plain |= set(sorted(plain)[: max(0, rule.max_members - len(campaign.plain))])
        for skeleton, n in skeletons.most_common(rule.max_skeletons):
            campaign.skeletons[skeleton] += n
        campaign.categories.update(categories)
        for i in sorted(near, key=lambda i: self._recent_time[i]):
            counted = not self._recent_strong[i] and not self._recent_template[i]
            _hit(campaign, self._recent_client[i], rule.max_members, self._totals, count=counted)
        for i in near:
            _add_exemplar(campaign, self._recent[i], rule)
        self._campaigns[campaign_id] = campaign
        self._recent_time[near] = -math.inf  # these now count in the campaign, not the window
        while len(self._campaigns) > rule.max_campaigns:
            self._campaigns.popitem(last=False)
        self._rebuild()
        return campaign, float(sims[near].mean())

    def _rebuild(self) -> None:
        rows = [(cid, v) for cid, c in self._campaigns.items() for v in (c.exemplars or [c.centroid])]
        rows += [(cid, v) for cid, c in self._shared.items() for v in c.exemplars]
        self._order = [cid for cid, _ in rows]
        self._matrix = np.stack([v for _, v in rows]) if rows else None

    def _match(
        self,
        campaign: Campaign,
        who: str,
        similarity: float,
        linkage: tuple[str, ...],
        strict: bool,
        flagged: bool = True,
        *,
        now: float,
        formed: bool = False,
        new_member: bool = False,
        new_strong: bool = False,
        new_plain: bool = False,
        template: bool = False,
        configured: bool = False,
        skeleton: str | None = None,
        framed_request: bool = False,
    ) -> CampaignMatch:
        level, framed = self._level(campaign)
        if strict and framed is None:  # a stricter tier does not lift what the frame held
            level = _raise_one(level)
        level, capped = self._request_caps(level, framed, framed_request, not flagged, similarity, configured)
        level, held = self._client_level(
            campaign,
            who,
            level,
            now,
            template,
            configured,
            skeleton,
            similarity,
            weak_request=framed_request or not flagged,
        )
        return CampaignMatch(
            campaign_id=campaign.id,
            level=level,
            members=campaign.member_count,
            requests=campaign.requests,
            similarity=round(similarity, 4),
            signature=campaign.signature(),
            categories=tuple(c for c, _ in campaign.categories.most_common(3)),
            first_seen=campaign.first_seen,
            last_seen=campaign.last_seen,
            linkage=linkage,
            formed=formed,
            source=campaign.source,
            new_member=new_member,
            new_strong=new_strong,
            strong=campaign.strong_count if campaign.source is None else campaign.member_count,
            new_plain=new_plain,
            held=held or capped,
            template=template,
            configured=configured,
            skeleton=skeleton,
            framed=framed_request,
            near_miss=not flagged,
        )

    # -- sharing between replicas ------------------------------------------------------------

    async def publish(self, match: CampaignMatch, client: str, evidence: float, now: float) -> None:
        """Count one member request of ``match``'s campaign in the store (with its centroid when
        it was just formed), so that other replicas load and count it too."""
        if self.store is None:
            return
        # Every field is a count of this request's own contribution (one request, one new member
        # or none): replicas add into the same hash, and what a replica loads back is never
        # published again, so counts cannot feed on themselves.
        increments: dict[str, float] = {_REQUESTS: 1.0, _EVIDENCE: evidence, _client_hash(client): 1.0}
        if match.new_member:
            increments[_MEMBERS] = 1.0
        if match.new_strong:
            increments[_STRONG] = 1.0
        if match.new_plain:
            increments[_PLAIN] = 1.0
        centroid: dict[str, float] = {}
        with self._lock:
            campaign = self._campaigns.get(match.campaign_id)
            if campaign is None:  # gone, or imported (the source keeps its own counts)
                return
            if match.formed:
                increments[_REQUESTS] = float(campaign.requests)
                increments[_FIRST] = campaign.first_seen
                # The centroid has a key of its own, written once: the counters' hash stays
                # small, so each member request's update copies a few fields, not 384.
                centroid = {f"@v{i}": float(x) for i, x in enumerate(campaign.centroid)}
                for category, n in campaign.categories.items():
                    increments["_c:" + category] = float(n)
                for skeleton, n in campaign.skeletons.most_common(self.rule.max_skeletons):
                    increments["_s:" + skeleton] = float(n)
                increments[_MEMBERS] = float(len(campaign.members))
                increments[_STRONG] = float(len(campaign.strong))
                increments[_PLAIN] = float(len(campaign.plain))
        if centroid:
            await self.store.bump("k:" + match.campaign_id + ":v", centroid, now, self.rule.decay)
        await self.store.bump("k:" + match.campaign_id, increments, now, self.rule.decay)
        await self.store.bump(_INDEX_KEY, {match.campaign_id: 1.0}, now, self.rule.decay)

    async def refresh(self, now: float, *, force: bool = False) -> int:
        """Load campaigns formed on other replicas (at most every ``refresh_every`` seconds);
        returns how many were new here."""
        if self.store is None or (not force and now - self._last_refresh < self.refresh_every):
            return 0
        self._last_refresh = now
        index = await self.store.get(_INDEX_KEY)
        known = set(self._campaigns)
        fresh = 0
        reshaped = False
        for campaign_id in [k for k in index if not k.startswith(("@", "_"))][: self.rule.max_campaigns]:
            if campaign_id in known:  # counts only; the centroid is already here
                fields = await self.store.get("k:" + campaign_id)
                with self._lock:
                    mine = self._campaigns.get(campaign_id)
                    if mine is not None and fields:  # the store's counts are every replica's: the larger
                        mine.requests = max(mine.requests, _count(fields.get(_REQUESTS, 0.0)))
                        mine.extra_members = max(0, _count(fields.get(_MEMBERS, 0.0)) - len(mine.members))
                        mine.extra_strong = max(0, _count(fields.get(_STRONG, 0.0)) - len(mine.strong))
                        mine.extra_plain = max(0, _count(fields.get(_PLAIN, 0.0)) - len(mine.plain))
                        continue
                vector: Mapping[str, float] = {}
            else:
                fields, vector = await asyncio.gather(
                    self.store.get("k:" + campaign_id), self.store.get("k:" + campaign_id + ":v")
                )
            loaded = _from_fields(campaign_id, fields, vector, known=campaign_id in known)
            if loaded is None:
                continue
            with self._lock:
                mine = self._campaigns.get(campaign_id)
                if mine is None:
                    if self._dim is not None and loaded.centroid.shape[0] != self._dim:
                        continue
                    self._dim = loaded.centroid.shape[0]
                    if self._recent is None:
                        self._recent = np.zeros((self.rule.window_size, self._dim), dtype=np.float32)
                    self._campaigns[campaign_id] = loaded
                    fresh += campaign_id not in known
                    reshaped = True
                else:  # counts from every replica: the store's are the larger
                    mine.requests = max(mine.requests, loaded.requests)
                    mine.extra_members = max(0, loaded.member_count - len(mine.members))
                    mine.extra_strong = max(0, loaded.strong_count - len(mine.strong))
                    mine.extra_plain = max(0, loaded.plain_count - len(mine.plain))
                while len(self._campaigns) > self.rule.max_campaigns:
                    self._campaigns.popitem(last=False)
                    reshaped = True
        if reshaped:
            # Once, and only when a campaign came or went: counts alone leave the matrix as it is
            # (rebuilding it per campaign made a refresh quadratic in the campaigns held).
            with self._lock:
                self._rebuild()
        return fresh


@dataclass
class _Senders:
    """The keys that sent one exact instruction in a configuration message (``_note_instruction``)."""

    keys: OrderedDict[str, bool]  # the most recent ones, least recent first: whether each conversed
    count: int  # distinct keys since ``since``
    since: float


def _add_exemplar(campaign: Campaign, vector: Vector, rule: CampaignRule) -> bool:
    """Keep ``vector`` as an exemplar if no exemplar is within ``exemplar_spread`` and there is room."""
    if len(campaign.exemplars) >= rule.max_exemplars:
        return False
    if campaign.exemplars and float(np.max(np.stack(campaign.exemplars) @ vector)) >= rule.exemplar_spread:
        return False
    campaign.exemplars.append(np.array(vector, dtype=np.float32))
    return True


def _bounded_add(counter: Counter[str], key: str, bound: int) -> None:
    if key in counter or len(counter) < bound:
        counter[key] += 1
        return
    smallest = min(counter.items(), key=lambda kv: (kv[1], kv[0]))
    if smallest[1] <= 1:  # a newcomer replaces a one-off, so the bound holds and frequent keys stay
        del counter[smallest[0]]
        counter[key] = 1


def _count(value: float) -> int:
    # The store is shared and may hold anything a replica (or an older version) wrote.
    return round(value) if math.isfinite(value) and value > 0 else 0


def _from_fields(
    campaign_id: str, fields: Mapping[str, float], vector: Mapping[str, float], *, known: bool = False
) -> Campaign | None:
    dims = sorted((int(k[2:]), v) for k, v in vector.items() if k.startswith("@v") and k[2:].isdigit())
    if known:
        dims = dims or [(0, 1.0)]  # counts for a campaign this replica has: its own centroid stays
    if not fields or not dims or [i for i, _ in dims] != list(range(len(dims))):
        return None
    campaign = Campaign(
        campaign_id,
        _unit(np.array([v for _, v in dims], dtype=np.float32)),
        first_seen=fields.get(_FIRST, fields.get("@t", 0.0)),
        last_seen=fields.get("@t", 0.0),
        requests=_count(fields.get(_REQUESTS, 0.0)),
        evidence=fields.get(_EVIDENCE, 0.0),
    )
    campaign.extra_members = _count(fields.get(_MEMBERS, 0.0))
    campaign.extra_strong = _count(fields.get(_STRONG, 0.0))
    campaign.extra_plain = _count(fields.get(_PLAIN, 0.0))
    for key, value in fields.items():
        if key.startswith("_c:"):
            campaign.categories[key[3:]] = round(value)
        elif key.startswith("_s:"):
            campaign.skeletons[key[3:]] = round(value)
    return campaign
