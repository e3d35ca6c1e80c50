"""The shipped detector with and without the multilingual lane, per language, on probes its author did not write.

    python models/export_multilingual.py --candidate e5-small --prefix '' --out /tmp/enc/e5   # export venv
    python benchmarks/multilingual_lane.py --model-dir /tmp/enc/e5 --dev ../shared/datasets/dev \\
        --json benchmarks/multilingual_lane_results.json

Every request goes through ``Detector.check_many`` (segments, lanes, cues, thresholds as shipped);
the only change is ``Detector(multilingual=...)``. Measured:
- per language, recall on attacks and share flagged of benign texts, lane off and on, on the
  native 11-language probes (``data/probes_multilingual_fresh.jsonl``), the translated
  encoder-choice probes and the team's multilingual probe; and the issue's test, languages whose
  recall is at least 80 % of the English recall at the same thresholds;
- benign traffic: the dev benign prompts (several sources hold Chinese and other languages) and the
  non-English ordinary requests of the sixth probe set, share flagged off and on;
- cost, as ratios in one run: the lane's time over the English detector's on the same requests,
  for requests the lane reads and for English ones (where only the letter count runs).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.encoder_choice import LANGS, probe_rows  # noqa: E402
from benchmarks.quality import DiskCachedEmbedder, read_jsonl  # noqa: E402
from querysentry import Detector, Encoder  # noqa: E402
from querysentry.multilingual import MultilingualLane  # noqa: E402

DATA = Path(__file__).resolve().parent / "data"
SEGMENT_CACHE = Path.home() / ".cache" / "querysentry" / "bench-segments.npz"


def probe_sets() -> dict[str, list[dict[str, Any]]]:
    team = [
        {"text": r["text"], "lang": r["lang"], "label": "attack" if r["label"] == "extraction" else "benign"}
        for r in read_jsonl(DATA / "multilingual_probe.jsonl")
    ]
    fresh = [
        {"text": r["text"], "lang": r["lang"], "label": r["label"]}
        for r in read_jsonl(DATA / "probes_multilingual_fresh.jsonl")
    ]
    return {"fresh_native": fresh, "encoder_choice_translated": probe_rows(), "team_multilingual": team}


def flagged(detector: Detector, texts: Sequence[str]) -> list[bool]:
    out: list[bool] = []
    for start in range(0, len(texts), 64):
        out.extend(v.flagged for v in detector.check_many(list(texts[start : start + 64])))
    return out


def per_language(rows: list[dict[str, Any]], flags: list[bool]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for lang in LANGS:
        attack = [f for r, f in zip(rows, flags) if r["lang"] == lang and r["label"] == "attack"]
        benign = [f for r, f in zip(rows, flags) if r["lang"] == lang and r["label"] != "attack"]
        if attack:
            out[lang] = {
                "recall": round(sum(attack) / len(attack), 4),
                "benign_flagged": f"{sum(benign)}/{len(benign)}",
            }
    english = out.get("en", {}).get("recall")
    if english:
        for row in out.values():
            row["recall_vs_english"] = round(row["recall"] / english, 4)
        others = [lang for lang in out if lang != "en"]
        at_target = sum(out[x]["recall_vs_english"] >= 0.8 for x in others)
        out["languages_at_80pct_of_english"] = f"{at_target}/{len(others)}"
    return out


def timed(detector: Detector, texts: Sequence[str], rounds: int) -> float:
    best = float("inf")
    for _ in range(rounds):
        started = time.perf_counter()
        for text in texts:
            detector.check(text)
        best = min(best, time.perf_counter() - started)
    return best


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model-dir", type=Path, required=True, help="the exported multilingual encoder")
    parser.add_argument("--dev", type=Path, required=True)
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args(argv)

    encoder = Encoder(threads=2)
    cached = DiskCachedEmbedder(encoder, SEGMENT_CACHE)
    lane = MultilingualLane.load(Encoder(model_dir=args.model_dir, threads=2))
    detectors = {
        "off": Detector(encoder=encoder, embed=cached),
        "on": Detector(encoder=encoder, embed=cached, multilingual=lane),
    }
    report: dict[str, Any] = {"lane_threshold": round(lane.threshold, 4), "sets": {}, "benign": {}}
    for name, rows in probe_sets().items():
        texts = [r["text"] for r in rows]
        report["sets"][name] = {mode: per_language(rows, flagged(d, texts)) for mode, d in detectors.items()}
        print(name, json.dumps(report["sets"][name]), file=sys.stderr)
    benign = {
        "dev_benign": [r["text"] for r in read_jsonl(args.dev / "benign.jsonl")],
        "sixth_multilingual_ordinary": [
            r["text"] for r in read_jsonl(DATA / "probes_sixth.jsonl") if r["kind"] == "multilingual_ordinary"
        ],
    }
    for name, texts in benign.items():
        read = sum(lane.reads(text) for text in texts)
        report["benign"][name] = {"n": len(texts), "read_by_lane": read}
        for mode, d in detectors.items():
            report["benign"][name][mode] = sum(flagged(d, texts))
        print(name, report["benign"][name], file=sys.stderr)
    cached.save()
    # Cost: one request at a time through uncached detectors (every segment embedded each time),
    # lane on over lane off, best of three rounds, for requests the lane reads and English ones.
    fresh = probe_sets()["fresh_native"]
    foreign = [r["text"] for r in fresh if r["lang"] != "en"][::5]
    english = [r["text"] for r in fresh if r["lang"] == "en"] + benign["dev_benign"][:40]
    plain_off, plain_on = Detector(encoder=encoder), Detector(encoder=encoder, multilingual=lane)
    report["cost"] = {
        "foreign_requests": len(foreign),
        "foreign_on_over_off": round(timed(plain_on, foreign, 3) / timed(plain_off, foreign, 3), 3),
        "english_requests": len(english),
        "english_on_over_off": round(timed(plain_on, english, 3) / timed(plain_off, english, 3), 3),
    }
    print(json.dumps(report, indent=2))
    if args.json:
        args.json.write_text(json.dumps(report, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
