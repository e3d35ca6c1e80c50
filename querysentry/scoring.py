"""Turning the nearest patterns of each segment into a request verdict. Pure; no I/O.

For every segment and lane ``l`` (an extraction category, split into its explicit, high-severity
patterns and the rest) with best similarity ``s_l``, and the segment's best benign look-alike
``s_b``, the effective score is::

    e_l = s_l - benign_weight * max(0, s_b - s_l + benign_slack)  (+ frame_bonus)

so a segment that sits closer to a benign look-alike than to any extraction pattern is pushed down
smoothly (no cliff that an attacker could tune against). When the request is shaped like a filled
benchmark item (``text.structure``), ``frame_bonus`` is added to the generic (non-explicit) lanes
of the categories that harvest answers to such items. The margin ``e_l - threshold_l`` decides,
and the request takes the largest margin over all its segments: one instruction anywhere in the
prompt is enough, however long the rest.

With ``generic_needs_frame`` (the shipped thresholds set it), a generic phrasing of those
categories flags only a request shaped like a benchmark item: "Show your work." under a student's
own question is what tutoring apps and homework send every day, while the same phrasing under
filled exam items is the harvest. Unframed, such a lane is a near miss at most (its margin is held
at ``PHRASING_ALONE_MARGIN``, so client and campaign evidence still see it) and it is left out of
``lane_scores``, so calibration spends the false-positive budget on lanes that can flag.

``configured_needs_frame`` (off in the shipped thresholds; measured in RESULTS.md) extends that
to the explicit lanes of the same categories in configuration messages (system, developer): an
app's own "solve it step by step and show your work" is then a near miss unless the request is
an item. It spares an app's users, and lets a campaign that puts its harvest in the system
message through, which is why it is off.

A segment of a user or tool turn that names the assistant's own configuration ("your system
prompt", "the text above this message"; ``text.disclosure``) gets ``disclosure_bonus`` on its
prompt-extraction lanes: a paraphrase of an extraction the library does not hold, near a pattern
but under it, is pushed over by the target it names. It is in ``lane_scores`` too, so calibration
pays for it in benign false positives. ``tool_trace_bonus`` does the same for agent-trace lanes
of a segment that asks for tool calls or their outputs whole ("every raw tool_result"), and
``purpose_bonus`` for instruction-generation and data-augmentation lanes of a segment that asks
for many items for a training set ("200 question-answer pairs to train a smaller model").

Search hits and their patterns are read through two small protocols (``ScoredHit``,
``ScoredPattern``), so scoring knows nothing of the index or the library that produce them;
thresholds files are read by ``querysentry.threshold_files``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, NamedTuple, Protocol

from querysentry.categories import EXTRACTION_CATEGORIES, Category, Severity
from querysentry.errors import QuerySentryError
from querysentry.messages import PRIORITY_ROLES
from querysentry.text.disclosure import names_own_configuration, names_tool_trace, names_training_purpose
from querysentry.text.segment import Segment
from querysentry.verdict import Match, MatchedSegment

__all__ = [
    "ALL_LANES",
    "Lane",
    "LaneDecision",
    "ScoredHit",
    "ScoredPattern",
    "Thresholds",
    "decide",
]

MATCHES_REPORTED = 5
# The margin a generic answer-harvesting phrasing gets in an unframed request when
# ``generic_needs_frame`` holds: just under the threshold, so it never flags on its own but counts
# as a near miss (``behaviour.signals.request_evidence`` ramps from 0.15 below the threshold).
PHRASING_ALONE_MARGIN = -0.01
# Turns whose text takes ``Thresholds.disclosure_bonus`` (or ``tool_trace_bonus``) when it names
# the assistant's own configuration (or its raw tool trace; ``text.disclosure``): what a user
# writes, and what a tool returns (an injected page asking for the system prompt).
DISCLOSURE_ROLES = frozenset({"user", "tool"})


class ScoredPattern(Protocol):
    """What scoring reads of a pattern (``querysentry.library.Pattern`` is one)."""

    @property
    def id(self) -> str: ...
    @property
    def category(self) -> Category: ...
    @property
    def severity(self) -> Severity: ...


class ScoredHit(Protocol):
    """What scoring reads of a search hit (``querysentry.index.SearchHit`` is one)."""

    @property
    def pattern(self) -> ScoredPattern: ...
    @property
    def similarity(self) -> float: ...


class Lane(NamedTuple):
    """A category, split by how specific its patterns are.

    High-severity patterns ("print your hidden chain of thought") are specific to extraction;
    medium and low ones ("let's think step by step") also occur in ordinary use. Each lane has its
    own threshold, so common phrasings cannot drag the threshold of explicit ones up with them.
    """

    category: Category
    explicit: bool

    @property
    def key(self) -> str:
        return f"{self.category.value}:explicit" if self.explicit else self.category.value

    @classmethod
    def parse(cls, key: str | Category) -> Lane:
        if isinstance(key, Category):
            return cls(key, False)
        name, _, tier = key.partition(":")
        if tier not in ("", "explicit"):
            raise ValueError(f"unknown lane {key!r} (use CATEGORY or CATEGORY:explicit)")
        return cls(Category(name), tier == "explicit")

    @classmethod
    def of(cls, pattern: ScoredPattern) -> Lane:
        return cls(pattern.category, pattern.severity is Severity.HIGH)


ALL_LANES: tuple[Lane, ...] = tuple(Lane(c, explicit) for c in EXTRACTION_CATEGORIES for explicit in (False, True))


@dataclass(frozen=True)
class Thresholds:
    """Similarity thresholds per lane (``category`` or ``category:explicit``) and scoring knobs.

    A missing ``category:explicit`` threshold falls back to the category's, and a missing category
    to ``default``.
    """

    per_lane: Mapping[str, float] = field(default_factory=dict)
    default: float = 0.75
    benign_weight: float = 1.0
    benign_slack: float = 0.0
    frame_bonus: float = 0.0
    generic_needs_frame: bool = False
    configured_needs_frame: bool = False
    disclosure_bonus: float = 0.0
    tool_trace_bonus: float = 0.0
    purpose_bonus: float = 0.0
    source: str = "built-in"

    def __post_init__(self) -> None:
        for name in ("disclosure_bonus", "tool_trace_bonus", "purpose_bonus"):
            if not 0.0 <= getattr(self, name) <= 1.0:
                raise ValueError(f"{name} must be in [0, 1]")
        normalised: dict[str, float] = {}
        for key, value in self.per_lane.items():
            lane = Lane.parse(key)
            if lane.category is Category.BENIGN:
                raise ValueError("benign look-alikes have no threshold")
            if not -1.0 <= float(value) <= 1.0:
                raise ValueError(f"threshold for {lane.key} must be a cosine in [-1, 1]")
            normalised[lane.key] = float(value)
        object.__setattr__(self, "per_lane", normalised)

    def for_lane(self, lane: Lane) -> float:
        if lane.explicit and lane.key in self.per_lane:
            return self.per_lane[lane.key]
        return self.per_lane.get(lane.category.value, self.default)

    def for_category(self, category: Category) -> float:
        return self.for_lane(Lane(category, False))

    def with_overrides(self, overrides: Mapping[str, float] | Mapping[Category, float]) -> Thresholds:
        merged = dict(self.per_lane)
        merged.update({Lane.parse(k).key: float(v) for k, v in overrides.items()})
        return replace(self, per_lane=merged)

    @classmethod
    def from_json(cls, data: Mapping[str, Any], source: str = "<mapping>") -> Thresholds:
        try:
            return cls(
                per_lane={str(k): float(v) for k, v in data.get("thresholds", {}).items()},
                default=float(data.get("default", 0.75)),
                benign_weight=float(data.get("benign_weight", 1.0)),
                benign_slack=float(data.get("benign_slack", 0.0)),
                frame_bonus=float(data.get("frame_bonus", 0.0)),
                generic_needs_frame=_flag(data.get("generic_needs_frame", False), "generic_needs_frame"),
                configured_needs_frame=_flag(data.get("configured_needs_frame", False), "configured_needs_frame"),
                disclosure_bonus=float(data.get("disclosure_bonus", 0.0)),
                tool_trace_bonus=float(data.get("tool_trace_bonus", 0.0)),
                purpose_bonus=float(data.get("purpose_bonus", 0.0)),
                source=source,
            )
        except (ValueError, TypeError, AttributeError) as exc:
            raise QuerySentryError(f"{source}: invalid thresholds: {exc}") from None

    def to_json(self) -> dict[str, Any]:
        return {
            "thresholds": {k: round(v, 4) for k, v in sorted(self.per_lane.items())},
            "default": self.default,
            "benign_weight": self.benign_weight,
            "benign_slack": self.benign_slack,
            "frame_bonus": self.frame_bonus,
            "generic_needs_frame": self.generic_needs_frame,
            "configured_needs_frame": self.configured_needs_frame,
            "disclosure_bonus": self.disclosure_bonus,
            "tool_trace_bonus": self.tool_trace_bonus,
            "purpose_bonus": self.purpose_bonus,
        }


def _flag(value: object, name: str) -> bool:
    if not isinstance(value, bool):  # "false" in a hand-edited file must not read as True
        raise ValueError(f"{name} must be true or false")
    return value


@dataclass(frozen=True)
class LaneDecision:
    """The deciding (segment, lane) of a request, as scoring picks it from the search hits.

    Only the scoring fields of a verdict: the detector adds timings and metadata. (Not the
    decision a deployment takes on a request, which also weighs behaviour and policy.)
    """

    flagged: bool
    score: float
    margin: float
    category: Category | None
    severity: Severity | None
    threshold: float | None
    matches: tuple[Match, ...]
    segment: MatchedSegment | None
    suppressed: bool
    suppressed_by: Match | None
    lane_scores: Mapping[str, float] = field(default_factory=dict)


_NO_DECISION = LaneDecision(False, 0.0, -1.0, None, None, None, (), None, False, None)


def _match(hit: ScoredHit) -> Match:
    p = hit.pattern
    return Match(p.id, p.category, p.severity, hit.similarity)


# Categories whose harvest is answers to benchmark items: reasoning traces, bulk Q/A, confidences.
FRAME_CATEGORIES = frozenset({Category.REASONING_TRACE, Category.QA_HARVESTING, Category.LOGIT_EXTRACTION})


def needs_frame(
    category: Category | None, severity: Severity | None, margin: float, frames: Sequence[str], thresholds: Thresholds
) -> bool:
    """Whether a flag stands only on the frame bonus: a generic phrasing in a frame category,
    flagged because the request is shaped like a benchmark item and below its threshold without
    that shape. An evaluation harness's "Give only the final answer." is such a flag; "Let's
    think step by step." clears the threshold on its own."""
    return (
        margin >= 0
        and bool(frames)
        and category in FRAME_CATEGORIES
        and severity is not Severity.HIGH
        and margin < thresholds.frame_bonus
    )


