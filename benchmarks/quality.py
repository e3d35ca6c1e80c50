"""Detection quality on the public dev data, and calibration of the shipped thresholds.

    python benchmarks/quality.py --data ../shared/datasets/dev
    python benchmarks/quality.py --data ../shared/datasets/dev --calibrate querysentry/data/thresholds.json

Builds positives the way campaigns do (distillation templates filled with CoT questions; templates
without slots sent as the system message in front of a question; the prompt-extraction attacks as
they are), scores them and the benign prompts with the full pipeline, and prints AUROC, recall at
1 % benign FPR (overall, per family, per category), recall/FPR at the shipped thresholds, and the
share of out-of-scope jailbreaks flagged.

Calibration uses benign prompts only (no positives), so it cannot learn the dev attacks (see
``querysentry.calibration``). Leave-one-source-out shows how that transfers to unseen benign
sources. Segment embeddings are cached on disk (keyed by the encoder fingerprint), so a second run
with other thresholds takes seconds.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np

from querysentry import Detector, Encoder, Thresholds, build_index, default_thresholds, load_library
from querysentry.calibration import calibrate_thresholds, lane_matrix
from querysentry.encoder.pooling import FloatArray
from querysentry.library import default_library_dir, merge_libraries
from querysentry.messages import Message, MessagesLike
from querysentry.scoring import ALL_LANES

KIND_CATEGORY = {
    "instruction_generation_prompt": "instruction_generation",
    "instance_or_classification_prompt": "instruction_generation",
    "evol_instruct_rewrite_prompt": "data_augmentation",
    "cot_system_message": "reasoning_trace",
    "orca_style_system_message": "reasoning_trace",
    "teacher_system_prompt": "reasoning_trace",
    "llm_judge_rubric_prompt": "preference_labelling",
    "llm_judge_prompt": "preference_labelling",
    "flan_cot_template": "reasoning_trace",
    "prompt_extraction": "prompt_extraction",
}
_SLOT = re.compile(r"\{[A-Za-z_][A-Za-z0-9_]{0,39}\}")


@dataclass
class Request:
    group: str  # benign | positive | jailbreak
    family: str  # dataset kind (positives) or source (benign)
    source: str
    payload: MessagesLike
    scores: dict[str, float] = field(default_factory=dict)


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").split("\n") if line.strip()]


# Slot values that are not questions, written for this benchmark.
_OPTION_LISTS = [
    "OPTIONS:\n- yes\n- no",
    "Options:\n- yes\n- no\n- it is not possible to tell",
    "(A) 12 (B) 16 (C) 20 (D) 24",
]
_SHORT_ANSWERS = ["yes", "no", "(B)", "(D)", "16", "it is not possible to tell"]
_RATIONALES = [
    "A fridge keeps food cold, and milk spoils when warm, so milk belongs in the fridge.",
    "Each box holds 6 eggs and there are 4 boxes, so there are 24 eggs in total.",
    "The sentence says the man plays guitar on a stage, which is a kind of performing.",
]


def fill_template(template: str, questions: list[str], rng: random.Random, kind: str) -> str:
    """Fill each distinct slot once, with a value of the kind the slot asks for."""
    values: dict[str, str] = {}

    def value(slot: str) -> str:
        name = slot.strip("{}").lower()
        if name.startswith("options"):
            return rng.choice(_OPTION_LISTS)
        if name == "chain_of_thought":
            return rng.choice(_RATIONALES)
        if "answer" in name and kind == "flan_cot_template":
            return rng.choice(_SHORT_ANSWERS)
        return rng.choice(questions)

    def fill(match: re.Match[str]) -> str:
        slot = match.group(0)
        if slot not in values:
            values[slot] = value(slot)
        return values[slot]

    return _SLOT.sub(fill, template)


def build_requests(data: Path, fills: int, max_jailbreaks: int, seed: int) -> list[Request]:
    rng = random.Random(seed)
    questions = [r["text"] for r in read_jsonl(data / "cot_questions.jsonl")]
    requests = [Request("benign", r["source"], r["source"], r["text"]) for r in read_jsonl(data / "benign.jsonl")]
    for row in read_jsonl(data / "distill_templates.jsonl"):
        template = row["text"]
        for _ in range(fills):
            if _SLOT.search(template):
                payload: MessagesLike = fill_template(template, questions, rng, row["kind"])
            else:
                payload = [Message("system", template), Message("user", rng.choice(questions))]
            requests.append(Request("positive", row["kind"], row["source"], payload))
    for row in read_jsonl(data / "extraction_attacks.jsonl"):
        requests.append(Request("positive", row["kind"], row["source"], row["text"]))
    jailbreaks = read_jsonl(data / "jailbreak_out_of_scope.jsonl")
    rng.shuffle(jailbreaks)
    for row in jailbreaks[:max_jailbreaks]:
        requests.append(Request("jailbreak", "jailbreak", row["source"], row["text"]))
    return requests


class DiskCachedEmbedder:
    """Embeds through the encoder, remembering every segment vector in an .npz file."""

    def __init__(self, encoder: Encoder, path: Path) -> None:
        self.encoder = encoder
        self.path = path
        self.vectors: dict[str, np.ndarray[Any, Any]] = {}
        self.misses = 0
        if path.is_file():
            with np.load(path, allow_pickle=False) as data:
                if str(data["fingerprint"]) == encoder.fingerprint:
                    self.vectors = dict(zip(data["texts"].tolist(), data["vectors"]))

    def __call__(self, texts: Sequence[str]) -> FloatArray:
        missing = list(dict.fromkeys(t for t in texts if t not in self.vectors))
        if missing:
            self.misses += len(missing)
            for text, vector in zip(missing, self.encoder.encode(missing)):
                self.vectors[text] = vector
        return np.stack([self.vectors[t] for t in texts]).astype(np.float32)

    def save(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        texts = list(self.vectors)
        tmp = self.path.with_suffix(".tmp.npz")
        np.savez(
            tmp,
            fingerprint=self.encoder.fingerprint,
            texts=np.array(texts),
            vectors=np.stack([self.vectors[t] for t in texts]),
        )
        tmp.replace(self.path)


def score_requests(detector: Detector, requests: Sequence[Request]) -> None:
    """Set each request's lane scores from the full pipeline, in batches of 64 (progress on stderr)."""
    for start in range(0, len(requests), 64):
        batch = requests[start : start + 64]
        for request, verdict in zip(batch, detector.check_many([r.payload for r in batch])):
            request.scores = dict(verdict.lane_scores)
        print(f"\rscored {start + len(batch)}/{len(requests)}", end="", file=sys.stderr)
    print(file=sys.stderr)


