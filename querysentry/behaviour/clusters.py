"""Cross-client clusters (hydra rings): many keys sending one suspicious template.

Every template unit has a global hash: its uses per client (entries), and its total uses and
evidence. A unit becomes a cluster when

- at least ``min_clients`` clients have each used it ``min_uses`` times or more (members),
- its uses carry evidence: a mean of at least ``min_evidence`` per use, and
- its uses are concentrated in those members (``min_concentration``): a phrase that is common in
  benign traffic ("Let's think step by step.") is used once or twice by very many clients, so most
  of its uses come from non-members and it never forms a cluster, even when it carries evidence.

Units on the operator's allow-list never get this far (``BehaviourTracker(allow_templates=...)``),
and a near miss in a system message adds uses but no evidence unless its request is flagged or
benchmark-shaped (``BehaviourTracker.record``): an app's users all send its own instructions.
A client joins only if the unit is in at least ``min_share`` of its own requests and its own uses
carried evidence: ring keys send little besides the template, while an ordinary client that
repeats one of the template's sentences now and then is not part of the ring.
The cluster's risk is the unit's excess evidence over all its uses, so a ring whose members each
send ten requests is caught as one campaign of hundreds, and a key that joins later (account
rotation) inherits it on its ``min_uses``-th use.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

__all__ = ["Cluster", "ClusterRule"]

UNIT_USES, UNIT_EVIDENCE = "_n", "_e"


@dataclass(frozen=True)
class Cluster:
    id: str
    members: int
    uses: float
    evidence: float
    risk: float


@dataclass(frozen=True)
class ClusterRule:
    min_clients: int = 5
    min_uses: float = 2.0
    min_evidence: float = 0.3
    min_concentration: float = 0.5
    min_share: float = 0.25  # of a member's own requests that carry the unit

    def __post_init__(self) -> None:
        if self.min_clients < 2 or self.min_uses < 1 or not 0 <= self.min_evidence <= 1:
            raise ValueError("need min_clients >= 2, min_uses >= 1 and 0 <= min_evidence <= 1")
        if not 0 <= self.min_share <= 1:
            raise ValueError("need 0 <= min_share <= 1")

    def evaluate(self, unit: str, fields: Mapping[str, float], allowance: float, needed: float) -> Cluster | None:
        """The cluster formed around ``unit``, or None. O(fields)."""
        uses = fields.get(UNIT_USES, 0.0)
        evidence = fields.get(UNIT_EVIDENCE, 0.0)
        if uses <= 0 or evidence / uses < self.min_evidence:
            return None
        # Decayed counts: a member's second use may have faded to 1.9 by the time of its third.
        members = [v for k, v in fields.items() if not k.startswith(("@", "_")) and v >= self.min_uses - 0.25]
        if len(members) < self.min_clients or sum(members) / uses < self.min_concentration:
            return None
        risk = max(0.0, evidence - allowance * uses) / needed
        return Cluster(id="c-" + unit[:12], members=len(members), uses=uses, evidence=evidence, risk=risk)

    def is_member(self, fields: Mapping[str, float], client: str) -> bool:
        return fields.get(client, 0.0) >= self.min_uses - 0.25
