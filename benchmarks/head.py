"""A trained head over segment embeddings against the shipped kNN lanes, measured out of source.

    python benchmarks/head.py --data ../shared/datasets/dev --json benchmarks/head_results.json

Compares three request scores on the same segments (the detector's own segmentation, the
shipped encoder at one thread):

- ``knn``: the shipped lanes (``querysentry.scoring``), the request's largest margin over the
  lane thresholds;
- ``head``: ``querysentry.head`` (multinomial logistic regression over the segment vector), the
  request's most attack-like segment (log-odds of "any extraction category" against "benign");
- ``combo``: both, each turned into an upper-tail p-value against benign prompts of the
  calibration set (its empirical distribution) and summed as ``-log p`` (Fisher's method).

The head is trained on text the team wrote, only: the pattern library (extraction categories
are the positives, benign look-alikes negatives) and ``querysentry/data/head/hard_negatives.jsonl``;
benign texts contribute every segment the detector would embed, since a benign request is only
clear when all its segments are. Its L2 strength and benign weight are chosen by 5-fold
cross-validation on that training text (folds by text), never on the dev data or the probes.
The dev data is used to calibrate thresholds and to measure:

- the whole dev set (AUROC, recall at 1 % benign FPR, per family and per attack source);
- leave one benign source out: each threshold calibrated at 1 % FPR on the other benign
  sources (the kNN lanes recalibrated per lane as ``quality.py`` does), FPR on the one held out
  and recall per attack source;
- ``benchmarks/data/head_probes.jsonl``: attacks and benign app prompts / homework written for
  this benchmark (phrased unlike the library), at the 1 %-FPR threshold of all dev benign.

Segment vectors are cached on disk (``--cache``), so a rerun embeds nothing new.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from benchmarks.quality import (
    DiskCachedEmbedder,
    Request,
    auroc,
    build_requests,
    calibrate,
    margins,
    read_jsonl,
    score_matrix,
    score_requests,
)
from querysentry import Detector, Encoder, default_thresholds
from querysentry.categories import Category
from querysentry.head import Head, TrainConfig, load_hard_negatives, train_head
from querysentry.library import default_library
from querysentry.messages import Message, MessagesLike

Array = npt.NDArray[np.float64]
METHODS = ("knn", "head", "combo")
FPR = 0.01
FLOOR = 0.7  # the shipped calibration's floor (thresholds.json)
GRID = tuple(TrainConfig(l2=l2, benign_share=share) for l2 in (1e-6, 1e-5, 1e-4, 1e-3) for share in (0.5, 0.8))


@dataclass(frozen=True)
class TrainingRows:
    texts: list[str]
    labels: list[str]
    groups: list[str]  # the source text of each row, so its segments share a fold


def training_rows(detector: Detector) -> TrainingRows:
    """Library patterns (whole text) and benign texts (every segment plus the whole text)."""
    texts: list[str] = []
    labels: list[str] = []
    groups: list[str] = []
    benign = [(p.id, p.text) for p in default_library() if p.category is Category.BENIGN]
    benign += load_hard_negatives()
    for pattern in default_library():
        if pattern.category is Category.BENIGN:
            continue
        for segment in _whole(detector, pattern.text):
            texts.append(segment)
            labels.append(pattern.category.value)
            groups.append(pattern.id)
    for ident, text in benign:
        for segment in dict.fromkeys([*_whole(detector, text), *(s.text for s in detector.segments(text))]):
            texts.append(segment)
            labels.append(Category.BENIGN.value)
            groups.append(ident)
    return TrainingRows(texts, labels, groups)


def _whole(detector: Detector, text: str) -> list[str]:
    """The normalised whole text, as the detector's "message" segment would read it."""
    segments = detector.segments(text)
    whole = [s.text for s in segments if s.kind == "message"]
    return whole[:1] or [max((s.text for s in segments), key=len, default=text)]


def _fold(group: str, folds: int) -> int:
    return int(hashlib.sha256(group.encode()).hexdigest(), 16) % folds


