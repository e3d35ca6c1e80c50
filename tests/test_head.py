"""The trained head: it learns, it round-trips, it refuses another encoder's file, it is stable."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from querysentry.head import (
    DEFAULT_CLASSES,
    FORMAT_VERSION,
    Head,
    HeadError,
    TrainConfig,
    load_hard_negatives,
    request_score,
    train_head,
)

FINGERPRINT = "test-encoder-0"


def _toy(seed: int = 0) -> tuple[np.ndarray, list[str]]:
    """Three clusters on the unit sphere: benign, reasoning_trace, prompt_extraction."""
    rng = np.random.default_rng(seed)
    centres = np.eye(8)[:3]
    labels = ["benign", "reasoning_trace", "prompt_extraction"]
    xs, ys = [], []
    for centre, label in zip(centres, labels):
        points = centre + 0.25 * rng.standard_normal((40, 8))
        xs.append(points / np.linalg.norm(points, axis=1, keepdims=True))
        ys += [label] * 40
    return np.vstack(xs), ys


def test_training_separates_a_toy_problem() -> None:
    x, y = _toy()
    head = train_head(x, y, encoder_fingerprint=FINGERPRINT, config=TrainConfig(l2=1e-3))
    predicted = [head.classes[i] for i in head.scores(x).argmax(axis=1)]
    assert np.mean([p == t for p, t in zip(predicted, y)]) > 0.95
    attack = head.attack_scores(x)
    is_benign = np.array([t == "benign" for t in y])
    assert attack[~is_benign].min() > attack[is_benign].max() - 0.5
    assert attack[~is_benign].mean() > 0.9 > 0.1 > attack[is_benign].mean()
    assert head.info["converged"]


def test_scores_are_probabilities_in_class_order() -> None:
    x, y = _toy()
    head = train_head(x, y, encoder_fingerprint=FINGERPRINT)
    probs = head.scores(x[:5])
    assert probs.shape == (5, len(DEFAULT_CLASSES))
    np.testing.assert_allclose(probs.sum(axis=1), 1.0, rtol=1e-9)
    # Categories without a training example are never predicted.
    absent = [i for i, c in enumerate(head.classes) if c not in set(y)]
    assert probs[:, absent].max() < 1e-6
    # log-odds orders segments as the attack probability does
    odds = head.attack_log_odds(x)
    assert (np.argsort(odds, kind="stable") == np.argsort(head.attack_scores(x), kind="stable")).mean() > 0.95


def test_request_score_is_the_most_attack_like_segment() -> None:
    x, y = _toy()
    head = train_head(x, y, encoder_fingerprint=FINGERPRINT)
    benign_only = x[:3]
    with_attack = np.vstack([x[:3], x[45:46]])
    assert request_score(head, with_attack) > request_score(head, benign_only)
    assert request_score(head, np.zeros((0, 8))) == float("-inf")


def test_save_load_round_trip(tmp_path: Path) -> None:
    x, y = _toy()
    head = train_head(x, y, encoder_fingerprint=FINGERPRINT)
    path = tmp_path / "head.npz"
    head.save(path)
    loaded = Head.load(path, expected_fingerprint=FINGERPRINT)
    assert loaded.classes == head.classes
    assert loaded.encoder_fingerprint == FINGERPRINT
    assert loaded.info["examples"] == head.info["examples"]
    # stored as float32: scores agree to float32 precision
    np.testing.assert_allclose(loaded.scores(x), head.scores(x), atol=1e-5)
    assert path.stat().st_size < 64_000


def test_fingerprint_mismatch_is_refused(tmp_path: Path) -> None:
    x, y = _toy()
    path = tmp_path / "head.npz"
    train_head(x, y, encoder_fingerprint=FINGERPRINT).save(path)
    with pytest.raises(HeadError, match="trained for encoder"):
        Head.load(path, expected_fingerprint="another-encoder")


def test_other_format_version_and_garbage_are_refused(tmp_path: Path) -> None:
    x, y = _toy()
    head = train_head(x, y, encoder_fingerprint=FINGERPRINT)
    path = tmp_path / "head.npz"
    head.save(path)
    with np.load(path) as data:
        meta = str(data["meta"]).replace(f'"format_version": {FORMAT_VERSION}', '"format_version": 99')
        np.savez(tmp_path / "future.npz", meta=np.array(meta), weights=data["weights"], bias=data["bias"])
    with pytest.raises(HeadError, match="format"):
        Head.load(tmp_path / "future.npz", expected_fingerprint=FINGERPRINT)
    (tmp_path / "junk.npz").write_bytes(b"not a zip")
    with pytest.raises(HeadError, match="not a readable head"):
        Head.load(tmp_path / "junk.npz", expected_fingerprint=FINGERPRINT)


def test_training_is_deterministic() -> None:
    x, y = _toy()
    a = train_head(x, y, encoder_fingerprint=FINGERPRINT)
    b = train_head(x, y, encoder_fingerprint=FINGERPRINT)
    assert np.array_equal(a.weights, b.weights) and np.array_equal(a.bias, b.bias)


def test_stronger_l2_gives_smaller_weights() -> None:
    x, y = _toy()
    weak = train_head(x, y, encoder_fingerprint=FINGERPRINT, config=TrainConfig(l2=1e-4))
    strong = train_head(x, y, encoder_fingerprint=FINGERPRINT, config=TrainConfig(l2=1e-1))
    assert np.linalg.norm(strong.weights) < np.linalg.norm(weak.weights)


def test_benign_share_moves_the_decision() -> None:
    """More weight on benign rows lowers every attack score: the knob the FPR budget needs."""
    x, y = _toy()
    low = train_head(x, y, encoder_fingerprint=FINGERPRINT, config=TrainConfig(benign_share=0.2))
    high = train_head(x, y, encoder_fingerprint=FINGERPRINT, config=TrainConfig(benign_share=0.8))
    assert (high.attack_log_odds(x) < low.attack_log_odds(x)).all()


def test_bad_inputs_are_rejected() -> None:
    x, y = _toy()
    with pytest.raises(ValueError, match="labels not among"):
        train_head(x, ["nonsense"] * len(y), encoder_fingerprint=FINGERPRINT)
    with pytest.raises(ValueError, match="one label per row"):
        train_head(x, y[:-1], encoder_fingerprint=FINGERPRINT)
    head = train_head(x, y, encoder_fingerprint=FINGERPRINT)
    with pytest.raises(ValueError, match="shape"):
        head.scores(np.zeros((2, 5)))
    with pytest.raises(ValueError):
        TrainConfig(benign_share=1.0)


def test_shipped_hard_negatives_are_benign_distinct_and_many() -> None:
    rows = load_hard_negatives()
    texts = [t for _, t in rows]
    assert len(rows) >= 300
    assert len(set(texts)) == len(texts)
    assert len({i for i, _ in rows}) == len(rows)


def test_a_malformed_hard_negative_is_named(tmp_path: Path) -> None:
    path = tmp_path / "hn.jsonl"
    path.write_text('{"id": "x", "text": "hi", "category": "benign"}\n{"id": "y", "category": "reasoning_trace"}\n')
    with pytest.raises(HeadError, match="line 2"):
        load_hard_negatives(path)