def auroc(positive: np.ndarray[Any, Any], negative: np.ndarray[Any, Any]) -> float:
    """Probability that a random positive outscores a random negative (ties count half)."""
    scores = np.concatenate([positive, negative])
    order = scores.argsort(kind="mergesort")
    ranks = np.empty(len(scores))
    ranks[order] = np.arange(1, len(scores) + 1)
    # average ranks of ties
    _, inverse, counts = np.unique(scores, return_inverse=True, return_counts=True)
    sums = np.zeros(len(counts))
    np.add.at(sums, inverse, ranks)
    ranks = (sums / counts)[inverse]
    n_pos, n_neg = len(positive), len(negative)
    return float((ranks[:n_pos].sum() - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg))


def score_matrix(requests: Sequence[Request]) -> np.ndarray[Any, Any]:
    """[requests, lanes] effective similarities (-1 where a lane never matched)."""
    return lane_matrix([r.scores for r in requests])


def margins(matrix: np.ndarray[Any, Any], thresholds: Thresholds) -> np.ndarray[Any, Any]:
    cuts = np.array([thresholds.for_lane(lane) for lane in ALL_LANES])
    return np.asarray((matrix - cuts).max(axis=1))


def calibrate(benign: np.ndarray[Any, Any], target_fpr: float, floor: float) -> dict[str, float]:
    return calibrate_thresholds(benign, target_fpr, floor=floor)


