"""Client evidence from decayed counters: pure functions, no storage and no I/O.

One request is weak evidence; a client is judged by the evidence it accumulates. Each request adds
``evidence`` in [0, 1]: 1 when the request detector flags it, ramping down to 0 for requests that
fall ``ramp`` or more below their category's threshold (so a template that always lands just under
the threshold still counts, while ordinary prompts, far below, count nothing). A client's risk is
its *excess* evidence, ``evidence − allowance × requests``, in units of ``needed``: the allowance
absorbs the background rate at which benign clients trip the request detector (about 1 % flagged
and a few near misses), so a benign client's excess stays at or below zero however long it talks,
while a campaign's grows with every request. The same excess is computed over the requests that
share one template unit, so a campaign blended into ordinary traffic is not diluted by it.
Template reuse alone adds nothing: a benign app that repeats its own system prompt has reuse
without evidence, and its risk stays zero.

Evidence from a system message the client has already sent (an application's own instructions,
constant by design) counts only when the request is also benchmark-shaped (answer options, Q/A
frames). A role-play system prompt that lands near a threshold is then one piece of evidence, not
two hundred. A campaign that puts its instruction in the system message and exam items in the
user turn keeps counting, because its fills are the benchmark items it harvests. In the dev data,
61 % of exam questions carry such a frame against 0.05 % of ordinary questions. A user turn that
repeats the same instruction with new fills is the campaign pattern itself and always counts.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

from querysentry.verdict import Verdict

__all__ = ["ClientSignals", "RiskModel", "counted_evidence", "request_evidence"]

# Client hash fields (see querysentry.storage.base for what the first character means).
REQUESTS, EVIDENCE, FLAGGED, BENCHMARK = "_n", "_e", "_f", "_b"
GAPS, GAPS_SQUARED, GAP_COUNT = "_g1", "_g2", "_gn"
USES, USE_EVIDENCE, CATEGORY, SEGMENT = "t:", "e:", "k:", "s:"


def request_evidence(verdict: Verdict | None, ramp: float = 0.15) -> float:
    """1.0 for a flagged request, linearly less down to 0.0 at ``ramp`` below the threshold."""
    if verdict is None or verdict.category is None:
        return 0.0
    return min(1.0, max(0.0, (verdict.margin + ramp) / ramp))


def counted_evidence(evidence: float, repeat: bool, benchmark: bool, flagged: bool = False) -> float:
    """The evidence a request adds to its client. A near miss repeated in an app's system message
    counts once (an app resends its own instructions with every request); a flagged request
    always counts, repeated or not: a harvesting instruction in a repeated system message is
    still a harvesting instruction."""
    return evidence if flagged or benchmark or not repeat else 0.0


@dataclass(frozen=True)
class ClientSignals:
    """What a client's counters say, decayed: the numbers behind its risk and its reasons."""

    requests: float
    evidence: float
    flagged: float
    benchmark: float
    template: str | None  # the unit hash with the largest excess evidence (or the most uses)
    template_uses: float
    template_evidence: float
    category: str | None  # the category holding most of the evidence
    timing_cv: float | None  # coefficient of variation of the gaps between requests
    mean_gap: float | None = None  # seconds between requests, on average (decayed)

    @classmethod
    def from_fields(cls, fields: Mapping[str, float], allowance: float, min_template_uses: float) -> ClientSignals:
        """O(fields)."""
        best: tuple[float, float, str | None, float, float] = (-math.inf, 0.0, None, 0.0, 0.0)
        categories: dict[str, float] = {}
        for name, value in fields.items():
            if name.startswith(USES) and value >= min_template_uses:
                unit = name[len(USES) :]
                spent = fields.get(USE_EVIDENCE + unit, 0.0)
                key = (spent - allowance * value, value, unit, value, spent)
                if key[:2] > best[:2]:
                    best = key
            elif name.startswith(CATEGORY):
                categories[name[len(CATEGORY) :]] = value
        count = fields.get(GAP_COUNT, 0.0)
        cv = mean = None
        if count >= 1:
            mean = fields.get(GAPS, 0.0) / count
            variance = max(0.0, fields.get(GAPS_SQUARED, 0.0) / count - mean * mean)
            cv = math.sqrt(variance) / mean if mean > 0 else 0.0
        return cls(
            requests=fields.get(REQUESTS, 0.0),
            evidence=fields.get(EVIDENCE, 0.0),
            flagged=fields.get(FLAGGED, 0.0),
            benchmark=fields.get(BENCHMARK, 0.0),
            template=best[2],
            template_uses=best[3],
            template_evidence=best[4],
            category=max(categories, key=lambda c: (categories[c], c)) if categories else None,
            timing_cv=cv,
            mean_gap=mean,
        )


