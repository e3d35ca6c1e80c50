"""A small trained classifier over segment embeddings: an experiment beside the kNN lanes.

The kNN lanes decide by the nearest pattern, so a benign prompt that shares a topic or a phrase
with a pattern ("explain step by step" in homework, "answer in a structured format" in an app's
system prompt) scores as high as the attack it resembles. A linear head trained on the same
team-written patterns plus hard negatives from many kinds of apps can weigh the directions of the
embedding space that separate instructions to extract from instructions to help.

The model is multinomial logistic regression with L2 on the unit-length segment vectors: classes
``benign`` plus the nine extraction categories. Training is a deterministic full-batch L-BFGS
(zero start, no sampling), so the same data gives the same weights bit for bit on one machine.
Only numpy is needed, at training and at run time.

``Head.scores(vectors)`` is pure: ``[segments, dim] -> [segments, classes]`` probabilities;
``Head.attack_scores`` is one minus the benign probability, and a request takes the largest over
its segments (``request_score``), as the lanes do. A saved head (``.npz``) carries a format
version and the fingerprint of the encoder whose vectors it was trained on; loading it for another
encoder is refused, since the weights mean nothing in another embedding space.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from querysentry.categories import EXTRACTION_CATEGORIES, Category
from querysentry.errors import QuerySentryError
from querysentry.jsonl import read_jsonl

__all__ = [
    "DEFAULT_CLASSES",
    "FORMAT_VERSION",
    "Head",
    "HeadError",
    "TrainConfig",
    "hard_negatives_path",
    "load_hard_negatives",
    "request_score",
    "train_head",
]

FORMAT_VERSION = 1
DEFAULT_CLASSES: tuple[str, ...] = (Category.BENIGN.value, *(c.value for c in EXTRACTION_CATEGORIES))
BENIGN = Category.BENIGN.value

FloatArray = npt.NDArray[np.float64]


class HeadError(QuerySentryError):
    """A head file is missing, malformed, of another format version or for another encoder."""


@dataclass(frozen=True)
class TrainConfig:
    """How a head is trained.

    ``l2`` is the penalty on the weights (not the biases) added to the weighted mean loss.
    ``benign_share`` is the share of the total sample weight given to the benign class; the rest
    is split equally between the extraction categories present, so a category with few patterns
    is not drowned by one with many.
    """

    l2: float = 1e-3
    benign_share: float = 0.5
    max_iter: int = 500
    tol: float = 1e-6
    memory: int = 10

    def __post_init__(self) -> None:
        if self.l2 < 0 or not 0 < self.benign_share < 1:
            raise ValueError("l2 must be >= 0 and benign_share in (0, 1)")
        if self.max_iter < 1 or self.memory < 1:
            raise ValueError("max_iter and memory must be >= 1")


@dataclass(frozen=True)
class Head:
    """Weights ``[dim, classes]`` and biases ``[classes]`` of a trained head."""

    classes: tuple[str, ...]
    weights: FloatArray
    bias: FloatArray
    encoder_fingerprint: str
    info: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if BENIGN not in self.classes or len(set(self.classes)) != len(self.classes):
            raise HeadError("a head's classes must be distinct and include 'benign'")
        if self.weights.ndim != 2 or self.weights.shape[1] != len(self.classes):
            raise HeadError(f"weights of shape {self.weights.shape} do not fit {len(self.classes)} classes")
        if self.bias.shape != (len(self.classes),):
            raise HeadError(f"bias of shape {self.bias.shape} does not fit {len(self.classes)} classes")

    @property
    def dim(self) -> int:
        return int(self.weights.shape[0])

    def logits(self, vectors: npt.ArrayLike) -> FloatArray:
        x = np.asarray(vectors, dtype=np.float64)
        if x.ndim != 2 or x.shape[1] != self.dim:
            raise ValueError(f"expected vectors of shape [n, {self.dim}], got {x.shape}")
        out: FloatArray = x @ self.weights + self.bias
        return out

    def scores(self, vectors: npt.ArrayLike) -> FloatArray:
        """Per-class probabilities, ``[n, classes]`` in ``self.classes`` order; rows sum to 1."""
        return _softmax(self.logits(vectors))

    def attack_scores(self, vectors: npt.ArrayLike) -> FloatArray:
        """Per segment, the probability that it is any extraction instruction (1 - P(benign))."""
        out: FloatArray = 1.0 - self.scores(vectors)[:, self.classes.index(BENIGN)]
        return out

    def attack_log_odds(self, vectors: npt.ArrayLike) -> FloatArray:
        """Per segment, ``log P(attack) - log P(benign)``: the same order as ``attack_scores``
        without saturating at 1, which thresholds near the top of the benign tail need."""
        z = self.logits(vectors)
        b = self.classes.index(BENIGN)
        others = np.delete(z, b, axis=1)
        top = others.max(axis=1, keepdims=True)
        attack = top[:, 0] + np.log(np.exp(others - top).sum(axis=1))
        out: FloatArray = attack - z[:, b]
        return out

    def category_scores(self, vectors: npt.ArrayLike) -> list[dict[str, float]]:
        """Per segment, the probability of each extraction category (benign left out)."""
        probs = self.scores(vectors)
        return [{c: float(row[i]) for i, c in enumerate(self.classes) if c != BENIGN} for row in probs]

    def save(self, path: Path | str) -> None:
        meta = {
            "format_version": FORMAT_VERSION,
            "classes": list(self.classes),
            "encoder_fingerprint": self.encoder_fingerprint,
            "dim": self.dim,
            "info": dict(self.info),
        }
        path = Path(path)
        tmp = path.with_name(path.name + ".tmp.npz")
        np.savez(
            tmp,
            meta=np.array(json.dumps(meta, sort_keys=True)),
            weights=self.weights.astype(np.float32),
            bias=self.bias.astype(np.float32),
        )
        tmp.replace(path)

    @classmethod
    def load(cls, path: Path | str, *, expected_fingerprint: str) -> Head:
        """Read a saved head, refusing another format version or another encoder's head."""
        path = Path(path)
        try:
            with np.load(path, allow_pickle=False) as data:
                meta = json.loads(str(data["meta"]))
                weights = np.asarray(data["weights"], dtype=np.float64)
                bias = np.asarray(data["bias"], dtype=np.float64)
        except (OSError, KeyError, ValueError) as exc:
            raise HeadError(f"{path}: not a readable head file: {exc}") from None
        if meta.get("format_version") != FORMAT_VERSION:
            raise HeadError(f"{path}: head format {meta.get('format_version')!r}, this version reads {FORMAT_VERSION}")
        found = meta.get("encoder_fingerprint")
        if found != expected_fingerprint:
            raise HeadError(f"{path}: trained for encoder {found!r}, not {expected_fingerprint!r}")
        return cls(tuple(meta["classes"]), weights, bias, str(found), dict(meta.get("info", {})))