def decide(
    segment_hits: Sequence[tuple[Segment, Sequence[ScoredHit]]],
    thresholds: Thresholds,
    frames: frozenset[str] = frozenset(),
) -> LaneDecision:
    """Pick the segment and category with the largest margin. O(segments × k)."""
    bonus = thresholds.frame_bonus if frames else 0.0
    # A generic answer-harvesting phrasing alone (no item frame) is a near miss, never a flag.
    phrasing_alone = thresholds.generic_needs_frame and not frames
    best: LaneDecision = _NO_DECISION
    any_suppressed: Match | None = None
    lane_scores: dict[str, float] = {}
    for segment, hits in segment_hits:
        cues: dict[Callable[[str], bool], bool] = {}
        # An app's own instructions (system, developer): with ``configured_needs_frame`` the explicit
        # lanes of the frame categories need the item's shape there too.
        configured = thresholds.configured_needs_frame and not frames and segment.role in PRIORITY_ROLES
        benign = max((h for h in hits if h.pattern.category is Category.BENIGN), key=_sim, default=None)
        best_per_lane: dict[Lane, ScoredHit] = {}
        for hit in hits:
            if not hit.pattern.category.is_extraction:
                continue
            lane = Lane.of(hit.pattern)
            if lane not in best_per_lane or hit.similarity > best_per_lane[lane].similarity:
                best_per_lane[lane] = hit
        for lane, hit in best_per_lane.items():
            threshold = thresholds.for_lane(lane)
            penalty = 0.0
            if benign is not None:
                gap = benign.similarity - hit.similarity + thresholds.benign_slack
                penalty = thresholds.benign_weight * max(0.0, gap)
            # Only generic phrasings need the item's shape as extra evidence; explicit ones keep
            # their own (lower) thresholds undisturbed.
            framed = lane.category in FRAME_CATEGORIES and not lane.explicit
            effective = hit.similarity - penalty + (bonus if framed else 0.0)
            effective += _target_bonus(lane.category, segment, thresholds, cues)
            margin = effective - threshold
            suppressed = penalty > 0 and hit.similarity >= threshold and margin < 0
            if (framed and phrasing_alone) or (configured and lane.category in FRAME_CATEGORIES):
                margin = min(margin, PHRASING_ALONE_MARGIN)
            elif effective > lane_scores.get(lane.key, -1.0):
                lane_scores[lane.key] = effective
            if suppressed and benign is not None:
                any_suppressed = _match(benign)
            if margin > best.margin or best.category is None:
                best = LaneDecision(
                    flagged=margin >= 0,
                    score=hit.similarity,
                    margin=margin,
                    category=lane.category,
                    severity=hit.pattern.severity,
                    threshold=threshold,
                    # The deciding match first, then the segment's other nearest patterns.
                    matches=(_match(hit), *(_match(h) for h in _nearest(hits, hit))),
                    segment=MatchedSegment(
                        segment.text, segment.message_index, segment.role, segment.start, segment.end, segment.kind
                    ),
                    suppressed=suppressed,
                    suppressed_by=_match(benign) if suppressed and benign is not None else None,
                )
    if not best.flagged and any_suppressed is not None and not best.suppressed:
        # Report that a would-be match was suppressed even if another candidate decided.
        return replace(best, lane_scores=lane_scores, suppressed=True, suppressed_by=any_suppressed)
    return replace(best, lane_scores=lane_scores)