def recall_at_fpr(pos: np.ndarray[Any, Any], neg: np.ndarray[Any, Any], fpr: float) -> tuple[float, float]:
    cut = np.sort(neg)[::-1][int(fpr * len(neg))]
    return float((pos > cut).mean()), float(cut)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, required=True, help="the dev datasets folder")
    parser.add_argument("--fills", type=int, default=4, help="fills per template")
    parser.add_argument("--max-jailbreaks", type=int, default=600)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--library", type=Path, action="append", help="pattern library (default: shipped)")
    parser.add_argument("--exclude", action="append", default=[], help="library file stem to leave out")
    parser.add_argument("--cache", type=Path, default=Path.home() / ".cache" / "querysentry" / "bench-segments.npz")
    parser.add_argument("--calibrate", type=Path, help="write calibrated thresholds JSON here")
    parser.add_argument("--target-fpr", type=float, default=0.01)
    parser.add_argument("--floor", type=float, default=0.5, help="no threshold below this cosine")
    parser.add_argument("--benign-slack", type=float, default=None)
    parser.add_argument("--benign-weight", type=float, default=None)
    parser.add_argument("--frame-bonus", type=float, default=None)
    parser.add_argument("--disclosure-bonus", type=float, default=None)
    parser.add_argument("--tool-trace-bonus", type=float, default=None)
    parser.add_argument("--purpose-bonus", type=float, default=None)
    parser.add_argument(
        "--generic-needs-frame",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="generic answer-harvesting phrasings flag only benchmark-shaped requests (default: as shipped)",
    )
    parser.add_argument(
        "--configured-needs-frame",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="in system/developer messages the explicit lanes of those categories need the item's shape too",
    )
    parser.add_argument("--json", type=Path, help="write the figures as JSON here")
    args = parser.parse_args(argv)

    started = time.perf_counter()
    encoder = Encoder(threads=2)
    paths = args.library or [default_library_dir()]
    libraries = []
    for path in paths:
        library = load_library(path)
        if args.exclude and path.is_dir():
            kept = tuple(p for p in library if not any(p.id.startswith(_stem_prefix(path, s)) for s in args.exclude))
            library = type(library)(library.name, library.version, kept)
        libraries.append(library)
    library = merge_libraries(libraries)
    index = build_index(library, encoder)
    thresholds = default_thresholds()
    knobs = {
        "benign_weight": args.benign_weight,
        "benign_slack": args.benign_slack,
        "frame_bonus": args.frame_bonus,
        "generic_needs_frame": args.generic_needs_frame,
        "configured_needs_frame": args.configured_needs_frame,
        "disclosure_bonus": args.disclosure_bonus,
        "tool_trace_bonus": args.tool_trace_bonus,
        "purpose_bonus": args.purpose_bonus,
    }
    thresholds = replace(thresholds, **{k: v for k, v in knobs.items() if v is not None})
    embedder = DiskCachedEmbedder(encoder, args.cache)
    detector = Detector(encoder=encoder, index=index, thresholds=thresholds, embed=embedder)
    requests = build_requests(args.data, args.fills, args.max_jailbreaks, args.seed)
    score_requests(detector, requests)
    embedder.save()

    matrix = score_matrix(requests)
    groups = np.array([r.group for r in requests])
    families = np.array([r.family for r in requests])
    sources = np.array([r.source for r in requests])
    benign_mask = groups == "benign"

    if args.calibrate:
        calibrated = calibrate(matrix[benign_mask], args.target_fpr, args.floor)
        thresholds = replace(thresholds, per_lane=calibrated)
        payload = {
            **thresholds.to_json(),
            "calibration": {
                "method": "benign only: prior-weighted FPR shares per lane, scaled until the union meets the target",
                "target_fpr": args.target_fpr,
                "floor": args.floor,
                "benign_prompts": int(benign_mask.sum()),
                "library": library.version,
                "library_checksum": library.checksum,
                "command": "python benchmarks/quality.py --data ../shared/datasets/dev --calibrate "
                + str(args.calibrate),
            },
        }
        args.calibrate.write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")
        print(f"wrote {args.calibrate}")

    report = evaluate(matrix, groups, families, sources, thresholds, args.target_fpr, args.floor)
    report["patterns"] = len(library)
    report["library"] = library.version
    report["requests"] = {g: int((groups == g).sum()) for g in ("benign", "positive", "jailbreak")}
    report["segments_embedded_this_run"] = embedder.misses
    report["seconds"] = round(time.perf_counter() - started, 1)
    print_report(report)
    if args.json:
        args.json.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    return 0


def _stem_prefix(directory: Path, stem: str) -> str:
    first = (directory / f"{stem}.jsonl").read_text(encoding="utf-8").splitlines()[0]
    return str(json.loads(first)["id"]).split("-")[0] + "-"