def request_score(head: Head, segment_vectors: npt.ArrayLike) -> float:
    """A request's score: its most attack-like segment's log-odds (-inf for no segments)."""
    x = np.asarray(segment_vectors, dtype=np.float64)
    if x.size == 0:
        return float("-inf")
    return float(head.attack_log_odds(x).max())


def train_head(
    vectors: npt.ArrayLike,
    labels: Sequence[str],
    *,
    encoder_fingerprint: str,
    config: TrainConfig = TrainConfig(),
    classes: Sequence[str] = DEFAULT_CLASSES,
) -> Head:
    """Fit the head on ``vectors`` (``[n, dim]``) with one class name per row.

    Deterministic: zero start, full batch, no randomness. Classes absent from ``labels`` keep
    their zero weights and a bias far below the rest, so they are never predicted.
    """
    x = np.asarray(vectors, dtype=np.float64)
    if x.ndim != 2 or x.shape[0] != len(labels) or x.shape[0] == 0:
        raise ValueError("need a non-empty [n, dim] matrix with one label per row")
    names = tuple(classes)
    unknown = sorted(set(labels) - set(names))
    if unknown:
        raise ValueError(f"labels not among the classes: {unknown}")
    y = np.array([names.index(label) for label in labels])
    weight = _sample_weights(y, names, config.benign_share)
    present = np.bincount(y, minlength=len(names)) > 0
    n, d = x.shape
    k = len(names)

    def objective(theta: FloatArray) -> tuple[float, FloatArray]:
        w = theta[: d * k].reshape(d, k)
        b = theta[d * k :]
        z = x @ w + b
        z[:, ~present] = -1e9  # absent classes take no probability mass
        z -= z.max(axis=1, keepdims=True)
        log_norm = np.log(np.exp(z).sum(axis=1))
        log_p = z[np.arange(n), y] - log_norm
        loss = -float(weight @ log_p) + 0.5 * config.l2 * float((w * w).sum())
        p = np.exp(z - log_norm[:, None])
        p[np.arange(n), y] -= 1.0
        residual = p * weight[:, None]
        grad_w = x.T @ residual + config.l2 * w
        grad_b = residual.sum(axis=0)
        return loss, np.concatenate([grad_w.ravel(), grad_b])

    theta, iterations, converged = _lbfgs(objective, np.zeros(d * k + k), config)
    w = theta[: d * k].reshape(d, k)
    b = theta[d * k :].copy()
    b[~present] = -1e3
    counts = {names[i]: int(c) for i, c in enumerate(np.bincount(y, minlength=k)) if c}
    info = {
        "l2": config.l2,
        "benign_share": config.benign_share,
        "examples": counts,
        "iterations": iterations,
        "converged": converged,
        "final_loss": round(objective(theta)[0], 6),
    }
    return Head(names, w, b, encoder_fingerprint, info)