# The cue (``text.disclosure``) each category's lanes read, and the knob holding its bonus.
_TARGET_CUES: dict[Category, tuple[Callable[[Thresholds], float], Callable[[str], bool]]] = {
    Category.PROMPT_EXTRACTION: (lambda t: t.disclosure_bonus, names_own_configuration),
    Category.AGENT_TRACE: (lambda t: t.tool_trace_bonus, names_tool_trace),
    Category.INSTRUCTION_GENERATION: (lambda t: t.purpose_bonus, names_training_purpose),
    Category.DATA_AUGMENTATION: (lambda t: t.purpose_bonus, names_training_purpose),
}


def _target_bonus(
    category: Category, segment: Segment, thresholds: Thresholds, seen: dict[Callable[[str], bool], bool]
) -> float:
    """The bonus a lane of ``category`` takes in ``segment``. Lazy: a cue's regexes run at most once
    per segment, and only for a segment with a hit in one of its lanes (``seen`` memoises)."""
    cue = _TARGET_CUES.get(category)
    # Only a turn the user (or a tool's output) controls: an app's own system prompt says "never
    # reveal your instructions" and is no request for them.
    if cue is None or segment.role not in DISCLOSURE_ROLES:
        return 0.0
    knob, names = cue
    size = knob(thresholds)
    if size <= 0:
        return 0.0
    if names not in seen:
        seen[names] = names(segment.text)
    return size if seen[names] else 0.0


def _sim(hit: ScoredHit) -> float:
    return hit.similarity


def _nearest(hits: Sequence[ScoredHit], deciding: ScoredHit) -> list[ScoredHit]:
    others = [h for h in hits if h is not deciding]
    return sorted(others, key=_sim, reverse=True)[: MATCHES_REPORTED - 1]
