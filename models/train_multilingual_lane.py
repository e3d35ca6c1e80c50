"""Fit the multilingual lane (centres, head, threshold) for an exported multilingual encoder.

    python models/export_multilingual.py --candidate e5-small --prefix '' --out /tmp/enc/e5   # export venv
    python models/train_multilingual_lane.py --model-dir /tmp/enc/e5 --dev ../shared/datasets/dev

Runs in the project's own venv (no torch). What goes in, all of it the team's except the threshold's
benign traffic:
- centres: the library's benign look-alikes per language and the team's 300 ordinary requests in
  ten languages (``benchmarks/data/library_trials/benign_multilingual.jsonl``);
- head: every library pattern (attacks by category, look-alikes as benign) and the team's hard
  negatives (``querysentry/data/head/hard_negatives.jsonl`` and ``…_multilingual.jsonl``);
- threshold: 1 % FPR on the dev negatives (benign prompts and bare CoT questions), i.e. calibration
  only; no dev text is stored in the output.

The output (default ``querysentry/data/multilingual/e5-small-lane.npz``) is a few tens of KB and
carries the encoder fingerprint; the export is byte-reproducible, so the shipped file fits every
export made by the command above.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from querysentry import Encoder, default_library  # noqa: E402
from querysentry.categories import Category  # noqa: E402
from querysentry.jsonl import read_jsonl  # noqa: E402
from querysentry.multilingual import default_lane_path, train_lane  # noqa: E402

CENTRE_TEXTS = ROOT / "benchmarks" / "data" / "library_trials" / "benign_multilingual.jsonl"
HARD_NEGATIVES = (
    ROOT / "querysentry" / "data" / "head" / "hard_negatives.jsonl",
    # Homework, tutoring prompts and careful-reasoning requests in ten languages, written by a helper
    # that read nothing else: without them the lane flagged polite non-English homework.
    ROOT / "querysentry" / "data" / "head" / "hard_negatives_multilingual.jsonl",
)


def centre_texts() -> dict[str, list[str]]:
    """Ordinary benign texts per language: the library's look-alikes and the team's 300 requests."""
    texts: dict[str, list[str]] = defaultdict(list)
    for p in default_library().patterns:
        if p.category is Category.BENIGN:
            texts[p.lang].append(p.text)
    for _, row in read_jsonl(CENTRE_TEXTS):
        texts[row["lang"]].append(row["text"])
    return dict(texts)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model-dir", type=Path, required=True)
    parser.add_argument("--dev", type=Path, required=True, help="../shared/datasets/dev (threshold only)")
    parser.add_argument("--fpr", type=float, default=0.01)
    parser.add_argument("--out", type=Path, default=default_lane_path())
    args = parser.parse_args(argv)

    encoder = Encoder(model_dir=args.model_dir, threads=2)
    patterns = default_library().patterns
    centres = centre_texts()
    examples = [(p.text, p.lang, p.category.value) for p in patterns]
    for path in HARD_NEGATIVES:
        examples += [(row["text"], row.get("lang", "en"), "benign") for _, row in read_jsonl(path)]
    negatives = [
        row["text"] for name in ("benign", "cot_questions") for _, row in read_jsonl(args.dev / f"{name}.jsonl")
    ]
    lane = train_lane(encoder, centre_texts=centres, examples=examples, negatives=negatives, fpr=args.fpr)
    info = {
        "encoder": encoder.model_name,
        "centres": {lang: len(t) for lang, t in sorted(centres.items())},
        "examples": len(examples),
        "threshold_negatives": len(negatives),
        "fpr": args.fpr,
        "command": "python models/train_multilingual_lane.py --model-dir DIR --dev ../shared/datasets/dev",
    }
    lane.save(args.out, info=info)
    print(json.dumps({"out": str(args.out), "threshold": round(lane.threshold, 4), **info}, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