def evaluate(
    matrix: np.ndarray[Any, Any],
    groups: np.ndarray[Any, Any],
    families: np.ndarray[Any, Any],
    sources: np.ndarray[Any, Any],
    thresholds: Thresholds,
    target_fpr: float,
    floor: float,
) -> dict[str, Any]:
    benign = groups == "benign"
    positive = groups == "positive"
    jail = groups == "jailbreak"
    m = margins(matrix, thresholds)
    report: dict[str, Any] = {}
    report["auroc"] = round(auroc(m[positive], m[benign]), 4)
    recall, cut = recall_at_fpr(m[positive], m[benign], 0.01)
    report["recall_at_1pct_fpr"] = round(recall, 4)
    flagged = m >= 0
    report["shipped"] = {
        "recall": round(float(flagged[positive].mean()), 4),
        "fpr": round(float(flagged[benign].mean()), 4),
        "jailbreaks_flagged": round(float(flagged[jail].mean()), 4) if jail.any() else None,
        "thresholds": {lane.key: thresholds.for_lane(lane) for lane in ALL_LANES},
    }
    per_family: dict[str, Any] = {}
    for family in sorted(set(families[positive])):
        mask = positive & (families == family)
        per_family[family] = {
            "n": int(mask.sum()),
            "recall_at_1pct_fpr": round(float((m[mask] > cut).mean()), 4),
            "recall_shipped": round(float(flagged[mask].mean()), 4),
            "auroc": round(auroc(m[mask], m[benign]), 4),
        }
    report["families"] = per_family
    per_category: dict[str, Any] = {}
    for category in sorted({KIND_CATEGORY.get(f, "?") for f in families[positive]}):
        mask = positive & np.array([KIND_CATEGORY.get(f) == category for f in families])
        per_category[category] = {
            "n": int(mask.sum()),
            "recall_at_1pct_fpr": round(float((m[mask] > cut).mean()), 4),
            "recall_shipped": round(float(flagged[mask].mean()), 4),
        }
    report["categories"] = per_category
    report["benign_fpr_by_source"] = {
        str(s): round(float(flagged[benign & (sources == s)].mean()), 4) for s in sorted(set(sources[benign]))
    }
    # Leave one benign source out: calibrate on the others, measure FPR on the one left out.
    loso = {}
    for held_out in sorted(str(s) for s in set(sources[benign])):
        train = benign & (sources != held_out)
        test = benign & (sources == held_out)
        cuts = calibrate(matrix[train], target_fpr, floor)
        t = replace(thresholds, per_lane=cuts)
        mm = margins(matrix, t)
        loso[held_out] = {
            "fpr_held_out": round(float((mm[test] >= 0).mean()), 4),
            "recall": round(float((mm[positive] >= 0).mean()), 4),
        }
    report["leave_one_source_out"] = loso
    return report


def print_report(report: dict[str, Any]) -> None:
    print(f"patterns {report['patterns']}  requests {report['requests']}  ({report['seconds']} s)")
    print(f"AUROC {report['auroc']:.4f}   recall at 1% benign FPR {report['recall_at_1pct_fpr']:.1%}")
    shipped = report["shipped"]
    jail = shipped["jailbreaks_flagged"]
    print(
        f"shipped thresholds: recall {shipped['recall']:.1%}  benign FPR {shipped['fpr']:.2%}  "
        f"out-of-scope jailbreaks flagged {jail:.1%}"
        if jail is not None
        else ""
    )
    print("family                              n   rec@1%FPR  rec@shipped  AUROC")
    for family, row in report["families"].items():
        print(
            f"  {family:<32}{row['n']:>4}   {row['recall_at_1pct_fpr']:>8.1%}  {row['recall_shipped']:>10.1%}"
            f"  {row['auroc']:.3f}"
        )
    print("category                            n   rec@1%FPR  rec@shipped")
    for category, row in report["categories"].items():
        print(f"  {category:<32}{row['n']:>4}   {row['recall_at_1pct_fpr']:>8.1%}  {row['recall_shipped']:>10.1%}")
    print("benign FPR by source (shipped):", report["benign_fpr_by_source"])
    print("leave-one-benign-source-out (calibrate on the rest):")
    for source, row in report["leave_one_source_out"].items():
        print(f"  {source:<34} held-out FPR {row['fpr_held_out']:.2%}  recall {row['recall']:.1%}")


if __name__ == "__main__":
    raise SystemExit(main())