def _sample_weights(y: npt.NDArray[np.int_], names: tuple[str, ...], benign_share: float) -> FloatArray:
    """Weights summing to 1: ``benign_share`` to benign rows, the rest equally per present category."""
    counts = np.bincount(y, minlength=len(names)).astype(np.float64)
    benign = names.index(BENIGN)
    attack_classes = [i for i in range(len(names)) if i != benign and counts[i] > 0]
    share = np.zeros(len(names))
    if counts[benign] > 0 and attack_classes:
        share[benign] = benign_share
        share[attack_classes] = (1.0 - benign_share) / len(attack_classes)
    else:  # one side only: plain per-class balance
        present = counts > 0
        share[present] = 1.0 / present.sum()
    per_row = np.divide(share, counts, out=np.zeros_like(share), where=counts > 0)
    out: FloatArray = per_row[y]
    return out


def _lbfgs(
    objective: Any,
    theta: FloatArray,
    config: TrainConfig,
) -> tuple[FloatArray, int, bool]:
    """Minimise a smooth convex ``objective(theta) -> (value, gradient)`` with L-BFGS and an
    Armijo backtracking line search. Returns the point, the iterations used, and convergence."""
    value, grad = objective(theta)
    s_hist: list[FloatArray] = []
    y_hist: list[FloatArray] = []
    for iteration in range(1, config.max_iter + 1):
        if float(np.abs(grad).max()) < config.tol:
            return theta, iteration - 1, True
        direction = -_two_loop(grad, s_hist, y_hist)
        slope = float(grad @ direction)
        if slope >= 0:  # not a descent direction (curvature pairs went stale): restart
            s_hist.clear()
            y_hist.clear()
            direction = -grad
            slope = float(grad @ direction)
        step = 1.0
        while True:
            candidate = theta + step * direction
            new_value, new_grad = objective(candidate)
            if new_value <= value + 1e-4 * step * slope or step < 1e-12:
                break
            step *= 0.5
        s, y = candidate - theta, new_grad - grad
        if float(s @ y) > 1e-12:
            s_hist.append(s)
            y_hist.append(y)
            if len(s_hist) > config.memory:
                s_hist.pop(0)
                y_hist.pop(0)
        improvement = value - new_value
        theta, value, grad = candidate, new_value, new_grad
        if step < 1e-12 or 0 <= improvement < 1e-12 * max(1.0, abs(value)):
            return theta, iteration, float(np.abs(grad).max()) < config.tol * 100
    return theta, config.max_iter, False


def _two_loop(grad: FloatArray, s_hist: list[FloatArray], y_hist: list[FloatArray]) -> FloatArray:
    q: FloatArray = grad.copy()
    alphas: list[float] = []
    for s, y in zip(reversed(s_hist), reversed(y_hist)):
        alpha = float(s @ q) / float(y @ s)
        alphas.append(alpha)
        q -= alpha * y
    if s_hist:
        q *= float(s_hist[-1] @ y_hist[-1]) / float(y_hist[-1] @ y_hist[-1])
    for (s, y), alpha in zip(zip(s_hist, y_hist), reversed(alphas)):
        beta = float(y @ q) / float(y @ s)
        q += (alpha - beta) * s
    return q


def _softmax(z: FloatArray) -> FloatArray:
    shifted = z - z.max(axis=1, keepdims=True)
    e = np.exp(shifted)
    out: FloatArray = e / e.sum(axis=1, keepdims=True)
    return out


def hard_negatives_path() -> Path:
    """The team-written hard negatives the head is trained on (``data/head``)."""
    return Path(__file__).resolve().parent / "data" / "head" / "hard_negatives.jsonl"


def load_hard_negatives(path: Path | str | None = None) -> list[tuple[str, str]]:
    """``(id, text)`` of every hard negative; ``InputError`` names a bad line."""
    rows: Iterable[tuple[int, Any]] = read_jsonl(Path(path) if path is not None else hard_negatives_path())
    out: list[tuple[str, str]] = []
    for line, row in rows:
        if not isinstance(row, dict) or not isinstance(row.get("text"), str) or row.get("category") != BENIGN:
            raise HeadError(f"hard negatives line {line}: need a benign row with a text")
        out.append((str(row.get("id", line)), row["text"]))
    return out