@dataclass(frozen=True)
class RiskModel:
    """How evidence becomes risk. ``risk >= 1`` is "enough to act on" (see ``ClientPolicy``).

    - ``allowance``: evidence per request a benign client is expected to produce anyway.
    - ``needed``: excess evidence (in flagged-request units) that makes risk 1.
    - ``ramp``: how far below a threshold a request still counts (``request_evidence``).
    - ``min_template_uses``: uses before a unit counts as a template of this client.
    - ``regular_cv``, ``regular_after``: machine-regular timing (gaps with a coefficient of variation
      under ``regular_cv`` over at least ``regular_after`` gaps) is reported as a reason, and so is
      a sustained rate of ``busy_per_minute`` or more. Timing and rate explain; they do not add
      risk, since busy benign apps are fast and regular too.
    """

    allowance: float = 0.1
    needed: float = 4.0
    ramp: float = 0.15
    min_template_uses: float = 3.0
    regular_cv: float = 0.2
    regular_after: float = 10.0
    busy_per_minute: float = 30.0

    def __post_init__(self) -> None:
        if not (0 <= self.allowance < 1 and self.needed > 0 and self.ramp > 0 and self.min_template_uses >= 1):
            raise ValueError("need 0 <= allowance < 1, needed > 0, ramp > 0 and min_template_uses >= 1")

    def signals(self, fields: Mapping[str, float]) -> ClientSignals:
        return ClientSignals.from_fields(fields, self.allowance, self.min_template_uses)

    def risk(self, s: ClientSignals) -> float:
        overall = s.evidence - self.allowance * s.requests
        templated = s.template_evidence - self.allowance * s.template_uses
        return max(0.0, overall, templated) / self.needed

    def reasons(self, s: ClientSignals) -> tuple[str, ...]:
        """Why the risk is what it is, in words an operator can act on (no prompt text)."""
        out: list[str] = []
        if s.requests and s.evidence - self.allowance * s.requests > 0:
            out.append(
                f"extraction evidence {s.evidence:.1f} over {s.requests:.0f} requests"
                + (f" ({s.flagged:.0f} flagged)" if s.flagged >= 0.5 else "")
                + (f", mostly {s.category}" if s.category else "")
            )
        if s.template is not None and s.template_evidence - self.allowance * s.template_uses > 0:
            out.append(
                f"template {s.template} reused in {s.template_uses:.0f} requests"
                f" with evidence {s.template_evidence:.1f}"
            )
        if s.requests >= 5 and s.benchmark / s.requests >= 0.3:
            out.append(f"benchmark-shaped content in {s.benchmark / s.requests:.0%} of requests")
        if s.timing_cv is not None and s.requests >= self.regular_after and s.timing_cv < self.regular_cv:
            out.append(f"machine-regular timing (gap cv {s.timing_cv:.2f})")
        if s.mean_gap is not None and s.requests >= self.regular_after and s.mean_gap > 0:
            rate = 60.0 / s.mean_gap
            if rate >= self.busy_per_minute:
                out.append(f"sustained rate of {rate:.0f} requests per minute")
        return tuple(out)