def cross_validate(
    x: Array, rows: TrainingRows, configs: Sequence[TrainConfig], fingerprint: str, folds: int = 5
) -> list[dict[str, Any]]:
    """Per config: mean over folds of AUROC and recall at 1 % FPR, per held-out text (a benign
    text scores its most attack-like segment, as a request would)."""
    fold_of = np.array([_fold(g, folds) for g in rows.groups])
    groups = np.array(rows.groups)
    is_benign = np.array([label == Category.BENIGN.value for label in rows.labels])
    results = []
    for config in configs:
        aurocs, recalls = [], []
        for k in range(folds):
            train = fold_of != k
            head = train_head(
                x[train],
                [rows.labels[i] for i in np.flatnonzero(train)],
                encoder_fingerprint=fingerprint,
                config=config,
            )
            test = np.flatnonzero(~train)
            odds = head.attack_log_odds(x[test])
            per_text: dict[str, float] = {}
            text_benign: dict[str, bool] = {}
            for i, score in zip(test, odds):
                g = str(groups[i])
                per_text[g] = max(per_text.get(g, -np.inf), float(score))
                text_benign[g] = bool(is_benign[i])
            pos = np.array([s for g, s in per_text.items() if not text_benign[g]])
            neg = np.array([s for g, s in per_text.items() if text_benign[g]])
            aurocs.append(auroc(pos, neg))
            recalls.append(float((pos > _cut(neg, FPR)).mean()))
        results.append(
            {
                "l2": config.l2,
                "benign_share": config.benign_share,
                "cv_auroc": round(float(np.mean(aurocs)), 4),
                "cv_recall_at_1pct_fpr": round(float(np.mean(recalls)), 4),
            }
        )
        print(f"  cv l2={config.l2:g} benign_share={config.benign_share}: {results[-1]}", file=sys.stderr)
    return results


def _cut(benign: Array, fpr: float) -> float:
    """The score a request must exceed so that at most ``fpr`` of ``benign`` does."""
    ordered = np.sort(benign)[::-1]
    return float(ordered[min(int(fpr * len(ordered)), len(ordered) - 1)])


def tail_score(scores: Array, reference: Array) -> Array:
    """``-log`` of the upper-tail p-value of each score among ``reference`` (benign) scores."""
    ref = np.sort(reference)
    at_or_above = len(ref) - np.searchsorted(ref, scores, side="left")
    out: Array = -np.log((at_or_above + 1) / (len(ref) + 1))
    return out


def combine(knn: Array, head: Array, knn_ref: Array, head_ref: Array) -> Array:
    out: Array = tail_score(knn, knn_ref) + tail_score(head, head_ref)
    return out


def probe_requests(path: Path) -> list[Request]:
    """App system prompts go in as system messages (as an app sends them); the rest as user text."""
    out = []
    for row in read_jsonl(path):
        payload: MessagesLike = [Message("system", row["text"])] if row["kind"] == "app_system_prompt" else row["text"]
        out.append(Request(f"probe_{row['label']}", row["kind"], "probe", payload))
    return out


def head_request_scores(
    head: Head, detector: Detector, embedder: DiskCachedEmbedder, requests: Sequence[Request]
) -> Array:
    segments = [[s.text for s in detector.segments(r.payload)] for r in requests]
    unique = list(dict.fromkeys(t for texts in segments for t in texts))
    odds = dict(zip(unique, head.attack_log_odds(embedder(unique)).tolist()))
    return np.array([max((odds[t] for t in texts), default=-np.inf) for texts in segments])


