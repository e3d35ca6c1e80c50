"""How well the (English) encoder matches non-English prompts, with and without non-English patterns.

    python benchmarks/multilingual.py

Uses `benchmarks/data/multilingual_probe.jsonl` (written by the team: per language 10 extraction and
10 benign prompts). For each language it reports AUROC and, at the shipped thresholds, recall and
false-positive rate in three configurations: English patterns only; English plus the Spanish,
French, German and Portuguese patterns; and the shipped library, which adds Chinese, Japanese and
Russian patterns (`multilingual_nonlatin.jsonl`).
"""

from __future__ import annotations

import argparse
import json
from collections import defaultdict
from pathlib import Path
from typing import Any

import numpy as np

from querysentry import Detector, Encoder, PatternLibrary, build_index, default_library

PROBE = Path(__file__).resolve().parent / "data" / "multilingual_probe.jsonl"
NON_LATIN = {"zh", "ja", "ru"}


def auroc(pos: list[float], neg: list[float]) -> float:
    wins = sum((p > n) + 0.5 * (p == n) for p in pos for n in neg)
    return float(wins / (len(pos) * len(neg)))


def evaluate(detector: Detector, rows: list[dict[str, Any]]) -> dict[str, dict[str, float]]:
    verdicts = detector.check_many([r["text"] for r in rows])
    by_lang: dict[str, dict[str, list[Any]]] = defaultdict(lambda: defaultdict(list))
    for row, verdict in zip(rows, verdicts):
        group = by_lang[row["lang"]]
        key = "pos" if row["label"] == "extraction" else "neg"
        group[key].append(verdict.margin)
        group[key + "_flag"].append(verdict.flagged)
    out = {}
    for lang, group in sorted(by_lang.items()):
        out[lang] = {
            "auroc": round(auroc(group["pos"], group["neg"]), 3),
            "recall": round(float(np.mean(group["pos_flag"])), 3),
            "fpr": round(float(np.mean(group["neg_flag"])), 3),
        }
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    rows = [json.loads(line) for line in PROBE.read_text(encoding="utf-8").split("\n") if line.strip()]
    encoder = Encoder(threads=2)
    full = default_library()
    english = PatternLibrary(full.name, full.version, tuple(p for p in full if p.lang == "en"))
    latin = PatternLibrary(full.name, full.version, tuple(p for p in full if p.lang not in NON_LATIN))
    configs = {"english_only": english, "plus_latin_script": latin, "shipped": full}
    results = {}
    for name, library in configs.items():
        detector = Detector(encoder=encoder, index=build_index(library, encoder))
        results[name] = evaluate(detector, rows)
    print("lang   AUROC en-only / +es,fr,de,pt / shipped   recall (same order)   FPR (same order)")
    for lang in results["english_only"]:
        rows_ = [results[name][lang] for name in configs]
        auroc_s = " / ".join(f"{r['auroc']:.3f}" for r in rows_)
        recall_s = " / ".join(f"{r['recall']:.0%}" for r in rows_)
        fpr_s = " / ".join(f"{r['fpr']:.0%}" for r in rows_)
        print(f"{lang:<6} {auroc_s:<32} {recall_s:<20} {fpr_s}")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
