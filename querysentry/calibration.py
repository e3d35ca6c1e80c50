"""Choosing per-category thresholds from benign traffic alone. Pure numpy.

Only benign prompts are used, so calibration cannot learn any particular attack set. The target
false-positive budget is shared between categories by prior weights (reasoning traces and prompt
extraction are what campaigns send most, see the threat model), each category's threshold is put
where its share of benign prompts would pass, and the shares are then scaled together until the
union false-positive rate meets the target.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from querysentry.categories import Category
from querysentry.scoring import ALL_LANES

__all__ = ["DEFAULT_BUDGET_WEIGHTS", "calibrate_thresholds", "false_positive_rate", "lane_matrix"]

DEFAULT_BUDGET_WEIGHTS: Mapping[Category, float] = {
    Category.REASONING_TRACE: 0.30,
    Category.PROMPT_EXTRACTION: 0.20,
    Category.PREFERENCE_LABELLING: 0.10,
    Category.INSTRUCTION_GENERATION: 0.08,
    Category.DATA_AUGMENTATION: 0.08,
    Category.QA_HARVESTING: 0.08,
    Category.AGENT_TRACE: 0.06,
    Category.LOGIT_EXTRACTION: 0.05,
    Category.REFUSAL_HARVESTING: 0.05,
}

Scores = np.ndarray[Any, np.dtype[np.float64]]


def false_positive_rate(benign: Scores, cuts: Scores) -> float:
    """Share of rows with any category score at or above its cut. ``benign`` is [n, categories]."""
    return float(((benign - cuts) >= 0).any(axis=1).mean()) if len(benign) else 0.0


def lane_matrix(lane_scores: list[Mapping[str, float]]) -> Scores:
    """``[n, lanes]`` scores in ``ALL_LANES`` order from ``Verdict.lane_scores`` (-1 = no match)."""
    return np.array([[scores.get(lane.key, -1.0) for lane in ALL_LANES] for scores in lane_scores]).reshape(
        len(lane_scores), len(ALL_LANES)
    )


def calibrate_thresholds(
    benign: Scores,
    target_fpr: float = 0.01,
    *,
    weights: Mapping[Category, float] = DEFAULT_BUDGET_WEIGHTS,
    floor: float = 0.5,
) -> dict[str, float]:
    """Thresholds per lane key, from ``benign`` = ``lane_matrix(...)`` of benign prompts.

    Each category's share of the budget is split evenly between its two lanes. No threshold goes
    below ``floor``. O(lanes · n log n).
    """
    if benign.ndim != 2 or benign.shape[1] != len(ALL_LANES):
        shape = ", ".join(str(n) for n in benign.shape)
        raise ValueError(f"expected scores of shape [n, {len(ALL_LANES)}] (one column per lane), got [{shape}]")
    if not 0 < target_fpr < 1:
        raise ValueError("target_fpr must be in (0, 1)")
    total = sum(weights.get(lane.category, 0.0) for lane in ALL_LANES)
    shares = np.array([weights.get(lane.category, 0.0) / total for lane in ALL_LANES])
    columns = [np.sort(benign[:, col])[::-1] for col in range(benign.shape[1])]
    n = len(benign)

    def cuts_for(scale: float) -> Scores:
        cuts = []
        for share, column in zip(shares, columns):
            allowed = int(scale * share * target_fpr * n)  # benign prompts this category may pass
            cut = column[allowed] + 1e-4 if allowed < n else column[-1]
            cuts.append(max(floor, float(cut)))
        return np.array(cuts)

    low, high = 0.0, 1.0 / max(target_fpr, 1e-9)
    for _ in range(50):  # bisect on the common scale until the union rate meets the target
        mid = (low + high) / 2
        if false_positive_rate(benign, cuts_for(mid)) <= target_fpr:
            low = mid
        else:
            high = mid
    return {lane.key: round(float(v), 4) for lane, v in zip(ALL_LANES, cuts_for(low))}