def evaluate(
    scores: Mapping[str, Array],
    knn_matrix: Array,
    requests: Sequence[Request],
) -> dict[str, Any]:
    groups = np.array([r.group for r in requests])
    families = np.array([r.family for r in requests])
    sources = np.array([r.source for r in requests])
    benign = groups == "benign"
    positive = groups == "positive"
    report: dict[str, Any] = {}

    # The whole dev set, thresholds at 1 % FPR of all dev benign (kNN also at the shipped ones).
    combo = combine(scores["knn"], scores["head"], scores["knn"][benign], scores["head"][benign])
    full = {**scores, "combo": combo}
    dev: dict[str, Any] = {}
    for method in METHODS:
        s = full[method]
        cut = _cut(s[benign], FPR)
        flagged = s > cut
        dev[method] = {
            "auroc": round(auroc(s[positive], s[benign]), 4),
            "recall_at_1pct_fpr": round(float(flagged[positive].mean()), 4),
            "benign_fpr": round(float(flagged[benign].mean()), 4),
            "families": {
                str(f): round(float(flagged[positive & (families == f)].mean()), 4)
                for f in sorted(set(families[positive]))
            },
            "attack_sources": {
                str(a): round(float(flagged[positive & (sources == a)].mean()), 4)
                for a in sorted(set(sources[positive]))
            },
            "jailbreaks_flagged": round(float(flagged[groups == "jailbreak"].mean()), 4)
            if (groups == "jailbreak").any()
            else None,
            "probes": _probe_rates(flagged, groups, families),
            "probe_auroc": round(auroc(s[groups == "probe_attack"], s[groups == "probe_benign"]), 4),
        }
    shipped = scores["knn"] >= 0
    dev["knn"]["at_shipped_thresholds"] = {
        "recall": round(float(shipped[positive].mean()), 4),
        "benign_fpr": round(float(shipped[benign].mean()), 4),
        "probes": _probe_rates(shipped, groups, families),
    }
    report["dev"] = dev

    # Leave one benign source out: calibrate on the other benign sources only.
    loso: dict[str, Any] = {}
    thresholds = default_thresholds()
    for held_out in sorted(str(s) for s in set(sources[benign])):
        train = benign & (sources != held_out)
        test = benign & (sources == held_out)
        knn = margins(knn_matrix, replace(thresholds, per_lane=calibrate(knn_matrix[train], FPR, FLOOR)))
        head = scores["head"]
        per_method = {
            "knn": knn >= 0,  # the lanes recalibrated per lane, as quality.py does
            "head": head > _cut(head[train], FPR),
        }
        combo_loso = combine(knn, head, knn[train], head[train])
        per_method["combo"] = combo_loso > _cut(combo_loso[train], FPR)
        loso[held_out] = {
            method: {
                "fpr_held_out": round(float(flagged[test].mean()), 4),
                "fpr_calibration": round(float(flagged[train].mean()), 4),
                "recall": round(float(flagged[positive].mean()), 4),
                "recall_by_attack_source": {
                    str(a): round(float(flagged[positive & (sources == a)].mean()), 4)
                    for a in sorted(set(sources[positive]))
                },
                "probes": _probe_rates(flagged, groups, families),
            }
            for method, flagged in per_method.items()
        }
    report["leave_one_benign_source_out"] = loso
    return report


