"""The request verdict and the small records it is made of, shared by every layer."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from querysentry.categories import Category, Severity

__all__ = [
    "INTEL_SEPARATOR",
    "Action",
    "ClientVerdict",
    "Level",
    "Match",
    "MatchedSegment",
    "Mode",
    "Timings",
    "Verdict",
    "intel_source",
]

# The vocabulary every layer shares: what a decision does, where a client stands, how a deployment
# acts. Beside the verdict types so that the engine, policy, storage and edges all read one source.
Mode = Literal["shadow", "tag", "enforce"]
Action = Literal["allow", "tag", "throttle", "block"]
Level = Literal["ok", "tag", "throttle", "block"]

# Between an imported (intel) pattern's own id and its source: ``<pattern id>@<source>``. The
# library's ids never contain it, so a verdict's pattern id alone tells a shared pattern's source.
INTEL_SEPARATOR = "@"


def intel_source(pattern_id: str | None) -> str | None:
    """The intel source of an imported pattern's id; None for a local pattern (or no id)."""
    if not pattern_id or INTEL_SEPARATOR not in pattern_id:
        return None
    return pattern_id.rpartition(INTEL_SEPARATOR)[2]


@dataclass(frozen=True)
class Match:
    """One pattern near a segment."""

    pattern_id: str
    category: Category
    severity: Severity
    similarity: float

    def to_dict(self) -> dict[str, Any]:
        return {
            "pattern_id": self.pattern_id,
            "category": self.category.value,
            "severity": self.severity.value,
            "similarity": round(self.similarity, 4),
        }


@dataclass(frozen=True)
class MatchedSegment:
    """Where in the request the deciding match was found (offsets into the normalised text)."""

    text: str
    message_index: int
    role: str
    start: int
    end: int
    kind: str

    def to_dict(self, *, include_text: bool = True) -> dict[str, Any]:
        data: dict[str, Any] = {
            "message_index": self.message_index,
            "role": self.role,
            "start": self.start,
            "end": self.end,
            "kind": self.kind,
        }
        if include_text:
            data["text"] = self.text
        return data


@dataclass(frozen=True)
class Timings:
    """Milliseconds spent in each step of one check."""

    normalize_ms: float = 0.0
    embed_ms: float = 0.0
    search_ms: float = 0.0
    total_ms: float = 0.0

    def to_dict(self) -> dict[str, float]:
        return {k: round(v, 3) for k, v in self.__dict__.items()}


@dataclass(frozen=True)
class Verdict:
    """What the detector concluded about one request.

    ``score`` is the cosine similarity of the deciding match and ``margin`` its distance to that
    category's threshold: ``flagged`` is ``margin >= 0``. ``lane_scores`` holds the best
    effective (benign-adjusted) similarity per lane (``category`` or ``category:explicit``), for
    calibration. When the best extraction match was
    out-scored by a benign look-alike, ``suppressed`` is set and ``suppressed_by`` names it.
    ``truncated`` says that part of the request's text was not scanned (a message cut to its
    head and tail, or messages past the request's character budget).
    """

    flagged: bool
    score: float
    margin: float
    category: Category | None
    severity: Severity | None
    threshold: float | None
    matches: tuple[Match, ...]
    segment: MatchedSegment | None
    suppressed: bool = False
    suppressed_by: Match | None = None
    evasion: tuple[str, ...] = ()
    segments_scanned: int = 0
    index_version: str = ""
    timings: Timings = field(default_factory=Timings)
    lane_scores: Mapping[str, float] = field(default_factory=dict)
    frames: tuple[str, ...] = ()
    truncated: bool = False

    @property
    def pattern_id(self) -> str | None:
        """The deciding pattern (``matches[0]``), or None when nothing was scanned."""
        return self.matches[0].pattern_id if self.matches else None

    @property
    def source(self) -> str | None:
        """The intel source whose shared pattern flagged the request; None when a local pattern
        did (or nothing was flagged). Shared patterns are searched as ``<id>@<source>``."""
        return intel_source(self.matches[0].pattern_id) if self.flagged and self.matches else None

    def to_dict(self, *, include_text: bool = True) -> dict[str, Any]:
        """A JSON-ready dict; ``include_text=False`` leaves out the matched prompt text."""
        return {
            "flagged": self.flagged,
            "source": self.source,
            "score": round(self.score, 4),
            "margin": round(self.margin, 4),
            "category": self.category.value if self.category else None,
            "severity": self.severity.value if self.severity else None,
            "threshold": self.threshold,
            "matches": [m.to_dict() for m in self.matches],
            "segment": self.segment.to_dict(include_text=include_text) if self.segment else None,
            "suppressed": self.suppressed,
            "suppressed_by": self.suppressed_by.to_dict() if self.suppressed_by else None,
            "evasion": list(self.evasion),
            "segments_scanned": self.segments_scanned,
            "index_version": self.index_version,
            "timings": self.timings.to_dict(),
            "lane_scores": {k: round(v, 4) for k, v in sorted(self.lane_scores.items())},
            "frames": list(self.frames),
            "truncated": self.truncated,
        }


@dataclass(frozen=True)
class ClientVerdict:
    """What QuerySentry concluded about the client behind a request, across its requests.

    ``risk`` ≥ 1 is enough to act on; ``level`` is where the client policy put it (``ok``, ``tag``,
    ``throttle``, ``block``), with hysteresis. ``reasons`` say why, without prompt text. A client in
    a cluster (many keys sending one suspicious template) carries its ``cluster_id`` and risk.
    """

    client: str
    risk: float
    level: str
    reasons: tuple[str, ...] = ()
    requests: float = 0.0
    own_risk: float = 0.0
    cluster_id: str | None = None
    cluster_members: int = 0
    cluster_risk: float = 0.0
    template: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "risk": round(self.risk, 4),
            "level": self.level,
            "reasons": list(self.reasons),
            "requests": round(self.requests, 2),
            "own_risk": round(self.own_risk, 4),
            "cluster_id": self.cluster_id,
            "cluster_members": self.cluster_members,
            "cluster_risk": round(self.cluster_risk, 4),
            "template": self.template,
        }
