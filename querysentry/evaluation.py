"""Measuring detection on labelled traffic, and the library's self-test. Pure numpy and scoring.

``evaluate`` answers "how well does it separate my extraction traffic from my benign traffic?":
ROC AUC over the decision variable (the request's largest margin over its category thresholds),
recall at chosen false-positive rates, the confusion matrix at the thresholds in force, and a
per-category table. ``library_self_test`` answers "what recall do these thresholds cost?" without
any labelled traffic: every extraction pattern of the library is checked against the rest of the
library (its own entry left out), so a threshold that no longer lets neighbours recognise each
other shows up as lost recall.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from querysentry.categories import EXTRACTION_CATEGORIES, Category
from querysentry.index import PatternIndex
from querysentry.scoring import Thresholds, decide
from querysentry.text.segment import Segment
from querysentry.verdict import Verdict

__all__ = [
    "BENIGN_LABELS",
    "POSITIVE_LABELS",
    "Evaluation",
    "accepted_labels",
    "auroc",
    "evaluate",
    "is_known_label",
    "is_positive",
    "library_self_test",
    "recall_at_fpr",
]

# Labels, compared case-insensitively after stripping. Anything else is refused rather than
# guessed at: a typo ("atack", "bengin") must not silently move a request to the other side.
_BENIGN_ORDER = ("benign", "negative", "no", "ok", "false", "0")
_POSITIVE_ORDER = ("extraction", "positive", "yes", "true", "1")
BENIGN_LABELS = frozenset(_BENIGN_ORDER)
POSITIVE_LABELS = frozenset(_POSITIVE_ORDER)
_CATEGORY_LABELS = frozenset(c.value for c in EXTRACTION_CATEGORIES)


def _normalised(label: str) -> str:
    return label.strip().lower()


def is_known_label(label: Any) -> bool:
    """True for the labels ``is_positive`` accepts (see ``accepted_labels``)."""
    if isinstance(label, bool):
        return True
    if isinstance(label, (int, float)):
        return label in (0, 1)
    if isinstance(label, str):
        name = _normalised(label)
        return name in BENIGN_LABELS or name in POSITIVE_LABELS or name in _CATEGORY_LABELS
    return False


def accepted_labels() -> str:
    """The accepted labels in words, for error messages."""
    categories = ", ".join(c.value for c in EXTRACTION_CATEGORIES)
    return (
        f"{', '.join(_BENIGN_ORDER)} or JSON false for benign; {', '.join(_POSITIVE_ORDER)}, JSON true "
        f"or a category name ({categories}) for extraction"
    )


def is_positive(label: Any) -> bool:
    """``True``/``1``/"extraction"/a category name are positives; ``False``/``0``/"benign" are not.

    Any other label raises ``ValueError`` naming it and the accepted ones.
    """
    if not is_known_label(label):
        raise ValueError(f"unknown label {json.dumps(label, default=str)}; accepted labels: {accepted_labels()}")
    if isinstance(label, str):
        return _normalised(label) not in BENIGN_LABELS
    return bool(label)


def auroc(positive: Sequence[float], negative: Sequence[float]) -> float:
    """Area under the ROC curve (ties count half). O((p + n) log(p + n))."""
    pos, neg = np.asarray(positive, dtype=np.float64), np.asarray(negative, dtype=np.float64)
    if len(pos) == 0 or len(neg) == 0:
        return float("nan")
    values = np.concatenate([pos, neg])
    order = values.argsort(kind="mergesort")
    ranks = np.empty(len(values), dtype=np.float64)
    ranks[order] = np.arange(1, len(values) + 1)
    # Average the ranks of tied values so ties count half.
    _, inverse, counts = np.unique(values, return_inverse=True, return_counts=True)
    sums = np.bincount(inverse, weights=ranks)
    ranks = (sums / counts)[inverse]
    return float((ranks[: len(pos)].sum() - len(pos) * (len(pos) + 1) / 2) / (len(pos) * len(neg)))


def recall_at_fpr(positive: Sequence[float], negative: Sequence[float], fpr: float) -> tuple[float, float]:
    """(recall, cut): the share of positives above the cut that lets at most ``fpr`` of negatives by."""
    pos, neg = np.sort(np.asarray(positive, dtype=np.float64)), np.sort(np.asarray(negative, dtype=np.float64))
    if len(neg) == 0 or len(pos) == 0:
        return float("nan"), float("nan")
    allowed = int(np.floor(fpr * len(neg)))
    # The cut sits just above the (allowed+1)-th highest negative: at most ``allowed`` lie above it.
    cut = float(neg[len(neg) - allowed - 1]) if allowed < len(neg) else float("-inf")
    return float((pos > cut).mean()), cut


@dataclass(frozen=True)
class Evaluation:
    requests: int
    positives: int
    negatives: int
    auroc: float
    recall_at: Mapping[float, float]
    confusion: Mapping[str, int]
    per_category: Mapping[str, Mapping[str, Any]]
    positive_margins: Sequence[float] = field(repr=False, default=())
    negative_margins: Sequence[float] = field(repr=False, default=())

    @property
    def recall(self) -> float:
        tp, fn = self.confusion["true_positive"], self.confusion["false_negative"]
        return tp / (tp + fn) if tp + fn else float("nan")

    @property
    def false_positive_rate(self) -> float:
        fp, tn = self.confusion["false_positive"], self.confusion["true_negative"]
        return fp / (fp + tn) if fp + tn else float("nan")

    def to_json(self) -> dict[str, Any]:
        return {
            "requests": self.requests,
            "positives": self.positives,
            "negatives": self.negatives,
            "auroc": _round(self.auroc),
            "recall_at_fpr": {f"{k:g}": _round(v) for k, v in sorted(self.recall_at.items())},
            "confusion": dict(self.confusion),
            "recall": _round(self.recall),
            "false_positive_rate": _round(self.false_positive_rate),
            "per_category": {k: dict(v) for k, v in sorted(self.per_category.items())},
        }


def _round(value: float) -> float | None:
    return None if np.isnan(value) else round(float(value), 4)


def evaluate(verdicts: Sequence[Verdict], labels: Sequence[Any], fprs: Sequence[float] = (0.01,)) -> Evaluation:
    """Score ``verdicts`` against ``labels`` (see ``is_positive``). O(n log n).

    The per-category table groups positives by their label when it names a category (recall of
    each), and counts false positives by the category that flagged them.
    """
    if len(verdicts) != len(labels):
        raise ValueError(f"{len(labels)} labels for {len(verdicts)} verdicts; evaluate needs one label per verdict")
    positive = [is_positive(label) for label in labels]
    margins = [v.margin if v.category is not None else -1.0 for v in verdicts]
    pos = [m for m, p in zip(margins, positive) if p]
    neg = [m for m, p in zip(margins, positive) if not p]
    confusion = {"true_positive": 0, "false_positive": 0, "true_negative": 0, "false_negative": 0}
    per_category: dict[str, dict[str, Any]] = {}
    for verdict, label, is_pos in zip(verdicts, labels, positive):
        key = ("true_" if verdict.flagged == is_pos else "false_") + ("positive" if verdict.flagged else "negative")
        confusion[key] += 1
        if is_pos:
            name = str(label).strip().lower() if isinstance(label, str) else "extraction"
            row = per_category.setdefault(_category_name(name), {"positives": 0, "flagged": 0, "false_positives": 0})
            row["positives"] += 1
            row["flagged"] += int(verdict.flagged)
        elif verdict.flagged and verdict.category is not None:
            row = per_category.setdefault(verdict.category.value, {"positives": 0, "flagged": 0, "false_positives": 0})
            row["false_positives"] += 1
    for row in per_category.values():
        row["recall"] = round(row["flagged"] / row["positives"], 4) if row["positives"] else None
    return Evaluation(
        requests=len(verdicts),
        positives=len(pos),
        negatives=len(neg),
        auroc=auroc(pos, neg),
        recall_at={f: recall_at_fpr(pos, neg, f)[0] for f in fprs},
        confusion=confusion,
        per_category=per_category,
        positive_margins=pos,
        negative_margins=neg,
    )


def _category_name(label: str) -> str:
    try:
        return Category(label).value
    except ValueError:
        return "extraction (unspecified)"


def library_self_test(index: PatternIndex, thresholds: Thresholds, k: int = 10) -> dict[str, Any]:
    """Recall of the index's extraction patterns by the rest of the index, each leaving itself out.

    Uses the stored vectors (no encoder call). Per category and overall. O(count · search).
    """
    vector_ids, vectors = index.vectors()
    totals: dict[str, list[int]] = {}
    for vector_id, row in zip(vector_ids.tolist(), index.search(vectors, k + 1)):
        own = index.pattern_for_vector(vector_id)
        if own is None or own.category is Category.BENIGN:
            continue
        others = [hit for hit in row if hit.pattern.id != own.id][:k]
        segment = Segment(own.text, 0, "user", 0, len(own.text), "sentence", 1)
        counts = totals.setdefault(own.category.value, [0, 0])
        counts[0] += 1
        counts[1] += int(decide([(segment, others)], thresholds).flagged)
    checked, found = sum(c[0] for c in totals.values()), sum(c[1] for c in totals.values())
    return {
        "patterns": checked,
        "recall": round(found / checked, 4) if checked else None,
        "per_category": {name: round(c[1] / c[0], 4) for name, c in sorted(totals.items())},
    }