def _probe_rates(
    flagged: npt.NDArray[np.bool_], groups: npt.NDArray[Any], families: npt.NDArray[Any]
) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for group, name in (("probe_attack", "attack_recall"), ("probe_benign", "benign_flagged")):
        mask = groups == group
        if not mask.any():
            continue
        out[name] = round(float(flagged[mask].mean()), 4)
        out[f"{name}_by_kind"] = {
            str(k): round(float(flagged[mask & (families == k)].mean()), 4) for k in sorted(set(families[mask]))
        }
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, required=True, help="the dev datasets folder")
    parser.add_argument("--probes", type=Path, default=Path(__file__).resolve().parent / "data" / "head_probes.jsonl")
    parser.add_argument("--fills", type=int, default=4)
    parser.add_argument("--max-jailbreaks", type=int, default=600)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--cache", type=Path, default=Path("/tmp/qs-head/segments.npz"))
    parser.add_argument("--save-head", type=Path, help="write the chosen head (.npz) here")
    parser.add_argument("--json", type=Path, help="write the figures as JSON here")
    args = parser.parse_args(argv)

    started = time.perf_counter()
    encoder = Encoder(threads=args.threads)
    embedder = DiskCachedEmbedder(encoder, args.cache)
    detector = Detector(encoder=encoder, embed=embedder)

    rows = training_rows(detector)
    x = embedder(rows.texts).astype(np.float64)
    print(f"training rows {len(rows.texts)} ({rows.labels.count('benign')} benign)", file=sys.stderr)
    cv = cross_validate(x, rows, GRID, encoder.fingerprint)
    best = max(range(len(GRID)), key=lambda i: (cv[i]["cv_recall_at_1pct_fpr"], cv[i]["cv_auroc"]))
    heads = [train_head(x, rows.labels, encoder_fingerprint=encoder.fingerprint, config=c) for c in GRID]
    head = heads[best]
    if args.save_head:
        head.save(args.save_head)

    requests = build_requests(args.data, args.fills, args.max_jailbreaks, args.seed) + probe_requests(args.probes)
    score_requests(detector, requests)
    embedder.save()
    matrix = score_matrix(requests)
    knn = margins(matrix, detector.thresholds)
    report = evaluate({"knn": knn, "head": head_request_scores(head, detector, embedder, requests)}, matrix, requests)

    # Every grid point on dev and probes: a sensitivity check, not used to choose (CV chose).
    groups = np.array([r.group for r in requests])
    benign, positive = groups == "benign", groups == "positive"
    sensitivity = []
    for config, candidate, row in zip(GRID, heads, cv):
        s = head_request_scores(candidate, detector, embedder, requests)
        flagged = s > _cut(s[benign], FPR)
        sensitivity.append(
            {
                **row,
                "dev_auroc": round(auroc(s[positive], s[benign]), 4),
                "dev_recall_at_1pct_fpr": round(float(flagged[positive].mean()), 4),
                "probe_attack_recall": round(float(flagged[groups == "probe_attack"].mean()), 4),
                "probe_benign_flagged": round(float(flagged[groups == "probe_benign"].mean()), 4),
                "chosen": config == GRID[best],
            }
        )
    report["head"] = {
        "chosen": {"l2": GRID[best].l2, "benign_share": GRID[best].benign_share},
        "info": dict(head.info),
        "training_rows": len(rows.texts),
        "training_texts": len(set(rows.groups)),
        "hard_negatives": len(load_hard_negatives()),
        "grid": sensitivity,
    }
    report["requests"] = {g: int((groups == g).sum()) for g in sorted(set(groups))}
    report["encoder"] = encoder.fingerprint
    report["segments_embedded_this_run"] = embedder.misses
    report["seconds"] = round(time.perf_counter() - started, 1)
    print_report(report)
    if args.json:
        args.json.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    return 0


def print_report(report: dict[str, Any]) -> None:
    dev = report["dev"]
    print(f"requests {report['requests']}  ({report['seconds']} s)")
    print(f"head: {report['head']['chosen']}  {report['head']['info']}")
    print("method  dev AUROC  rec@1%FPR  probe AUROC  probe recall  probe benign flagged  jailbreaks")
    for method in METHODS:
        row = dev[method]
        p = row["probes"]
        print(
            f"  {method:<6}{row['auroc']:>9.3f}{row['recall_at_1pct_fpr']:>11.1%}{row['probe_auroc']:>13.3f}"
            f"{p['attack_recall']:>14.1%}{p['benign_flagged']:>22.1%}{row['jailbreaks_flagged']:>12.1%}"
        )
    for method in METHODS:
        print(f"  {method} probe recall by kind: {dev[method]['probes']['attack_recall_by_kind']}")
        print(f"  {method} probe benign flagged by kind: {dev[method]['probes']['benign_flagged_by_kind']}")
        print(f"  {method} dev recall by attack source: {dev[method]['attack_sources']}")
    print("leave one benign source out (held-out FPR / recall):")
    for source, per_method in report["leave_one_benign_source_out"].items():
        cells = "  ".join(f"{m} {r['fpr_held_out']:.2%} / {r['recall']:.1%}" for m, r in per_method.items())
        print(f"  {source:<28} {cells}")
    print("head grid (CV on training text chose; dev/probe columns are for disclosure only):")
    for row in report["head"]["grid"]:
        print(f"  {row}")


if __name__ == "__main__":
    raise SystemExit(main())
